//! R: `Rscript -e CODE`, `R -e CODE` (`R -q -e`, `R --vanilla -e`), a
//! script (`Rscript f.R`, `R -f f.R`: read, and run as its code when it
//! was written earlier). Inline code is read for the calls that install,
//! send, upload, delete, write and read, as Python's are:
//! - `install.packages("x")` / `install.packages(c("a","b"), repos=URL)`,
//!   `remotes::install_github("o/r")` (and `devtools::`, `pak::`),
//!   `BiocManager::install(...)`: package installs;
//! - httr's `POST(URL, body=list(f=upload_file("F")))` (and PUT, PATCH,
//!   DELETE, GET, `VERB`, `RETRY`), an httr2 pipeline (`request(URL) |>
//!   req_body_file("F") |> req_perform()`), the curl package's
//!   `curl_upload("F", URL)` (a PUT, as `curl -T`), `curl_fetch_*`,
//!   `curl_download` and the handle options that make them send, RCurl's
//!   `postForm`, `getURL`, `httpPUT`, `ftpUpload`, `download.file(URL,
//!   DEST)`: requests, whose sends carry the files the code reads and the
//!   variables it reads. A URL may be built (`paste0("https://h/?k=",
//!   Sys.getenv("K"))`, `sprintf`, `glue`) or held in a name: its parts
//!   that are not literals are what the request carries;
//! - aws.s3's `put_object(file=, object=, bucket=)` (and `s3saveRDS`,
//!   `s3write_using`, `s3sync`), paws' `put_object(Body=, Bucket=, Key=)`,
//!   googleCloudStorageR's `gcs_upload`, arrow's writers given an `s3://`
//!   URL: uploads to `s3://B/K` or `gs://B/K`, as boto3's are;
//! - `unlink("P", recursive=TRUE)`, `file.remove("P")`: deletes;
//! - `writeLines(x, "F")`, `cat(..., file="F")`, `write.csv(x, "F")`, ...:
//!   writes; `read.csv("F")`, `readLines("F")`, `source("F")`, ...: reads;
//! - `system("cmd")`: shell text, analysed as shell;
//! - DBI's `dbConnect(RPostgres::Postgres(), host = "h")` (odbc's `Server
//!   =`) and the statements run on it (`dbExecute(con, "...")`,
//!   `dbRemoveTable`, ...): SQL against that server, as driver code in
//!   other languages is.

use super::{Invocation, Nested, Outcome, request, url};
use crate::{Effect, FileRef, PackageInstall, Payload, flow};

pub(crate) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if !matches!(inv.program, "rscript" | "r") {
        return None;
    }
    let mut outcome = Outcome::default();
    let mut code: Vec<String> = Vec::new();
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if text == "-e" || text == "--expr" {
            if let Some(next) = words.next() {
                code.push(next.text.clone());
            }
        } else if let Some(inline) = text.strip_prefix("--expr=") {
            code.push(inline.to_owned());
        } else if text == "-f" || text == "--file" {
            if let Some(file) = words.next() {
                outcome.read(inv.path(&file.text), false);
            }
            return Some(outcome);
        } else if let Some(file) = text.strip_prefix("--file=") {
            outcome.read(inv.path(file), false);
            return Some(outcome);
        } else if text == "CMD" {
            return Some(outcome);
        } else if text.starts_with('-') {
            continue;
        } else if code.is_empty() {
            outcome.read(inv.path(text), false);
            return Some(outcome);
        } else {
            break;
        }
    }
    if code.is_empty() && inv.has_stdin {
        if inv.stdin.files.is_empty() && inv.stdin.env.is_empty() {
            code.push(inv.stdin.text.join("\n"));
        }
        outcome
            .opaque
            .push(format!("{} runs code from standard input", inv.program));
    }
    for text in &code {
        analyze(inv, text, &mut outcome);
        outcome
            .opaque
            .push(format!("{} runs inline code: {text}", inv.program));
    }
    Some(outcome)
}

/// One call in the code: its name (without `pkg::`) and its arguments as
/// `(name, text)`.
#[derive(Debug)]
struct Call {
    name: String,
    package: Option<String>,
    args: Vec<(Option<String>, String)>,
}

impl Call {
    /// The argument called `name`, or else the positional one at `index`.
    fn arg(&self, name: &str, index: usize) -> Option<&str> {
        self.index_of(&[name], index)
            .and_then(|i| self.args.get(i))
            .map(|(_, t)| t.as_str())
    }

    /// Where the argument called one of `names` is, or else the
    /// positional one at `index`.
    fn index_of(&self, names: &[&str], index: usize) -> Option<usize> {
        if let Some(at) = self
            .args
            .iter()
            .position(|(n, _)| n.as_deref().is_some_and(|n| names.contains(&n)))
        {
            return Some(at);
        }
        self.args
            .iter()
            .enumerate()
            .filter(|(_, (n, _))| n.is_none())
            .nth(index)
            .map(|(i, _)| i)
    }
}

/// A request the code makes.
struct Req {
    target: String,
    method: String,
    payload: Payload,
    /// It also carries what the code read and the variables it read: its
    /// body is something the code holds, not only what the call names.
    carries: bool,
    /// Uploaded with an ACL that opens it to everyone.
    public: bool,
}

impl Req {
    fn new(target: String, method: &str, payload: Payload, carries: bool) -> Self {
        Req {
            target,
            method: method.to_owned(),
            payload,
            carries,
            public: false,
        }
    }
}

fn analyze(inv: &Invocation<'_>, code: &str, outcome: &mut Outcome) {
    let calls = calls(code);
    let vars = Vars::of(code);
    // What a send carries: files the code reads or uploads, variables it reads.
    let mut carried = Payload::default();
    for call in &calls {
        if call.name == "Sys.getenv"
            && let Some(name) = call.arg("x", 0).and_then(literal)
        {
            flow::push_env(&mut carried, &name);
        }
    }
    let mut requests: Vec<Req> = Vec::new();
    for call in &calls {
        let name = call.name.as_str();
        match name {
            "install.packages" => {
                let packages = call.arg("pkgs", 0).map(strings).unwrap_or_default();
                let registry = call
                    .arg("repos", usize::MAX)
                    .and_then(|r| strings(r).into_iter().next())
                    .filter(|r| !r.contains("r-project.org") && !r.contains("rstudio.com"));
                install(outcome, "cran", packages, registry);
            }
            "install_github" | "install_gitlab" | "install_bitbucket" | "install_git" => {
                let host = match name {
                    "install_gitlab" => "https://gitlab.com/",
                    "install_bitbucket" => "https://bitbucket.org/",
                    "install_git" => "",
                    _ => "https://github.com/",
                };
                for repo in call.arg("repo", 0).map(strings).unwrap_or_default() {
                    let slug = repo.split(['@', '#']).next().unwrap_or(&repo).to_owned();
                    let registry = format!("{host}{slug}");
                    install(outcome, "remotes", vec![repo], Some(registry));
                }
            }
            "install_cran" | "pkg_install" | "pak" => {
                let packages = call.arg("pkgs", 0).map(strings).unwrap_or_default();
                install(outcome, "cran", packages, None);
            }
            "install" if call.package.as_deref() == Some("BiocManager") => {
                let packages = call.arg("pkgs", 0).map(strings).unwrap_or_default();
                install(outcome, "bioconductor", packages, None);
            }
            "unlink" | "file.remove" | "dir_delete" | "file_delete" => {
                let recursive = name == "dir_delete"
                    || call
                        .arg("recursive", usize::MAX)
                        .is_some_and(|v| matches!(v.trim(), "TRUE" | "T"));
                let targets: Vec<String> = if name == "file.remove" {
                    call.args
                        .iter()
                        .filter(|(n, _)| n.is_none())
                        .flat_map(|(_, t)| strings(t))
                        .collect()
                } else {
                    call.arg("x", 0).map(strings).unwrap_or_default()
                };
                for target in targets {
                    outcome.delete(inv.path(&target), recursive);
                }
            }
            "writeLines" | "write" | "write.csv" | "write.csv2" | "write.table" | "saveRDS"
            | "write_csv" | "write_tsv" | "write_rds" | "write_json" | "writeRDS" | "save"
            | "sink" | "cat" | "download.file" | "file.create" | "file.copy" | "dir.create"
            | "write_lines" | "write_parquet" | "write_feather" | "write_csv_arrow"
            | "write_ipc_file" | "write_dataset" | "fwrite" | "curl_download"
            | "curl_fetch_disk" => {
                let (arg, index) = match name {
                    "writeLines" => ("con", 1),
                    "cat" | "save" => ("file", usize::MAX),
                    "sink" | "file.create" | "dir.create" => ("file", 0),
                    "download.file" | "curl_download" => ("destfile", 1),
                    "curl_fetch_disk" => ("path", 1),
                    "file.copy" => ("to", 1),
                    "write.table" | "write.csv" | "write.csv2" => ("file", 1),
                    "write_json" | "write_rds" | "saveRDS" => ("path", 1),
                    "write_parquet" | "write_feather" | "write_csv_arrow" | "write_ipc_file" => {
                        ("sink", 1)
                    }
                    _ => ("file", 1),
                };
                if matches!(name, "download.file" | "curl_download" | "curl_fetch_disk")
                    && let Some(mut request) = vars.url(inv, call.arg("url", 0))
                {
                    if let Some((method, sent)) = curl_handle(inv, &vars, &calls) {
                        request.method = method;
                        flow::merge(&mut request.payload, &sent);
                        request.carries = true;
                    }
                    requests.push(request);
                }
                let target = call
                    .arg(arg, index)
                    .or_else(|| {
                        (name == "write_dataset")
                            .then(|| call.arg("path", 1))
                            .flatten()
                    })
                    .and_then(|t| vars.literal(t));
                let Some(target) = target else {
                    continue;
                };
                // A writer given a storage URL (`arrow::write_parquet(df,
                // "s3://b/k")`) uploads what the code holds there.
                if target.contains("://") {
                    if let Some(upload) = super::inline::storage_url(&target) {
                        requests.push(Req::new(upload, "UPLOAD", Payload::default(), true));
                    }
                    continue;
                }
                let path = inv.path(&target);
                if name == "file.copy"
                    && let Some(from) = call.arg("from", 0).and_then(|t| vars.literal(t))
                {
                    let from = inv.path(&from);
                    outcome.read(from.clone(), false);
                    flow::push_file(
                        &mut carried,
                        FileRef {
                            path: from.clone(),
                            recursive: false,
                            excludes: Vec::new(),
                        },
                    );
                    outcome
                        .contents
                        .push((path.clone(), flow::file_payload(from, false)));
                }
                let append = call
                    .arg("append", usize::MAX)
                    .is_some_and(|v| matches!(v.trim(), "TRUE" | "T"));
                outcome.write(path, append);
            }
            "read.csv" | "read.csv2" | "read.table" | "read.delim" | "readLines" | "readRDS"
            | "read_csv" | "read_tsv" | "read_lines" | "read_file" | "read_rds" | "fromJSON"
            | "read_json" | "source" | "load" | "scan" | "fread" | "read_excel" | "file"
            | "read_parquet" | "read_feather" | "readBin" | "read_file_raw" => {
                let Some(target) = call
                    .arg("file", 0)
                    .or(call.arg("con", 0))
                    .or(call.arg("path", 0))
                    .and_then(|t| vars.literal(t))
                else {
                    continue;
                };
                if target.contains("://") {
                    requests.push(Req::new(target, "GET", Payload::default(), false));
                    continue;
                }
                let path = inv.path(&target);
                flow::push_file(
                    &mut carried,
                    FileRef {
                        path: path.clone(),
                        recursive: false,
                        excludes: Vec::new(),
                    },
                );
                outcome.read(path, false);
            }
            // httr (`POST(url, body = ...)`, `VERB("PUT", url)`,
            // `RETRY("POST", url)`) and RCurl (`postForm(uri, ...)`,
            // `getURL(url)`, `httpPUT(url, content)`).
            "POST" | "PUT" | "PATCH" | "DELETE" | "GET" | "HEAD" | "VERB" | "RETRY"
            | "postForm" | "getForm" | "getURL" | "getURLContent" | "getBinaryURL" | "httpPOST"
            | "httpPUT" | "httpDELETE" | "httpPATCH" => {
                let verb = matches!(name, "VERB" | "RETRY");
                let url_index = usize::from(verb);
                let method = if verb {
                    match call.arg("verb", 0).and_then(literal) {
                        Some(method) => method.to_ascii_uppercase(),
                        None => continue,
                    }
                } else {
                    match name {
                        "postForm" | "httpPOST" => "POST".to_owned(),
                        "getForm" | "getURL" | "getURLContent" | "getBinaryURL" => "GET".to_owned(),
                        "httpPUT" => "PUT".to_owned(),
                        "httpDELETE" => "DELETE".to_owned(),
                        "httpPATCH" => "PATCH".to_owned(),
                        _ => name.to_owned(),
                    }
                };
                let url_at = call.index_of(&["url", "uri"], url_index);
                let verb_at = verb.then(|| call.index_of(&["verb"], 0)).flatten();
                let url_text = url_at
                    .and_then(|i| call.args.get(i))
                    .map(|(_, t)| t.as_str());
                let Some(mut request) = vars.url(inv, url_text) else {
                    continue;
                };
                for (index, (_, text)) in call.args.iter().enumerate() {
                    if Some(index) != url_at && Some(index) != verb_at {
                        send_argument(inv, &vars, text, &mut request.payload);
                    }
                }
                request.method = method;
                request.carries |= !matches!(request.method.as_str(), "GET" | "HEAD");
                requests.push(request);
            }
            // The curl package: `curl_upload(file, url)` sends the file
            // (an HTTP PUT, as `curl -T`); the fetches are requests,
            // sending what a handle is given (`handle_setopt(h,
            // copypostfields = ...)`, `handle_setform(h, ...)`).
            "curl_upload" => {
                let Some(mut request) = vars.url(inv, call.arg("url", 1)) else {
                    continue;
                };
                match call.arg("file", 0).and_then(|t| vars.literal(t)) {
                    Some(file) => send_path(inv, &file, &mut request.payload),
                    None => request.carries = true,
                }
                request.method = if request.target.starts_with("http") {
                    "PUT"
                } else {
                    "UPLOAD"
                }
                .to_owned();
                requests.push(request);
            }
            "curl_fetch_memory" | "curl_fetch_stream" | "curl_fetch_multi" | "curl_echo" => {
                if let Some(mut request) = vars.url(inv, call.arg("url", 0)) {
                    if let Some((method, sent)) = curl_handle(inv, &vars, &calls) {
                        request.method = method;
                        flow::merge(&mut request.payload, &sent);
                        request.carries = true;
                    }
                    requests.push(request);
                }
            }
            "curl" | "url"
                if call
                    .package
                    .as_deref()
                    .is_none_or(|p| p == "curl" || p == "base") =>
            {
                let url_text = call.arg("url", 0).or(call.arg("description", 0));
                if let Some(request) = vars.url(inv, url_text) {
                    requests.push(request);
                }
            }
            "ftpUpload" => {
                let Some(mut request) = vars.url(inv, call.arg("to", 1)) else {
                    continue;
                };
                request.method = "UPLOAD".to_owned();
                match call.arg("what", 0) {
                    Some(what) if vars.literal(what).is_some() => {
                        if let Some(file) = vars.literal(what) {
                            send_path(inv, &file, &mut request.payload);
                        }
                    }
                    // `ftpUpload(I("text"), to)`: the text itself.
                    Some(what) => send_argument(inv, &vars, what, &mut request.payload),
                    None => {}
                }
                request.carries = !call
                    .arg("what", 0)
                    .is_some_and(|w| vars.literal(w).is_some() || w.trim_start().starts_with("I("));
                requests.push(request);
            }
            "put_object" | "s3write_using" | "s3saveRDS" | "s3save" | "s3sync" | "gcs_upload"
            | "gcs_save" => {
                if let Some(request) = storage_upload(inv, &vars, call, &calls) {
                    requests.push(request);
                }
            }
            "system" | "system2" | "shell" => {
                if let Some(command) = call.arg("command", 0).and_then(|t| vars.literal(t)) {
                    let mut text = command;
                    if name == "system2"
                        && let Some(args) = call.arg("args", 1)
                    {
                        for word in strings(args) {
                            text.push(' ');
                            text.push_str(&word);
                        }
                    }
                    outcome.nested.push(Nested::Script {
                        text,
                        what: format!("{} system()", inv.program),
                    });
                }
            }
            _ => {}
        }
    }
    httr2(inv, &vars, &calls, &mut requests);
    database(inv, code, &vars, &calls, outcome);
    for made in requests {
        let Req {
            target,
            method,
            mut payload,
            carries,
            public,
        } = made;
        if carries {
            flow::merge(&mut payload, &carried);
        }
        if let Some((_, query)) = target.split_once('?') {
            flow::push_text(&mut payload, query);
        }
        // Uploaded public: the bucket is made public, as `aws s3 cp --acl
        // public-read` makes it.
        let opened = public
            .then(|| super::inline::upload_bucket(&target))
            .flatten();
        outcome
            .effects
            .push(request(inv.program, url(&target), &method, payload, public));
        if let Some(resource) = opened {
            outcome.effects.push(Effect::MakePublic { resource });
        }
    }
}

/// DBI's calls (and pool's, odbc's through DBI): a connection or a
/// statement run on one.
const DBI_CALLS: &[&str] = &[
    "dbConnect",
    "dbPool",
    "dbExecute",
    "dbSendQuery",
    "dbSendStatement",
    "dbGetQuery",
    "dbRemoveTable",
    "dbWriteTable",
    "dbAppendTable",
    "dbCreateTable",
];

/// The SQL run through DBI (`dbConnect(RPostgres::Postgres(), host = "h",
/// ...)` then `dbExecute(con, "TRUNCATE ...")`, odbc's `Server = "h"`),
/// read as other languages' driver code is
/// ([`super::inline::driver_sql`]): the statements the code writes out,
/// and those DBI's table calls run (`dbRemoveTable(con, "t")` is `DROP
/// TABLE t`, `dbWriteTable(..., overwrite = TRUE)` drops it first).
fn database(inv: &Invocation<'_>, code: &str, vars: &Vars, calls: &[Call], outcome: &mut Outcome) {
    if !calls.iter().any(|c| DBI_CALLS.contains(&c.name.as_str())) {
        return;
    }
    let flag = |call: &Call, name: &str| {
        call.arg(name, usize::MAX)
            .is_some_and(|v| matches!(v.trim(), "TRUE" | "T"))
    };
    let mut known = Vec::new();
    for call in calls {
        let Some(table) = call.arg("name", 1).and_then(|t| vars.literal(t)) else {
            continue;
        };
        let statement = match call.name.as_str() {
            "dbRemoveTable" => format!("DROP TABLE {table}"),
            "dbWriteTable" if flag(call, "overwrite") => {
                format!("DROP TABLE {table}; CREATE TABLE {table}; INSERT INTO {table}")
            }
            "dbWriteTable" if flag(call, "append") => format!("INSERT INTO {table}"),
            "dbWriteTable" => format!("CREATE TABLE {table}; INSERT INTO {table}"),
            "dbAppendTable" => format!("INSERT INTO {table}"),
            "dbCreateTable" => format!("CREATE TABLE {table}"),
            _ => continue,
        };
        known.push(statement);
    }
    super::inline::driver_sql(inv, code, &known, outcome);
}

/// An upload to cloud storage: aws.s3's `put_object(file, object,
/// bucket)` (an `s3://` object may name the bucket itself),
/// `s3write_using`, `s3saveRDS`, `s3save` and `s3sync`; paws'
/// `put_object(Body = F, Bucket = B, Key = K)`; googleCloudStorageR's
/// `gcs_upload(file, bucket, name = ...)` (the bucket `gcs_global_bucket`
/// set when the call names none) and `gcs_save`. Each sends the file it is
/// given, or else what the code holds.
fn storage_upload(inv: &Invocation<'_>, vars: &Vars, call: &Call, calls: &[Call]) -> Option<Req> {
    let text = |name: &str, index: usize| call.arg(name, index).and_then(|t| vars.literal(t));
    let mut sent = Payload::default();
    let (target, file, acl) = match call.name.as_str() {
        "put_object" if call.arg("Bucket", usize::MAX).is_some() => {
            let bucket = text("Bucket", usize::MAX)?;
            let key = text("Key", usize::MAX).unwrap_or_default();
            (
                format!("s3://{bucket}/{key}"),
                text("Body", usize::MAX),
                text("ACL", usize::MAX),
            )
        }
        "put_object" | "s3saveRDS" | "s3write_using" | "s3save" => {
            let (file, object, bucket) = match call.name.as_str() {
                "put_object" => (text("file", 0), text("object", 1), text("bucket", 2)),
                "s3saveRDS" => (None, text("object", 1), text("bucket", 2)),
                _ => (None, text("object", usize::MAX), text("bucket", usize::MAX)),
            };
            let object = object.or_else(|| {
                file.as_deref()
                    .and_then(|f| f.rsplit('/').next())
                    .map(str::to_owned)
            })?;
            let target = match (object.strip_prefix("s3://"), bucket) {
                (Some(_), _) => object,
                (None, Some(bucket)) => {
                    format!("s3://{bucket}/{}", object.trim_start_matches('/'))
                }
                (None, None) => return None,
            };
            (target, file, text("acl", usize::MAX))
        }
        "s3sync" => {
            let direction = call
                .arg("direction", usize::MAX)
                .map(strings)
                .unwrap_or_default();
            if !direction.is_empty() && !direction.iter().any(|d| d == "upload") {
                return None;
            }
            let bucket = text("bucket", 1)?;
            let prefix = text("prefix", usize::MAX).unwrap_or_default();
            let path = text("path", 0).unwrap_or_else(|| ".".to_owned());
            flow::push_file(
                &mut sent,
                FileRef {
                    path: inv.path(&path),
                    recursive: true,
                    excludes: Vec::new(),
                },
            );
            let target = format!("s3://{bucket}/{prefix}");
            return Some(Req::new(target, "UPLOAD", sent, false));
        }
        _ => {
            // googleCloudStorageR: `gcs_save(..., file, bucket)` takes the
            // objects it saves first.
            let at = |index: usize| {
                if call.name == "gcs_save" {
                    usize::MAX
                } else {
                    index
                }
            };
            let file = text("file", at(0));
            let bucket = text("bucket", at(1)).or_else(|| {
                calls
                    .iter()
                    .find(|c| c.name == "gcs_global_bucket")
                    .and_then(|c| c.arg("bucket", 0))
                    .and_then(|t| vars.literal(t))
            })?;
            let name = text("name", at(3))
                .or_else(|| file.clone())
                .unwrap_or_default();
            let file = (call.name == "gcs_upload").then_some(file).flatten();
            (
                format!("gs://{bucket}/{}", name.trim_start_matches('/')),
                file,
                text("predefinedAcl", usize::MAX),
            )
        }
    };
    let carries = file.is_none();
    if let Some(file) = file {
        send_path(inv, &file, &mut sent);
    }
    let mut request = Req::new(target, "UPLOAD", sent, carries);
    request.public = acl.is_some_and(|acl| super::cloud::is_public_acl(&acl));
    Some(request)
}

/// What a curl handle the code sets up makes its fetches send: a method
/// (`customrequest`, `post = TRUE`, `upload = TRUE`, fields, a form) and
/// the fields' and form's contents.
fn curl_handle(inv: &Invocation<'_>, vars: &Vars, calls: &[Call]) -> Option<(String, Payload)> {
    let mut method: Option<String> = None;
    let mut custom: Option<String> = None;
    let mut sent = Payload::default();
    for call in calls {
        match call.name.as_str() {
            "new_handle" | "handle_setopt" => {
                for (name, text) in &call.args {
                    match name.as_deref() {
                        Some("postfields" | "copypostfields") => {
                            method.get_or_insert_with(|| "POST".to_owned());
                            send_argument(inv, vars, text, &mut sent);
                        }
                        Some("post") if is_true(text) => {
                            method.get_or_insert_with(|| "POST".to_owned());
                        }
                        Some("upload") if is_true(text) => {
                            method.get_or_insert_with(|| "PUT".to_owned());
                        }
                        Some("customrequest") => {
                            custom = literal(text).map(|m| m.to_ascii_uppercase());
                        }
                        _ => {}
                    }
                }
            }
            "handle_setform" => {
                method.get_or_insert_with(|| "POST".to_owned());
                for (_, text) in call.args.iter().skip(1) {
                    send_argument(inv, vars, text, &mut sent);
                }
            }
            _ => {}
        }
    }
    Some((custom.or(method)?, sent))
}

fn is_true(text: &str) -> bool {
    matches!(text.trim(), "TRUE" | "T" | "1" | "1L")
}

/// An httr2 request: `request(URL)` with `req_body_*`, `req_method`,
/// `req_headers`, performed by `req_perform`.
fn httr2(inv: &Invocation<'_>, vars: &Vars, calls: &[Call], requests: &mut Vec<Req>) {
    if !calls.iter().any(|c| c.name.starts_with("req_perform")) {
        return;
    }
    let Some(mut request) = calls
        .iter()
        .find(|c| c.name == "request")
        .and_then(|c| vars.url(inv, c.arg("base_url", 0)))
    else {
        return;
    };
    let mut method: Option<String> = None;
    let mut body = false;
    for call in calls {
        match call.name.as_str() {
            "req_body_file" => {
                body = true;
                if let Some(file) = first_literal(call, "path") {
                    send_path(inv, &file, &mut request.payload);
                }
            }
            "req_body_raw" | "req_body_json" | "req_body_form" | "req_body_multipart" => {
                body = true;
                for (_, text) in call.args.iter().skip(1) {
                    send_argument(inv, vars, text, &mut request.payload);
                }
            }
            "req_headers" | "req_auth_bearer_token" | "req_auth_basic" | "req_url_query" => {
                for (_, text) in call.args.iter().skip(1) {
                    send_argument(inv, vars, text, &mut request.payload);
                }
            }
            "req_method" => {
                method = first_literal(call, "method").map(|m| m.to_ascii_uppercase());
            }
            _ => {}
        }
    }
    request.method = method.unwrap_or_else(|| if body { "POST" } else { "GET" }.to_owned());
    request.carries |= !matches!(request.method.as_str(), "GET" | "HEAD");
    requests.push(request);
}

/// The names the code assigns (`x <- EXPR`, `x = EXPR`, `x <<- EXPR`),
/// each with the text of its last value: a name given where a literal
/// goes (`put_object(file = f, ...)`, `GET(u)`) stands for that value.
#[derive(Default)]
struct Vars {
    values: Vec<(String, String)>,
}

/// How many names in a row are followed to a value.
const MAX_RESOLVE: usize = 8;

impl Vars {
    fn of(code: &str) -> Self {
        let mut values: Vec<(String, String)> = Vec::new();
        for statement in statements(code) {
            let statement = statement.trim();
            let name_len = statement
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '_')))
                .unwrap_or(statement.len());
            let (name, rest) = statement.split_at(name_len);
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit() || c == '_') {
                continue;
            }
            let rest = rest.trim_start();
            let value = rest
                .strip_prefix("<<-")
                .or_else(|| rest.strip_prefix("<-"))
                .or_else(|| rest.strip_prefix('=').filter(|v| !v.starts_with('=')));
            if let Some(value) = value {
                values.retain(|(n, _)| n != name);
                values.push((name.to_owned(), value.trim().to_owned()));
            }
        }
        Vars { values }
    }

    /// The value `text` stands for: the text itself, or the value of the
    /// name it is.
    fn resolve<'a>(&'a self, text: &'a str) -> &'a str {
        let mut text = text.trim();
        for _ in 0..MAX_RESOLVE {
            match self.values.iter().find(|(n, _)| n == text) {
                Some((_, value)) => text = value,
                None => break,
            }
        }
        text
    }

    /// The literal `text` is or names.
    fn literal(&self, text: &str) -> Option<String> {
        literal(self.resolve(text))
    }

    /// A request to the URL `text` is, names or builds: `paste0("https://h/?k=",
    /// Sys.getenv("K"))` carries the variable; a part the code computes
    /// carries what the code holds. `None` unless its host is written out.
    fn url(&self, inv: &Invocation<'_>, text: Option<&str>) -> Option<Req> {
        let built = self.string(inv, text?, 0)?;
        let (scheme, rest) = built.text.split_once("://")?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if scheme.is_empty() || authority.is_empty() || authority.contains(char::is_whitespace) {
            return None;
        }
        let authority_end = scheme.len() + 3 + authority.len();
        if built.exact.is_some_and(|exact| authority_end > exact) {
            return None;
        }
        Some(Req::new(built.text, "GET", built.payload, built.computed))
    }

    /// The string `text` is, names or builds (`paste0`, `paste`,
    /// `sprintf`, `glue`, `file.path`), with what its parts that are not
    /// literals carry.
    fn string(&self, inv: &Invocation<'_>, text: &str, depth: usize) -> Option<Built> {
        let text = self.resolve(text);
        if let Some(literal) = literal(text) {
            return Some(Built {
                text: literal,
                ..Built::default()
            });
        }
        if depth >= MAX_RESOLVE {
            return None;
        }
        let call = whole_call(text)?;
        let mut built = Built::default();
        let positional: Vec<&str> = call
            .args
            .iter()
            .filter(|(n, _)| n.is_none())
            .map(|(_, t)| t.as_str())
            .collect();
        match call.name.as_str() {
            "paste0" | "paste" | "file.path" | "str_c" | "stri_c" | "stri_paste" => {
                let sep = match call.name.as_str() {
                    "paste" => call
                        .arg("sep", usize::MAX)
                        .and_then(literal)
                        .unwrap_or_else(|| " ".to_owned()),
                    "file.path" => call
                        .arg("fsep", usize::MAX)
                        .and_then(literal)
                        .unwrap_or_else(|| "/".to_owned()),
                    _ => call
                        .arg("sep", usize::MAX)
                        .and_then(literal)
                        .unwrap_or_default(),
                };
                for (index, part) in positional.iter().enumerate() {
                    if index > 0 {
                        built.push_literal(&sep);
                    }
                    built.push_part(self, inv, part, depth);
                }
            }
            "sprintf" | "gettextf" => {
                let format = call.arg("fmt", 0).and_then(|f| self.literal(f))?;
                let mut parts = positional.iter().skip(1);
                let mut chars = format.chars().peekable();
                let mut pending = String::new();
                while let Some(c) = chars.next() {
                    if c != '%' {
                        pending.push(c);
                        continue;
                    }
                    if chars.peek() == Some(&'%') {
                        chars.next();
                        pending.push('%');
                        continue;
                    }
                    // A conversion: flags and width, then its letter.
                    while chars.peek().is_some_and(|c| {
                        c.is_ascii_digit() || matches!(c, '-' | '+' | ' ' | '.' | '#' | '*')
                    }) {
                        chars.next();
                    }
                    chars.next();
                    built.push_literal(&std::mem::take(&mut pending));
                    if let Some(part) = parts.next() {
                        built.push_part(self, inv, part, depth);
                    }
                }
                built.push_literal(&pending);
            }
            "glue" | "str_glue" => {
                let template = positional.first().and_then(|t| self.literal(t))?;
                let mut rest = template.as_str();
                while let Some(open) = rest.find('{') {
                    built.push_literal(rest.get(..open).unwrap_or_default());
                    let after = rest.get(open + 1..).unwrap_or_default();
                    let close = after.find('}').unwrap_or(after.len());
                    let expr = after.get(..close).unwrap_or_default().trim();
                    // A name glue is given (`glue("{k}", k = ...)`), or code.
                    let expr = call.arg(expr, usize::MAX).unwrap_or(expr);
                    built.push_part(self, inv, expr, depth);
                    rest = after.get(close + 1..).unwrap_or_default();
                }
                built.push_literal(rest);
            }
            "URLencode" | "URLdecode" | "curl_escape" | "url_escape" | "as.character"
            | "trimws" | "toString" | "enc2utf8" | "I" | "tolower" | "toupper" => {
                built.push_part(self, inv, positional.first()?, depth);
            }
            _ => return None,
        }
        Some(built)
    }
}

/// A string built from parts.
#[derive(Default)]
struct Built {
    text: String,
    /// What its parts that are not literals carry.
    payload: Payload,
    /// How long its literal start is, when not all of it is literal.
    exact: Option<usize>,
    /// A part is something the code computed: what it holds.
    computed: bool,
}

impl Built {
    fn push_literal(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn push_part(&mut self, vars: &Vars, inv: &Invocation<'_>, part: &str, depth: usize) {
        if let Some(inner) = vars.string(inv, part, depth + 1) {
            if let Some(exact) = inner.exact {
                self.exact.get_or_insert(self.text.len() + exact);
            }
            self.text.push_str(&inner.text);
            flow::merge(&mut self.payload, &inner.payload);
            self.computed |= inner.computed;
            return;
        }
        self.exact.get_or_insert(self.text.len());
        let value = vars.resolve(part);
        let env = whole_call(value).filter(|c| c.name == "Sys.getenv");
        if let Some(call) = env {
            for name in call.arg("x", 0).map(strings).unwrap_or_default() {
                flow::push_env(&mut self.payload, &name);
            }
            return;
        }
        self.computed = true;
        send_argument(inv, vars, part, &mut self.payload);
    }
}

/// `text` as one call (`paste0(...)`, `glue::glue(...)`), or `None`.
fn whole_call(text: &str) -> Option<Call> {
    let text = text.trim();
    let open = text.find('(')?;
    let name = text.get(..open)?;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | ':'))
    {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let open_at = text.get(..open)?.chars().count();
    let (args, end) = arguments(&chars, open_at);
    if end != chars.len() {
        return None;
    }
    let (package, bare) = match name.rsplit_once("::") {
        Some((package, bare)) => (
            Some(package.trim_end_matches(':').to_owned()),
            bare.to_owned(),
        ),
        None => (None, name.to_owned()),
    };
    Some(Call {
        name: bare,
        package,
        args,
    })
}

/// The code's statements: split at `;`, line breaks and braces outside
/// strings and parentheses.
fn statements(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        match c {
            '"' | '\'' | '`' => {
                let end = skip_string(&chars, at);
                current.extend(chars.get(at..end).unwrap_or_default());
                at = end;
                continue;
            }
            '#' => {
                while chars.get(at).is_some_and(|c| *c != '\n') {
                    at += 1;
                }
                continue;
            }
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ';' | '\n' | '{' | '}' if depth == 0 => {
                out.push(std::mem::take(&mut current));
                at += 1;
                continue;
            }
            _ => {}
        }
        current.push(c);
        at += 1;
    }
    out.push(current);
    out
}

/// What an argument of a send carries: files it uploads
/// (`upload_file("F")`, `form_file`, RCurl's `fileUpload`), variables it
/// reads, its literals; a name given a literal, a `list(...)` or a
/// `c(...)` stands for that value.
fn send_argument(inv: &Invocation<'_>, vars: &Vars, text: &str, payload: &mut Payload) {
    let value = vars.resolve(text);
    let text = if literal(value).is_some() || value.starts_with("list(") || value.starts_with("c(")
    {
        value
    } else {
        text
    };
    let mut names: Vec<String> = Vec::new();
    for call in calls(text) {
        match call.name.as_str() {
            "upload_file" | "form_file" | "curl_file" | "fileUpload" => {
                let file = call
                    .arg("path", 0)
                    .or(call.arg("filename", usize::MAX))
                    .and_then(|f| vars.literal(f));
                if let Some(file) = file {
                    send_path(inv, &file, payload);
                }
            }
            "Sys.getenv" => {
                for name in call.arg("x", 0).map(strings).unwrap_or_default() {
                    flow::push_env(payload, &name);
                    names.push(name);
                }
            }
            _ => {}
        }
    }
    // A variable's name is not data.
    for literal in strings(text) {
        if !names.contains(&literal) {
            flow::push_text(payload, &literal);
        }
    }
}

fn send_path(inv: &Invocation<'_>, file: &str, payload: &mut Payload) {
    flow::push_file(
        payload,
        FileRef {
            path: inv.path(file),
            recursive: false,
            excludes: Vec::new(),
        },
    );
}

fn install(outcome: &mut Outcome, manager: &str, packages: Vec<String>, registry: Option<String>) {
    if packages.is_empty() {
        return;
    }
    outcome.effects.push(Effect::PackageInstall(PackageInstall {
        manager: manager.to_owned(),
        packages,
        registry,
    }));
}

/// The argument called `name`, or else the first positional one that is a
/// string literal (in a pipeline `x |> f("a")` the request is implicit).
fn first_literal(call: &Call, name: &str) -> Option<String> {
    if let Some(value) = call.arg(name, usize::MAX) {
        return literal(value);
    }
    call.args
        .iter()
        .filter(|(n, _)| n.is_none())
        .find_map(|(_, t)| literal(t))
}

/// The text of an argument that is one string literal.
fn literal(text: &str) -> Option<String> {
    let text = text.trim();
    let quote = text.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    (!inner.contains(quote)).then(|| inner.to_owned())
}

/// Every string literal in `text`.
fn strings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if matches!(c, '"' | '\'') {
            let mut literal = String::new();
            let mut escaped = false;
            for d in chars.by_ref() {
                if escaped {
                    literal.push(d);
                    escaped = false;
                } else if d == '\\' {
                    escaped = true;
                } else if d == c {
                    break;
                } else {
                    literal.push(d);
                }
            }
            out.push(literal);
        }
    }
    out
}

/// Every call in `code`, outer calls before the calls in their arguments.
fn calls(code: &str) -> Vec<Call> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut at = 0usize;
    let mut name = String::new();
    while let Some(&c) = chars.get(at) {
        match c {
            '"' | '\'' | '`' => {
                at = skip_string(&chars, at);
                name.clear();
                continue;
            }
            '#' => {
                while chars.get(at).is_some_and(|c| *c != '\n') {
                    at += 1;
                }
                name.clear();
                continue;
            }
            '(' if !name.is_empty() => {
                let (args, _) = arguments(&chars, at);
                let (package, bare) = match name.rsplit_once("::") {
                    Some((package, bare)) => (
                        Some(package.trim_end_matches(':').to_owned()),
                        bare.to_owned(),
                    ),
                    None => (None, name.clone()),
                };
                out.push(Call {
                    name: bare,
                    package,
                    args,
                });
                name.clear();
            }
            c if c.is_alphanumeric() || matches!(c, '.' | '_' | ':') => name.push(c),
            _ => name.clear(),
        }
        at += 1;
    }
    out
}

fn skip_string(chars: &[char], start: usize) -> usize {
    let quote = chars.get(start).copied();
    let mut at = start + 1;
    while let Some(&c) = chars.get(at) {
        if c == '\\' {
            at += 2;
            continue;
        }
        if Some(c) == quote {
            return at + 1;
        }
        at += 1;
    }
    chars.len()
}

/// The arguments of the call whose `(` is at `open`, split at top-level
/// commas, and just past its `)`.
fn arguments(chars: &[char], open: usize) -> (Vec<(Option<String>, String)>, usize) {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut at = open + 1;
    let finish = |current: &mut String, args: &mut Vec<(Option<String>, String)>| {
        let text = std::mem::take(current);
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        match text.split_once('=') {
            Some((name, value))
                if !name.trim().is_empty()
                    && name
                        .trim()
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_'))
                    && !value.starts_with('=') =>
            {
                args.push((Some(name.trim().to_owned()), value.trim().to_owned()));
            }
            _ => args.push((None, text.to_owned())),
        }
    };
    while let Some(&c) = chars.get(at) {
        match c {
            '"' | '\'' | '`' => {
                let end = skip_string(chars, at);
                current.extend(chars.get(at..end).unwrap_or_default());
                at = end;
                continue;
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => {
                finish(&mut current, &mut args);
                return (args, at + 1);
            }
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                finish(&mut current, &mut args);
                at += 1;
                continue;
            }
            _ => {}
        }
        current.push(c);
        at += 1;
    }
    finish(&mut current, &mut args);
    (args, chars.len())
}
