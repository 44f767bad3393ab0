//! The AWS CLI's shared configuration file (`~/.aws/config`, or the file
//! `AWS_CONFIG_FILE` names): the profile a command runs under (`--profile
//! P` anywhere on the line, else `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`,
//! else `default`) may name the endpoint its S3 calls go to, which is then
//! the host they reach, not AWS. Strongest first: the S3 endpoint of the
//! `[services NAME]` section the profile's `services` names, the profile's
//! own `s3 =` block's `endpoint_url`, the profile's `endpoint_url`. An
//! endpoint the line or the environment gives (`--endpoint-url`,
//! `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`) wins over the file, and
//! `ignore_configured_endpoint_urls` (or its variable) turns the file's
//! endpoints off.

use super::ini::{self, Section};
use super::{Invocation, Lookup, Outcome, first_known, known_env};
use crate::args;

/// Moves the S3 requests of an `aws` command to the endpoint its profile
/// configures, when the session knows the configuration file.
pub(super) fn apply(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    if crate::commands::cloud::aws_endpoint(inv).is_some() || ignores_configured(inv) {
        return;
    }
    let file = known_env(inv, "AWS_CONFIG_FILE").unwrap_or("~/.aws/config");
    let Some(text) = first_known(&[inv.path(file)], text_of) else {
        return;
    };
    let Some(name) = profile(inv) else {
        return;
    };
    let sections = ini::sections(&text);
    if let Some(endpoint) = s3_endpoint(&sections, &name) {
        crate::commands::cloud::at_endpoint(outcome, endpoint);
    }
}

/// The profile the command runs under; `None` when a variable's unknown
/// value names it.
fn profile(inv: &Invocation<'_>) -> Option<String> {
    let items = args::parse_valued(inv.args, &["profile"]);
    let named = args::value(&items, &["--profile"])
        .or_else(|| inv.env_value("AWS_PROFILE"))
        .or_else(|| inv.env_value("AWS_DEFAULT_PROFILE"));
    match named {
        Some(value) if value.dynamic || value.text.is_empty() => None,
        Some(value) => Some(value.text.clone()),
        None => Some("default".to_owned()),
    }
}

/// True when the environment turns configured endpoints off.
fn ignores_configured(inv: &Invocation<'_>) -> bool {
    known_env(inv, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").is_some_and(is_true)
}

fn is_true(value: &str) -> bool {
    value.eq_ignore_ascii_case("true")
}

/// The S3 endpoint profile `name` configures.
fn s3_endpoint<'a>(sections: &'a [Section], name: &str) -> Option<&'a str> {
    let profile = sections.iter().rev().find(|s| is_profile(&s.name, name))?;
    if profile
        .get("ignore_configured_endpoint_urls")
        .is_some_and(is_true)
    {
        return None;
    }
    let services = profile.get("services").and_then(|services| {
        let header = format!("services {services}");
        sections.iter().rev().find(|s| s.name == header)
    });
    services
        .and_then(|s| s.get("s3.endpoint_url"))
        .or_else(|| profile.get("s3.endpoint_url"))
        .or_else(|| profile.get("endpoint_url"))
}

/// True for the header of profile `name`: `[profile NAME]`, and for the
/// default profile also `[default]`.
fn is_profile(header: &str, name: &str) -> bool {
    header.strip_prefix("profile ") == Some(name) || (name == "default" && header == "default")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_sections_beat_the_profile_block_and_its_endpoint() {
        let text = "[default]\nendpoint_url = https://d\n[profile p]\nendpoint_url = https://p\ns3 =\n  endpoint_url = https://p-s3\n[profile q]\nendpoint_url = https://q\nservices = svc\n[services svc]\ns3 =\n  endpoint_url = https://svc-s3\n[profile off]\nendpoint_url = https://o\nignore_configured_endpoint_urls = true\n";
        let sections = ini::sections(text);
        assert_eq!(s3_endpoint(&sections, "default"), Some("https://d"));
        assert_eq!(s3_endpoint(&sections, "p"), Some("https://p-s3"));
        assert_eq!(s3_endpoint(&sections, "q"), Some("https://svc-s3"));
        assert_eq!(s3_endpoint(&sections, "off"), None);
        assert_eq!(s3_endpoint(&sections, "missing"), None);
    }
}
