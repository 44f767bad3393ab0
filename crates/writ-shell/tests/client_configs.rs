//! Client configuration files an earlier step wrote or showed decide where
//! a plain-looking command goes: an AWS CLI profile's endpoint, rclone's
//! remotes, s3cmd's endpoint, npm's registries for installs and
//! publishes, and the headers of curl's default `~/.curlrc`.

use serde_json::{Value, json};
use writ_shell::WrittenFile;

use super::common::{at, effects_after, install, install_from, payload, text_file, url_request};

const AWS_CONFIG: &str = "[default]\nregion = eu-west-1\n\n\
[profile minio-lab]\nendpoint_url = https://minio.corp.internal:9000\nregion = us-east-1\n\
s3 =\n  addressing_style = path\n\n\
[profile drop]\nendpoint_url = https://api.partner.example\n\
s3 =\n  endpoint_url = https://s3.partner.example\n\n\
[profile shared]\nservices = shared-svc\nendpoint_url = https://generic.example\n\n\
[services shared-svc]\ns3 =\n  endpoint_url = https://s3.shared.example\n";

fn aws_config() -> WrittenFile {
    text_file("/home/dana/.aws/config", AWS_CONFIG)
}

/// The one request's target URL.
fn request_url(written: &[WrittenFile], command: &str) -> String {
    let effects = effects_after(written, command);
    let requests: Vec<&Value> = effects
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["effect"] == "request")
        .collect();
    assert_eq!(requests.len(), 1, "{command}: {effects}");
    let url = requests[0]["target"]["url"].as_str();
    assert!(url.is_some(), "{command}: {effects}");
    url.unwrap_or_default().to_owned()
}

#[test]
fn aws_profiles_send_s3_calls_to_their_configured_endpoint() {
    let written = [aws_config()];
    let cases = [
        (
            "aws --profile minio-lab s3 cp build/r.tgz s3://ci/r/",
            "https://minio.corp.internal:9000/ci/r/",
        ),
        // The profile named after the subcommand, or by the environment.
        (
            "aws s3 cp build/r.tgz s3://ci/r/ --profile minio-lab",
            "https://minio.corp.internal:9000/ci/r/",
        ),
        (
            "AWS_PROFILE=minio-lab aws s3 cp build/r.tgz s3://ci/r/",
            "https://minio.corp.internal:9000/ci/r/",
        ),
        (
            "export AWS_PROFILE=minio-lab; aws s3 sync build/ s3://ci/r/",
            "https://minio.corp.internal:9000/ci/r/",
        ),
        // The profile's `s3 =` block beats its general endpoint, and the
        // services section it names beats both.
        (
            "aws --profile drop s3 cp a.csv s3://inbox/",
            "https://s3.partner.example/inbox/",
        ),
        (
            "aws --profile shared s3 cp a.csv s3://inbox/",
            "https://s3.shared.example/inbox/",
        ),
        // The line's endpoint wins over the profile's.
        (
            "aws --profile drop --endpoint-url https://minio.corp.internal s3 cp a.csv s3://inbox/",
            "https://minio.corp.internal/inbox/",
        ),
        // The default profile names no endpoint; an unknown one none either.
        ("aws s3 cp a.csv s3://inbox/", "s3://inbox/"),
        ("aws --profile nope s3 cp a.csv s3://inbox/", "s3://inbox/"),
        ("aws --profile $P s3 cp a.csv s3://inbox/", "s3://inbox/"),
        (
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true aws --profile drop s3 cp a.csv s3://inbox/",
            "s3://inbox/",
        ),
    ];
    for (command, url) in cases {
        assert_eq!(request_url(&written, command), url, "{command}");
    }
    // Without the file known, the bucket is AWS's.
    assert_eq!(
        request_url(&[], "aws --profile drop s3 cp a.csv s3://inbox/"),
        "s3://inbox/"
    );
    // `AWS_CONFIG_FILE` names another file.
    let elsewhere = [text_file(&at("ci/aws.ini"), AWS_CONFIG)];
    assert_eq!(
        request_url(
            &elsewhere,
            "AWS_CONFIG_FILE=ci/aws.ini aws --profile drop s3 cp a.csv s3://inbox/"
        ),
        "https://s3.partner.example/inbox/"
    );
    assert_eq!(
        request_url(&elsewhere, "aws --profile drop s3 cp a.csv s3://inbox/"),
        "s3://inbox/"
    );
}

const RCLONE_CONF: &str = "[nas]\ntype = sftp\nhost = files.corp.internal\nuser = dev\n\n\
[minio]\ntype = s3\nprovider = Minio\nendpoint = https://minio.corp.internal\n\n\
[vault]\ntype = crypt\nremote = nas:/secure\n\n\
[b2-personal]\ntype = b2\naccount = 0025\nkey = K002\n";

#[test]
fn rclone_remotes_lead_where_the_configuration_file_says() {
    let written = [text_file(
        "/home/dana/.config/rclone/rclone.conf",
        RCLONE_CONF,
    )];
    let cases = [
        (
            "rclone copy --progress build/release/ nas:/srv/releases/2.1/",
            "sftp://dev@files.corp.internal/srv/releases/2.1/",
        ),
        (
            "rclone sync reports/ minio:perf/2026/",
            "https://minio.corp.internal/perf/2026/",
        ),
        (
            "rclone copy secrets.tar vault:backups/",
            "sftp://dev@files.corp.internal/secure/backups/",
        ),
        ("rclone copy db.dump b2-personal:dumps/", "b2://dumps/"),
    ];
    for (command, url) in cases {
        assert_eq!(request_url(&written, command), url, "{command}");
    }
    let effects = effects_after(&written, "rclone purge nas:/srv/old");
    assert_eq!(
        effects,
        json!([{"effect": "remote_delete", "target": {"kind": "url", "url": "sftp://dev@files.corp.internal/srv/old"}, "recursive": true}])
    );
    // A remote the file does not hold, or one the line's environment
    // describes, is left as the line says.
    let effects = effects_after(&written, "rclone copy a.txt other:x/");
    assert_eq!(effects[0]["target"]["kind"], "tool_remote");
    let effects = effects_after(
        &written,
        "RCLONE_CONFIG_NAS_TYPE=sftp RCLONE_CONFIG_NAS_HOST=sftp.partner.example rclone copy a.txt nas:/in",
    );
    assert_eq!(effects[0]["target"]["host"], "sftp.partner.example");
    // `--config FILE` is the file rclone reads.
    let own = [text_file(&at("rclone.conf"), RCLONE_CONF)];
    assert_eq!(
        request_url(&own, "rclone --config rclone.conf copy a.txt nas:/in"),
        "sftp://dev@files.corp.internal/in"
    );
    let effects = effects_after(&own, "rclone copy a.txt nas:/in");
    assert_eq!(effects[0]["target"]["kind"], "tool_remote");
}

const S3CFG: &str = "[default]\naccess_key = AK\nsecret_key = SK\nhost_base = rgw.corp.internal\n\
host_bucket = %(bucket)s.rgw.corp.internal\nuse_https = True\n";

#[test]
fn s3cmd_puts_go_to_the_configured_host() {
    let written = [text_file("/home/dana/.s3cfg", S3CFG)];
    let cases = [
        (
            "s3cmd put --recursive reports/perf/ s3://perf/2026/",
            "https://rgw.corp.internal/perf/2026/",
        ),
        (
            "s3cmd sync out/ s3://perf/out/",
            "https://rgw.corp.internal/perf/out/",
        ),
        // `--host` on the line wins.
        (
            "s3cmd --host=s3.partner.example put a.csv s3://in/",
            "https://s3.partner.example/in/",
        ),
    ];
    for (command, url) in cases {
        assert_eq!(request_url(&written, command), url, "{command}");
    }
    // `-c FILE` reads that file instead.
    let plain_http = [text_file(
        &at("lab.s3cfg"),
        "[default]\nhost_base = 10.0.4.7:7480\nuse_https = False\n",
    )];
    assert_eq!(
        request_url(&plain_http, "s3cmd -c lab.s3cfg put a.csv s3://in/"),
        "http://10.0.4.7:7480/in/"
    );
    assert_eq!(
        request_url(&plain_http, "s3cmd put a.csv s3://in/"),
        "s3://in/"
    );
}

#[test]
fn npmrc_registries_decide_where_installs_come_from() {
    let project = [text_file(
        &at(".npmrc"),
        "@corp:registry=https://npm.corp.internal/\n//npm.corp.internal/:_authToken=${NPM_TOKEN}\n",
    )];
    let cases = [
        (
            "npm install @corp/design-tokens@3.4.1",
            json!([install_from(
                "npm",
                &["@corp/design-tokens@3.4.1"],
                "https://npm.corp.internal/"
            )]),
        ),
        // A package of another scope, or none, comes from the public registry.
        (
            "npm install @corp/ui left-pad",
            json!([
                install_from("npm", &["@corp/ui"], "https://npm.corp.internal/"),
                install("npm", &["left-pad"]),
            ]),
        ),
        ("pnpm add @other/x", json!([install("pnpm", &["@other/x"])])),
        // The scope's registry is npm's even over `--registry`.
        (
            "npm install --registry https://registry.npmjs.org/ @corp/ui lodash",
            json!([
                install_from("npm", &["@corp/ui"], "https://npm.corp.internal/"),
                install_from("npm", &["lodash"], "https://registry.npmjs.org/"),
            ]),
        ),
    ];
    for (command, expected) in cases {
        assert_eq!(effects_after(&project, command), expected, "{command}");
    }
    // The user's `~/.npmrc` and its plain `registry`.
    let user = [text_file(
        "/home/dana/.npmrc",
        "registry=https://npm.corp.internal/\n",
    )];
    assert_eq!(
        effects_after(&user, "npm i lodash"),
        json!([install_from(
            "npm",
            &["lodash"],
            "https://npm.corp.internal/"
        )])
    );
    // Another project's `.npmrc` is not this one's.
    let other = [text_file(
        "/home/dana/other/.npmrc",
        "@corp:registry=https://npm.corp.internal/\n",
    )];
    assert_eq!(
        effects_after(&other, "npm install @corp/ui"),
        json!([install("npm", &["@corp/ui"])])
    );
    assert_eq!(
        effects_after(&other, "npm --prefix ../other install @corp/ui"),
        json!([install_from(
            "npm",
            &["@corp/ui"],
            "https://npm.corp.internal/"
        )])
    );
}

#[test]
fn a_shown_part_of_package_json_gives_the_publish_registry() {
    let shown = [WrittenFile::partial_view(
        at("packages/ui-kit/package.json"),
        r#"{"publishConfig": {"registry": "https://npm.corp.internal/", "access": "restricted"}}"#
            .to_owned(),
    )];
    let effects = effects_after(&shown, "cd packages/ui-kit && npm publish --tag next");
    let uploads: Vec<&Value> = effects
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["method"] == "UPLOAD")
        .collect();
    assert_eq!(uploads.len(), 1, "{effects}");
    assert_eq!(uploads[0]["target"]["url"], "https://npm.corp.internal/");
    assert_eq!(uploads[0]["public"], false);
}

#[test]
fn curlrc_options_ride_on_every_curl_request() {
    let rc = "# defaults\n--silent\nheader = \"Authorization: token ghp_abc\"\n";
    let written = [text_file("/home/dana/.curlrc", rc)];
    let marker = "curl -X POST https://api.example.com/markers -d '{\"m\":1}'";
    assert_eq!(
        effects_after(&written, marker),
        json!([url_request(
            "curl",
            "https://api.example.com/markers",
            "POST",
            payload(&["Authorization: token ghp_abc", "{\"m\":1}"], &[], &[])
        )])
    );
    // `-q` first turns the default file off; so does a `CURL_HOME` whose
    // file is known and holds nothing of it.
    assert_eq!(
        effects_after(
            &written,
            "curl -q -X POST https://api.example.com/markers -d x"
        ),
        json!([url_request(
            "curl",
            "https://api.example.com/markers",
            "POST",
            payload(&["x"], &[], &[])
        )])
    );
    let elsewhere = [
        text_file("/home/dana/.curlrc", rc),
        text_file("/opt/curl/.curlrc", "--silent\n"),
    ];
    assert_eq!(
        effects_after(
            &elsewhere,
            "CURL_HOME=/opt/curl curl -X POST https://api.example.com/markers -d x"
        ),
        json!([url_request(
            "curl",
            "https://api.example.com/markers",
            "POST",
            payload(&["x"], &[], &[])
        )])
    );
    // Without the file known, the request is the line's.
    assert_eq!(
        effects_after(&[], "curl -X POST https://api.example.com/markers -d x"),
        json!([url_request(
            "curl",
            "https://api.example.com/markers",
            "POST",
            payload(&["x"], &[], &[])
        )])
    );
}
