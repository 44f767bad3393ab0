//! Developer-environment APIs' requests that open a workspace's port to
//! anyone on the internet, read as their vendors document them: Coder's
//! `POST /api/v2/workspaces/{workspace}/port-share` with `share_level`
//! `public` (`owner`, `authenticated` and `organization` keep it behind a
//! sign-in), and Gitpod's `gitpod.v1.EnvironmentService` `CreateEnvironment`
//! and `UpdateEnvironment` with a `spec.ports[].admission` of
//! `ADMISSION_LEVEL_EVERYONE`. Both are self-hosted or proxied on any host,
//! so they are known by their paths, not their hosts.

use serde_json::Value;
use writ_shell::{Effect, Resource};

use super::{request_bodies, scalar_text};

/// The port a request on any host makes public, as a [`Effect::MakePublic`]
/// of the URL without its query; `None` when it opens none.
pub(super) fn public_port(method: &str, url: &str, path: &str, texts: &[String]) -> Option<Effect> {
    if method != "POST" {
        return None;
    }
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let opens: fn(&Value) -> bool = if is_coder_port_share(&segments) {
        coder_shares_publicly
    } else if is_gitpod_environment_write(&segments) {
        gitpod_admits_everyone
    } else {
        return None;
    };
    if !request_bodies(texts, query).iter().any(opens) {
        return None;
    }
    let name = url.split(['?', '#']).next().unwrap_or(url).to_owned();
    Some(Effect::MakePublic {
        resource: Resource::Other { name },
    })
}

/// `.../api/v2/workspaces/{workspace}/port-share`, under any prefix.
fn is_coder_port_share(segments: &[&str]) -> bool {
    matches!(
        segments,
        [.., "api", "v2", "workspaces", _, last] if last.eq_ignore_ascii_case("port-share")
    )
}

/// Coder's upsert body: `share_level: "public"`.
fn coder_shares_publicly(body: &Value) -> bool {
    body.get("share_level")
        .and_then(scalar_text)
        .is_some_and(|level| level.trim().eq_ignore_ascii_case("public"))
}

/// `.../gitpod.v1.EnvironmentService/CreateEnvironment` or
/// `.../UpdateEnvironment`, under any prefix.
fn is_gitpod_environment_write(segments: &[&str]) -> bool {
    matches!(
        segments,
        [.., service, call]
            if service.eq_ignore_ascii_case("gitpod.v1.EnvironmentService")
                && ["CreateEnvironment", "UpdateEnvironment"]
                    .iter()
                    .any(|c| call.eq_ignore_ascii_case(c))
    )
}

/// Gitpod's environment spec: a port whose `admission` is
/// `ADMISSION_LEVEL_EVERYONE`.
fn gitpod_admits_everyone(body: &Value) -> bool {
    body.get("spec")
        .and_then(|spec| spec.get("ports"))
        .and_then(Value::as_array)
        .is_some_and(|ports| {
            ports.iter().any(|port| {
                port.get("admission")
                    .and_then(scalar_text)
                    .is_some_and(|level| {
                        level
                            .trim()
                            .eq_ignore_ascii_case("ADMISSION_LEVEL_EVERYONE")
                    })
            })
        })
}
