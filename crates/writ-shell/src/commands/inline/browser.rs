//! Browser drivers in inline code and scripts: Puppeteer and Playwright
//! (`page.goto(URL)`, `page.fill(sel, v)`, `page.type`, `locator.fill(v)`,
//! `setInputFiles(sel, f)`, `elementHandle.uploadFile(f)`,
//! `page.screenshot({path})`, `page.pdf({path})`; Python's `page.goto`,
//! `page.fill`, `set_input_files`, `screenshot(path=...)`) and Selenium
//! (`driver.get(URL)`, `find_element(...).send_keys(v)`,
//! `save_screenshot(f)`).
//!
//! A page is loaded with a GET, its query carrying what a curl GET's
//! would. What the script types into the page and the files it uploads
//! from it go to that page's URL (the last one loaded before them), as
//! the form's POST; a `send_keys` of a path into a file input (or of an
//! absolute path anywhere) uploads that file, as Selenium does. Headers
//! and credentials the browser is given (`setExtraHTTPHeaders`,
//! `httpCredentials`, `authenticate`, cookies) go with every page loaded
//! after them. Screenshots, PDFs, downloads saved and storage states are
//! files written.

use super::{Literal, READ_CALLS, argv, called_with, env_reads, is_url, storage};

/// Words whose presence marks code that drives a browser: only then are
/// `.get(URL)`, `.type(...)` and `.fill(...)` read as a browser's.
const MARKERS: &[&str] = &["puppeteer", "playwright", "selenium", "webdriver", "watir"];

/// Methods whose URL argument is the page the browser loads
/// (`page.goto`, Selenium's `driver.get`, `driver.navigate().to`,
/// WebdriverIO's `browser.url`, Capybara's and Cypress' `visit`).
const NAVIGATIONS: &[&str] = &[".goto", ".get", ".to", ".url", ".visit", ".navigate"];

/// Receivers of `.get(URL)` that are HTTP clients, not browsers:
/// `requests.get(URL)` beside a Selenium driver is a plain fetch.
const HTTP_CLIENTS: &[&str] = &[
    "requests",
    "httpx",
    "session",
    "sess",
    "s",
    "client",
    "http",
    "https",
    "axios",
    "got",
    "urllib3",
    "pool",
    "aiohttp",
    "request",
    "req",
    "api",
    "ky",
    "superagent",
    "needle",
    "HTTParty",
    "RestClient",
    "Faraday",
    "conn",
];

/// Methods that type their value into the page: the value is the last
/// positional argument of two (`page.fill(sel, v)`), else the only one
/// (`locator.fill(v)`), or a `value=`/`text=` keyword.
const FILLS: &[&str] = &[
    "fill",
    "type",
    "pressSequentially",
    "press_sequentially",
    "selectOption",
    "select_option",
    "setValue",
    "set_value",
    "addValue",
    "add_value",
];

/// Methods every positional argument of which is typed (Selenium's
/// `send_keys(*value)`, the keyboard's `insertText`).
const KEYS: &[&str] = &[
    "send_keys",
    "sendKeys",
    "insertText",
    "insert_text",
    "sendCharacter",
];

/// Methods that upload files through a file input: Playwright's
/// `setInputFiles(sel, f)` / `locator.setInputFiles(f)`, Puppeteer's
/// `elementHandle.uploadFile(...f)`, a file chooser's `setFiles(f)`,
/// Capybara's `attach_file(field, f)`.
const UPLOADS: &[&str] = &[
    "setInputFiles",
    "set_input_files",
    "uploadFile",
    "setFiles",
    "set_files",
    "attach_file",
];

/// Methods that write a file: keyword `path` (`page.screenshot({path})`,
/// `page.pdf(path=...)`) or their first argument
/// (`driver.save_screenshot('f')`, `download.saveAs('f')`).
const WRITES: &[&str] = &[
    "screenshot",
    "pdf",
    "save_screenshot",
    "get_screenshot_as_file",
    "save_full_page_screenshot",
    "saveScreenshot",
    "savePDF",
    "saveAs",
    "save_as",
    "storageState",
    "storage_state",
];

/// Calls whose arguments go with every later page load: extra headers,
/// HTTP credentials, cookies.
const HEADER_CALLS: &[&str] = &[
    "setExtraHTTPHeaders",
    "set_extra_http_headers",
    "authenticate",
    "setCookie",
    "addCookies",
    "add_cookies",
    "add_cookie",
];

/// Launch and context options whose values go with every page load.
const HEADER_OPTIONS: &[&str] = &[
    "extraHTTPHeaders",
    "extra_http_headers",
    "httpCredentials",
    "http_credentials",
];

/// Something a page is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Value {
    /// Text written out in the code.
    Text(String),
    /// Environment variables' values (`process.env.T`, `os.environ['T']`).
    Env(Vec<String>),
    /// A file: uploaded, or read and typed.
    File(String),
    /// Something else the code holds: what it read.
    Read,
}

/// A page the script loads.
pub(super) struct Visit {
    pub(super) url: String,
    /// What loading it sends beside its URL's query: the data its URL is
    /// built from, and the headers and credentials set before.
    pub(super) query: Vec<Value>,
    /// What the script types into it and uploads from it.
    pub(super) sent: Vec<Value>,
}

/// What browser-driving code does.
#[derive(Default)]
pub(super) struct Browsing {
    pub(super) visits: Vec<Visit>,
    /// Files it writes (screenshots, PDFs, downloads).
    pub(super) writes: Vec<String>,
    /// The literals this accounts for.
    pub(super) used: Vec<usize>,
}

/// One step of the script, where it stands in the code.
enum Step {
    Load { url: String, built: Vec<Value> },
    Send(Vec<Value>),
    Headers(Vec<Value>),
    Write(String),
}

/// Reads what browser-driving `code` does; nothing for other code.
pub(super) fn drive(code: &str, literals: &[Literal]) -> Browsing {
    let lower = code.to_ascii_lowercase();
    if !MARKERS.iter().any(|m| lower.contains(m)) {
        return Browsing::default();
    }
    let mut used = Vec::new();
    let mut steps: Vec<(usize, Step)> = Vec::new();
    loads(code, literals, &mut steps, &mut used);
    for (name, at, open) in methods(code, FILLS.iter().chain(KEYS)) {
        let Some(args) = storage::args_at(code, literals, open) else {
            continue;
        };
        mark(code, literals, open, &mut used);
        let items: Vec<&storage::Item> = match args.keyed(&["value", "text", "values"]) {
            Some(item) => vec![item],
            None => {
                let positional: Vec<&storage::Item> =
                    args.items.iter().filter(|i| i.key.is_none()).collect();
                if KEYS.contains(&name) {
                    positional
                } else {
                    positional.last().copied().into_iter().collect()
                }
            }
        };
        let file_input = KEYS.contains(&name) && file_input(code, literals, at);
        let mut values = Vec::new();
        for item in items {
            for value in classify(code, literals, item.start, item.end) {
                values.push(match value {
                    Value::Text(text) if KEYS.contains(&name) && (file_input || is_path(&text)) => {
                        Value::File(text)
                    }
                    other => other,
                });
            }
        }
        if !values.is_empty() {
            steps.push((at, Step::Send(values)));
        }
    }
    for (name, at, open) in methods(code, UPLOADS.iter()) {
        let Some(args) = storage::args_at(code, literals, open) else {
            continue;
        };
        mark(code, literals, open, &mut used);
        let positional: Vec<&storage::Item> =
            args.items.iter().filter(|i| i.key.is_none()).collect();
        let mut values = Vec::new();
        // `{name, mimeType, buffer}`: the buffer's content is sent.
        for item in args
            .items
            .iter()
            .filter(|i| i.key.as_deref() == Some("buffer"))
        {
            values.extend(classify(code, literals, item.start, item.end));
        }
        let files: Vec<&storage::Item> = match args.keyed(&["files", "paths", "path"]) {
            Some(item) => vec![item],
            None if args.has(&["buffer"]) => Vec::new(),
            None if name == "uploadFile" => positional,
            None => positional.last().copied().into_iter().collect(),
        };
        for item in files {
            for value in classify(code, literals, item.start, item.end) {
                values.push(match value {
                    Value::Text(path) => Value::File(path),
                    other => other,
                });
            }
        }
        if !values.is_empty() {
            steps.push((at, Step::Send(values)));
        }
    }
    for (name, at, open) in methods(code, WRITES.iter()) {
        let Some(mut args) = storage::args_at(code, literals, open) else {
            continue;
        };
        // Playwright's `screenshot` and `pdf` take options only; a path
        // given first is Selenium's (`element.screenshot('f')`).
        let first = (!matches!(name, "storageState" | "storage_state")).then_some(0);
        if let Some(path) = args
            .text(&["path", "filename"], first)
            .filter(|p| !is_url(p))
        {
            steps.push((at, Step::Write(path)));
        }
        used.append(&mut args.used);
    }
    for (_, at, open) in methods(code, HEADER_CALLS.iter()) {
        let Some(args) = storage::args_at(code, literals, open) else {
            continue;
        };
        mark(code, literals, open, &mut used);
        let mut values = Vec::new();
        for item in &args.items {
            values.extend(classify(code, literals, item.start, item.end));
        }
        if !values.is_empty() {
            steps.push((at, Step::Headers(values)));
        }
    }
    header_options(code, literals, &mut steps, &mut used);
    for (_, _, open) in methods(code, SELECTOR_CALLS.iter()) {
        mark(code, literals, open, &mut used);
    }
    steps.sort_by_key(|(at, _)| *at);
    let mut browsing = Browsing::default();
    let mut current: Option<usize> = None;
    let mut headers: Vec<Value> = Vec::new();
    for (_, step) in steps {
        match step {
            Step::Load { url, built } => {
                let mut query = built;
                for header in &headers {
                    if !query.contains(header) {
                        query.push(header.clone());
                    }
                }
                match browsing.visits.iter().position(|v| v.url == url) {
                    Some(index) => {
                        let visit = &mut browsing.visits[index];
                        for value in query {
                            if !visit.query.contains(&value) {
                                visit.query.push(value);
                            }
                        }
                        current = Some(index);
                    }
                    None => {
                        browsing.visits.push(Visit {
                            url,
                            query,
                            sent: Vec::new(),
                        });
                        current = Some(browsing.visits.len() - 1);
                    }
                }
            }
            Step::Send(values) => {
                if let Some(visit) = current.and_then(|i| browsing.visits.get_mut(i)) {
                    for value in values {
                        if !visit.sent.contains(&value) {
                            visit.sent.push(value);
                        }
                    }
                }
            }
            Step::Headers(values) => headers.extend(values),
            Step::Write(path) => {
                if !browsing.writes.contains(&path) {
                    browsing.writes.push(path);
                }
            }
        }
    }
    // A URL named where it is assigned and loaded where it is used is one
    // page.
    for (index, literal) in literals.iter().enumerate() {
        if browsing.visits.iter().any(|v| v.url == literal.text) {
            used.push(index);
        }
    }
    browsing.used = used;
    browsing
}

/// Pages loaded: a URL literal given to a navigation method, alone or
/// extended with data (`goto('https://x/?t=' + process.env.T)`).
fn loads(code: &str, literals: &[Literal], steps: &mut Vec<(usize, Step)>, used: &mut Vec<usize>) {
    for (index, literal) in literals.iter().enumerate() {
        if !is_url(&literal.text) {
            continue;
        }
        let before = code.get(..literal.start).unwrap_or_default();
        if called_with(before, NAVIGATIONS).is_none() {
            continue;
        }
        let head = before.trim_end();
        let head = head.strip_suffix('(').unwrap_or(head).trim_end();
        if let Some(receiver) = head.strip_suffix(".get") {
            let name: String = receiver
                .chars()
                .rev()
                .take_while(|c| storage::is_ident(*c))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if HTTP_CLIENTS.contains(&name.as_str()) {
                continue;
            }
        }
        used.push(index);
        let close = before.trim_end().ends_with('(').then_some(b')');
        let argument = argv::split_args(code, literal.start, close)
            .and_then(|(pieces, _)| pieces.first().map(|p| p.trim()))
            .unwrap_or_default();
        let mut built = Vec::new();
        if argument.len() > code.get(literal.start..literal.end).map_or(0, str::len) {
            let names = env_reads(argument);
            if names.is_empty() {
                built.push(Value::Read);
            } else {
                built.push(Value::Env(names));
            }
        }
        steps.push((
            literal.start,
            Step::Load {
                url: literal.text.clone(),
                built,
            },
        ));
    }
}

/// Calls of the methods `names` (`.name(`, a receiver's), and Capybara's
/// bare `attach_file(`: each method's name, where it starts and its `(`.
fn methods<'a>(
    code: &str,
    names: impl Iterator<Item = &'a &'a str>,
) -> Vec<(&'a str, usize, usize)> {
    let mut found = Vec::new();
    for name in names {
        for (at, open) in storage::calls(code, name) {
            let method = code.get(..at).is_some_and(|b| b.ends_with('.'));
            if method || *name == "attach_file" {
                found.push((*name, at, open));
            }
        }
    }
    found
}

/// Calls whose arguments are selectors, options and names, not data sent
/// anywhere (`page.click('#go')`, `find_element(By.ID, 'x')`).
const SELECTOR_CALLS: &[&str] = &[
    "locator",
    "$",
    "$$",
    "$eval",
    "$$eval",
    "$x",
    "waitForSelector",
    "wait_for_selector",
    "click",
    "dblclick",
    "hover",
    "check",
    "uncheck",
    "focus",
    "press",
    "tap",
    "getByRole",
    "getByText",
    "getByLabel",
    "getByPlaceholder",
    "getByTestId",
    "get_by_role",
    "get_by_text",
    "get_by_label",
    "get_by_placeholder",
    "get_by_test_id",
    "querySelector",
    "querySelectorAll",
    "find_element",
    "find_elements",
    "findElement",
    "findElements",
    "css",
    "xpath",
    "textContent",
    "text_content",
    "innerText",
    "inner_text",
    "innerHTML",
    "inner_html",
    "getAttribute",
    "get_attribute",
    "inputValue",
    "input_value",
    "waitForURL",
    "wait_for_url",
    "waitForEvent",
    "wait_for_event",
    "expect_download",
    "expect_file_chooser",
    "waitForNavigation",
    "launch",
    "newPage",
    "new_page",
    "newContext",
    "new_context",
    "setViewport",
    "setViewportSize",
    "set_viewport_size",
];

/// Marks the literals of the call whose `(` is at `open` as accounted for
/// (selectors are no data).
fn mark(code: &str, literals: &[Literal], open: usize, used: &mut Vec<usize>) {
    let Some(close) = storage::matching(code, literals, open) else {
        return;
    };
    for (index, literal) in literals.iter().enumerate() {
        if literal.start > open && literal.end <= close {
            used.push(index);
        }
    }
}

/// What the argument between `start` and `end` sends: environment
/// variables it reads; a literal's text, or each literal of a list; a
/// file a read call opens (`readFileSync('f')`); a key's name or a
/// constant (`Keys.ENTER`) sends nothing; anything else, what the code
/// read.
fn classify(code: &str, literals: &[Literal], start: usize, end: usize) -> Vec<Value> {
    let text = code.get(start..end).unwrap_or_default().trim();
    let names = env_reads(text);
    if !names.is_empty() {
        return vec![Value::Env(names)];
    }
    let inside: Vec<&Literal> = literals
        .iter()
        .filter(|l| l.start >= start && l.end <= end)
        .collect();
    if let [only] = inside.as_slice()
        && only.start == start
        && only.end == end
    {
        return vec![Value::Text(only.text.clone())];
    }
    if text.starts_with('[') {
        // A list of literals: each is a value.
        return inside.iter().map(|l| Value::Text(l.text.clone())).collect();
    }
    if let Some(file) = inside
        .iter()
        .find(|l| called_with(code.get(..l.start).unwrap_or_default(), READ_CALLS).is_some())
    {
        return vec![Value::File(file.text.clone())];
    }
    let constant = text.contains('.')
        && text.rsplit('.').next().is_some_and(|last| {
            !last.is_empty() && last.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
        });
    if text.is_empty() || constant || matches!(text, "true" | "false" | "True" | "False" | "None") {
        return Vec::new();
    }
    vec![Value::Read]
}

/// A path as Selenium is given one to upload: absolute, from home, or
/// relative with `./`, or a Windows drive's.
fn is_path(text: &str) -> bool {
    let drive = text.len() > 2
        && text.as_bytes()[0].is_ascii_alphabetic()
        && text.get(1..3).is_some_and(|s| s == ":\\" || s == ":/");
    (text.starts_with('/')
        || text.starts_with("~/")
        || text.starts_with("./")
        || text.starts_with("../")
        || drive)
        && !text.contains('\n')
}

/// True when the element a `send_keys` at `at` types into is a file
/// input: the statement's element lookup names one
/// (`find_element(By.CSS_SELECTOR, "input[type=file]")`), directly or
/// where the variable it is called on was assigned.
fn file_input(code: &str, literals: &[Literal], at: usize) -> bool {
    let head = code.get(..at).unwrap_or_default();
    let start = head.rfind([';', '\n', '{']).map_or(0, |i| i + 1);
    let statement = head.get(start..).unwrap_or_default();
    let names_file = |from: usize, to: usize| {
        literals.iter().any(|l| {
            l.start >= from && l.end <= to && {
                let t = l.text.to_ascii_lowercase();
                t.contains("file") || t.contains("upload")
            }
        })
    };
    if names_file(start, at) {
        return true;
    }
    // `el.send_keys(...)`: where `el` was assigned.
    let receiver: String = statement
        .trim()
        .trim_start_matches("await ")
        .chars()
        .take_while(|c| storage::is_ident(*c))
        .collect();
    if receiver.is_empty() {
        return false;
    }
    let assigned = head.rmatch_indices(receiver.as_str()).find(|(i, _)| {
        let whole = head
            .get(..*i)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !storage::is_ident(c));
        let after = head
            .get(i + receiver.len()..)
            .unwrap_or_default()
            .trim_start();
        whole && after.starts_with('=') && !after.starts_with("==")
    });
    assigned.is_some_and(|(i, _)| {
        let end = head
            .get(i..)
            .and_then(|rest| rest.find(['\n', ';']))
            .map_or(at, |e| i + e);
        names_file(i, end)
    })
}

/// Launch and context options that set headers or credentials
/// (`newContext({extraHTTPHeaders: {...}})`, `new_context(http_credentials=
/// {...})`): what they hold goes with every page loaded after them.
fn header_options(
    code: &str,
    literals: &[Literal],
    steps: &mut Vec<(usize, Step)>,
    used: &mut Vec<usize>,
) {
    for option in HEADER_OPTIONS {
        for (at, _) in code.match_indices(option) {
            let rest = code.get(at + option.len()..).unwrap_or_default();
            let rest_trim = rest.trim_start_matches(['\'', '"']).trim_start();
            let Some(value) = rest_trim
                .strip_prefix(':')
                .or_else(|| rest_trim.strip_prefix('='))
            else {
                continue;
            };
            let value_at = code.len() - value.len() + (value.len() - value.trim_start().len());
            if code.as_bytes().get(value_at) != Some(&b'{') {
                continue;
            }
            let Some(close) = storage::matching(code, literals, value_at) else {
                continue;
            };
            let mut values = Vec::new();
            let names = env_reads(code.get(value_at..close).unwrap_or_default());
            if !names.is_empty() {
                values.push(Value::Env(names));
            }
            for (index, literal) in literals.iter().enumerate() {
                if literal.start > value_at && literal.end <= close {
                    used.push(index);
                    values.push(Value::Text(literal.text.clone()));
                }
            }
            if !values.is_empty() {
                steps.push((at, Step::Headers(values)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_absolute_home_or_dotted() {
        assert!(is_path("/home/u/.env"));
        assert!(is_path("~/id_rsa"));
        assert!(is_path("C:\\Users\\u\\key.pem"));
        assert!(!is_path("hunter2"));
        assert!(!is_path("a/b"));
    }
}
