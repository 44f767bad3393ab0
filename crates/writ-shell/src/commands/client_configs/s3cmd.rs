//! s3cmd's configuration file (`-c FILE`/`--config FILE`, else the file
//! `S3CMD_CONFIG` names, else `~/.s3cfg`): its `[default]` section's
//! `host_base` (else `host_bucket`, the bucket's own `%(bucket)s.` left
//! out) is the S3-compatible service the buckets are on, over plain HTTP
//! when `use_https` is off. `--host` on the line wins.

use super::ini;
use super::{Invocation, Lookup, Outcome, first_known, known_env};
use crate::args;

/// Moves the requests of an `s3cmd` command to the endpoint its
/// configuration file names, when the session knows that file.
pub(super) fn apply(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let items = args::parse_valued(inv.args, &["c", "config", "host"]);
    if args::value(&items, &["--host"]).is_some() {
        return;
    }
    let file = match args::value(&items, &["-c", "--config"]) {
        Some(file) if file.dynamic => return,
        Some(file) => file.text.clone(),
        None => known_env(inv, "S3CMD_CONFIG")
            .unwrap_or("~/.s3cfg")
            .to_owned(),
    };
    let Some(text) = first_known(&[inv.path(&file)], text_of) else {
        return;
    };
    if let Some(endpoint) = endpoint(&text) {
        crate::commands::cloud::at_endpoint(outcome, &endpoint);
    }
}

/// The endpoint URL the configuration's `[default]` section names.
fn endpoint(text: &str) -> Option<String> {
    let sections = ini::sections(text);
    let section = sections.iter().rev().find(|s| s.name == "default")?;
    let host = section.get("host_base").or_else(|| {
        section
            .get("host_bucket")
            .map(|host| host.strip_prefix("%(bucket)s.").unwrap_or(host))
    })?;
    if host.contains("%(") {
        return None;
    }
    let https = section.get("use_https").is_none_or(|on| {
        !matches!(
            on.to_ascii_lowercase().as_str(),
            "false" | "no" | "off" | "0"
        )
    });
    Some(if host.contains("://") {
        host.to_owned()
    } else if https {
        format!("https://{host}")
    } else {
        format!("http://{host}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_base_then_host_bucket_with_its_scheme() {
        assert_eq!(
            endpoint("[default]\nhost_base = rgw.x.internal\nuse_https = False\n").as_deref(),
            Some("http://rgw.x.internal")
        );
        assert_eq!(
            endpoint("[default]\nhost_bucket = %(bucket)s.rgw.x.internal:7480\n").as_deref(),
            Some("https://rgw.x.internal:7480")
        );
        assert_eq!(endpoint("[other]\nhost_base = y\n"), None);
    }
}
