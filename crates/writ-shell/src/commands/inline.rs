//! What inline interpreter code (`python -c`, `node -e`, `ruby -e`, `perl
//! -e`, `php -r`, `julia -e`, `groovy -e`, a script on standard input)
//! visibly does, read from its
//! string literals and the calls they are given to:
//! - shell commands it hands to a shell (`os.system("...")`,
//!   `execSync("...")`, `system("...")`, Rake's `sh "..."`, backticks in
//!   Ruby, Perl, PHP and Julia and their other spellings, Ruby's
//!   `%x(...)` and Perl's `qx{...}` ([`backquotes`]), zx's and Bun's
//!   `` $`...` ``, Groovy's `"...".execute()`),
//!   analysed as shell, and
//!   commands it runs from an argument list (`subprocess.run([...])`,
//!   `execFileSync('git', [...])`, `system qw(...)`: [`argv`]);
//! - SQL it writes out, against the server its driver's connection
//!   string names (a URI, libpq's `host=`, PDO's and DBI's
//!   `pgsql:host=H;dbname=D`: [`dsn`]);
//! - files it opens (`open("f")`, `readFileSync("f")`, `File.read("f")`);
//! - HTTP requests to URL literals: a send (`requests.post`, `fetch` with a
//!   method or body, `urlopen(..., data=...)`, ...) carries the files it
//!   read, the environment variables it reads and its other literals;
//!   otherwise a fetch;
//! - messages through a mail library (`smtplib`, `nodemailer`, ...) to the
//!   addresses it writes out, carrying what a send carries;
//! - files sent or fetched, and commands run, over SFTP, FTP and SSH
//!   libraries (`paramiko`, `ftplib`, `Net::SFTP`, ...: [`transfer`]);
//! - files deleted, by name or by listing them ([`listing`]);
//! - pages a browser driver loads, and what it types into them and
//!   uploads from them, and the screenshots and PDFs it saves
//!   ([`browser`]);
//! - access it grants through an AWS SDK's IAM calls, as `aws iam` grants
//!   it ([`iam`]);
//! - Hugging Face Hub repositories it makes public ([`hub`]);
//! - value it sends on a chain through a wallet library ([`wallets`]).
//!
//! Calls of functions that forward their arguments into another call
//! ([`forwarders`]) are read as that call, and values the code binds to
//! names (`base = "https://h"`, `owner, repo = "o", "r"`, argparse options'
//! `args.host`, lists spread with `*tf`) are written in where used
//! (`super::pathexpr`).
//!
//! Home directories written as wrappers or interpolations the path
//! evaluator does not know ([`home`]: `expanduser("~/x")`,
//! `"$ENV{HOME}/x"`) are made plain first.
//!
//! This reads only what is written out; the code stays opaque too.

mod argv;
mod argv_index;
mod backquotes;
pub(super) use backquotes::{copy_literal_or_char, delimited};
mod browser;
mod bucket_keys;
mod buckets;
mod clojure;
mod comments;
mod compiled_args;
mod constants;
mod dsn;
mod forwarders;
mod home;
pub(super) use home::renamed_calls;
mod hub;
mod iam;
mod js_args;
mod js_cli;
mod js_comments;
mod js_config;
pub(crate) use js_config::with_loaded_json;
mod js_db;
mod js_wrappers;
mod jvm_loops;
mod jvm_syntax;
mod listing;
mod loop_reads;
mod moves;
mod net_query;
mod perl_args;
mod perl_loops;
mod positionals;
mod py_appends;
mod py_branches;
mod py_config;
mod py_parents;
pub(crate) use py_config::with_loaded_configs;
mod rb_args;
pub(crate) use rb_args::with_loaded_configs as with_loaded_ruby_configs;
mod php_args;
mod php_loops;
pub(crate) use php_args::with_loaded_configs as with_loaded_php_configs;
mod runtimes;
mod sdk_acls;
mod sdk_ai;
mod sdk_azure;
mod sdk_brokers;
mod sdk_mail;
mod sdk_messages;
mod sdk_payments;
mod sdk_saas;
mod sdk_values;
pub(super) use runtimes::handle as typescript_runner;
mod storage;
mod swift_paths;
mod tables;
mod transfer;
mod ts_syntax;
mod wallets;
pub(super) mod wrappers_compiled;
mod zx;

use super::{Invocation, Nested, Outcome};
use crate::{FileRef, Payload, flow};

/// The bucket an `s3://B/K` or `gs://B/K` upload goes to, for other
/// languages' storage calls (R's `aws.s3`).
pub(super) fn upload_bucket(target: &str) -> Option<crate::Resource> {
    buckets::bucket_of_url(target)
}

/// A table writer's path as the storage URL it uploads to (`s3a://` is
/// `s3://`), or `None` for a local path: for other languages' writers
/// (R's `arrow::write_parquet(df, "s3://...")`).
pub(super) fn storage_url(path: &str) -> Option<String> {
    storage::storage_url(path)
}

/// Where the bracket opened at `open` closes, skipping brackets inside
/// `literals` (those of [`literals`]`(code)`).
pub(super) fn matching_bracket(code: &str, literals: &[Literal], open: usize) -> Option<usize> {
    storage::matching(code, literals, open)
}

/// A string literal: its text and where it starts in the code.
pub(super) struct Literal {
    pub(super) text: String,
    pub(super) start: usize,
    /// Just past the closing quote.
    pub(super) end: usize,
    /// A backtick literal (a command in Ruby, Perl and PHP).
    pub(super) backtick: bool,
}

/// Calls whose first string argument is a shell command line.
const SHELL_CALLS: &[&str] = &[
    "os.system",
    "os.popen",
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "execSync",
    "child_process.exec",
    "system",
    "popen",
    "shell_exec",
    "passthru",
    "IO.popen",
    "Open3.capture2",
    "Open3.capture3",
];

/// Calls whose string argument is code of the same language, run in
/// place (`exec(base64.b64decode(...))`, Perl's `eval "..."`): by the
/// language's name prefix. Perl's `exec` runs a command, not code.
const CODE_CALLS: &[(&str, &[&str])] = &[
    ("python", &["exec", "eval"]),
    ("perl", &["eval"]),
    ("ruby", &["eval", "instance_eval"]),
    ("node", &["eval", "Function"]),
    ("php", &["eval"]),
];

/// How deep code run by code (`exec("exec('...')")`) is read.
const MAX_CODE_NESTING: usize = 3;

thread_local! {
    static CODE_NESTING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// True when the literal after `before` is code `program` runs in place.
fn runs_as_code(program: &str, before: &str) -> bool {
    CODE_CALLS
        .iter()
        .filter(|(language, _)| program.starts_with(language))
        .any(|(_, calls)| called_with(before, calls).is_some_and(|call| !call.list))
}

/// Reads `code`, run in place by the code being read, as more of it.
fn nested_code(inv: &Invocation<'_>, code: &str, outcome: &mut Outcome) {
    let depth = CODE_NESTING.with(std::cell::Cell::get);
    if depth >= MAX_CODE_NESTING {
        return;
    }
    CODE_NESTING.with(|d| d.set(depth + 1));
    analyze(inv, code, outcome);
    CODE_NESTING.with(|d| d.set(depth));
}

/// Calls whose first string argument names a module.
const MODULE_CALLS: &[&str] = &["require", "__import__", "import", "importlib.import_module"];

/// Lookups whose string argument names an environment variable
/// (`os.environ['X']`, `os.getenv('X')`, `ENV['X']`, `Deno.env.get('X')`):
/// the value is read ([`env_reads`]), the name is not data.
const ENV_LOOKUPS: &[&str] = &[
    "os.environ",
    "os.environ.get",
    "os.getenv",
    "getenv",
    "ENV",
    "ENV.fetch",
    "process.env",
    "Deno.env.get",
    "Bun.env",
    // The JVM's, .NET's and Clojure's.
    "System.getenv",
    "GetEnvironmentVariable",
    "System/getenv",
    "sys.env",
    "sys.env.get",
    // Elixir's, Nim's, Haskell's, Rust's and Swift's.
    "System.get_env",
    "System.fetch_env",
    "System.fetch_env!",
    "getEnv",
    "lookupEnv",
    "env::var",
    "env::var_os",
    "environment[",
];

/// Calls whose first string argument is a file the code reads.
const READ_CALLS: &[&str] = &[
    "open",
    "io.open",
    "Path",
    "pathlib.Path",
    "readFileSync",
    "readFile",
    "readTextFile",
    "readTextFileSync",
    "createReadStream",
    "Bun.file",
    "File.read",
    "File.binread",
    "File.readlines",
    "File.open",
    "IO.read",
    "IO.binread",
    "IO.readlines",
    "file_get_contents",
    "fopen",
    // Files handed to an HTTP client as an upload: PHP's `new
    // CURLFile(path)` and `curl_file_create(path)`, Node's
    // `fs.openAsBlob(path)`.
    "CURLFile",
    "curl_file_create",
    "openAsBlob",
    // A configuration parser's `cfg.read('~/.aws/credentials')` (Python's
    // configparser; `f.read()` takes no path), dotenv files and Ruby's
    // `YAML.load_file`.
    ".read",
    "load_dotenv",
    "dotenv_values",
    "load_file",
    // Data frames and datasets loaded from files.
    "read_csv",
    "read_parquet",
    "read_json",
    "read_excel",
    "data_files=",
    // The JVM's (Java, Kotlin, Groovy, Scala), .NET's and Clojure's.
    "Files.readString",
    "Files.readAllBytes",
    "Files.readAllLines",
    "Files.lines",
    "Files.newInputStream",
    "Path.of",
    "Paths.get",
    "File",
    "FileInputStream",
    "FileReader",
    "fromFile",
    "ofFile",
    "File.ReadAllText",
    "File.ReadAllBytes",
    "File.ReadAllLines",
    "File.OpenRead",
    "slurp",
    "io/file",
    "fs/read-all-bytes",
    "fs/read-all-lines",
    // Elixir's, Erlang's, the Lisps', Rust's, Crystal's, OCaml's, Swift's.
    "File.read!",
    "File.stream!",
    "file:read_file",
    "file:consult",
    "file->string",
    "file->bytes",
    "file->lines",
    "file->value",
    "call-with-input-file",
    "with-input-from-file",
    "open-input-file",
    "read-file-into-string",
    "uiop:read-file-string",
    "uiop:read-file-lines",
    "fs::read_to_string",
    "fs::read",
    "File.read_lines",
    "open_in",
    "open_in_bin",
    "contentsOfFile:",
    // Go's.
    "os.ReadFile",
    "ioutil.ReadFile",
    "os.Open",
];

/// Hugging Face Hub calls whose `OWNER/NAME` argument is the repository
/// they write (`ds.push_to_hub('someone/x')`, `upload_folder(repo_id=...)`):
/// what the code read goes there.
const HUB_CALLS: &[&str] = &[
    "push_to_hub",
    "upload_file",
    "upload_folder",
    "upload_large_folder",
    "create_commit",
    "repo_id=",
];

/// `OWNER/NAME`, as the Hub names a repository.
fn is_repo_id(text: &str) -> bool {
    let Some((owner, name)) = text.split_once('/') else {
        return false;
    };
    let part = |p: &str| {
        !p.is_empty()
            && !p.starts_with('.')
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    part(owner) && part(name)
}

/// How much of the path a delete call removes.
#[derive(Clone, Copy)]
enum Removes {
    /// One file (or an empty directory).
    Entry,
    /// The whole tree under it.
    Tree,
    /// The whole tree when the call's options say `recursive: true`
    /// (Deno's `Deno.remove(p, {recursive: true})`); otherwise one entry.
    TreeIfRecursive,
}

/// Calls whose first string argument is a file or tree the code deletes.
const DELETE_CALLS: &[(&str, Removes)] = &[
    ("os.remove", Removes::Entry),
    ("os.unlink", Removes::Entry),
    ("os.rmdir", Removes::Entry),
    ("shutil.rmtree", Removes::Tree),
    ("unlinkSync", Removes::Entry),
    ("rmSync", Removes::Tree),
    ("rmdirSync", Removes::Tree),
    ("fs.unlink", Removes::Entry),
    ("fs.rm", Removes::Tree),
    ("Deno.remove", Removes::TreeIfRecursive),
    ("Deno.removeSync", Removes::TreeIfRecursive),
    ("File.delete", Removes::Entry),
    ("FileUtils.rm_rf", Removes::Tree),
    ("FileUtils.rm_r", Removes::Tree),
    ("FileUtils.remove_dir", Removes::Tree),
    ("FileUtils.rm", Removes::Entry),
    ("unlink", Removes::Entry),
    // Perl's `File::Path` (`rmtree`, `remove_tree`, qualified or
    // imported), Ruby's `FileUtils.rmtree`.
    ("rmtree", Removes::Tree),
    ("remove_tree", Removes::Tree),
    // The JVM's, .NET's and Clojure's.
    ("Files.delete", Removes::Entry),
    ("Files.deleteIfExists", Removes::Entry),
    ("FileUtils.deleteDirectory", Removes::Tree),
    ("FileUtils.forceDelete", Removes::Tree),
    ("Directory.Delete", Removes::Tree),
    ("File.Delete", Removes::Entry),
    ("fs/delete-tree", Removes::Tree),
    ("fs/delete", Removes::Entry),
    ("fs/delete-if-exists", Removes::Entry),
    ("io/delete-file", Removes::Entry),
    // Elixir's, Erlang's, the Lisps', Nim's, Haskell's, Rust's, Swift's.
    ("File.rm_rf!", Removes::Tree),
    ("File.rm_rf", Removes::Tree),
    ("File.rm!", Removes::Entry),
    ("File.rm", Removes::Entry),
    ("file:delete", Removes::Entry),
    ("file:del_dir_r", Removes::Tree),
    ("delete-directory/files", Removes::Tree),
    ("uiop:delete-directory-tree", Removes::Tree),
    ("delete-file", Removes::Entry),
    ("removeDir", Removes::Tree),
    ("removeFile", Removes::Entry),
    ("removeDirectoryRecursive", Removes::Tree),
    ("removePathForcibly", Removes::Tree),
    ("fs::remove_dir_all", Removes::Tree),
    ("fs::remove_file", Removes::Entry),
    ("removeItem(atPath:", Removes::Tree),
    ("Sys.remove", Removes::Entry),
    // Go's.
    ("os.RemoveAll", Removes::Tree),
    ("os.Remove", Removes::Entry),
];

/// True when the rest of a call's arguments, from `from`, set
/// `recursive: true` (or Python's `recursive=True`).
fn recursive_option(code: &str, from: usize) -> bool {
    let rest = argv::split_args(code, from, Some(b')'))
        .and_then(|(_, end)| code.get(from..end))
        .unwrap_or_default();
    let compact: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    [
        "recursive:true",
        "recursive=True",
        "'recursive':true",
        "\"recursive\":true",
    ]
    .iter()
    .any(|set| compact.contains(set))
}

/// Calls whose first string argument is a file the code writes.
const WRITE_CALLS: &[&str] = &[
    "writeFileSync",
    "appendFileSync",
    "writeFile",
    "appendFile",
    "writeTextFile",
    "writeTextFileSync",
    "createWriteStream",
    "Bun.write",
    "File.write",
    "file_put_contents",
    "shutil.copy",
    "shutil.move",
    // The JVM's, .NET's and Clojure's.
    "Files.writeString",
    "Files.write",
    "Files.newOutputStream",
    "Files.newBufferedWriter",
    "FileWriter",
    "FileOutputStream",
    "PrintWriter",
    "File.WriteAllText",
    "File.WriteAllBytes",
    "File.AppendAllText",
    "spit",
    // Elixir's, Erlang's, the Lisps', Rust's, OCaml's.
    "File.write!",
    "file:write_file",
    "call-with-output-file",
    "with-output-to-file",
    "open-output-file",
    "fs::write",
    "File::create",
    "open_out",
    // Go's.
    "os.WriteFile",
    "ioutil.WriteFile",
    "os.Create",
];

/// Mail libraries: code that uses one sends a message to the addresses it
/// writes out.
const MAILERS: &[&str] = &[
    "smtplib",
    "yagmail",
    "nodemailer",
    "denomailer",
    "Net::SMTP",
    "Mail.deliver",
    "Mail::Sender",
    "Mail::Sendmail",
    "MIME::Lite",
    "Email::Sender",
    "Email::Stuffer",
    "PHPMailer",
];

/// PHP's functions that send a message themselves
/// (`mail($to, $subject, $message)`): a call to one is a mail library's
/// send.
const PHP_MAIL_CALLS: &[&str] = &["mail", "mb_send_mail", "wp_mail", "imap_mail"];

/// True when `code` sends mail: it uses a mail library, or (PHP) calls a
/// mail function by its whole name.
fn sends_mail(program: &str, code: &str) -> bool {
    MAILERS.iter().any(|m| code.contains(m))
        || (program.starts_with("php")
            && code.match_indices('(').any(|(at, _)| {
                code.get(..=at)
                    .is_some_and(|head| called_with(head, PHP_MAIL_CALLS).is_some())
            }))
}

/// Calls and constructors that open a connection to a host their
/// arguments name, without a URL: raw sockets
/// (`socket.create_connection(("h", 9001))`, `net.connect(9001, "h")`,
/// `IO::Socket::INET->new("h:9001")`, `TCPSocket.new("h", 9001)`,
/// `fsockopen("h", 9001)`) and HTTP clients given a host
/// (`https.request({host: "h"})`, `HTTPSConnection("h")`,
/// `Net::HTTP.new("h", 443)`). The second field: an HTTP client, and over
/// TLS.
const CONNECTORS: &[(&str, Option<bool>)] = &[
    ("socket.create_connection", None),
    ("socket.socket", None),
    ("asyncio.open_connection", None),
    ("IO::Socket", None),
    ("TCPSocket", None),
    ("Socket.tcp", None),
    ("OpenSSL::SSL::SSLSocket", None),
    ("net.connect", None),
    ("net.createConnection", None),
    ("net.Socket", None),
    ("tls.connect", None),
    ("Deno.connect", None),
    ("require('net')", None),
    ("require(\"net\")", None),
    ("require('tls')", None),
    ("fsockopen", None),
    ("stream_socket_client", None),
    ("socket_connect", None),
    ("HTTPSConnection", Some(true)),
    ("HTTPConnection", Some(false)),
    ("https.request", Some(true)),
    ("https.get", Some(true)),
    ("http.request", Some(false)),
    ("http.get", Some(false)),
    ("require('https')", Some(true)),
    ("require(\"https\")", Some(true)),
    ("Net::HTTP", Some(true)),
];

/// Database drivers: code that uses one runs the SQL it writes out against
/// the server its connection string or `host` names.
const DRIVERS: &[&str] = &[
    "psycopg",
    "pg8000",
    "asyncpg",
    "create_engine",
    "pymysql",
    "mysql.connector",
    "MySQLdb",
    "sqlalchemy",
    "require('pg')",
    "require(\"pg\")",
    "require('mysql",
    "require(\"mysql",
    "PG.connect",
    "Mysql2::Client",
    "DBI->connect",
    "new PDO",
    "pg_connect",
    "mysqli",
    "LibPQ.Connection",
    "DBInterface.connect",
    "Sql.newInstance",
    "DriverManager.getConnection",
    "next.jdbc",
    "clojure.java.jdbc",
];

/// SQL statements' first words.
pub(super) const SQL_VERBS: &[&str] = &[
    "select", "insert", "update", "delete", "drop", "truncate", "alter", "create", "grant",
    "revoke", "copy", "merge", "replace", "with",
];

/// Reports the SQL the frames' writers run ([`tables`]), against their
/// DSN's server (a local SQLite file is written), sending the files the
/// code read; returns the DSNs they cover.
fn table_sql(
    inv: &Invocation<'_>,
    code: &str,
    literals: &[Literal],
    writes: Vec<tables::TableWrite>,
    outcome: &mut Outcome,
) -> Vec<String> {
    if writes.is_empty() {
        return Vec::new();
    }
    let files: Vec<String> = tables::frame_files(code, literals)
        .iter()
        .map(|f| inv.path(f))
        .collect();
    let mut covered = Vec::new();
    for write in writes {
        covered.push(write.dsn.clone());
        let (host, dsn) = match sqlite_file(&write.dsn) {
            Some("") => continue,
            Some(file) => (None, inv.path(file)),
            None => (super::sql::dsn_host(&write.dsn), write.dsn),
        };
        outcome.effects.push(crate::Effect::Sql(crate::Sql {
            client: inv.program.to_owned(),
            host,
            dsn: Some(dsn),
            sql: Some(write.sql),
            files: files.clone(),
            login: Payload::default(),
        }));
    }
    covered
}

/// The database file of an SQLAlchemy SQLite URL (`sqlite:///rel.db`,
/// `sqlite:////abs.db`; empty for an in-memory one).
fn sqlite_file(dsn: &str) -> Option<&str> {
    let (scheme, rest) = dsn.split_once("://")?;
    if !scheme.to_ascii_lowercase().starts_with("sqlite") {
        return None;
    }
    Some(
        rest.strip_prefix('/')
            .unwrap_or(rest)
            .split('?')
            .next()
            .unwrap_or_default(),
    )
}

/// Reports the SQL that driver code writes out, against the host its DSN
/// (`postgresql://u@h/db`, `host=h dbname=d`) or a host argument names;
/// nothing more for a DSN a frame writer covers with no other statement.
/// When the code writes out no server, the command line's value of a
/// variable it reads by name (`process.env.DATABASE_URL`), or of one its
/// client reads by convention (`client_env`: Bun's `DATABASE_URL`), is.
/// `known`: statements the caller read from the library's own calls (R's
/// `dbRemoveTable(con, "t")` is `DROP TABLE t`).
#[allow(clippy::too_many_arguments)]
fn database(
    inv: &Invocation<'_>,
    code: &str,
    literals: &[Literal],
    used: &mut [bool],
    covered: &[String],
    client_env: &[&str],
    known: &[String],
    outcome: &mut Outcome,
) {
    let mut dsn = None;
    let mut host = None;
    let mut statements = known.to_vec();
    for (literal, used) in literals.iter().zip(used.iter_mut()) {
        // A URI the code concatenates (`'pg://u:' + pw + '@h/db'`), whole.
        let joined = dsn::concatenated(code, literals, literal);
        let text = joined.as_deref().unwrap_or(&literal.text).trim();
        let first = text
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let before = code.get(..literal.start).unwrap_or_default().trim_end();
        if text.contains("://") && !text.starts_with("http") {
            host = host.or_else(|| super::sql::uri_host(text));
            dsn = dsn.or_else(|| Some(text.to_owned()));
            *used = true;
        } else if let Some(source) = dsn::source(text) {
            // PDO's and DBI's `pgsql:host=H;dbname=D`.
            match source {
                dsn::Source::Server { host: h, uri } => {
                    host = host.or(Some(h));
                    dsn = dsn.or(Some(uri));
                }
                dsn::Source::File(path) => dsn = dsn.or_else(|| Some(inv.path(&path))),
                dsn::Source::Local => {}
            }
            *used = true;
        } else if super::sql::is_conninfo(text) {
            host = host.or_else(|| super::sql::dsn_host(text));
            dsn = dsn.or_else(|| Some(text.to_owned()));
            *used = true;
        } else if SQL_VERBS.contains(&first.as_str()) && text.contains(char::is_whitespace) {
            if !statements.iter().any(|s| s == text) {
                statements.push(text.to_owned());
            }
            *used = true;
        } else if host.is_none() && value_of(before, SERVER_KEYS) {
            host = Some(text.to_owned());
            *used = true;
        }
    }
    if host.is_none() && dsn.is_none() {
        let mut names = env_reads(code);
        names.extend(client_env.iter().map(|n| (*n).to_owned()));
        if let Some((h, d)) = js_db::env_server(inv, &names) {
            host = Some(h);
            dsn = d;
        }
    }
    if statements.is_empty()
        && (dsn.as_ref().is_some_and(|d| covered.contains(d)) || (host.is_none() && dsn.is_none()))
    {
        return;
    }
    outcome.effects.push(crate::Effect::Sql(crate::Sql {
        client: inv.program.to_owned(),
        host,
        dsn,
        sql: (!statements.is_empty()).then(|| statements.join("; ")),
        files: Vec::new(),
        login: crate::Payload::default(),
    }));
}

/// Keys whose value is a database driver's server (`host = "h"`, ODBC's
/// `Server = "h"`).
const SERVER_KEYS: &[&str] = &["host", "hostname", "server", "Host", "Server"];

/// Reports the SQL a database library's code writes out against the
/// server its connection names, as driver code's is (for languages with
/// their own reader: R's `DBI::dbConnect(..., host = "h")` and
/// `dbExecute(con, "...")`), with the statements the caller read from the
/// library's calls.
pub(super) fn driver_sql(
    inv: &Invocation<'_>,
    code: &str,
    known: &[String],
    outcome: &mut Outcome,
) {
    let literals = literals(code);
    let mut used = vec![false; literals.len()];
    database(inv, code, &literals, &mut used, &[], &[], known, outcome);
}

/// Keys that name a host in a connector's options (`{host: "h"}`,
/// `PeerAddr => "h"`).
const HOST_KEYS: &[&str] = &[
    "host", "hostname", "PeerAddr", "PeerHost", "address", "server",
];

/// True when the literal after `before` is the value of one of `keys`
/// (`host: "h"`, `host="h"`, `'host' => "h"`).
fn value_of(before: &str, keys: &[&str]) -> bool {
    let before = before.trim_end();
    keys.iter().any(|key| {
        [":", "=", "=>"].iter().any(|sep| {
            before
                .strip_suffix(sep)
                .map(|b| b.trim_end().trim_end_matches(['\'', '"']))
                .is_some_and(|b| b.ends_with(key))
        })
    })
}

/// Suffixes that make `name.ext` a file, not a host.
const FILE_EXTENSIONS: &[&str] = &[
    "csv", "txt", "json", "jsonl", "pem", "key", "env", "log", "sql", "pdf", "zip", "gz", "tgz",
    "tar", "py", "js", "ts", "rb", "pl", "php", "sh", "yaml", "yml", "xml", "html", "md", "conf",
    "cfg", "ini", "db", "sqlite", "bak", "p12", "pfx", "crt", "cer", "der", "pub", "toml", "lock",
    "parquet", "xlsx", "docx", "png", "jpg", "gpg", "asc", "out", "dump",
];

/// A literal that names a host to connect to, with its port: an IPv4
/// address, `localhost` or a domain name, optionally `:PORT`. A domain
/// must stand where a host is given: a call's argument, or a host key's
/// value ([`HOST_KEYS`]).
/// Methods of an HTTP client bound to a host that write to the path they
/// are given first (Ruby's `http.post("/x", body)`).
const PATH_WRITE_METHODS: &[&str] = &[".post(", ".put(", ".patch(", ".delete("];

/// Verbs that write, as an HTTP client's `request("POST", "/x")` names them.
const WRITE_VERBS: &[&str] = &["POST", "PUT", "PATCH", "DELETE"];

/// The paths an HTTP client bound to a host writes (`http.post("/x")`,
/// `conn.request("POST", "/x")`), each marked used; an interpolation
/// whose value is not known (Ruby's `#{uid}`) kept as `{uid}`.
fn written_paths(code: &str, literals: &[Literal], used: &mut [bool]) -> Vec<String> {
    let mut paths = Vec::new();
    for (index, literal) in literals.iter().enumerate() {
        if !literal.text.starts_with('/') || literal.text.starts_with("//") {
            continue;
        }
        let before = code.get(..literal.start).unwrap_or_default().trim_end();
        let by_method = PATH_WRITE_METHODS.iter().any(|m| before.ends_with(m));
        let by_verb = index
            .checked_sub(1)
            .and_then(|i| literals.get(i))
            .is_some_and(|verb| {
                let between = code.get(verb.end..literal.start).unwrap_or_default().trim();
                let head = code.get(..verb.start).unwrap_or_default().trim_end();
                between == ","
                    && WRITE_VERBS.contains(&verb.text.to_ascii_uppercase().as_str())
                    && head.ends_with(".request(")
            });
        if !(by_method || by_verb) {
            continue;
        }
        if let Some(flag) = used.get_mut(index) {
            *flag = true;
        }
        let path = literal.text.replace("#{", "{");
        if !path.contains(char::is_whitespace) && !paths.contains(&path) {
            paths.push(path);
        }
    }
    paths
}

fn host_literal(text: &str, before: &str) -> Option<(String, Option<u16>)> {
    let (host, port) = match text.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => {
            (host, port.parse().ok())
        }
        _ => (text, None),
    };
    let labels: Vec<&str> = host.split('.').collect();
    let ipv4 = labels.len() == 4 && labels.iter().all(|l| l.parse::<u8>().is_ok());
    if ipv4 || host == "localhost" {
        return Some((host.to_owned(), port));
    }
    let domain = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|tld| {
            (2..=24).contains(&tld.len())
                && tld.chars().all(|c| c.is_ascii_alphabetic())
                && !FILE_EXTENSIONS.contains(&tld.to_ascii_lowercase().as_str())
        });
    let before = before.trim_end();
    let as_argument = before.ends_with(['(', '[', ',']) || value_of(before, HOST_KEYS);
    (domain && (as_argument || port.is_some())).then(|| (host.to_owned(), port))
}

/// A port given beside a host as a number: `("h", 9001)`, `connect(9001,
/// "h")`.
fn port_beside(before: &str, after: &str) -> Option<u16> {
    let following = after.trim_start().strip_prefix(',').map(|rest| {
        rest.trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
    });
    let preceding = before.trim_end().strip_suffix(',').map(|rest| {
        let rest = rest.trim_end();
        let digits = rest.len() - rest.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        rest[rest.len() - digits..].to_owned()
    });
    [following, preceding]
        .into_iter()
        .flatten()
        .find_map(|digits| digits.parse().ok())
}

/// `local@domain.tld`, loosely: the text of an address literal.
fn is_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// Calls and arguments that send a request body or change state.
const SENDS: &[&str] = &[
    ".post(",
    ".put(",
    ".patch(",
    ".delete(",
    "post_form",
    "Net::HTTP.post",
    "Net::HTTP::Post",
    "Net::HTTP::Put",
    "Net::HTTP::Patch",
    "Net::HTTP::Delete",
    "method=",
    "method:",
    "body:",
    "data=",
    "json=",
    "files=",
    "--data",
    "CURLOPT_POSTFIELDS",
    "CURLOPT_UPLOAD",
    "CURLOPT_INFILE",
    "CURLOPT_PUT",
    "HTTP::Request->new('POST'",
    "->post(",
    "->put(",
    // The JVM's, .NET's and Clojure's clients.
    ".POST(",
    ".PUT(",
    "PostAsync",
    "PutAsync",
    "PatchAsync",
    "HttpMethod.Post",
    "HttpMethod.Put",
    "doOutput",
    "setDoOutput(true)",
    "/post ",
    "/put ",
    "/patch ",
    ":method :post",
    ":method :put",
    // Elixir's, Erlang's, the Lisps', Nim's, Haskell's, Go's and Rust's.
    ".post!(",
    ".put!(",
    ".patch!(",
    ":httpc.request(:post",
    ":httpc.request(:put",
    ":httpc.request(:patch",
    ":httpc.request(:delete",
    "httpc:request(post",
    "httpc:request(put",
    "httpc:request(patch",
    "httpc:request(delete",
    "post-pure-port",
    "put-pure-port",
    "post-impure-port",
    "put-impure-port",
    "http-post",
    "http-put",
    "#:method POST",
    "#:method PUT",
    "dex:post",
    "dex:put",
    "postContent(",
    "putContent(",
    "HttpPost",
    "HttpPut",
    "methodPost",
    "methodPut",
    "http.Post(",
    "http.PostForm(",
    "Method::POST",
    "Method::PUT",
    "::post(",
    "::put(",
];

/// Methods that send or change, as Perl's `HTTP::Request::Common` exports
/// them (`POST $url, Content => ...`) and `HTTP::Request->new(POST =>
/// $url)` names them.
const PERL_SEND_METHODS: &[&str] = &["POST", "PUT", "PATCH", "DELETE"];

/// True when Perl code builds a request with a method that sends: a call
/// of `HTTP::Request::Common`'s `POST`, `PUT`, `PATCH` or `DELETE` (with
/// parentheses or without, its URL next), or a method given to `new` as a
/// bareword (`POST => $url`).
fn perl_request_sends(code: &str) -> bool {
    PERL_SEND_METHODS.iter().any(|method| {
        code.match_indices(method).any(|(at, _)| {
            let whole_before = code
                .get(..at)
                .and_then(|b| b.chars().next_back())
                .is_none_or(|c| {
                    !(c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '@' | '%' | ':'))
                });
            let after = code.get(at + method.len()..).unwrap_or_default();
            let rest = after.trim_start();
            let spaced = rest.len() < after.len();
            let call = rest.starts_with('(')
                || (spaced && rest.starts_with(['"', '\'', '$']))
                || rest.starts_with("=>");
            whole_before && call
        })
    })
}

/// Calls that write to standard output, in the languages read here.
const PRINTS: &[&str] = &[
    "print(",
    "print ",
    "println(",
    "console.log(",
    "console.info(",
    "process.stdout.write(",
    "sys.stdout.write(",
    "puts ",
    "puts(",
    "say ",
    "echo ",
    "printf(",
    "printf ",
    "cat(",
    "writeLines(",
    "$stdout.write(",
    "STDOUT.write(",
    "fmt.Print",
    "System.out.print",
];

/// Adds what `code`, run by `program`, visibly does to `outcome`.
pub(super) fn analyze(inv: &Invocation<'_>, code: &str, outcome: &mut Outcome) {
    let program = inv.program;
    let original = code;
    // Value sent on a chain by wallet libraries (`sendTransaction`), read
    // as written (they resolve their own names and units).
    let payments = wallets::payments(program, code);
    outcome
        .effects
        .extend(payments.into_iter().map(crate::Effect::Payment));
    // Whole-line `#` comments, whose apostrophes are no quotes.
    let uncommented =
        comments::blanked(code, program).or_else(|| js_comments::blanked(code, program));
    let code = uncommented.as_deref().unwrap_or(code);
    // TypeScript's non-null assertions (`Deno.env.get("HOME")!`), as the
    // expressions they assert.
    let asserted = ts_syntax::plain(code, program);
    let code = asserted.as_deref().unwrap_or(code);
    // Text decoded from literals (`base64.b64decode('...').decode()`,
    // `scalar reverse q{...}`), as the literal it is.
    let folded = constants::fold(code, program);
    let code = folded.as_deref().unwrap_or(code);
    // Home directories interpolated into strings and path wrappers the
    // path evaluator does not know, as the spellings it does.
    let homed = home::plain(code);
    let code = homed.as_deref().unwrap_or(code);
    // Paths built from names and expressions, as the literals they are.
    // Calls of functions that forward their arguments into a call
    // (`def git(*args): subprocess.run(["git", *args])`), as that call.
    let forwarded = forwarders::expand(code, program);
    let code = forwarded.as_deref().unwrap_or(code);
    // Calls of JavaScript functions that wrap one call (`const run = c =>
    // execSync(c)`), as that call.
    let wrapped = js_wrappers::expand(code, program);
    let code = wrapped.as_deref().unwrap_or(code);
    // Calls of JVM and .NET functions that hand their varargs to a process
    // runner (`static void run(String... cmd)`), as the runner's call.
    let gathered = wrappers_compiled::expand_jvm(code, program);
    let code = gathered.as_deref().unwrap_or(code);
    // Perl's loops over written-out lists, one body per item.
    let unrolled = perl_loops::unrolled(code, program);
    let code = unrolled.as_deref().unwrap_or(code);
    // The code's own arguments (after `-c CODE`, `-` or a script run as
    // its code) give argparse options their values (`args.host`).
    let words: Vec<String> = inv
        .args
        .iter()
        .position(|a| a.text == original || a.text == "-")
        .map(|at| {
            inv.args
                .iter()
                .skip(at + 1)
                .map(|a| a.text.clone())
                .collect()
        })
        .unwrap_or_default();
    // A script's positional arguments (argparse's, `process.argv`
    // destructured), as their values.
    let positioned = positionals::bound(inv, original, code);
    let code = positioned.as_deref().unwrap_or(code);
    // A Node.js script's options and arguments, as their values, and the
    // branches they rule out, blanked.
    let js_bound = js_args::bound(inv, original, code);
    let code = js_bound.as_deref().unwrap_or(code);
    // Branches a Python script's own flags rule out, blanked.
    let pruned = py_branches::pruned(inv, original, code);
    let code = pruned.as_deref().unwrap_or(code);
    // A Ruby script's options, as their values, and the branches they
    // rule out, blanked.
    let rb_bound = rb_args::bound(inv, original, code);
    let code = rb_bound.as_deref().unwrap_or(code);
    // A PHP script's options and the strings it builds, as their values,
    // and the branches they rule out, blanked.
    let php_bound = php_args::bound(inv, original, code);
    let code = php_bound.as_deref().unwrap_or(code);
    // A Perl script's Getopt::Long options, as their values.
    let perl_bound = perl_args::bound(inv, original, code);
    let code = perl_bound.as_deref().unwrap_or(code);
    // A JVM, .NET or Swift program's reads of its arguments, as their values.
    let compiled_bound = compiled_args::bound(inv, original, code);
    let code = compiled_bound.as_deref().unwrap_or(code);
    // Their loops over written-out lists and listed directories, one body
    // per item.
    let jvm_unrolled = jvm_loops::unrolled(code, program);
    let code = jvm_unrolled.as_deref().unwrap_or(code);
    // Kotlin's and Scala's declarations and finished interpolations, plain.
    let jvm_plain = jvm_syntax::plain(code, program);
    let code = jvm_plain.as_deref().unwrap_or(code);
    // The paths Swift's Foundation calls write, read and remove.
    let swift_pathed = swift_paths::plain(code, program);
    let code = swift_pathed.as_deref().unwrap_or(code);
    let resolved = super::pathexpr::resolve(code, program, &words);
    let code = resolved.as_deref().unwrap_or(code);
    // Clojure's quote (`'[a.b :as c]`) is no string.
    let unquoted = clojure::is_clojure(program).then(|| clojure::unquote(code));
    let code = unquoted.as_deref().unwrap_or(code);
    // Ruby's `%x(...)` and Perl's `qx(...)` commands, as backtick ones.
    let backquoted = backquotes::backquoted(program, code);
    let code = backquoted.as_deref().unwrap_or(code);
    // Ruby's `%q(...)` and Elixir's `~s(...)` strings, as quoted ones.
    let requoted = super::consoles::requoted(program, code);
    let code = requoted.as_deref().unwrap_or(code);
    let literals = literals(code);
    // Access granted through an AWS SDK's IAM calls.
    outcome.effects.extend(iam::grants(code, &literals));
    // Money moved and messages sent through vendors' SDKs (Stripe; Twilio,
    // Slack, SendGrid, Postmark, Mailgun).
    sdk_payments::report(inv, original, code, &literals, outcome);
    sdk_messages::report(inv, original, code, &literals, outcome);
    // Records, pages, tickets and gists written through SaaS vendors' SDKs.
    sdk_saas::report(inv, original, code, &literals, outcome);
    // Messages published through message brokers' SDKs (Kafka, AMQP,
    // NATS, Redis).
    sdk_brokers::report(inv, original, code, &literals, outcome);
    let mut payload = Payload::default();
    // Clojure's deletes of names bound to literals (`(doseq [d ["a"]]
    // (fs/delete-tree d))`).
    if clojure::is_clojure(program) {
        for (path, recursive) in clojure::deleted(code, &literals) {
            outcome.delete(inv.path(&path), recursive);
        }
    }
    let mut urls = Vec::new();
    let mut used = vec![false; literals.len()];
    // Files read through a loop's variable (`for p in ["a.csv"]: open(p)`).
    for (index, file) in loop_reads::files(code, &literals) {
        if let Some(flag) = used.get_mut(index) {
            *flag = true;
        }
        read_sent(inv, &file, outcome, &mut payload);
    }
    let mut hub_uploads = false;
    // Cloud storage uploads: each sends the file or data it is given.
    let (found, storage_used) = storage::uploads(code, &literals);
    // Buckets and objects made public or deleted.
    let (changes, changes_used) = buckets::changes(code, &literals, &storage_used);
    outcome.effects.extend(changes);
    // Hub repositories made public: their ids are not uploads' targets.
    let (exposed, exposed_used) = hub::made_public(code, &literals);
    outcome.effects.extend(exposed);
    for index in storage_used
        .into_iter()
        .chain(changes_used)
        .chain(exposed_used)
    {
        if let Some(flag) = used.get_mut(index) {
            *flag = true;
        }
    }
    // Frames written into databases (`df.to_sql('t', eng)`).
    let (table_writes, tables_used) = tables::writes(code, &literals);
    // Files moved and commands run over SFTP, FTP and SSH connections.
    let (transfers, transfers_used) = transfer::transfers(code, &literals);
    // Files deleted by listing them (`unlink glob(...)`).
    let (listed, listed_tree, listed_used) = listing::deleted(code, &literals, program);
    // Files moved (`rename("a", "b")`), as `mv` moves them.
    let moved_used = moves::moved(inv, code, &literals, outcome);
    for pattern in listed {
        outcome.delete(inv.path(&pattern), listed_tree);
    }
    for index in tables_used
        .into_iter()
        .chain(transfers_used)
        .chain(listed_used)
        .chain(moved_used)
    {
        if let Some(flag) = used.get_mut(index) {
            *flag = true;
        }
    }
    // Pages a browser driver loads, what it sends them, what it saves.
    let browsing = browser::drive(code, &literals);
    for index in &browsing.used {
        if let Some(flag) = used.get_mut(*index) {
            *flag = true;
        }
    }
    for path in &browsing.writes {
        outcome.write(inv.path(path), false);
    }
    // Every literal a delete call takes: Perl's `unlink('a', 'b')`, Ruby's
    // `File.delete('a', 'b')`.
    let deleted = deleted_literals(code, &literals);
    let uploads: Vec<(Option<String>, Option<Payload>, bool)> = found
        .into_iter()
        .map(|upload| {
            let sent = match upload.body {
                storage::Body::File(file) => {
                    let mut sent = Payload::default();
                    read_sent(inv, &file, outcome, &mut sent);
                    Some(sent)
                }
                storage::Body::Text(text) => {
                    let mut sent = Payload::default();
                    flow::push_text(&mut sent, &text);
                    Some(sent)
                }
                // What the code read.
                storage::Body::Other => None,
            };
            (upload.target, sent, upload.public)
        })
        .collect();
    // Commands run from argument lists: their literals are their words.
    let mut next_literal = 0;
    for run in argv::runs(code, program) {
        match run.job {
            argv::Job::Argv(argv) => outcome.nested.push(Nested::Argv {
                argv,
                env: Vec::new(),
                cwd: None,
            }),
            argv::Job::Shell(text) => script(program, &text, outcome),
        }
        while let Some(literal) = literals.get(next_literal) {
            if literal.start >= run.span.end {
                break;
            }
            if literal.start >= run.span.start
                && let Some(flag) = used.get_mut(next_literal)
            {
                *flag = true;
            }
            next_literal += 1;
        }
    }
    for (index, literal) in literals.iter().enumerate() {
        let before = code.get(..literal.start).unwrap_or_default();
        if used.get(index).copied().unwrap_or_default() {
            // Taken by a storage upload.
        } else if called_with(before, MODULE_CALLS).is_some()
            || called_with(before, ENV_LOOKUPS).is_some()
        {
            // A module's or a variable's name is not data.
            used[index] = true;
        } else if runs_as_code(program, before) {
            used[index] = true;
            nested_code(inv, &literal.text, outcome);
        } else if literal.backtick && matches!(program, "ruby" | "perl" | "php" | "julia") {
            script(program, &literal.text, outcome);
            used[index] = true;
        } else if matches!(program, "node" | "nodejs" | "bun" | "deno") && before.ends_with('$') {
            // A shell template: zx's and Bun's `` $`git push` `` (a quoted
            // literal once its `${name}`s are written in: no other string
            // follows a `$`).
            script(program, &literal.text, outcome);
            used[index] = true;
        } else if matches!(program, "groovy" | "scala" | "scala-cli" | "scala3")
            && !literal.backtick
            && code.get(literal.end..).is_some_and(|after| {
                let after = after.trim_start();
                after.starts_with(".execute(") || after.starts_with(".!")
            })
        {
            // Groovy's `"git push".execute()`, Scala's `"git push".!`.
            script(program, &literal.text, outcome);
            used[index] = true;
        } else if called_with(before, SHELL_CALLS).is_some_and(|call| !call.list) {
            used[index] = true;
            script(program, &literal.text, outcome);
        } else if let Some(recursive) = deleted.get(index).copied().flatten() {
            used[index] = true;
            let path = inv.path(&literal.text);
            outcome
                .effects
                .push(crate::Effect::Delete { path, recursive });
        } else if is_method_open_mode(before, &literal.text) {
            // A mode, not a file.
            used[index] = true;
        } else if called_with(before, READ_CALLS).is_some() && path_removed(code, literal) {
            // `Path('f').unlink()`; Groovy's `new File('d').deleteDir()`
            // and Kotlin's `File("d").deleteRecursively()` remove a tree.
            used[index] = true;
            let after = code.get(literal.end..).unwrap_or_default();
            let tree = [".deleteDir(", ".deleteRecursively("]
                .iter()
                .any(|m| after.contains(m));
            outcome.effects.push(crate::Effect::Delete {
                path: inv.path(&literal.text),
                recursive: tree,
            });
        } else if let Some(file) = program
            .starts_with("php")
            .then(|| php_curl_at_file(code, &literal.text))
            .flatten()
        {
            // An old cURL form field's `'@/path'`: the file is uploaded.
            used[index] = true;
            read_sent(inv, file, outcome, &mut payload);
        } else if program.starts_with("perl") && perl_form_file(code, before) {
            // An LWP form-data post's `[path]`: the file is uploaded.
            used[index] = true;
            read_sent(inv, &literal.text, outcome, &mut payload);
        } else if (called_with(before, WRITE_CALLS).is_some()
            || called_with(unwrapped(before), WRITE_CALLS).is_some()
            || (called_with(before, READ_CALLS).is_some() && opened_to_write(code, literal)))
            && !is_url(&literal.text)
        {
            used[index] = true;
            let path = inv.path(&literal.text);
            outcome.effects.push(crate::Effect::Write {
                path,
                append: opened_to_append(code, literal),
            });
        } else if let Some(writes) = program
            .starts_with("perl")
            .then(|| {
                perl_open(
                    before,
                    &literal.text,
                    code.get(literal.end..).unwrap_or_default(),
                )
            })
            .flatten()
        {
            used[index] = true;
            let file = literal.text.trim_start_matches(['<', '>', '+', ' ']);
            if writes {
                outcome.write(inv.path(file), false);
            } else {
                read_sent(inv, file, outcome, &mut payload);
            }
        } else if let Some(recursive) = [("path_or_fileobj", false), ("folder_path", true)]
            .iter()
            .find(|(key, _)| value_of(before, &[key]))
            .map(|(_, recursive)| *recursive)
            .filter(|_| !is_url(&literal.text))
        {
            // The Hub's `upload_file(path_or_fileobj='f', ...)` and
            // `upload_folder(folder_path='d', ...)`: what is uploaded.
            used[index] = true;
            hub_uploads = true;
            read_sent_tree(inv, &literal.text, recursive, outcome, &mut payload);
        } else if called_with(before, HUB_CALLS).is_some() && is_repo_id(&literal.text) {
            used[index] = true;
            hub_uploads = true;
            let url = format!("https://huggingface.co/{}", literal.text);
            if !urls.iter().any(|(u, _)| *u == url) {
                urls.push((url, true));
            }
        } else if called_with(before, READ_CALLS).is_some() && !is_url(&literal.text) {
            used[index] = true;
            read_sent(inv, &literal.text, outcome, &mut payload);
        } else if is_url(&literal.text) {
            used[index] = true;
            let before = code.get(..literal.start).unwrap_or_default();
            let built = carries_data(before, code, literal);
            // A URL held in a name is written out where it is assigned
            // and, resolved, where it is used: one request.
            match urls.iter_mut().find(|(url, _)| *url == literal.text) {
                Some((_, seen)) => *seen |= built,
                None => urls.push((literal.text.clone(), built)),
            }
        }
    }
    let connector = CONNECTORS
        .iter()
        .filter(|(marker, _)| code.contains(marker))
        .map(|(_, http)| *http)
        .max();
    let mut hosts = Vec::new();
    if let Some(http) = connector {
        for (literal, used) in literals.iter().zip(used.iter_mut()) {
            let before = code.get(..literal.start).unwrap_or_default();
            if let Some((host, port)) = host_literal(&literal.text, before).filter(|_| !*used) {
                *used = true;
                let after = code.get(literal.end..).unwrap_or_default();
                hosts.push((host, port.or_else(|| port_beside(before, after))));
            }
        }
        hosts.dedup();
        // The same host with and without its port (named, then used): the port.
        let with_port: Vec<String> = hosts
            .iter()
            .filter(|(_, port)| port.is_some())
            .map(|(host, _)| host.clone())
            .collect();
        hosts.retain(|(host, port)| port.is_some() || !with_port.contains(host));
        let mut seen = Vec::new();
        hosts.retain(|entry| {
            let new = !seen.contains(entry);
            if new {
                seen.push(entry.clone());
            }
            new
        });
        // An HTTP client given a host: a request to each path it writes
        // (`http.post("/x", body)`), else to that host's root.
        if let Some(tls) = http {
            let scheme = if tls { "https" } else { "http" };
            let default_port = if tls { 443 } else { 80 };
            let paths = written_paths(code, &literals, &mut used);
            for (host, port) in hosts.drain(..) {
                let port = port
                    .filter(|p| paths.is_empty() || *p != default_port)
                    .map(|p| format!(":{p}"))
                    .unwrap_or_default();
                if paths.is_empty() {
                    urls.push((format!("{scheme}://{host}{port}/"), false));
                }
                for path in &paths {
                    urls.push((format!("{scheme}://{host}{port}{path}"), true));
                }
            }
        }
    }
    // What the code prints carries the environment it reads
    // (`print(os.environ["TOKEN"]) | xargs -I{} curl ...?t={}`).
    if PRINTS.iter().any(|p| code.contains(p)) {
        for name in env_reads(code) {
            flow::push_env(&mut outcome.prints, &name);
        }
    }
    let covered = table_sql(inv, code, &literals, table_writes, outcome);
    let client_env = js_db::client_env(code);
    if client_env.is_some() || DRIVERS.iter().any(|d| code.contains(d)) {
        database(
            inv,
            code,
            &literals,
            &mut used,
            &covered,
            &client_env.unwrap_or_default(),
            &[],
            outcome,
        );
    }
    // E-mail sent through a cloud SDK (`boto3.client("ses").send_email`).
    let sdk_recipients = sdk_mail::recipients(code, &literals);
    let mails =
        sends_mail(program, code) || sdk_recipients.is_some() || sdk_mail::library_sends(code);
    if urls.is_empty()
        && hosts.is_empty()
        && !mails
        && uploads.is_empty()
        && transfers.is_empty()
        && browsing.visits.is_empty()
    {
        return;
    }
    // What the commands the code runs print is what it sends
    // (`` $d = `cat .env`; ...post(..., $d) ``).
    outcome.nested_output_sent = !outcome.nested.is_empty();
    for name in env_reads(code) {
        flow::push_env(&mut payload, &name);
    }
    for (literal, used) in literals.iter().zip(&used) {
        if !used {
            flow::push_text(&mut payload, &literal.text);
        }
    }
    if mails {
        // Every address the code writes out: sender and recipients alike.
        let recipients: Vec<String> = literals
            .iter()
            .flat_map(|l| {
                l.text
                    .split([',', ';', ' ', '<', '>'])
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .filter(|word| is_address(word))
            .fold(Vec::new(), |mut all, word| {
                if !all.contains(&word) {
                    all.push(word);
                }
                all
            });
        let recipients = sdk_recipients.unwrap_or(recipients);
        if !recipients.is_empty() {
            outcome.effects.push(crate::Effect::Message(crate::Message {
                program: program.to_owned(),
                recipients,
                payload: payload.clone(),
            }));
        }
    }
    let sends = hub_uploads
        || SENDS.iter().any(|s| code.contains(s))
        || (program.starts_with("perl") && perl_request_sends(code))
        // Node's form-data package posts itself: `form.submit(url)`.
        || (code.contains("form-data") && code.contains(".submit("))
        || [
            "'POST'",
            "\"POST\"",
            "'PUT'",
            "\"PUT\"",
            "'PATCH'",
            "\"PATCH\"",
        ]
        .iter()
        .any(|m| code.contains(m));
    for (host, port) in hosts {
        // A raw socket: what the code read goes through it; with nothing
        // to send it only connects.
        let method = if payload == Payload::default() {
            "CONNECT"
        } else {
            "SEND"
        };
        outcome.effects.push(super::request(
            program,
            crate::Target::Host {
                user: None,
                host,
                port,
                path: None,
            },
            method,
            payload.clone(),
            false,
        ));
    }
    for (url, built) in urls {
        let (method, payload) = if sends {
            ("POST", payload.clone())
        } else if built {
            ("GET", payload.clone())
        } else {
            ("GET", Payload::default())
        };
        outcome.effects.push(super::request(
            program,
            super::url(&url),
            method,
            payload,
            false,
        ));
    }
    for (target, sent, public) in uploads {
        if let Some(target) = target {
            let sent = sent.unwrap_or_else(|| payload.clone());
            outcome.effects.push(super::request(
                program,
                super::url(&target),
                "UPLOAD",
                sent,
                public,
            ));
            // Uploaded public: the bucket is made public, as `aws s3 cp
            // --acl public-read` makes it.
            if public && let Some(resource) = buckets::bucket_of_url(&target) {
                outcome.effects.push(crate::Effect::MakePublic { resource });
            }
        }
    }
    for found in transfers {
        transferred(inv, found, &payload, outcome);
    }
    for visit in browsing.visits {
        browsed(inv, visit, &payload, outcome);
    }
}

/// The requests of one page a browser driver loads: a GET carrying its
/// query (and what its URL is built from, and the headers set before it),
/// and, when the script types into it or uploads from it, a POST to it
/// carrying that as well.
fn browsed(inv: &Invocation<'_>, visit: browser::Visit, read: &Payload, outcome: &mut Outcome) {
    let add = |payload: &mut Payload, value: browser::Value, outcome: &mut Outcome| match value {
        browser::Value::Text(text) => flow::push_text(payload, &text),
        browser::Value::Env(names) => {
            for name in names {
                flow::push_env(payload, &name);
            }
        }
        browser::Value::File(file) => read_sent(inv, &file, outcome, payload),
        browser::Value::Read => flow::merge(payload, read),
    };
    let mut loaded = Payload::default();
    if let Some((_, query)) = visit.url.split_once('?') {
        flow::push_text(&mut loaded, query.split('#').next().unwrap_or_default());
    }
    for value in visit.query {
        add(&mut loaded, value, outcome);
    }
    outcome.effects.push(super::request(
        inv.program,
        super::url(&visit.url),
        "GET",
        loaded.clone(),
        false,
    ));
    if visit.sent.is_empty() {
        return;
    }
    let mut sent = loaded;
    for value in visit.sent {
        add(&mut sent, value, outcome);
    }
    outcome.effects.push(super::request(
        inv.program,
        super::url(&visit.url),
        "POST",
        sent,
        false,
    ));
}

/// The effects of one transfer: an upload sends its file (or, given
/// something else, what the code read) to the host's path, as `scp f
/// host:path` does; a download fetches from there and writes its local
/// file; a command is run by the host's shell, as `ssh host cmd` runs it.
fn transferred(
    inv: &Invocation<'_>,
    found: transfer::Transfer,
    read: &Payload,
    outcome: &mut Outcome,
) {
    let transfer::Endpoint { user, host, port } = found.endpoint;
    let target = |path: Option<String>| crate::Target::Host {
        user: user.clone(),
        host: host.clone(),
        port,
        path,
    };
    match found.job {
        transfer::Job::Upload {
            body,
            remote,
            recursive,
        } => {
            let sent = match body {
                storage::Body::File(file) => {
                    let mut sent = Payload::default();
                    read_sent_tree(inv, &file, recursive, outcome, &mut sent);
                    sent
                }
                storage::Body::Text(text) => {
                    let mut sent = Payload::default();
                    flow::push_text(&mut sent, &text);
                    sent
                }
                storage::Body::Other => read.clone(),
            };
            outcome.effects.push(super::request(
                inv.program,
                target(remote),
                "UPLOAD",
                sent,
                false,
            ));
        }
        transfer::Job::Download { remote, local } => {
            outcome.effects.push(super::request(
                inv.program,
                target(remote),
                "DOWNLOAD",
                Payload::default(),
                false,
            ));
            if let Some(local) = local {
                outcome.write(inv.path(&local), false);
            }
        }
        transfer::Job::Exec(command) => {
            let mut sent = Payload::default();
            flow::push_text(&mut sent, &command);
            outcome.effects.push(super::request(
                inv.program,
                target(None),
                "EXEC",
                sent,
                false,
            ));
            outcome.nested.push(Nested::Remote {
                argv: vec![
                    crate::args::Arg::literal("sh"),
                    crate::args::Arg::literal("-c"),
                    crate::args::Arg::literal(&command),
                ],
                hosts: vec![host.clone()],
                cwd: inv.home.to_owned(),
                stdin: false,
            });
        }
    }
}

/// For each literal, `Some(recursive)` when a delete call takes it: its
/// first argument, and the other literals of its list (Perl's `unlink`,
/// `rmtree`, Ruby's `File.delete` and `FileUtils.rm` take many).
fn deleted_literals(code: &str, literals: &[Literal]) -> Vec<Option<bool>> {
    let mut deleted = vec![None; literals.len()];
    for (index, literal) in literals.iter().enumerate() {
        let before = code.get(..literal.start).unwrap_or_default();
        let Some(removes) = DELETE_CALLS
            .iter()
            .find(|(call, _)| {
                called_with(before, &[call]).is_some()
                    || called_with(unwrapped(before), &[call]).is_some()
            })
            .map(|(_, removes)| *removes)
        else {
            continue;
        };
        let recursive = match removes {
            Removes::Entry => false,
            Removes::Tree => true,
            Removes::TreeIfRecursive => recursive_option(code, literal.end),
        };
        if let Some(flag) = deleted.get_mut(index) {
            *flag = Some(recursive);
        }
        // The rest of the list, to the call's `)` or the statement's end.
        let close = before.trim_end().ends_with('(').then_some(b')');
        let Some((pieces, _)) = argv::split_args(code, literal.start, close) else {
            continue;
        };
        let mut at = literal.start;
        for piece in pieces {
            let lead = piece.len() - piece.trim_start().len();
            let start = at + lead;
            if let Some((i, l)) = storage::literal_at(literals, start)
                && l.end == at + piece.trim_end().len()
                && !l.backtick
                && let Some(flag) = deleted.get_mut(i)
            {
                flag.get_or_insert(recursive);
            }
            at += piece.len() + 1;
        }
    }
    deleted
}

/// `Path('f').unlink()`, `.rmdir()` (through `.expanduser()` and the
/// like): the literal's file is removed.
fn path_removed(code: &str, literal: &Literal) -> bool {
    let after = code.get(literal.end..).unwrap_or_default().trim_start();
    let Some(rest) = after.strip_prefix(')') else {
        return false;
    };
    let mut rest = rest.trim_start();
    while let Some(next) = [".expanduser()", ".resolve()", ".absolute()"]
        .iter()
        .find_map(|m| rest.strip_prefix(m))
    {
        rest = next;
    }
    rest.starts_with(".unlink(")
        || rest.starts_with(".rmdir(")
        || rest.starts_with(".deleteDir(")
        || rest.starts_with(".deleteRecursively(")
        || rest.starts_with(".delete(")
        || bound_use(
            code,
            literal,
            &[".deleteDir(", ".deleteRecursively(", ".delete("],
        )
}

/// Path constructors a file call is given (`Files.delete(Path.of("f"))`,
/// `new FileWriter(new File("f"))`, `shutil.rmtree(pathlib.Path("d"))`).
const PATH_CONSTRUCTORS: &[&str] = &[
    "Path.of(",
    "Paths.get(",
    "new File(",
    "File(",
    "io/file ",
    "pathlib.Path(",
    "Path(",
];

/// `before` without a path constructor it ends in, so that the call given
/// the path is seen.
fn unwrapped(before: &str) -> &str {
    let trimmed = before.trim_end();
    PATH_CONSTRUCTORS
        .iter()
        .find_map(|c| {
            let head = trimmed.strip_suffix(c.trim_end())?;
            let head = head.trim_end();
            let head = head.strip_suffix("java.nio.file.").unwrap_or(head);
            let head = head.strip_suffix("java.io.").unwrap_or(head);
            let head = head.strip_suffix("clojure.java.").unwrap_or(head);
            let head = head.trim_end();
            Some(head.strip_suffix("new").unwrap_or(head).trim_end())
        })
        .unwrap_or(before)
}

/// The literal is a file object bound to a name (`def f = new File("x")`,
/// `val f = File("x")`, `var f = ...`) that the code later uses with one of
/// `uses` (`f.text = ...`, `f.deleteDir()`).
fn bound_use(code: &str, literal: &Literal, uses: &[&str]) -> bool {
    let before = code.get(..literal.start).unwrap_or_default();
    let head = unwrapped(before);
    if head.len() == before.trim_end().len() {
        return false;
    }
    let Some(head) = head.trim_end().strip_suffix('=') else {
        return false;
    };
    let head = head.trim_end();
    let name: String = head
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if name.is_empty() {
        return false;
    }
    let rest = code.get(literal.end..).unwrap_or_default();
    rest.match_indices(name.as_str()).any(|(at, _)| {
        let whole = rest
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        let after = rest.get(at + name.len()..).unwrap_or_default();
        whole && uses.iter().any(|u| after.starts_with(u))
    })
}

/// Groovy's and Kotlin's writes to a file object: `.text = ...`,
/// `.write(...)`, `<< ...`, `.writeText(...)`.
const FILE_OBJECT_WRITES: &[&str] = &[
    ".text =",
    ".text=",
    ".setText(",
    ".write(",
    ".writeText(",
    ".writeBytes(",
    ".appendText(",
    ".append(",
    ".withWriter(",
    ".newWriter(",
    ".bytes =",
    " <<",
];

/// A literal that is the file of a form-data part in Perl's LWP and
/// `HTTP::Request::Common` (`Content_Type => 'form-data', Content => [key
/// => ['/path']]`): the first element of an array given as a field's
/// value, which the library uploads as that file, as `curl -F k=@f`
/// does. Without `form-data` such an array is several values of the
/// field.
fn perl_form_file(code: &str, before: &str) -> bool {
    let Some(head) = before.trim_end().strip_suffix('[') else {
        return false;
    };
    let head = head.trim_end();
    let key = head
        .strip_suffix("=>")
        .or_else(|| head.strip_suffix(','))
        .map(str::trim_end)
        .map(|k| k.trim_end_matches(['\'', '"']))
        .unwrap_or_default();
    let field = key
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .next()
        .unwrap_or_default();
    !field.is_empty() && field != "Content" && code.contains("form-data")
}

/// The file of a PHP cURL form field written `'@/path'` (or `'@' .
/// $path`, resolved), which cURL before PHP 5.5 uploads as that file, as
/// `curl -F k=@f` does: only in code that posts form fields.
fn php_curl_at_file<'a>(code: &str, text: &'a str) -> Option<&'a str> {
    let file = text.strip_prefix('@')?;
    let path_like = !file.is_empty() && !file.contains(char::is_whitespace) && !is_url(file);
    (path_like && code.contains("CURLOPT_POSTFIELDS")).then_some(file)
}

/// A file the code reads: read here, and part of what it sends.
fn read_sent(inv: &Invocation<'_>, file: &str, outcome: &mut Outcome, payload: &mut Payload) {
    read_sent_tree(inv, file, false, outcome, payload);
}

/// A file, or a whole tree, the code reads and sends.
fn read_sent_tree(
    inv: &Invocation<'_>,
    file: &str,
    recursive: bool,
    outcome: &mut Outcome,
    payload: &mut Payload,
) {
    let path = inv.path(file);
    outcome.read(path.clone(), recursive);
    flow::push_file(
        payload,
        FileRef {
            path,
            recursive,
            excludes: Vec::new(),
        },
    );
}

/// A URL literal the code extends with data (`"https://x/?d=" + data`,
/// PHP's `"...=" . $data`, `"...{}".format(data)`, `"...%s" % data`, an
/// f-string or template `{data}`), or hands to
/// `urlopen` with a body (`urlopen(URL, data)`): the request carries what
/// the code read.
fn carries_data(before: &str, code: &str, literal: &Literal) -> bool {
    let after = code.get(literal.end..).unwrap_or_default().trim_start();
    // `+` (JS, Python, Ruby), `.` (PHP; Python's `.format(...)`), `%`.
    let concatenated = after.starts_with(['+', '.', '%']);
    let templated = literal.text.contains('{');
    let urlopen_body = called_with(before, &["urlopen", "urllib.request.urlopen"]).is_some()
        && after.starts_with(',')
        && !after[1..].trim_start().starts_with("timeout");
    concatenated
        || templated
        || urlopen_body
        || query_argument(code, before, literal)
        || net_query::query_set(code, before, literal)
}

/// Keys of a client's query parameters: requests', httpx's and aiohttp's
/// `params=`, axios' `{params: ...}`, got's and ky's `searchParams`,
/// HTTParty's `query:`, Guzzle's `'query' => [...]`.
const QUERY_KEYS: &[&str] = &["params", "searchParams", "query"];

/// True when the URL literal is the first argument of a call whose other
/// arguments give query parameters (`httpx.get(URL, params={'k':
/// os.environ['T']})`): the client writes them into the URL it requests.
fn query_argument(code: &str, before: &str, literal: &Literal) -> bool {
    if !before.trim_end().ends_with('(') {
        return false;
    }
    let Some((_, close)) = argv::split_args(code, literal.end, Some(b')')) else {
        return false;
    };
    let rest = code.get(literal.end..close).unwrap_or_default();
    QUERY_KEYS.iter().any(|key| {
        rest.match_indices(key).any(|(at, _)| {
            let whole = rest[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !storage::is_ident(c));
            let after = rest[at + key.len()..]
                .trim_start_matches(['\'', '"'])
                .trim_start();
            let keyed = (after.starts_with('=') && !after.starts_with("=="))
                || (after.starts_with(':') && !after.starts_with("::"));
            whole && keyed
        })
    })
}

/// `open("f", "w")`, `open("f", mode="a")`, `File.open("f", "w")`,
/// `fopen("f", "w")`, `Path("f").write_text(...)`, `Path("f").unlink()`:
/// the file is written (or removed), not read.
pub(super) fn opened_to_write(code: &str, literal: &Literal) -> bool {
    let after = code.get(literal.end..).unwrap_or_default();
    let after = after.trim_start();
    if let Some(rest) = after.strip_prefix(')') {
        let mut rest = rest.trim_start();
        // `Path('~/f').expanduser().write_text(...)`: the same file.
        while let Some(next) = [".expanduser()", ".resolve()", ".absolute()"]
            .iter()
            .find_map(|m| rest.strip_prefix(m))
        {
            rest = next;
        }
        // `Path('f').write_text(...)`, not a frame read from f and
        // written elsewhere (`read_csv('f').write_parquet(URL)`).
        // `Path('f').open('a')`: a mode that writes.
        let opened = rest
            .strip_prefix(".open(")
            .is_some_and(|mode| writing_mode(mode).is_some());
        return opened
            || [
                ".write_text(",
                ".write_bytes(",
                ".unlink(",
                ".rename(",
                ".replace(",
                ".touch(",
            ]
            .iter()
            .chain(FILE_OBJECT_WRITES)
            .any(|m| rest.starts_with(m) && !rest.starts_with(".text =="))
            || (rest.trim_start().starts_with([';', '\n']) || rest.trim_start().is_empty())
                && bound_use(code, literal, FILE_OBJECT_WRITES);
    }
    after
        .strip_prefix(',')
        .is_some_and(|rest| writing_mode(rest).is_some())
}

/// True when the file of `literal`, opened to write ([`opened_to_write`]),
/// is opened to append (`open("f", "a")`, `Path("f").open("a")`).
fn opened_to_append(code: &str, literal: &Literal) -> bool {
    let after = code.get(literal.end..).unwrap_or_default().trim_start();
    let mode = match after.strip_prefix(')') {
        Some(rest) => {
            let mut rest = rest.trim_start();
            while let Some(next) = [".expanduser()", ".resolve()", ".absolute()"]
                .iter()
                .find_map(|m| rest.strip_prefix(m))
            {
                rest = next;
            }
            rest.strip_prefix(".open(").and_then(writing_mode)
        }
        None => after.strip_prefix(',').and_then(writing_mode),
    };
    mode.is_some_and(|mode| mode.starts_with('a'))
}

/// The mode an open call's arguments from `rest` give (`'w'`, `mode="a"`),
/// when it writes: `w`, `a` or `x` first, or `r+`.
fn writing_mode(rest: &str) -> Option<&str> {
    let rest = rest.trim_start();
    let rest = rest.strip_prefix("mode=").unwrap_or(rest);
    let mode = rest.strip_prefix(['\'', '"'])?;
    (mode.starts_with(['w', 'a', 'x']) || mode.starts_with("r+")).then_some(mode)
}

/// True when `text`, given first to an `.open(` method
/// (`Path('f').open('a')`, `rc.open("rb")`), is the file's mode: the
/// path is the object's, not an argument.
fn is_method_open_mode(before: &str, text: &str) -> bool {
    let method = before
        .trim_end()
        .strip_suffix('(')
        .is_some_and(|head| head.trim_end().ends_with(".open"));
    let mode = (1..=3).contains(&text.len())
        && text
            .chars()
            .all(|c| matches!(c, 'r' | 'w' | 'a' | 'x' | 'b' | 't' | '+'))
        && text.starts_with(['r', 'w', 'a', 'x']);
    method && mode
}

/// Perl's `open` with a handle first: `open(FH, "f")`, `open(my $fh,
/// "<", "f")`, `open FH, ">f"`, where `before` ends just past the handle
/// and any mode. `Some(true)` when the file is opened to write. A literal
/// with more arguments after it is the mode, not the file.
fn perl_open(before: &str, path: &str, after: &str) -> Option<bool> {
    if after.trim_start().starts_with(',') {
        return None;
    }
    let mut rest = before.trim_end().strip_suffix(',')?.trim_end();
    let mut mode = path
        .chars()
        .take_while(|c| matches!(c, '<' | '>' | '+'))
        .collect::<String>();
    // A mode literal of its own: `"<"`, `'>>'`, `"<:encoding(UTF-8)"`.
    if let Some(quote) = rest.chars().last().filter(|c| matches!(c, '"' | '\'')) {
        let inner = &rest[..rest.len() - 1];
        let start = inner.rfind(quote)?;
        mode = inner[start + 1..].to_owned();
        if !mode.starts_with(['<', '>', '+']) {
            return None;
        }
        rest = inner[..start].trim_end().strip_suffix(',')?.trim_end();
    }
    let handle = rest.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    if handle.len() == rest.len() {
        return None;
    }
    let handle = handle.strip_suffix('$').unwrap_or(handle).trim_end();
    let handle = handle.strip_suffix("my").unwrap_or(handle).trim_end();
    let call = handle.strip_suffix('(').unwrap_or(handle).trim_end();
    let head = call.strip_suffix("open")?;
    head.chars()
        .last()
        .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        .then(|| mode.contains('>'))
}

fn script(program: &str, text: &str, outcome: &mut Outcome) {
    outcome.nested.push(Nested::Script {
        text: text.to_owned(),
        what: format!("a command {program} runs"),
    });
}

fn is_url(text: &str) -> bool {
    text.starts_with("http://") || text.starts_with("https://")
}

/// A call from `calls` that the literal just after `before` is the first
/// argument of (`name(` or `name([` with only spaces between), or a
/// Ruby/Perl call without parentheses (`system "..."`).
struct Call {
    /// The argument is a list of words (`name([`).
    list: bool,
}

fn called_with(before: &str, calls: &[&str]) -> Option<Call> {
    let trimmed = before.trim_end();
    let (rest, list) = match trimmed.strip_suffix('[') {
        Some(rest) => (rest.trim_end(), true),
        None => (trimmed, false),
    };
    let rest = rest.strip_suffix('(').map(str::trim_end).unwrap_or(rest);
    calls
        .iter()
        .find(|call| {
            rest.strip_suffix(**call).is_some_and(|head| {
                // A whole name: `myopen(` is not `open(`.
                head.chars()
                    .last()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
                    || call.contains('.')
            })
        })
        .map(|_| Call { list })
}

/// Environment variables the code reads (`os.environ["X"]`,
/// `os.getenv("X")`, `process.env.X`, `ENV["X"]`, `$ENV{X}`, `getenv("X")`).
fn env_reads(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for marker in [
        "os.environ[",
        "os.environ.get(",
        "os.getenv(",
        "process.env[",
        "ENV[",
        "ENV.fetch(",
        "getenv(",
        "$ENV{",
        "process.env.",
        "Deno.env.get(",
        "Bun.env.",
        "Bun.env[",
        "GetEnvironmentVariable(",
        "(System/getenv ",
        "sys.env(",
        "sys.env.get(",
        "System.get_env(",
        "System.fetch_env!(",
        "getEnv(",
        "getEnv \"",
        "lookupEnv \"",
        "getenv \"",
        "env::var(",
        "environment[",
    ] {
        let mut rest = code;
        while let Some(at) = rest.find(marker) {
            let after = rest.get(at + marker.len()..).unwrap_or_default();
            let name: String = after
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
            rest = after;
        }
    }
    // The whole environment, not one variable of it: `dict(os.environ)`,
    // `JSON.stringify(process.env)`, `ENV.to_h`, `%ENV`.
    let whole = |marker: &str, one: &[&str]| {
        code.match_indices(marker).any(|(at, _)| {
            let after = &code[at + marker.len()..];
            !one.iter().any(|o| after.starts_with(o))
        })
    };
    if whole("os.environ", &["[", ".get(", ".setdefault(", ".pop("])
        || whole("process.env", &["[", "."])
        || whole("Bun.env", &["[", "."])
        || code.contains("ENV.to_h")
        || code.contains("ENV.to_a")
        || code.contains("%ENV")
        || code.contains("Deno.env.toObject(")
    {
        names.push(crate::ALL_ENV.to_owned());
    }
    names
}

/// The string literals of `code`: `'...'`, `"..."` and `` `...` ``, with
/// backslash escapes taken as they are (`\'` does not end a literal).
pub(super) fn literals(code: &str) -> Vec<Literal> {
    let mut out = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !matches!(c, '\'' | '"' | '`') {
            continue;
        }
        let mut text = String::new();
        let mut closed = false;
        while let Some((_, next)) = chars.next() {
            match next {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        text.push(match escaped {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            other => other,
                        });
                    }
                }
                _ if next == c => {
                    closed = true;
                    break;
                }
                _ => text.push(next),
            }
        }
        if closed {
            let end = chars.peek().map_or(code.len(), |(at, _)| *at);
            out.push(Literal {
                text,
                start,
                end,
                backtick: c == '`',
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_keep_escaped_quotes() {
        let found: Vec<String> = literals(r#"print('it\'s', "a \"b\"", `c`)"#)
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(found, ["it's", "a \"b\"", "c"]);
    }

    #[test]
    fn calls_are_matched_as_whole_names() {
        assert!(called_with("x = open(", READ_CALLS).is_some());
        assert!(called_with("x = myopen(", READ_CALLS).is_none());
        assert!(called_with("subprocess.run([", SHELL_CALLS).is_some_and(|c| c.list));
        assert!(called_with("system ", SHELL_CALLS).is_some());
    }

    #[test]
    fn perl_opens_name_their_file_after_the_handle() {
        assert_eq!(perl_open("open(F,", "/etc/shadow", ")"), Some(false));
        assert_eq!(perl_open("open(my $fh, '<', ", "x.csv", ")"), Some(false));
        assert_eq!(perl_open("open(my $fh, ", "<", ", 'x.csv')"), None);
        assert_eq!(perl_open("open FH, ", ">out.txt", ";"), Some(true));
        assert_eq!(perl_open("open(my $fh, '>>', ", "log", ")"), Some(true));
        assert_eq!(perl_open("reopen(F,", "x", ")"), None);
        assert_eq!(perl_open("print(F,", "x", ")"), None);
    }

    #[test]
    fn hosts_are_literals_where_a_host_goes() {
        assert_eq!(
            host_literal("203.0.113.5:9001", "x("),
            Some(("203.0.113.5".to_owned(), Some(9001)))
        );
        assert_eq!(
            host_literal("ingest.example.com", "{host:"),
            Some(("ingest.example.com".to_owned(), None))
        );
        assert_eq!(
            host_literal("ingest.example.com", "PeerAddr => "),
            Some(("ingest.example.com".to_owned(), None))
        );
        assert_eq!(host_literal("members.csv", "open("), None);
        assert_eq!(host_literal("ingest.example.com", "print "), None);
    }

    #[test]
    fn environment_reads_are_named() {
        assert_eq!(
            env_reads("a=os.environ['AWS_SECRET_ACCESS_KEY']; b=process.env.GITHUB_TOKEN"),
            ["AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN"]
        );
    }
}
