//! npm's configuration, as npm (and pnpm, yarn 1 and bun after their own)
//! reads it: the line's `--KEY[=VALUE]` options, the environment's
//! `npm_config_KEY` variables, the project's `.npmrc`, then the user's
//! (`~/.npmrc`, or `--userconfig`), strongest first. Keys are compared
//! without regard to case, `-` and `_` alike (`npm_config_dry_run` is
//! `dry-run`). Only files written earlier (on the line or by an earlier
//! step) are known; a value's `${VAR}` is that variable's value, so a
//! token a file names keeps the variable it comes from.

use crate::Payload;
use crate::args::Arg;
use crate::commands::{Invocation, Lookup};
use crate::flow;

/// The environment's `npm_config_KEY` value (any case, `-` or `_`).
pub(in crate::commands) fn env_setting<'a>(inv: &'a Invocation<'_>, key: &str) -> Option<&'a Arg> {
    let wanted = normalize(key);
    inv.env.iter().rev().find_map(|(name, value)| {
        let lower = name.to_ascii_lowercase();
        let setting = lower.strip_prefix("npm_config_")?;
        (normalize(setting) == wanted).then_some(value)
    })
}

/// True when a setting's text turns a switch on (`true`, `1`, `yes`).
pub(in crate::commands) fn is_on(value: &Arg) -> bool {
    !value.dynamic
        && !matches!(
            value.text.to_ascii_lowercase().as_str(),
            "" | "0" | "false" | "no" | "off" | "null" | "undefined"
        )
}

/// npm's settings, one layer per source, strongest first.
#[derive(Debug, Default)]
pub(in crate::commands) struct NpmConfig {
    layers: Vec<Vec<(String, Arg)>>,
}

impl NpmConfig {
    /// The settings a run of npm in `project` sees: the line's options
    /// (`cli`, as `(KEY, VALUE)` without `--`), its environment, the
    /// project's `.npmrc` and the user's.
    pub(in crate::commands) fn read(
        inv: &Invocation<'_>,
        cli: Vec<(String, Arg)>,
        project: &str,
        text_of: &Lookup<'_>,
    ) -> NpmConfig {
        let env: Vec<(String, Arg)> = inv
            .env
            .iter()
            .filter_map(|(name, value)| {
                let lower = name.to_ascii_lowercase();
                let key = lower.strip_prefix("npm_config_")?;
                Some((key.to_owned(), value.clone()))
            })
            .collect();
        let mut config = NpmConfig {
            layers: vec![cli, env],
        };
        if let Some(text) = project_npmrc(project, text_of) {
            config.layers.push(parse_npmrc(&text));
        }
        let user = config
            .get("userconfig")
            .map_or_else(|| inv.path("~/.npmrc"), |file| inv.path(&file.text));
        if let Some(text) = text_of(&user) {
            config.layers.push(parse_npmrc(&text));
        }
        config
    }

    /// Puts `settings` (a package's `publishConfig`) just below the line's
    /// own options, above everything else.
    pub(in crate::commands) fn override_with(&mut self, settings: Vec<(String, Arg)>) {
        let at = self.layers.len().min(1);
        self.layers.insert(at, settings);
    }

    /// The strongest value of `key`.
    pub(in crate::commands) fn get(&self, key: &str) -> Option<&Arg> {
        let wanted = normalize(key);
        self.layers.iter().find_map(|layer| {
            layer
                .iter()
                .rev()
                .find(|(k, _)| normalize(k) == wanted)
                .map(|(_, v)| v)
        })
    }

    /// True when switch `key` is on.
    pub(in crate::commands) fn flag(&self, key: &str) -> bool {
        self.get(key).is_some_and(is_on)
    }

    /// The registry `package` goes to: its scope's (`@acme:registry`),
    /// else `registry`.
    pub(in crate::commands) fn registry(&self, package: Option<&str>) -> Option<String> {
        package
            .and_then(|p| self.scope_registry(p))
            .or_else(|| self.get("registry").map(|r| r.text.clone()))
            .filter(|r| !r.is_empty())
    }

    /// The registry the scope of `package` (`@acme/ui@2`) is set to
    /// (`@acme:registry=URL`); `None` for an unscoped package.
    pub(in crate::commands) fn scope_registry(&self, package: &str) -> Option<String> {
        let (scope, _) = package
            .strip_prefix('@')
            .and_then(|rest| rest.split_once('/'))?;
        self.get(&format!("@{scope}:registry"))
            .filter(|r| !r.text.is_empty())
            .map(|r| r.text.clone())
    }

    /// What npm authenticates to `registry` with: the `_authToken`,
    /// `_auth`, `_password` and `username` set for a prefix of it
    /// (`//npm.example.com/:_authToken=${NPM_TOKEN}`), and the unscoped ones.
    pub(in crate::commands) fn credentials(&self, registry: &str) -> Payload {
        let nerfed = nerf_dart(registry);
        let mut payload = Payload::default();
        for layer in &self.layers {
            for (key, value) in layer {
                let (prefix, field) = match key.rsplit_once(':') {
                    Some((prefix, field)) if prefix.starts_with("//") => (Some(prefix), field),
                    _ => (None, key.as_str()),
                };
                let credential = matches!(
                    normalize(field).as_str(),
                    "-authtoken" | "-auth" | "-password" | "username"
                );
                let applies = prefix.is_none_or(|p| nerfed.starts_with(&nerf_dart(p)));
                if credential && applies {
                    flow::merge(&mut payload, &value.payload());
                }
            }
        }
        payload
    }
}

/// A key as npm compares it.
fn normalize(key: &str) -> String {
    key.to_ascii_lowercase().replace('_', "-")
}

/// A registry URL without its scheme, ending in `/` (`//host/path/`), as
/// npm keys its credentials.
fn nerf_dart(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.trim_start_matches('/');
    format!("//{}/", rest.trim_end_matches('/'))
}

/// The project's `.npmrc`: in the nearest directory from `project` up that
/// holds a written `.npmrc` or `package.json` (npm's project root).
fn project_npmrc(project: &str, text_of: &Lookup<'_>) -> Option<String> {
    let mut dir = project.trim_end_matches('/').to_owned();
    loop {
        let file = |name: &str| text_of(&format!("{dir}/{name}"));
        if let Some(text) = file(".npmrc") {
            return Some(text);
        }
        if file("package.json").is_some() {
            return None;
        }
        dir = match dir.rsplit_once('/') {
            Some((parent, _)) if !parent.is_empty() => parent.to_owned(),
            _ => return None,
        };
    }
}

/// The `KEY=VALUE` lines of an `.npmrc` (`;` and `#` start comments).
pub(in crate::commands) fn parse_npmrc(text: &str) -> Vec<(String, Arg)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.starts_with([';', '#', '[']) {
                return None;
            }
            let (key, value) = line.split_once('=')?;
            let value = value.trim().trim_matches(['"', '\'']);
            Some((key.trim().to_owned(), setting(value)))
        })
        .collect()
}

/// A setting's text with the variables it expands (`${NPM_TOKEN}`).
pub(in crate::commands) fn setting(text: &str) -> Arg {
    let mut arg = Arg::literal(text);
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        rest = rest.get(at + 1..).unwrap_or_default();
        let name: String = rest
            .trim_start_matches('{')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.chars().next().is_some_and(|c| !c.is_ascii_digit()) && !arg.env.contains(&name) {
            arg.env.push(name);
        }
    }
    arg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_keyed_by_registry_prefix() {
        assert_eq!(nerf_dart("https://npm.example.com/"), "//npm.example.com/");
        assert_eq!(nerf_dart("//npm.example.com/a/"), "//npm.example.com/a/");
    }

    #[test]
    fn npmrc_lines_are_settings() {
        let settings = parse_npmrc("; c\nregistry = https://r/\n//r/:_authToken=${T}\n");
        assert_eq!(settings.len(), 2);
        assert_eq!(settings[1].1.env, vec!["T".to_owned()]);
    }
}
