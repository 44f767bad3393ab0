//! Client configuration files an earlier step wrote or showed (a file
//! tool's read, `cat F`), which decide where a plain-looking command goes:
//! the AWS CLI profile's endpoint in `~/.aws/config` ([`aws`]), rclone's
//! remotes in `rclone.conf` ([`rclone`]), s3cmd's endpoint in `~/.s3cfg`
//! ([`s3cmd`]), and npm's registries in `.npmrc` (read by
//! [`super::packages::configured_installs`]). curl's default `~/.curlrc` is
//! read with its `-K` files (`net/curl_config.rs`).
//!
//! Only files whose text the session knows are read; a file it does not
//! know leaves the command as its line says.

mod aws;
mod ini;
mod rclone;
mod s3cmd;

use super::{Invocation, Lookup, Outcome};

/// Points the requests of `inv`'s outcome where the client's
/// configuration files known to the session send them.
pub(crate) fn configured(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    match inv.program {
        "aws" => aws::apply(inv, outcome, text_of),
        "s3cmd" => s3cmd::apply(inv, outcome, text_of),
        "rclone" => rclone::apply(inv, outcome, text_of),
        _ => super::packages::configured_installs(inv, outcome, text_of),
    }
}

/// The value of an environment variable the line or the shell set, when it
/// is known text (not `$OTHER`, not empty).
fn known_env<'a>(inv: &'a Invocation<'_>, name: &str) -> Option<&'a str> {
    inv.env_value(name)
        .filter(|value| !value.dynamic && !value.text.is_empty())
        .map(|value| value.text.as_str())
}

/// The first of `paths` whose text is known, with that text.
fn first_known(paths: &[String], text_of: &Lookup<'_>) -> Option<String> {
    paths.iter().find_map(|path| text_of(path))
}
