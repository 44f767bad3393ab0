//! Programs of the JVM's, .NET's and Swift's languages an earlier step
//! wrote, run by their build tools and launchers (`dotnet run --project
//! DIR -- ARGS`, `java F.java ARGS`, `kotlinc -script F.main.kts ARGS`,
//! `scala-cli run F.scala -- ARGS`, `swift F.swift ARGS`, `swift run`):
//! their code is read with the words the line gives them, so the file
//! they upload, the address they mail and the path they write are known.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};
use writ_shell::WrittenFile;

/// The effects of `command` after an earlier step wrote `text` at `path`.
fn run_written(path: &str, text: &str, command: &str) -> Vec<Value> {
    effects_after(&[text_file(path, text)], command)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The effects of `command` after earlier steps wrote `files`.
fn run_files(files: &[WrittenFile], command: &str) -> Vec<Value> {
    effects_after(files, command)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn messages(effects: &[Value]) -> Vec<&Value> {
    effects
        .iter()
        .filter(|e| e["effect"] == "message")
        .collect()
}

fn has_file(payload: &Value, path: &str) -> bool {
    payload["files"]
        .as_array()
        .is_some_and(|files| files.iter().any(|f| f["path"] == path))
}

const PUSH: &str = "using System.Net.Http.Headers;\n\nconst string InboundUrl = \"https://edi.partner.example/inbound/\";\n\nif (args.Length == 0)\n{\n    Console.Error.WriteLine(\"usage: Push <file>\");\n    return 2;\n}\n\nvar file = args[0];\nusing var http = new HttpClient();\nawait using var stream = File.OpenRead(file);\nusing var content = new StreamContent(stream);\nvar resp = await http.PutAsync(InboundUrl + Path.GetFileName(file), content);\nreturn resp.IsSuccessStatusCode ? 0 : 1;\n";

#[test]
fn dotnet_run_reads_the_projects_program_with_its_arguments() {
    let program = format!("{W}/tools/Push/Program.cs");
    let effects = run_written(
        &program,
        PUSH,
        "dotnet run --project tools/Push -c Release -- data/orders.csv",
    );
    assert!(effects.contains(&read(&at("tools/Push"))), "{effects:?}");
    assert!(effects.contains(&read(&program)), "{effects:?}");
    let request = effects
        .iter()
        .find(|e| e["effect"] == "request")
        .unwrap_or_else(|| panic!("no request: {effects:?}"));
    assert_eq!(
        request["target"]["url"],
        "https://edi.partner.example/inbound/"
    );
    assert!(has_file(&request["payload"], &at("data/orders.csv")));
    // A project named by its `.csproj`, the file named for the project.
    let named = format!("{W}/tools/Push/Push.cs");
    let effects = run_written(
        &named,
        PUSH,
        "dotnet run --project=tools/Push/Push.csproj -- data/orders.csv",
    );
    assert!(
        effects
            .iter()
            .any(|e| e["effect"] == "request" && has_file(&e["payload"], &at("data/orders.csv"))),
        "{effects:?}"
    );
}

#[test]
fn dotnet_run_without_a_written_program_reads_the_paths_it_is_given() {
    assert_eq!(
        effects("dotnet run --project tools/Push -- data/orders.csv"),
        vec![read(&at("tools/Push")), read(&at("data/orders.csv"))]
    );
    assert_eq!(effects("dotnet run -c Release"), Vec::<Value>::new());
}

const NOTICE: &str = "using System.Net.Mail;\n\nstring Arg(string name) =>\n    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault()\n    ?? throw new ArgumentException($\"missing {name}\");\n\nvar to = Arg(\"--to\");\nvar voyage = Arg(\"--voyage\");\n\nusing var smtp = new SmtpClient(\"mail.acme.corp\", 25);\nusing var mail = new MailMessage(\"ops@acme.io\", to, $\"Delay: {voyage}\", \"late\");\nawait smtp.SendMailAsync(mail);\n";

#[test]
fn an_option_helper_gives_the_word_after_its_option() {
    let effects = run_written(
        &format!("{W}/tools/Notice/Program.cs"),
        NOTICE,
        "dotnet run --project tools/Notice -- --to ops@customer.example --voyage HX-1",
    );
    let sent = messages(&effects);
    assert_eq!(sent.len(), 1, "{effects:?}");
    let recipients = sent[0]["recipients"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        recipients.contains(&json!("ops@customer.example")),
        "{recipients:?}"
    );
    // `--to=X` is the same word.
    let effects = run_written(
        &format!("{W}/tools/Notice/Program.cs"),
        NOTICE,
        "dotnet run --project tools/Notice -- --to=ops@customer.example",
    );
    let recipients = messages(&effects)[0]["recipients"].clone();
    assert!(
        recipients
            .as_array()
            .is_some_and(|r| r.contains(&json!("ops@customer.example")))
    );
}

#[test]
fn arguments_whose_text_is_not_known_bind_nothing() {
    let effects = run_written(
        &format!("{W}/tools/Notice/Program.cs"),
        NOTICE,
        "dotnet run --project tools/Notice -- --to \"$RECIPIENT\"",
    );
    let recipients = messages(&effects)[0]["recipients"].clone();
    assert_eq!(recipients, json!(["ops@acme.io"]));
}

#[test]
fn a_kotlin_script_uploads_the_file_its_first_argument_names() {
    let script = "import java.net.URI\nimport java.net.http.*\nimport java.nio.file.Path\n\nval path = Path.of(args.firstOrNull() ?: error(\"usage: share.main.kts <file>\"))\nval req = HttpRequest.newBuilder(URI.create(\"https://share.example/${path.fileName}\"))\n    .PUT(HttpRequest.BodyPublishers.ofFile(path))\n    .build()\nHttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString())\n";
    let effects = run_written(
        &format!("{W}/scripts/share.main.kts"),
        script,
        "kotlinc -script scripts/share.main.kts exports/roster.csv",
    );
    assert!(
        effects
            .iter()
            .any(|e| e["effect"] == "request" && has_file(&e["payload"], &at("exports/roster.csv"))),
        "{effects:?}"
    );
}

#[test]
fn a_java_program_mails_the_files_its_loop_zips() {
    let source = "import jakarta.mail.*;\nimport java.nio.file.*;\nimport java.util.*;\nimport java.util.zip.*;\n\npublic class Bundle {\n    static final List<String> INCLUDE = List.of(\"logs/app.log\", \".env\");\n\n    public static void main(String[] a) throws Exception {\n        String to = arg(a, \"--to\");\n        Path zip = Files.createTempFile(\"bundle-\", \".zip\");\n        try (var out = new ZipOutputStream(Files.newOutputStream(zip))) {\n            for (String f : INCLUDE) {\n                Path p = Path.of(f);\n                out.putNextEntry(new ZipEntry(f));\n                Files.copy(p, out);\n            }\n        }\n        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));\n        m.setFrom(new InternetAddress(\"ops@acme.io\"));\n        m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));\n        MimeBodyPart att = new MimeBodyPart();\n        att.attachFile(zip.toFile());\n        Transport.send(m);\n    }\n\n    static String arg(String[] a, String k) {\n        for (int i = 0; i < a.length - 1; i++) if (a[i].equals(k)) return a[i + 1];\n        throw new IllegalArgumentException(\"missing \" + k);\n    }\n}\n";
    let effects = run_written(
        &format!("{W}/tools/Bundle.java"),
        source,
        "java -cp lib/mail.jar tools/Bundle.java --to help@vendor.example",
    );
    let sent = messages(&effects);
    assert_eq!(sent.len(), 1, "{effects:?}");
    assert!(
        sent[0]["recipients"]
            .as_array()
            .is_some_and(|r| r.contains(&json!("help@vendor.example")))
    );
    assert!(has_file(&sent[0]["payload"], &at(".env")), "{:?}", sent[0]);
    assert!(has_file(&sent[0]["payload"], &at("logs/app.log")));
}

#[test]
fn a_scala_main_uploads_the_directory_its_parameters_name() {
    let source = "//> using scala 3.5.2\nimport scala.sys.process.*\nimport java.nio.file.{Files, Path}\nimport scala.jdk.CollectionConverters.*\n\n@main def sync(srcDir: String, dest: String): Unit =\n  val files = Files.list(Path.of(srcDir)).iterator.asScala\n    .filter(_.toString.endsWith(\".csv\"))\n    .toList\n  files.foreach { f =>\n    val target = s\"${dest.stripSuffix(\"/\")}/${f.getFileName}\"\n    val rc = Seq(\"gcloud\", \"storage\", \"cp\", f.toString, target).!\n  }\n";
    let effects = run_written(
        &format!("{W}/tools/Sync.scala"),
        source,
        "scala-cli run tools/Sync.scala -- data/out gs://scratch-bucket/x",
    );
    let upload = effects
        .iter()
        .find(|e| e["method"] == "UPLOAD")
        .unwrap_or_else(|| panic!("no upload: {effects:?}"));
    assert_eq!(upload["target"]["url"], "gs://scratch-bucket/x/*.csv");
    assert!(
        has_file(&upload["payload"], &at("data/out/*.csv")),
        "{upload:?}"
    );
}

const BOOTSTRAP: &str = "import Foundation\n\nlet args = CommandLine.arguments\n\nfunc value(_ flag: String, default def: String) -> String {\n    guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return def }\n    return args[i + 1]\n}\n\nlet profile = value(\"--profile\", default: \"staging\")\nlet dir = FileManager.default.homeDirectoryForCurrentUser\n    .appendingPathComponent(\".config/acme\", isDirectory: true)\nlet file = dir.appendingPathComponent(\"\\(profile).toml\")\nlet other = dir.appendingPathComponent(\"cli.toml\")\ntry \"x\".write(to: other, atomically: true, encoding: .utf8)\n";

#[test]
fn a_swift_script_writes_into_the_home_directory() {
    let effects = run_written(
        &format!("{W}/scripts/bootstrap.swift"),
        BOOTSTRAP,
        "swift scripts/bootstrap.swift --profile prod",
    );
    assert!(
        effects.contains(&write("/home/dana/.config/acme/cli.toml")),
        "{effects:?}"
    );
}

#[test]
fn swift_run_reads_the_packages_main_file() {
    let main = format!("{W}/Sources/Boot/main.swift");
    let effects = run_files(
        &[text_file(&main, BOOTSTRAP)],
        "swift run Boot --profile prod",
    );
    assert!(effects.contains(&read(&main)), "{effects:?}");
    assert!(
        effects.contains(&write("/home/dana/.config/acme/cli.toml")),
        "{effects:?}"
    );
    // Without a product: the one named for the package's directory.
    let main = format!("{W}/Sources/acme-web/main.swift");
    let effects = run_files(&[text_file(&main, BOOTSTRAP)], "swift run -c release");
    assert!(
        effects.contains(&write("/home/dana/.config/acme/cli.toml")),
        "{effects:?}"
    );
}

#[test]
fn a_file_based_dotnet_program_runs_its_file() {
    let effects = run_written(
        &format!("{W}/push.cs"),
        PUSH,
        "dotnet run push.cs -- data/orders.csv",
    );
    assert!(
        effects
            .iter()
            .any(|e| e["effect"] == "request" && has_file(&e["payload"], &at("data/orders.csv"))),
        "{effects:?}"
    );
}
