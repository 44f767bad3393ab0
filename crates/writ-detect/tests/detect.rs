//! Table-driven tests for writ-detect.

use writ_detect::destination::{
    Bucket, Destination, RepoRef, domain_matches, normalize_host, parse_destination, parse_email,
    registrable_domain,
};
use writ_detect::ownership::{Ownership, OwnershipRules};
use writ_detect::paths::{PathLabels, is_within, normalize};
use writ_detect::sensitivity::{
    Sensitivity, classify_text, email_addresses, luhn_valid, scan_text,
};

// ---------------------------------------------------------------- sensitivity

#[test]
fn credentials() {
    fn check(text: &str, expected: &[&str]) {
        assert_eq!(scan_text(text).credentials, expected, "text: {text:?}");
        let want = if expected.is_empty() {
            Sensitivity::None
        } else {
            Sensitivity::Secret
        };
        assert_eq!(classify_text(text), want, "text: {text:?}");
    }
    let gh36 = "a".repeat(30) + "123456";
    let cases: Vec<(String, Vec<&str>)> = vec![
        ("AKIAIOSFODNN7EXAMPLE".into(), vec!["aws_access_key_id"]),
        (
            "key=AKIAIOSFODNN7EXAMPLE\n".into(),
            vec!["aws_access_key_id"],
        ),
        // A temporary key's id, as presigned URLs carry it.
        (
            "X-Amz-Credential=ASIAY34FZKBOKMUTVV7A%2F20261120".into(),
            vec![],
        ),
        (
            r#"{"k":"x\nAKIAIOSFODNN7EXAMPLE\n"}"#.into(),
            vec!["aws_access_key_id"],
        ),
        ("AKIAIOSFODNN7EXAMPL".into(), vec![]), // 19 chars: too short
        ("AKIAIOSFODNN7EXAMPLEX".into(), vec![]), // 21: part of a longer run
        ("akiaiosfodnn7example".into(), vec![]), // lower case
        ("AKIA is the prefix of AWS key ids".into(), vec![]),
        (
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----".into(),
            vec!["private_key"],
        ),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl".into(),
            vec!["private_key"],
        ),
        ("-----BEGIN EC PRIVATE KEY-----".into(), vec!["private_key"]),
        (
            "-----BEGIN DSA PRIVATE KEY-----".into(),
            vec!["private_key"],
        ),
        ("-----BEGIN PRIVATE KEY-----".into(), vec!["private_key"]),
        (
            "-----BEGIN ENCRYPTED PRIVATE KEY-----".into(),
            vec!["private_key"],
        ),
        (
            "-----BEGIN PGP PRIVATE KEY BLOCK-----".into(),
            vec!["private_key"],
        ),
        ("-----BEGIN PUBLIC KEY-----\nMIIB".into(), vec![]),
        ("-----BEGIN CERTIFICATE-----".into(), vec![]),
        ("ssh-rsa AAAAB3NzaC1yc2E dana@laptop".into(), vec![]),
        (format!("token ghp_{gh36}"), vec!["github_token"]),
        (format!("gho_{gh36}"), vec!["github_token"]),
        (format!("ghu_{gh36}"), vec!["github_token"]),
        (format!("ghs_{gh36}"), vec!["github_token"]),
        (format!("ghr_{gh36}"), vec!["github_token"]),
        (format!("ghx_{gh36}"), vec![]),
        ("ghp_tooShort123".into(), vec![]),
        ("ghp_1a2b3c4d5e6f7g8h9i0j".into(), vec!["github_token"]),
        (
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz".into(),
            vec!["github_token"],
        ),
        ("github_pat_short".into(), vec![]),
        (
            "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx".into(),
            vec!["slack_token"],
        ),
        ("xoxp-1234-5678-9012-abcdef".into(), vec!["slack_token"]),
        ("xoxa-2-1234567890-abcdef".into(), vec!["slack_token"]),
        ("xoxr-1234567890-abcdef".into(), vec!["slack_token"]),
        ("xoxb-your-token-here".into(), vec![]), // placeholder, no digits
        ("xoxz-1234567890-abcdef".into(), vec![]),
        (
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc".into(),
            vec!["stripe_live_key"],
        ),
        (
            "rk_live_4eC39HqLyjWDarjtT1zdp7dc".into(),
            vec!["stripe_live_key"],
        ),
        ("sk_test_4eC39HqLyjWDarjtT1zdp7dc".into(), vec![]),
        ("pk_live_4eC39HqLyjWDarjtT1zdp7dc".into(), vec![]), // publishable
        ("sk_live_".into(), vec![]),
        // URL- and form-encoded.
        (
            "api_paste_code=AWS_ACCESS_KEY_ID%3DAKIAIOSFODNN7EXAMPLE%0A".into(),
            vec!["aws_access_key_id"],
        ),
        (
            "k=-----BEGIN+RSA+PRIVATE+KEY-----%0AMIIE".into(),
            vec!["private_key"],
        ),
        (
            "%2D%2D%2D%2D%2DBEGIN%20OPENSSH%20PRIVATE%20KEY%2D%2D%2D%2D%2D".into(),
            vec!["private_key"],
        ),
        // Several kinds: reported once each, in the stable order.
        (
            format!(
                "sk_live_4eC39HqLyjWDarjtT1zdp7dc AKIAIOSFODNN7EXAMPLE ghp_{gh36} AKIAIOSFODNN7EXAMPLE"
            ),
            vec!["aws_access_key_id", "github_token", "stripe_live_key"],
        ),
        ("hello world".into(), vec![]),
        ("".into(), vec![]),
    ];
    for (text, expected) in &cases {
        check(text, expected);
    }
}

#[test]
fn luhn() {
    fn check(digits: &str, expected: bool) {
        assert_eq!(luhn_valid(digits), expected, "digits: {digits}");
    }
    for (d, e) in [
        ("4111111111111111", true),
        ("4111111111111112", false),
        ("5555555555554444", true),
        ("378282246310005", true),
        ("6011111111111117", true),
        ("4012888888881881", true),
        ("79927398713", true),
        ("79927398710", false),
        ("0", true),
        ("", false),
        ("4111-1111", false),
        ("12a4", false),
    ] {
        check(d, e);
    }
}

#[test]
fn cards_and_ssns() {
    fn check(text: &str, cards: usize, ssns: usize) {
        let f = scan_text(text);
        assert_eq!((f.card_numbers, f.ssns), (cards, ssns), "text: {text:?}");
        let want = if cards + ssns > 0 {
            Sensitivity::Confidential
        } else {
            Sensitivity::None
        };
        assert_eq!(f.sensitivity(), want, "text: {text:?}");
    }
    for (text, cards, ssns) in [
        ("card 4111 1111 1111 1111 exp 12/27", 1, 0),
        ("4111111111111111", 1, 0),
        ("4111-1111-1111-1111", 1, 0),
        ("4111 1111 1111 1112", 0, 0),             // Luhn fails
        ("order #1234567812345678 shipped", 0, 0), // 16 digits, Luhn fails
        ("order 2024061500012345", 0, 0),
        ("amex 3782 822463 10005", 1, 0),
        ("4111111111111111 and 5555 5555 5555 4444", 2, 0),
        ("41111111111111110", 0, 0),   // 17 digits, Luhn fails
        ("941111111111111111", 0, 0),  // a longer run containing a valid number
        ("4111111111111111999", 0, 0), // 19 digits, Luhn fails
        ("x4111111111111111", 0, 0),   // part of an identifier
        ("id=4111111111111111&x=1", 1, 0),
        ("4111  1111 1111 1111", 0, 0), // double space breaks the groups: 4 + 12 digits
        ("2024-01-15 4111 1111 1111 1111", 1, 0),
        ("4111-1111-1111-1111 5555 5555 5555 4444", 2, 0),
        ("1 4111 1111 1111 1111", 0, 0), // one longer number
        ("pi 3.14159265358979323", 0, 0),
        ("cc%3D4111%201111%201111%201111", 1, 0),
        ("cc=4111+1111+1111+1111", 1, 0),
        ("123456789012", 0, 0), // 12 digits
        // Luhn-valid, but no card network issues that length or leading digit.
        ("\"generated_at_ms\":1795514280001", 0, 0),
        ("7992739871300008", 0, 0),
        ("4222222222222", 1, 0),  // a 13-digit Visa
        ("30569309025904", 1, 0), // a 14-digit Diners Club
        ("6011 1111 1111 1117", 1, 0),
        ("3530111333300000", 1, 0),
        ("SSN 078-05-1120", 0, 1),
        ("ssn: 123-45-6789.", 0, 1),
        ("123-45-6789 and 987-65-4321", 0, 2),
        ("call 555-123-4567", 0, 0), // phone
        ("call 1-555-123-4567", 0, 0),
        ("date 2024-01-15", 0, 0),
        ("1123-45-6789", 0, 0), // longer digit run
        ("123-45-67890", 0, 0),
        ("9-123-45-6789", 0, 0), // dash run
        ("123-45-6789-1", 0, 0),
        ("000-12-3456", 0, 0), // never issued
        ("123-00-4567", 0, 0),
        ("123-45-0000", 0, 0),
        ("ssn=123%2D45%2D6789", 0, 1),
        ("(555) 123-4567", 0, 0),
    ] {
        check(text, cards, ssns);
    }
}

#[test]
fn emails() {
    fn check(text: &str, expected: &[&str]) {
        assert_eq!(email_addresses(text), expected, "text: {text:?}");
    }
    check("a@x.com, b@y.org", &["a@x.com", "b@y.org"]);
    check("A@X.com a@x.COM", &["a@x.com"]);
    check(
        "Lee <lee.k+tag@mail.brightmail.io>.",
        &["lee.k+tag@mail.brightmail.io"],
    );
    check("no address here @ all", &[]);
    check("user@localhost", &[]);
    check("x@1.2.3.4", &[]);
    check("email me at dana@acme.com.", &["dana@acme.com"]);
    check("<img src=\"logo@2x.png\"> icon@3x.jpeg", &[]);
    check(
        "ops@git.acme.internal, x@Corp.Local",
        &["ops@git.acme.internal", "x@corp.local"],
    );
    check("a@b.co.uk b@c.museum", &["a@b.co.uk", "b@c.museum"]);
    // Top-level domains the suffix list may not have yet, and reserved ones.
    check(
        "ana@harbortools.logistics ben@shipyard.example",
        &["ana@harbortools.logistics", "ben@shipyard.example"],
    );
    check("bundle@1.min.js react@18.2.0 @types/node", &[]);

    fn count(text: &str, n: usize) {
        let f = scan_text(text);
        assert_eq!(f.distinct_emails, n, "text: {text:?}");
        let want = if n >= 3 {
            Sensitivity::Confidential
        } else {
            Sensitivity::None
        };
        assert_eq!(f.sensitivity(), want, "text: {text:?}");
    }
    count("a@x.com b@y.com", 2);
    count("a@x.com b@y.com c@z.com", 3);
    count("a@x.com A@X.COM b@y.com B@y.com", 2);
    count("a@x.com, b@y.com, a@x.com, c@z.com", 3);
    count("to=a%40x.com&cc=b%40y.com&bcc=c%40z.com", 3);
    count("to=a%40x.com+b%40y.com+c%40z.com", 3);
    count("a%40x.com a@x.com b@y.com", 2); // the same address encoded and not
    count("dana+work@acme.com x@y.com", 2); // `+` is kept in addresses
    count(
        r#"{"to":["a@x.com","b@y.com"],"note":"\u003cc@z.com\u003e"}"#,
        3,
    );
    count(r#"["a@x.com\nb@y.com\nc@z.com"]"#, 3);
    count("name,email\nlee,lee@x.io\nkim,kim@y.io\nsam,sam@z.io\n", 3);
}

// ---------------------------------------------------------------- destinations

fn dest(host: &str) -> Destination {
    Destination {
        host: host.into(),
        repo: None,
        bucket: None,
        email: None,
        path: None,
    }
}

fn with_path(mut d: Destination, path: &str) -> Destination {
    d.path = Some(path.into());
    d
}

fn with_repo(mut d: Destination, host: &str, owner: &str, name: &str) -> Destination {
    d.repo = Some(RepoRef {
        host: host.into(),
        owner: owner.into(),
        name: name.into(),
    });
    d
}

fn with_bucket(mut d: Destination, scheme: &str, name: &str) -> Destination {
    d.bucket = Some(Bucket {
        scheme: scheme.into(),
        name: name.into(),
    });
    d
}

#[test]
fn destinations() {
    fn check(text: &str, expected: Option<Destination>) {
        assert_eq!(parse_destination(text), expected, "text: {text:?}");
    }
    let gh =
        |p: &str, o: &str, n: &str| with_repo(with_path(dest("github.com"), p), "github.com", o, n);
    let cases: Vec<(&str, Option<Destination>)> = vec![
        (
            "https://user:pw@Host.Example.com:8443/p?q",
            Some(with_path(dest("host.example.com"), "/p")),
        ),
        ("http://example.com", Some(dest("example.com"))),
        ("https://example.com/", Some(dest("example.com"))),
        (
            "HTTPS://API.Example.COM./v1/x",
            Some(with_path(dest("api.example.com"), "/v1/x")),
        ),
        (
            "http://127.0.0.1:8080/x",
            Some(with_path(dest("127.0.0.1"), "/x")),
        ),
        ("http://[::1]:8080/", Some(dest("::1"))),
        ("http://localhost:3000", Some(dest("localhost"))),
        (
            "ftp://files.example.org/pub/a.txt",
            Some(with_path(dest("files.example.org"), "/pub/a.txt")),
        ),
        ("  \"https://example.com\"  ", Some(dest("example.com"))),
        // What the shell would still expand stands for some name: the
        // literal suffix after it places the host.
        (
            "deploy@$h.staging.acme.corp",
            Some(dest("x.staging.acme.corp")),
        ),
        (
            "deploy@api-{1..3}.staging.acme.corp:/srv",
            Some(with_path(dest("api-x.staging.acme.corp"), "/srv")),
        ),
        (
            "https://${HOST}.acme.corp/hook",
            Some(with_path(dest("x.acme.corp"), "/hook")),
        ),
        (
            "https://logs.acme.corp/nav/$(date +%F)/$(echo $(id -u))/",
            Some(with_path(dest("logs.acme.corp"), "/nav/x/x/")),
        ),
        (
            "<https://example.com/a>",
            Some(with_path(dest("example.com"), "/a")),
        ),
        // Repositories.
        (
            "https://github.com/acme/web",
            Some(gh("/acme/web", "acme", "web")),
        ),
        (
            "https://github.com/acme/web.git",
            Some(gh("/acme/web.git", "acme", "web")),
        ),
        (
            "https://github.com/Acme/Web/blob/main/README.md",
            Some(gh("/Acme/Web/blob/main/README.md", "Acme", "Web")),
        ),
        ("github.com/acme/web", Some(gh("/acme/web", "acme", "web"))),
        (
            "https://github.com/login",
            Some(with_path(dest("github.com"), "/login")),
        ),
        (
            "https://github.com/settings/tokens",
            Some(with_path(dest("github.com"), "/settings/tokens")),
        ),
        (
            "https://github.com/acme",
            Some(with_path(dest("github.com"), "/acme")),
        ),
        (
            "https://github.com/login/oauth/access_token",
            Some(with_path(dest("github.com"), "/login/oauth/access_token")),
        ),
        (
            "ssh://git@github.com/acme/web.git",
            Some(gh("/acme/web.git", "acme", "web")),
        ),
        (
            "git@github.com:acme/web.git",
            Some(gh("/acme/web.git", "acme", "web")),
        ),
        (
            "git@github.com:acme/web",
            Some(gh("/acme/web", "acme", "web")),
        ),
        (
            "ssh://git@github.com:acme/web.git",
            Some(gh("/acme/web.git", "acme", "web")),
        ),
        (
            "git://github.com/acme/web.git",
            Some(gh("/acme/web.git", "acme", "web")),
        ),
        (
            "https://git.acme.internal/team/repo.git",
            Some(with_repo(
                with_path(dest("git.acme.internal"), "/team/repo.git"),
                "git.acme.internal",
                "team",
                "repo",
            )),
        ),
        (
            "https://git.acme.internal/team/repo",
            Some(with_repo(
                with_path(dest("git.acme.internal"), "/team/repo"),
                "git.acme.internal",
                "team",
                "repo",
            )),
        ),
        (
            "git.acme.internal:team/repo.git",
            Some(with_repo(
                with_path(dest("git.acme.internal"), "/team/repo.git"),
                "git.acme.internal",
                "team",
                "repo",
            )),
        ),
        (
            "https://gitlab.com/group/sub/proj/-/blob/main/x",
            Some(with_repo(
                with_path(dest("gitlab.com"), "/group/sub/proj/-/blob/main/x"),
                "gitlab.com",
                "group/sub",
                "proj",
            )),
        ),
        (
            "https://code.example.com/a/b/c.git/info/refs",
            Some(with_repo(
                with_path(dest("code.example.com"), "/a/b/c.git/info/refs"),
                "code.example.com",
                "a/b",
                "c",
            )),
        ),
        (
            "https://api.github.com/repos/dana/dotfiles/contents/x",
            Some(with_repo(
                with_path(dest("api.github.com"), "/repos/dana/dotfiles/contents/x"),
                "github.com",
                "dana",
                "dotfiles",
            )),
        ),
        (
            "https://api.github.com/user",
            Some(with_path(dest("api.github.com"), "/user")),
        ),
        (
            "https://gitlab.com/api/v4/projects/acme%2Fplatform%2Fweb/members",
            Some(with_repo(
                with_path(
                    dest("gitlab.com"),
                    "/api/v4/projects/acme%2Fplatform%2Fweb/members",
                ),
                "gitlab.com",
                "acme/platform",
                "web",
            )),
        ),
        (
            "https://code.example.com/api/v4/projects/42",
            Some(with_path(dest("code.example.com"), "/api/v4/projects/42")),
        ),
        // GitHub Enterprise Server's API on its own host.
        (
            "https://github.corp.example/api/v3/repos/dana/dotfiles/actions/secrets/K",
            Some(with_repo(
                with_path(
                    dest("github.corp.example"),
                    "/api/v3/repos/dana/dotfiles/actions/secrets/K",
                ),
                "github.corp.example",
                "dana",
                "dotfiles",
            )),
        ),
        (
            "https://ghe.example.com/api/v3/orgs/platform/teams",
            Some(with_repo(
                with_path(dest("ghe.example.com"), "/api/v3/orgs/platform/teams"),
                "ghe.example.com",
                "platform",
                "*",
            )),
        ),
        (
            "https://lumora@dev.azure.com/lumora/Platform/_git/platform-infra",
            Some(with_repo(
                with_path(
                    dest("dev.azure.com"),
                    "/lumora/Platform/_git/platform-infra",
                ),
                "dev.azure.com",
                "lumora/Platform",
                "platform-infra",
            )),
        ),
        (
            "git@ssh.dev.azure.com:v3/lumora/Platform/platform-infra",
            Some(with_repo(
                with_path(
                    dest("ssh.dev.azure.com"),
                    "/v3/lumora/Platform/platform-infra",
                ),
                "dev.azure.com",
                "lumora/Platform",
                "platform-infra",
            )),
        ),
        (
            "https://huggingface.co/lumenary/churn-classifier",
            Some(with_repo(
                with_path(dest("huggingface.co"), "/lumenary/churn-classifier"),
                "huggingface.co",
                "lumenary",
                "churn-classifier",
            )),
        ),
        (
            "https://huggingface.co/api/datasets/lumenary/intents/settings",
            Some(with_repo(
                with_path(
                    dest("huggingface.co"),
                    "/api/datasets/lumenary/intents/settings",
                ),
                "huggingface.co",
                "lumenary",
                "intents",
            )),
        ),
        (
            "https://huggingface.co/docs/hub",
            Some(with_path(dest("huggingface.co"), "/docs/hub")),
        ),
        (
            "https://lumora.visualstudio.com/Platform/_git/platform-infra",
            Some(with_repo(
                with_path(
                    dest("lumora.visualstudio.com"),
                    "/Platform/_git/platform-infra",
                ),
                "dev.azure.com",
                "lumora/Platform",
                "platform-infra",
            )),
        ),
        (
            "https://api.bitbucket.org/2.0/repositories/lumora/roles",
            Some(with_repo(
                with_path(dest("api.bitbucket.org"), "/2.0/repositories/lumora/roles"),
                "bitbucket.org",
                "lumora",
                "roles",
            )),
        ),
        (
            "https://bitbucket.corp.example/scm/core/dispatch-api.git",
            Some(with_repo(
                with_path(dest("bitbucket.corp.example"), "/scm/core/dispatch-api.git"),
                "bitbucket.corp.example",
                "core",
                "dispatch-api",
            )),
        ),
        (
            "https://raw.githubusercontent.com/acme/web/main/a.sh",
            Some(with_repo(
                with_path(dest("raw.githubusercontent.com"), "/acme/web/main/a.sh"),
                "github.com",
                "acme",
                "web",
            )),
        ),
        (
            "https://gist.github.com/dana/abc123",
            Some(with_path(dest("gist.github.com"), "/dana/abc123")),
        ),
        // scp to a server is not a repository.
        (
            "dana@backup.example.com:/var/backups/db.tar",
            Some(with_path(dest("backup.example.com"), "/var/backups/db.tar")),
        ),
        (
            "deploy@10.0.0.5:app/",
            Some(with_path(dest("10.0.0.5"), "/app/")),
        ),
        (
            "backup.example.com:dumps/x.sql",
            Some(with_path(dest("backup.example.com"), "/dumps/x.sql")),
        ),
        (
            "sftp.shipfast-logistics.com:inbox",
            Some(with_path(dest("sftp.shipfast-logistics.com"), "/inbox")),
        ),
        // Buckets.
        (
            "s3://acme-prod-data/x/y.csv",
            Some(with_bucket(
                with_path(dest("acme-prod-data"), "/x/y.csv"),
                "s3",
                "acme-prod-data",
            )),
        ),
        (
            "s3://random-bucket",
            Some(with_bucket(dest("random-bucket"), "s3", "random-bucket")),
        ),
        (
            "gs://My-Bucket/x",
            Some(with_bucket(
                with_path(dest("my-bucket"), "/x"),
                "gs",
                "my-bucket",
            )),
        ),
        (
            "gcs://my-bucket",
            Some(with_bucket(dest("my-bucket"), "gs", "my-bucket")),
        ),
        (
            "b2://Acme-Backups/db/x.gz",
            Some(with_bucket(
                with_path(dest("acme-backups"), "/db/x.gz"),
                "b2",
                "acme-backups",
            )),
        ),
        (
            "https://acme-assets.s3.amazonaws.com/k",
            Some(with_bucket(
                with_path(dest("acme-assets.s3.amazonaws.com"), "/k"),
                "s3",
                "acme-assets",
            )),
        ),
        (
            "https://s3.amazonaws.com/acme-assets/k",
            Some(with_bucket(
                with_path(dest("s3.amazonaws.com"), "/acme-assets/k"),
                "s3",
                "acme-assets",
            )),
        ),
        (
            "https://bucket.s3.us-east-1.amazonaws.com/k",
            Some(with_bucket(
                with_path(dest("bucket.s3.us-east-1.amazonaws.com"), "/k"),
                "s3",
                "bucket",
            )),
        ),
        (
            "https://s3.us-west-2.amazonaws.com/b/k",
            Some(with_bucket(
                with_path(dest("s3.us-west-2.amazonaws.com"), "/b/k"),
                "s3",
                "b",
            )),
        ),
        (
            "https://my.dotted.bucket.s3-us-west-2.amazonaws.com/k",
            Some(with_bucket(
                with_path(dest("my.dotted.bucket.s3-us-west-2.amazonaws.com"), "/k"),
                "s3",
                "my.dotted.bucket",
            )),
        ),
        (
            "https://storage.googleapis.com/bucket/k",
            Some(with_bucket(
                with_path(dest("storage.googleapis.com"), "/bucket/k"),
                "gs",
                "bucket",
            )),
        ),
        (
            "https://bucket.storage.googleapis.com/k",
            Some(with_bucket(
                with_path(dest("bucket.storage.googleapis.com"), "/k"),
                "gs",
                "bucket",
            )),
        ),
        (
            "https://sts.amazonaws.com/",
            Some(dest("sts.amazonaws.com")),
        ),
        // rsync daemon.
        (
            "backup.example.com::module/path",
            Some(with_path(dest("backup.example.com"), "/module/path")),
        ),
        (
            "user@nas.local::share",
            Some(with_path(dest("nas.local"), "/share")),
        ),
        (
            "rsync://nas.example.com/share/x",
            Some(with_path(dest("nas.example.com"), "/share/x")),
        ),
        // Bare hosts.
        (
            "example.com/path",
            Some(with_path(dest("example.com"), "/path")),
        ),
        ("example.com:8080", Some(dest("example.com"))),
        (
            "example.com:8080/x",
            Some(with_path(dest("example.com"), "/x")),
        ),
        ("transfer.sh", Some(dest("transfer.sh"))),
        ("x.ngrok.io", Some(dest("x.ngrok.io"))),
        ("dana@server.example.com", Some(dest("server.example.com"))),
        (
            "//cdn.example.com/a.js",
            Some(with_path(dest("cdn.example.com"), "/a.js")),
        ),
        (
            "mailto:Lee@X.io",
            Some(Destination {
                email: Some("lee@x.io".into()),
                ..dest("x.io")
            }),
        ),
        // Not destinations.
        ("", None),
        ("notes.txt", None),
        ("./build/out.tar", None),
        ("/etc/passwd", None),
        ("C:\\Users\\dana", None),
        ("C:/Users/dana", None),
        ("file:///etc/passwd", None),
        ("hello", None),
        ("data.csv:3", None),
        ("two words.com", None),
        ("-rf", None),
    ];
    for (text, expected) in cases {
        check(text, expected);
    }
}

#[test]
fn emails_parse() {
    fn check(text: &str, expected: Option<(&str, &str)>) {
        let got = parse_email(text);
        let got = got
            .as_ref()
            .map(|d| (d.email.as_deref().unwrap_or(""), d.host.as_str()));
        assert_eq!(got, expected, "text: {text:?}");
    }
    check("dana@acme.com", Some(("dana@acme.com", "acme.com")));
    check("Dana@ACME.com", Some(("dana@acme.com", "acme.com")));
    check(
        "Lee Kim <lee@brightmail.io>",
        Some(("lee@brightmail.io", "brightmail.io")),
    );
    check(
        "\"Kim, Lee\" <lee.kim+x@mail.example.co.uk>",
        Some(("lee.kim+x@mail.example.co.uk", "mail.example.co.uk")),
    );
    check("  x@gmail.com ", Some(("x@gmail.com", "gmail.com")));
    check("mailto:x@gmail.com", Some(("x@gmail.com", "gmail.com")));
    check("x@gmail.com.", Some(("x@gmail.com", "gmail.com")));
    check("no-at-sign.com", None);
    check("@acme.com", None);
    check("a@", None);
    check("a@b", None);
    check("a@@b.com", None);
    check("a b@c.com", None);
    check(".a@b.com", None);
    check("a..b@c.com", None);
    check("a@-b.com", None);
    check("a@b.c", None);
    check("a@1.2.3.4", None);
    check("a@b.com/x", None);
    check("https://acme.com", None);
}

#[test]
fn hosts_and_domains() {
    for (h, n) in [
        ("Example.COM.", "example.com"),
        ("[::1]", "::1"),
        ("  a.b  ", "a.b"),
    ] {
        assert_eq!(normalize_host(h), n, "host: {h}");
    }
    for (host, domain, expected) in [
        ("acme.com", "acme.com", true),
        ("api.acme.com", "acme.com", true),
        ("API.ACME.COM.", "acme.com", true),
        ("a.b.acme.com", "ACME.com", true),
        ("evilacme.com", "acme.com", false),
        ("acme.com.evil.io", "acme.com", false),
        ("acme.com", "api.acme.com", false),
        ("com", "acme.com", false),
        ("x.ngrok.io", "ngrok.io", true),
        ("x.acme.com", "*.acme.com", true),
        ("acme.com", "", false),
        ("", "acme.com", false),
        // Padding, brackets and dots at either end are trimmed first.
        (" api.acme.com ", "acme.com", true),
        ("[api.acme.com]", ".acme.com", true),
        ("api.acme.com", "acme.com.", true),
        ("api.acme.com", "\tACME.com ", true),
        ("api.acme.com-", "acme.com", false),
        ("api.acme.com", "*.", false),
    ] {
        assert_eq!(
            domain_matches(host, domain),
            expected,
            "{host} under {domain}"
        );
    }
    for (host, expected) in [
        ("a.b.example.co.uk", Some("example.co.uk")),
        ("www.Example.com", Some("example.com")),
        ("example.com", Some("example.com")),
        ("com", None),
        ("co.uk", None),
        ("127.0.0.1", None),
        ("::1", None),
        ("[::1]", None),
        ("x.y.github.io", Some("y.github.io")),
    ] {
        assert_eq!(
            registrable_domain(host).as_deref(),
            expected,
            "host: {host}"
        );
    }
}

// ---------------------------------------------------------------- ownership

fn rules() -> OwnershipRules {
    let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    OwnershipRules {
        org_domains: v(&["acme.com", "acme.internal"]),
        org_repos: v(&["github.com/acme/*", "git.acme.internal/*"]),
        org_buckets: v(&["acme-prod-data", "acme-assets"]),
        partner_domains: v(&["shipfast-logistics.com"]),
        public_sharing: v(&[
            "pastebin.com",
            "gist.github.com",
            "transfer.sh",
            "file.io",
            "0x0.st",
            "ngrok.io",
            "webhook.site",
            "requestbin.net",
        ]),
        personal_email_domains: v(&["gmail.com", "outlook.com", "proton.me", "yahoo.com"]),
    }
}

#[test]
fn ownership() {
    let rules = rules();
    fn check(rules: &OwnershipRules, text: &str, makes_public: bool, expected: Ownership) {
        let d = if text.contains('@') && !text.contains(':') && !text.contains('/') {
            parse_email(text)
        } else {
            parse_destination(text)
        };
        let Some(d) = d else {
            panic!("did not parse: {text:?}");
        };
        assert_eq!(
            rules.classify(&d, makes_public),
            expected,
            "text: {text:?} -> {d:?}"
        );
    }
    use Ownership::*;
    for (text, public, expected) in [
        ("https://acme.com/upload", false, Org),
        ("https://api.acme.com/v1", false, Org),
        ("https://git.acme.internal/team/repo.git", false, Org),
        ("https://wiki.acme.internal/x", false, Org),
        ("https://acme.com.evil.io/x", false, ThirdParty),
        ("https://evilacme.com/x", false, ThirdParty),
        ("https://github.com/acme/web", false, Org),
        ("git@github.com:acme/web.git", false, Org),
        ("https://github.com/ACME/Web/pull/3", false, Org),
        ("https://api.github.com/repos/acme/web/issues", false, Org),
        // An organisation's or group's own API paths: all of its repositories.
        ("https://api.github.com/orgs/acme/teams/eng", false, Org),
        (
            "https://api.github.com/orgs/someone-else/repos",
            false,
            Personal,
        ),
        (
            "https://git.acme.internal/api/v4/groups/team%2Fsub/members",
            false,
            Org,
        ),
        (
            "https://git.acme.internal/api/v4/projects/team%2Fweb",
            false,
            Org,
        ),
        ("https://github.com/acme-evil/x", false, Personal),
        ("git@github.com:dana/dotfiles.git", false, Personal),
        (
            "https://api.github.com/repos/dana/dotfiles",
            false,
            Personal,
        ),
        (
            "https://raw.githubusercontent.com/dana/dotfiles/main/x",
            false,
            Personal,
        ),
        ("https://github.com/login", false, ThirdParty),
        ("https://github.com/settings/tokens", false, ThirdParty),
        ("https://api.github.com/user", false, ThirdParty),
        ("https://gitlab.com/dana/x", false, ThirdParty),
        ("https://gist.github.com/dana/abc", false, Public),
        ("https://gist.github.com/", false, Public),
        ("https://github.com/acme/web", true, Org), // org wins over makes_public
        ("https://github.com/dana/x", true, Public),
        ("https://example.com/x", true, Public),
        ("s3://acme-prod-data/x", false, Org),
        ("s3://ACME-ASSETS/x", false, Org),
        ("b2://acme-prod-data/x", false, Org),
        ("b2://someone-elses/x", false, ThirdParty),
        ("https://acme-assets.s3.amazonaws.com/k", false, Org),
        ("https://s3.amazonaws.com/acme-prod-data/k", false, Org),
        ("https://storage.googleapis.com/acme-assets/k", false, Org),
        (
            "https://storage.googleapis.com/upload/storage/v1/b/acme-assets/o?name=k",
            false,
            Org,
        ),
        (
            "https://www.googleapis.com/storage/v1/b/acme-assets",
            false,
            Org,
        ),
        ("s3://random-bucket", false, ThirdParty),
        ("s3://acme.com/x", false, ThirdParty), // anyone can name a bucket `acme.com`
        ("https://random.s3.amazonaws.com/k", false, ThirdParty),
        ("https://sftp.shipfast-logistics.com/in", false, Partner),
        ("sftp.shipfast-logistics.com:inbox", false, Partner),
        ("https://shipfast-logistics.com.evil.io", false, ThirdParty),
        ("https://pastebin.com/api/api_post.php", false, Public),
        ("https://x.ngrok.io/hook", false, Public),
        ("https://transfer.sh/x.txt", false, Public),
        ("https://0x0.st", false, Public),
        ("https://webhook.site/abc", false, Public),
        ("https://notngrok.io/", false, ThirdParty),
        ("https://example.com", false, ThirdParty),
        ("http://127.0.0.1:8080", false, ThirdParty),
        ("https://gmail.com", false, ThirdParty), // a site, not an address
        ("dana@acme.com", false, Org),
        ("dana@eng.acme.com", false, Org),
        ("x@gmail.com", false, Personal),
        ("Dana <dana.k@Proton.me>", false, Personal),
        ("lee@brightmail.io", false, ThirdParty),
        ("ops@shipfast-logistics.com", false, Partner),
        ("x@gmail.com.evil.io", false, ThirdParty),
        ("x@gmail.com", true, Public),
    ] {
        check(&rules, text, public, expected);
    }
}

#[test]
fn org_repo_patterns() {
    let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let rules = OwnershipRules {
        org_repos: v(&[
            "github.com/acme/*",
            "git.acme.internal/*",
            "gitlab.com/acme-*/tools",
            "https://github.com/partner/shared.git",
        ]),
        ..OwnershipRules::default()
    };
    let repo = |h: &str, o: &str, n: &str| RepoRef {
        host: h.into(),
        owner: o.into(),
        name: n.into(),
    };
    for (r, org, personal) in [
        (repo("github.com", "acme", "web"), true, false),
        (repo("GitHub.com", "Acme", "Web"), true, false),
        (repo("github.com", "acme-evil", "web"), false, true),
        (repo("github.com", "partner", "shared"), true, false),
        (repo("github.com", "partner", "other"), false, false), // owner matches a pattern
        (repo("git.acme.internal", "team", "repo"), true, false),
        (repo("git.acme.internal", "team/sub", "repo"), true, false),
        (repo("gitlab.com", "acme-x", "tools"), true, false),
        (repo("gitlab.com", "acme-x", "other"), false, false),
        (repo("gitlab.com", "dana", "tools"), false, true),
        (repo("bitbucket.org", "dana", "x"), false, false), // host not used by a pattern
    ] {
        assert_eq!(rules.is_org_repo(&r), org, "org: {r:?}");
        assert_eq!(rules.is_personal_repo(&r), personal, "personal: {r:?}");
    }
}

// ---------------------------------------------------------------- paths

#[test]
fn normalize_paths() {
    fn check(path: &str, base: &str, expected: &str) {
        assert_eq!(
            normalize(path, base, "/home/dana"),
            expected,
            "{path} from {base}"
        );
    }
    for (p, b, e) in [
        ("a/b", "/w", "/w/a/b"),
        ("/a/./b/", "/w", "/a/b"),
        ("../x", "/w/src", "/w/x"),
        ("../../../../x", "/w", "/x"),
        ("/..", "/w", "/"),
        ("/", "/w", "/"),
        ("", "/w", "/w"),
        (".", "/w/", "/w"),
        ("~", "/w", "/home/dana"),
        ("~/.ssh/id_rsa", "/w", "/home/dana/.ssh/id_rsa"),
        ("$HOME/.aws", "/w", "/home/dana/.aws"),
        ("${HOME}/.aws/../.ssh", "/w", "/home/dana/.ssh"),
        ("~dana/x", "/w", "/w/~dana/x"),
        ("$HOMEDIR/x", "/w", "/w/$HOMEDIR/x"),
        ("a//b///c", "/", "/a/b/c"),
    ] {
        check(p, b, e);
    }
    for (path, dir, expected) in [
        ("/a/b", "/a/b", true),
        ("/a/b/c", "/a/b", true),
        ("/a/bc", "/a/b", false),
        ("/a", "/a/b", false),
        ("/a/b", "/", true),
        ("/a/b/", "/a/b/", true),
    ] {
        assert_eq!(is_within(path, dir), expected, "{path} within {dir}");
    }
}

#[test]
fn path_labels() {
    let entries: Vec<(String, &str)> = [
        ("**/.env", "env"),
        ("data/customers*.csv", "customers"),
        ("~/.ssh/**", "ssh"),
        ("*.pem", "pem"),
        ("~/.aws/credentials", "aws"),
        ("/etc/shadow", "shadow"),
        ("secrets/", "secrets"),
    ]
    .iter()
    .map(|(g, l)| (g.to_string(), *l))
    .collect();
    let pl = match PathLabels::new(&entries, "/home/dana/acme-web", "/home/dana") {
        Ok(pl) => pl,
        Err(e) => panic!("{e}"),
    };
    assert!(!pl.is_empty());
    fn check(pl: &PathLabels<&str>, path: &str, recursive: bool, expected: &[&str]) {
        assert_eq!(
            pl.labels(path, recursive),
            expected,
            "{path} recursive={recursive}"
        );
    }
    for (path, rec, expected) in [
        ("/home/dana/acme-web/.env", false, &["env"][..]),
        ("/srv/app/.env", false, &["env"]),
        ("/home/dana/acme-web/src/.env", false, &["env"]),
        ("/home/dana/acme-web/.env.example", false, &[]),
        (
            "/home/dana/acme-web/data/customers.csv",
            false,
            &["customers"],
        ),
        (
            "/home/dana/acme-web/data/customers-2024.csv",
            false,
            &["customers"],
        ),
        ("/home/dana/acme-web/data/sub/customers.csv", false, &[]), // `*` stops at `/`
        ("/home/dana/acme-web/old/data/customers.csv", false, &[]),
        ("/srv/data/customers.csv", false, &[]), // outside the workspace
        ("data/customers.csv", false, &["customers"]), // relative to the workspace
        ("/home/dana/.ssh/id_rsa", false, &["ssh"]),
        ("/home/dana/.ssh", false, &["ssh"]),
        ("/home/dana/.sshx/id_rsa", false, &[]),
        ("/home/dana/acme-web/certs/server.pem", false, &["pem"]),
        ("/tmp/x.pem", false, &["pem"]),
        ("/tmp/x.pem.bak", false, &[]),
        ("/home/dana/.aws/credentials", false, &["aws"]),
        ("~/.aws/credentials", false, &["aws"]),
        ("/home/dana/.aws/config", false, &[]),
        ("/etc/shadow", false, &["shadow"]),
        ("/etc/passwd", false, &[]),
        ("/home/dana/acme-web/secrets/db.txt", false, &["secrets"]),
        ("/home/dana/acme-web/src/main.rs", false, &[]),
        // A path walked recursively may be a directory: names below it could
        // match, unless its name is a file's (`main.rs`). Globs that match
        // anywhere are guessed only below the workspace, the home and their
        // parents.
        ("/home/dana/acme-web/src/main.rs", true, &[]),
        ("/home/dana/acme-web/src/v2", true, &[]),
        // Recursive: what could be below.
        (
            "/home/dana/acme-web",
            true,
            &["env", "customers", "pem", "secrets"],
        ),
        ("/home/dana/acme-web", false, &[]),
        // A path a glob names is that file (or tree), not a guess at more.
        (
            "/home/dana/acme-web/data/customers.csv",
            true,
            &["customers"],
        ),
        ("/home/dana/.ssh", true, &["ssh"]),
        ("/home/dana/acme-web/src", true, &[]),
        ("/home/dana/acme-web/data", true, &["customers"]),
        (
            "/home/dana",
            true,
            &["env", "customers", "ssh", "pem", "aws", "secrets"],
        ),
        ("/home/dana/.aws", true, &["aws"]),
        ("/etc", true, &["shadow"]),
        (
            "/",
            true,
            &["env", "customers", "ssh", "pem", "aws", "shadow", "secrets"],
        ),
    ] {
        check(&pl, path, rec, expected);
    }
    let m = pl.matching("/home/dana/.ssh/id_rsa", false);
    assert_eq!(m, vec![("~/.ssh/**", &"ssh")]);
}

#[test]
fn glob_errors() {
    for glob in ["", "[unclosed", "a/{b,c"] {
        let r = PathLabels::new(&[(glob.to_string(), 1)], "/w", "/h");
        assert!(r.is_err(), "glob {glob:?} should fail");
        if let Err(e) = r {
            assert_eq!(e.glob, glob);
        }
    }
    for glob in ["a**b", "**", "x/**/y", "{a,b}.key", "[ab]?.txt"] {
        assert!(
            PathLabels::new(&[(glob.to_string(), 1)], "/w", "/h").is_ok(),
            "{glob}"
        );
    }
    let pl = match PathLabels::<u8>::new(&[], "/w", "/h") {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    assert!(pl.is_empty());
    assert!(pl.labels("/w/x", true).is_empty());
}

#[test]
fn image_references_on_a_listed_registry_are_repositories() {
    let rules = OwnershipRules {
        org_repos: vec!["ghcr.io/acme/*".to_owned(), "docker.io/acme/*".to_owned()],
        ..OwnershipRules::default()
    };
    let owner = |text: &str| rules.classify(&parse_destination(text).unwrap(), false);
    assert_eq!(owner("ghcr.io/acme/api:1.4"), Ownership::Org);
    assert_eq!(owner("ghcr.io/acme/api@sha256:abc"), Ownership::Org);
    assert_eq!(
        owner("https://ghcr.io/v2/acme/api/manifests/1.4"),
        Ownership::Org
    );
    assert_eq!(owner("docker.io/acme/worker"), Ownership::Org);
    // Someone else's image on a registry the organisation uses.
    assert_eq!(owner("ghcr.io/someone/api:1.4"), Ownership::Personal);
    // A registry the deployment names no repository on stays a third party.
    assert_eq!(owner("quay.io/acme/api:1.4"), Ownership::ThirdParty);
}

#[test]
fn the_organisations_own_account_on_a_code_host_is_the_organisations() {
    let rules = OwnershipRules {
        org_repos: vec!["github.com/acme/*".to_owned()],
        ..OwnershipRules::default()
    };
    let owner = |text: &str| rules.classify(&parse_destination(text).unwrap(), false);
    assert_eq!(owner("https://github.com/acme"), Ownership::Org);
    assert_eq!(owner("https://github.com/orgs/acme"), Ownership::Org);
    // Another account, and a page that is no account, are not.
    assert_eq!(
        owner("https://github.com/runner-relay"),
        Ownership::ThirdParty
    );
    assert_eq!(
        owner("https://github.com/settings/tokens"),
        Ownership::ThirdParty
    );
}

#[test]
fn a_tree_read_without_some_names_holds_none_of_them() {
    let entries: Vec<(String, &str)> = [
        ("**/.env", "env"),
        ("**/.env.*", "env_variant"),
        ("data/customers*.csv", "customers"),
        ("*.pem", "pem"),
        ("secrets/", "secrets"),
        ("~/.ssh/**", "ssh"),
    ]
    .iter()
    .map(|(g, l)| (g.to_string(), *l))
    .collect();
    let pl = match PathLabels::new(&entries, "/home/dana/acme-web", "/home/dana") {
        Ok(pl) => pl,
        Err(e) => panic!("{e}"),
    };
    let ws = "/home/dana/acme-web";
    let all = ["env", "env_variant", "customers", "pem", "secrets"];
    for (path, excludes, expected) in [
        (ws, &[][..], &all[..]),
        (
            ws,
            &[".env"],
            &["env_variant", "customers", "pem", "secrets"],
        ),
        // `.env*` names `.env` and `.env.*` alike.
        (ws, &[".env*"], &["customers", "pem", "secrets"]),
        (
            ws,
            &["*.pem", "secrets/"],
            &["env", "env_variant", "customers"],
        ),
        (ws, &["data"], &["env", "env_variant", "pem", "secrets"]),
        (
            ws,
            &["customers*.csv"],
            &["env", "env_variant", "pem", "secrets"],
        ),
        // A glob segment is named only by the same text.
        (ws, &["customers.csv"], &all),
        // An exclude with a `/` inside names one place; not compared.
        (ws, &["config/.env", "/.env"], &all),
        // A name above the tree read excludes nothing below it.
        ("/home/dana/acme-web/data", &["acme-web"], &["customers"]),
        // The path itself is matched whatever is excluded below it.
        ("/home/dana/acme-web/.env", &[".env"], &["env"]),
        ("/home/dana/.ssh", &["id_rsa"], &["ssh"]),
    ] {
        let excludes: Vec<String> = excludes.iter().map(|e| (*e).to_owned()).collect();
        assert_eq!(
            pl.labels_excluding(path, true, &excludes),
            expected,
            "{path} without {excludes:?}"
        );
    }
}
