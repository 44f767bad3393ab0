//! The package indexes Python publishers name by alias: poetry's
//! repositories (`poetry config [--local] repositories.NAME URL`, kept in
//! the project's `poetry.toml` or the user's `config.toml`, and
//! `POETRY_REPOSITORIES_<NAME>_URL`) and twine's `.pypirc` sections
//! (`[NAME] repository = URL`, with their username and password). A
//! `poetry config` writes its setting into its file, so a later
//! `poetry publish -r NAME` (on the line or in a later step) reads it
//! through the files written.

use crate::args::Arg;
use crate::commands::packages::npm_config::setting;
use crate::commands::toml::{Document, Value};
use crate::commands::{Invocation, Lookup, Outcome};
use crate::{Payload, flow};

/// poetry's user configuration file.
const POETRY_USER_CONFIG: &str = "~/.config/pypoetry/config.toml";

/// `poetry config [--local] repositories.NAME URL`: the file it writes
/// (`poetry.toml` in the project with `--local`; the user's otherwise,
/// whose write the dispatcher adds) and the setting it holds.
pub(in crate::commands) fn poetry_config(inv: &Invocation<'_>) -> Option<Outcome> {
    if inv.program != "poetry" {
        return None;
    }
    let words: Vec<&Arg> = inv
        .args
        .iter()
        .filter(|a| !a.text.starts_with('-'))
        .collect();
    let [verb, key, url, ..] = words.as_slice() else {
        return None;
    };
    if verb.text != "config" {
        return None;
    }
    let local = inv.args.iter().any(|a| a.text == "--local");
    if inv
        .args
        .iter()
        .any(|a| a.text == "--unset" || a.text == "--list")
    {
        return None;
    }
    let name = key.text.strip_prefix("repositories.")?;
    let mut holds = Payload::default();
    flow::merge(&mut holds, &url.expansions());
    let value = &url.text;
    flow::push_text(
        &mut holds,
        &format!("[repositories.{name}]\nurl = \"{value}\"\n"),
    );
    let mut outcome = Outcome::default();
    let file = poetry_config_file(inv, local);
    if local {
        outcome.write(file.clone(), false);
    }
    outcome.contents.push((file, holds));
    Some(outcome)
}

/// The file `poetry config` changes.
fn poetry_config_file(inv: &Invocation<'_>, local: bool) -> String {
    if local {
        inv.path("poetry.toml")
    } else {
        inv.env_value("POETRY_CONFIG_DIR").map_or_else(
            || inv.path(POETRY_USER_CONFIG),
            |dir| inv.path(&format!("{}/config.toml", dir.text)),
        )
    }
}

/// What a `poetry config` leaves in its file: the text the file held
/// before (written earlier) with the new setting after it.
pub(in crate::commands) fn append_to_config(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &Lookup<'_>,
) {
    if poetry_config(inv).is_none() {
        return;
    }
    for (path, holds) in &mut outcome.contents {
        if let Some(before) = text_of(path)
            && let Some(added) = holds.text.pop()
        {
            holds.text.push(format!("{before}\n{added}"));
        }
    }
}

/// The URL of poetry's repository `name`: the environment's
/// `POETRY_REPOSITORIES_<NAME>_URL`, then the project's `poetry.toml`
/// (the nearest from the working directory up), then the user's.
pub(in crate::commands) fn poetry_repository(
    inv: &Invocation<'_>,
    name: &str,
    text_of: &Lookup<'_>,
) -> Option<String> {
    let variable: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if let Some(url) = inv.env_value(&format!("POETRY_REPOSITORIES_{variable}_URL")) {
        return Some(url.text.clone());
    }
    let mut dir = inv.cwd.trim_end_matches('/').to_owned();
    loop {
        if let Some(url) =
            text_of(&format!("{dir}/poetry.toml")).and_then(|t| toml_repository(&t, name))
        {
            return Some(url);
        }
        match dir.rsplit_once('/') {
            Some((parent, _)) if !parent.is_empty() => dir = parent.to_owned(),
            _ => break,
        }
    }
    text_of(&poetry_config_file(inv, false)).and_then(|t| toml_repository(&t, name))
}

/// Repository `name`'s URL in poetry's TOML (`[repositories.NAME]` with
/// `url = "..."`, dotted keys, or an inline table).
fn toml_repository(text: &str, name: &str) -> Option<String> {
    match Document::parse(text).get(&["repositories", name, "url"]) {
        Some(Value::Str(url)) => Some(url.clone()),
        _ => None,
    }
}

/// twine's repository `name` in its `.pypirc` (`--config-file`, else
/// `~/.pypirc`): the section's `repository` URL (PyPI's for `pypi` and
/// TestPyPI's for `testpypi` when it gives none) and the username and
/// password it sends there.
pub(in crate::commands) fn pypirc_repository(
    inv: &Invocation<'_>,
    config: Option<&str>,
    name: &str,
    text_of: &Lookup<'_>,
) -> Option<(String, Payload)> {
    let path = config.map_or_else(|| inv.path("~/.pypirc"), str::to_owned);
    let text = text_of(&path)?;
    let mut section = String::new();
    let mut url = None;
    let mut credentials = Payload::default();
    let mut present = false;
    for line in text.lines() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = header.trim().to_owned();
            present |= section == name;
            continue;
        }
        if section != name || line.starts_with(['#', ';']) {
            continue;
        }
        let Some((key, value)) = line
            .split_once([':', '='])
            .filter(|(k, _)| !k.contains('/'))
        else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "repository" => url = Some(value.to_owned()),
            "username" | "password" => flow::merge(&mut credentials, &setting(value).payload()),
            _ => {}
        }
    }
    if !present {
        return None;
    }
    let url = url.or_else(|| match name {
        "pypi" => Some(super::package::PYPI_UPLOAD.to_owned()),
        "testpypi" => Some("https://test.pypi.org/legacy/".to_owned()),
        _ => None,
    })?;
    Some((url, credentials))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poetry_repositories_are_read_in_every_toml_form() {
        let urls = [
            "[repositories.qf]\nurl = \"https://a/\"\n",
            "repositories.qf.url = \"https://a/\"\n",
            "[repositories]\nqf = { url = \"https://a/\" }\n",
        ];
        for text in urls {
            assert_eq!(
                toml_repository(text, "qf").as_deref(),
                Some("https://a/"),
                "{text}"
            );
        }
        assert_eq!(
            toml_repository("[repositories.other]\nurl = \"x\"\n", "qf"),
            None
        );
    }
}
