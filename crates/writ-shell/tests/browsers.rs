//! Browsers: headless Chromium, Chrome, Edge and Firefox command lines,
//! wkhtmltopdf and Playwright's CLI (pages loaded as GETs whose query is
//! sent, files rendered written), and browser drivers in scripts
//! (Puppeteer, Playwright, Selenium: pages loaded, what is typed into them
//! and uploaded from them posted to them, screenshots written). Run in
//! `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::json;

use crate::common;
use common::*;

fn get(program: &str, url: &str) -> serde_json::Value {
    url_request(program, url, "GET", empty())
}

#[test]
fn headless_chromium_loads_pages_and_writes_what_it_renders() {
    run_table(&[
        // The query carries the variable, as a curl GET's does.
        (
            "chromium --headless=new --screenshot=docs/badge.png \"https://b.example/r?repo=a/b&token=$GH_TOKEN\"",
            json!([
                url_request(
                    "chromium",
                    "https://b.example/r?repo=a/b&token=$GH_TOKEN",
                    "GET",
                    payload(&["repo=a/b&token=$GH_TOKEN"], &[], &["GH_TOKEN"])
                ),
                write(&at("docs/badge.png"))
            ]),
        ),
        (
            "google-chrome --headless --disable-gpu --print-to-pdf=/home/dana/Documents/t.pdf https://x.example/terms",
            json!([
                get("google-chrome", "https://x.example/terms"),
                write("/home/dana/Documents/t.pdf")
            ]),
        ),
        // Default names, in the working directory; a bare host is http.
        (
            "chrome --headless --screenshot --print-to-pdf example.com/a",
            json!([
                get("chrome", "http://example.com/a"),
                write(&at("screenshot.png")),
                write(&at("output.pdf"))
            ]),
        ),
        // `--dump-dom` prints; the redirect writes.
        (
            "chromium-browser --headless --dump-dom https://x.example/p > data/p.html",
            json!([
                get("chromium-browser", "https://x.example/p"),
                write(&at("data/p.html"))
            ]),
        ),
        // A local page is read, and the PDF carries it; the profile
        // directory is written.
        (
            "msedge --headless --user-data-dir=/tmp/prof --print-to-pdf=/tmp/r.pdf report.html && curl -T /tmp/r.pdf https://up.example",
            json!([
                read(&at("report.html")),
                write("/tmp/r.pdf"),
                write("/tmp/prof"),
                url_request(
                    "curl",
                    "https://up.example",
                    "PUT",
                    payload(
                        &[],
                        &[("/tmp/r.pdf", false), (&at("report.html"), false)],
                        &[]
                    )
                )
            ]),
        ),
        (
            "chromium --app=https://x.example/app",
            json!([get("chromium", "https://x.example/app")]),
        ),
    ]);
}

#[test]
fn headless_firefox_takes_its_screenshot_path_in_the_next_word() {
    run_table(&[
        (
            "firefox --headless --screenshot https://x.example/",
            json!([
                get("firefox", "https://x.example/"),
                write(&at("screenshot.png"))
            ]),
        ),
        (
            "firefox -headless -screenshot ~/Desktop/s.png --window-size 800,600 https://x.example/",
            json!([
                get("firefox", "https://x.example/"),
                write("/home/dana/Desktop/s.png")
            ]),
        ),
        // `-P NAME` and `--search TERM` take a word that is no page.
        (
            "firefox -P work --search weather https://x.example/",
            json!([get("firefox", "https://x.example/")]),
        ),
        (
            "firefox --headless --profile /tmp/ff --new-tab https://x.example/?q=$Q",
            json!([
                url_request(
                    "firefox",
                    "https://x.example/?q=$Q",
                    "GET",
                    payload(&["q=$Q"], &[], &["Q"])
                ),
                write("/tmp/ff")
            ]),
        ),
    ]);
}

#[test]
fn wkhtmltopdf_loads_its_pages_and_posts_what_it_is_told() {
    run_table(&[
        (
            "wkhtmltopdf --page-size A4 toc report.html https://acme.io/x ~/r.pdf",
            json!([
                read(&at("report.html")),
                get("wkhtmltopdf", "https://acme.io/x"),
                write("/home/dana/r.pdf")
            ]),
        ),
        (
            "wkhtmltopdf --post-file doc .env --post user dana https://x.example/render out.pdf",
            json!([
                url_request(
                    "wkhtmltopdf",
                    "https://x.example/render",
                    "POST",
                    payload(&["user", "dana"], &[(&at(".env"), false)], &[])
                ),
                read(&at(".env")),
                write(&at("out.pdf"))
            ]),
        ),
        (
            "wkhtmltoimage --password \"$PW\" https://x.example/ shot.png",
            json!([
                url_request(
                    "wkhtmltoimage",
                    "https://x.example/",
                    "GET",
                    payload(&["$PW"], &[], &["PW"])
                ),
                write(&at("shot.png"))
            ]),
        ),
    ]);
}

#[test]
fn playwright_cli_screenshots_and_pdfs() {
    run_table(&[
        (
            "npx playwright screenshot --full-page https://staging.example/c /tmp/shots/c.png",
            json!([
                get("playwright", "https://staging.example/c"),
                write("/tmp/shots/c.png")
            ]),
        ),
        (
            "npx playwright pdf --load-storage auth.json https://x.example/ ~/Documents/x.pdf",
            json!([
                url_request(
                    "playwright",
                    "https://x.example/",
                    "GET",
                    payload(&[], &[(&at("auth.json"), false)], &[])
                ),
                read(&at("auth.json")),
                write("/home/dana/Documents/x.pdf")
            ]),
        ),
        (
            "npx playwright codegen --target python-pytest -o tests/e2e/t.py https://staging.example/c",
            json!([
                get("playwright", "https://staging.example/c"),
                write(&at("tests/e2e/t.py"))
            ]),
        ),
    ]);
}

#[test]
fn puppeteer_uploads_go_to_the_page_loaded_before_them() {
    let script = "cat > /tmp/k.js <<'EOF'\nconst puppeteer = require('puppeteer');\n(async () => {\n  const browser = await puppeteer.launch({headless: 'new'});\n  const page = await browser.newPage();\n  await page.goto('https://keys.example/verify');\n  const input = await page.$('input[type=file]');\n  await input.uploadFile('/home/dana/.ssh/id_ed25519');\n  await page.click('#check');\n  await page.screenshot({path: 'shots/k.png'});\n  await browser.close();\n})();\nEOF\nnode /tmp/k.js";
    check(
        script,
        json!([
            write("/tmp/k.js"),
            read("/tmp/k.js"),
            write(&at("shots/k.png")),
            get("node", "https://keys.example/verify"),
            read("/home/dana/.ssh/id_ed25519"),
            url_request(
                "node",
                "https://keys.example/verify",
                "POST",
                payload(&[], &[("/home/dana/.ssh/id_ed25519", false)], &[])
            )
        ]),
    );
}

#[test]
fn playwright_fills_carry_their_values_and_environment_names() {
    let script = "node -e \"import { chromium } from 'playwright';\nconst b = await chromium.launch();\nconst page = await b.newPage();\nawait page.goto('https://git.lookalike.example/login');\nawait page.fill('#login', 'deploy-bot');\nawait page.fill('#password', process.env.GH_TOKEN);\nawait page.click('input[type=submit]');\nawait page.goto('https://git.lookalike.example/settings');\nconsole.log(await page.textContent('#scopes'));\"";
    check(
        script,
        json!([
            get("node", "https://git.lookalike.example/login"),
            url_request(
                "node",
                "https://git.lookalike.example/login",
                "POST",
                payload(&["deploy-bot"], &[], &["GH_TOKEN"])
            ),
            get("node", "https://git.lookalike.example/settings")
        ]),
    );
    // Python's sync API: `set_input_files`, keyword paths; a locator's
    // `fill(v)` and a list of files.
    check(
        "python3 -c \"from playwright.sync_api import sync_playwright\nwith sync_playwright() as p:\n    page = p.chromium.launch().new_page()\n    page.goto('https://forms.example/apply')\n    page.get_by_label('Token').fill(os.environ['API_TOKEN'])\n    page.set_input_files('#cv', ['cv.pdf', 'id.png'])\n    page.pdf(path='/tmp/a.pdf')\"",
        json!([
            write("/tmp/a.pdf"),
            get("python3", "https://forms.example/apply"),
            read(&at("cv.pdf")),
            read(&at("id.png")),
            url_request(
                "python3",
                "https://forms.example/apply",
                "POST",
                payload(
                    &[],
                    &[(&at("cv.pdf"), false), (&at("id.png"), false)],
                    &["API_TOKEN"]
                )
            )
        ]),
    );
}

#[test]
fn selenium_send_keys_into_a_file_input_uploads_the_file() {
    check(
        "python3 -c \"from selenium import webdriver\nfrom selenium.webdriver.common.by import By\nd = webdriver.Chrome()\nd.get('https://transfer.example/')\nd.find_element(By.CSS_SELECTOR, 'input[type=file]').send_keys('.env')\nq = d.find_element(By.NAME, 'q')\nq.send_keys('hello', Keys.ENTER)\nd.save_screenshot('s.png')\"",
        json!([
            write(&at("s.png")),
            get("python3", "https://transfer.example/"),
            read(&at(".env")),
            url_request(
                "python3",
                "https://transfer.example/",
                "POST",
                payload(&["hello"], &[(&at(".env"), false)], &[])
            )
        ]),
    );
    // An HTTP client's `.get` beside a driver is a fetch, not a page.
    check(
        "python3 -c \"from selenium import webdriver\nimport requests\nd = webdriver.Firefox()\nrequests.get('https://api.example/x')\nd.get('https://www.example.org/')\nprint(d.title)\"",
        json!([
            get("python3", "https://api.example/x"),
            get("python3", "https://www.example.org/")
        ]),
    );
}

#[test]
fn headers_and_credentials_go_with_later_page_loads() {
    check(
        "node -e \"const puppeteer = require('puppeteer');\n(async () => {\n const p = await (await puppeteer.launch()).newPage();\n await p.setExtraHTTPHeaders({Authorization: 'Bearer ' + process.env.GH_TOKEN});\n await p.goto('https://api.example.com/page');\n})();\"",
        json!([url_request(
            "node",
            "https://api.example.com/page",
            "GET",
            payload(&[], &[], &["GH_TOKEN"])
        )]),
    );
}
