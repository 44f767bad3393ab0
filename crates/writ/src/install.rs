//! `writ install claude-code|codex`: add writ's hooks to an agent's
//! settings without disturbing what is already there.
//!
//! The settings file is read, writ's entries are added where missing (an
//! existing writ entry is left alone), the previous file is kept as
//! `NAME.bak`, and the new one is written to a temporary file and renamed
//! over the old, so a crash never leaves half a file. A file that is not
//! valid JSON is refused, untouched.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::error::CliError;

/// The hook events writ answers, per agent.
const CLAUDE_EVENTS: &[&str] = &["PreToolUse", "PermissionRequest", "PostToolUse"];
const CODEX_EVENTS: &[&str] = &["PreToolUse", "PostToolUse"];

/// Adds writ's hooks to Claude Code's `settings.json` in `dir` (a
/// project's `.claude` or the user's `~/.claude`). Returns what was done.
pub fn claude_code(dir: &Path, command: &str) -> Result<String, CliError> {
    let path = dir.join("settings.json");
    let added = merge_hooks(&path, CLAUDE_EVENTS, command)?;
    Ok(report(&path, &added))
}

/// Adds writ's hooks to Codex's `hooks.json` in `dir` (`.codex` or
/// `~/.codex`) and turns hooks on in its `config.toml`.
pub fn codex(dir: &Path, command: &str) -> Result<String, CliError> {
    let path = dir.join("hooks.json");
    let added = merge_hooks(&path, CODEX_EVENTS, command)?;
    let config = dir.join("config.toml");
    let enabled = enable_codex_hooks(&config)?;
    let mut out = report(&path, &added);
    out.push_str(&if enabled {
        format!("{}: turned on [features] codex_hooks\n", config.display())
    } else {
        format!("{}: codex_hooks already set\n", config.display())
    });
    Ok(out)
}

fn report(path: &Path, added: &[&str]) -> String {
    if added.is_empty() {
        format!("{}: writ's hooks were already installed\n", path.display())
    } else {
        format!(
            "{}: added writ's hook for {}\n",
            path.display(),
            added.join(", ")
        )
    }
}

/// Adds `{"matcher": "*", "hooks": [{"type": "command", "command"}]}` under
/// each event that has no writ hook yet; returns the events changed.
fn merge_hooks<'a>(
    path: &Path,
    events: &[&'a str],
    command: &str,
) -> Result<Vec<&'a str>, CliError> {
    let mut settings = match std::fs::read_to_string(path) {
        Ok(text) if text.trim().is_empty() => Value::Object(Map::new()),
        Ok(text) => serde_json::from_str::<Value>(&text).map_err(|e| {
            CliError::Input(format!(
                "`{}` is not valid JSON ({e}); it was left untouched",
                path.display()
            ))
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Value::Object(Map::new()),
        Err(e) => {
            return Err(CliError::Input(format!(
                "cannot read `{}`: {e}",
                path.display()
            )));
        }
    };
    let invalid = |what: &str| {
        CliError::Input(format!(
            "`{}`: {what}; it was left untouched",
            path.display()
        ))
    };
    let root = settings
        .as_object_mut()
        .ok_or_else(|| invalid("the settings are not a JSON object"))?;
    let hooks = root
        .entry("hooks")
        .or_insert_with(|| Value::Object(Map::new()));
    let hooks = hooks
        .as_object_mut()
        .ok_or_else(|| invalid("`hooks` is not an object"))?;
    let mut added = Vec::new();
    for event in events {
        let list = hooks
            .entry(*event)
            .or_insert_with(|| Value::Array(Vec::new()));
        let list = list
            .as_array_mut()
            .ok_or_else(|| invalid(&format!("`hooks.{event}` is not a list")))?;
        if list.iter().any(is_writ_entry) {
            continue;
        }
        list.push(json!({"matcher": "*", "hooks": [{"type": "command", "command": command}]}));
        added.push(*event);
    }
    if !added.is_empty() {
        let text = serde_json::to_string_pretty(&settings)
            .map_err(|e| CliError::Internal(e.to_string()))?;
        write_atomically(path, &(text + "\n"))?;
    }
    Ok(added)
}

/// True for a matcher group whose command runs `writ hook` or `writ-hook`.
fn is_writ_entry(group: &Value) -> bool {
    group
        .get("hooks")
        .and_then(Value::as_array)
        .is_some_and(|hooks| {
            hooks.iter().any(|h| {
                h.get("command").and_then(Value::as_str).is_some_and(|c| {
                    (c.contains("writ") && c.contains(" hook ")) || c.contains("writ-hook")
                })
            })
        })
}

/// Sets `codex_hooks = true` under `[features]`; false when already set.
fn enable_codex_hooks(path: &Path) -> Result<bool, CliError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(CliError::Input(format!(
                "cannot read `{}`: {e}",
                path.display()
            )));
        }
    };
    if text
        .lines()
        .any(|l| l.trim().replace(' ', "") == "codex_hooks=true")
    {
        return Ok(false);
    }
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if let Some(at) = lines.iter().position(|l| l.trim() == "[features]") {
        lines.retain(|l| !l.trim_start().starts_with("codex_hooks"));
        let at = lines
            .iter()
            .position(|l| l.trim() == "[features]")
            .unwrap_or(at);
        lines.insert(at + 1, "codex_hooks = true".to_owned());
    } else {
        if lines.last().is_some_and(|l| !l.trim().is_empty()) {
            lines.push(String::new());
        }
        lines.push("[features]".to_owned());
        lines.push("codex_hooks = true".to_owned());
    }
    write_atomically(path, &(lines.join("\n") + "\n"))?;
    Ok(true)
}

fn write_atomically(path: &Path, text: &str) -> Result<(), CliError> {
    let io = |e: std::io::Error| CliError::Input(format!("cannot write `{}`: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    if path.exists() {
        let mut backup = path.as_os_str().to_owned();
        backup.push(".bak");
        std::fs::copy(path, PathBuf::from(backup)).map_err(io)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".writ-tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_without_clobbering_and_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(
            &path,
            r#"{"model": "opus", "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "lint.sh"}]}]}}"#,
        )
        .unwrap();
        let out = claude_code(dir.path(), "/usr/bin/writ hook claude-code").unwrap();
        assert!(
            out.contains("PreToolUse, PermissionRequest, PostToolUse"),
            "{out}"
        );
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(v["model"], "opus");
        assert_eq!(v["hooks"]["PreToolUse"].as_array().unwrap().len(), 2);
        assert_eq!(
            v["hooks"]["PreToolUse"][0]["hooks"][0]["command"],
            "lint.sh"
        );
        assert!(dir.path().join("settings.json.bak").exists());
        let again = claude_code(dir.path(), "/usr/bin/writ hook claude-code").unwrap();
        assert!(again.contains("already installed"), "{again}");
    }

    #[test]
    fn refuses_invalid_json_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "{oops").unwrap();
        assert!(claude_code(dir.path(), "writ hook claude-code").is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{oops");
    }

    #[test]
    fn codex_features_are_turned_on_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            "model = \"o4\"\n\n[features]\nweb_search = true\n",
        )
        .unwrap();
        codex(dir.path(), "writ hook codex").unwrap();
        let toml = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
        assert!(
            toml.contains("[features]\ncodex_hooks = true\nweb_search = true"),
            "{toml}"
        );
        assert_eq!(toml.matches("[features]").count(), 1);
        let out = codex(dir.path(), "writ hook codex").unwrap();
        assert!(out.contains("already set"), "{out}");
    }
}
