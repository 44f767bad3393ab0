//! tmux: `tmux [-2CDlNuVv] [-c SHELL-COMMAND] [-f FILE] [-L NAME] [-S
//! PATH] [-T FEATURES] [COMMAND [FLAGS] [\; COMMAND ...]]`. Commands are
//! parted by a `;` word (or a word ending in an unescaped `;`) and may be
//! written by alias (`neww`, `splitw`) or by a prefix only one command
//! has (`new-s`). Those that start a command (`new-session`,
//! `new-window`, `split-window`, `respawn-pane`, `respawn-window`,
//! `display-popup`) run it from `-c DIR` (`-d DIR` for popups) with `-e
//! VAR=VALUE`; `run-shell`, `pipe-pane`, `if-shell` and the top-level `-c`
//! run shell text; `send-keys` types its keys into a pane.

use super::{Start, assignment, erase_line, run_command, run_shell, run_typed};
use crate::args::{self, Arg, Spec};
use crate::commands::{Invocation, Outcome};

/// tmux's commands with their aliases, for resolving what is written.
const COMMANDS: &[(&str, &str)] = &[
    ("attach-session", "attach"),
    ("bind-key", "bind"),
    ("break-pane", "breakp"),
    ("capture-pane", "capturep"),
    ("choose-buffer", ""),
    ("choose-client", ""),
    ("choose-tree", ""),
    ("clear-history", "clearhist"),
    ("clear-prompt-history", "clearphist"),
    ("clock-mode", ""),
    ("command-prompt", ""),
    ("confirm-before", "confirm"),
    ("copy-mode", ""),
    ("customize-mode", ""),
    ("delete-buffer", "deleteb"),
    ("detach-client", "detach"),
    ("display-menu", "menu"),
    ("display-message", "display"),
    ("display-panes", "displayp"),
    ("display-popup", "popup"),
    ("find-window", "findw"),
    ("has-session", "has"),
    ("if-shell", "if"),
    ("join-pane", "joinp"),
    ("kill-pane", "killp"),
    ("kill-server", ""),
    ("kill-session", ""),
    ("kill-window", "killw"),
    ("last-pane", "lastp"),
    ("last-window", "last"),
    ("link-window", "linkw"),
    ("list-buffers", "lsb"),
    ("list-clients", "lsc"),
    ("list-commands", "lscm"),
    ("list-keys", "lsk"),
    ("list-panes", "lsp"),
    ("list-sessions", "ls"),
    ("list-windows", "lsw"),
    ("load-buffer", "loadb"),
    ("lock-client", "lockc"),
    ("lock-server", "lock"),
    ("lock-session", "locks"),
    ("move-pane", "movep"),
    ("move-window", "movew"),
    ("new-session", "new"),
    ("new-window", "neww"),
    ("next-layout", "nextl"),
    ("next-window", "next"),
    ("paste-buffer", "pasteb"),
    ("pipe-pane", "pipep"),
    ("previous-layout", "prevl"),
    ("previous-window", "prev"),
    ("refresh-client", "refresh"),
    ("rename-session", "rename"),
    ("rename-window", "renamew"),
    ("resize-pane", "resizep"),
    ("resize-window", "resizew"),
    ("respawn-pane", "respawnp"),
    ("respawn-window", "respawnw"),
    ("rotate-window", "rotatew"),
    ("run-shell", "run"),
    ("save-buffer", "saveb"),
    ("select-layout", "selectl"),
    ("select-pane", "selectp"),
    ("select-window", "selectw"),
    ("send-keys", "send"),
    ("send-prefix", ""),
    ("server-access", ""),
    ("set-buffer", "setb"),
    ("set-environment", "setenv"),
    ("set-hook", ""),
    ("set-option", "set"),
    ("set-window-option", "setw"),
    ("show-buffer", "showb"),
    ("show-environment", "showenv"),
    ("show-hooks", ""),
    ("show-messages", "showmsgs"),
    ("show-options", "show"),
    ("show-prompt-history", "showphist"),
    ("show-window-options", "showw"),
    ("source-file", "source"),
    ("split-window", "splitw"),
    ("start-server", "start"),
    ("suspend-client", "suspendc"),
    ("swap-pane", "swapp"),
    ("swap-window", "swapw"),
    ("switch-client", "switchc"),
    ("unbind-key", "unbind"),
    ("unlink-window", "unlinkw"),
    ("wait-for", "wait"),
];

/// A command's full name: an alias, a full name, or a prefix of only one.
fn resolve(written: &str) -> Option<&'static str> {
    if let Some((name, _)) = COMMANDS
        .iter()
        .find(|(name, alias)| *alias == written || *name == written)
    {
        return Some(name);
    }
    let mut matching = COMMANDS
        .iter()
        .filter(|(name, _)| name.starts_with(written));
    match (matching.next(), matching.next()) {
        (Some((name, _)), None) if !written.is_empty() => Some(name),
        _ => None,
    }
}

pub(super) fn tmux(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let items = args::parse(
        inv.args,
        &Spec {
            short: "cfLST",
            long: &[],
            stop_after: Some(0),
        },
    );
    let mut commands: Vec<&Arg> = Vec::new();
    for item in &items {
        match item {
            args::Item::Pos(arg) => commands.push(arg),
            // `tmux -c CMD`: runs CMD with the default shell, as a login shell would.
            args::Item::Opt {
                name,
                value: Some(value),
            } if name == "-c" => run_shell(&value.text, Start::default(), &mut outcome),
            args::Item::Opt {
                name,
                value: Some(file),
            } if name == "-f" => outcome.read(inv.path(&file.text), false),
            args::Item::Opt { .. } => {}
        }
    }
    for command in split_commands(&commands) {
        run_tmux_command(inv, &command, &mut outcome);
    }
    outcome
}

/// The commands of a sequence, parted at `;`.
fn split_commands(words: &[&Arg]) -> Vec<Vec<Arg>> {
    let mut commands = vec![Vec::new()];
    for word in words {
        let text = word.text.as_str();
        let current = commands.last_mut();
        if text == ";" {
            commands.push(Vec::new());
        } else if let Some(kept) = text.strip_suffix("\\;") {
            current
                .into_iter()
                .for_each(|c| c.push(word.with_text(&format!("{kept};"))));
        } else if let Some(kept) = text.strip_suffix(';') {
            current
                .into_iter()
                .for_each(|c| c.push(word.with_text(kept)));
            commands.push(Vec::new());
        } else {
            current.into_iter().for_each(|c| c.push((*word).clone()));
        }
    }
    commands.retain(|c| !c.is_empty());
    commands
}

/// One command: those that run something, read or write files.
fn run_tmux_command(inv: &Invocation<'_>, words: &[Arg], outcome: &mut Outcome) {
    let Some((name, rest)) = words.split_first() else {
        return;
    };
    let Some(command) = resolve(&name.text) else {
        return;
    };
    // The options that take a value, and the one naming a start directory.
    let (values, dir_option) = match command {
        "new-session" => ("censtxyFf", "-c"),
        "new-window" => ("cenFt", "-c"),
        "split-window" => ("celptF", "-c"),
        "respawn-pane" | "respawn-window" => ("cet", "-c"),
        "display-popup" => ("bcdehsStTwxy", "-d"),
        "run-shell" => ("cdt", "-c"),
        "pipe-pane" | "if-shell" => ("t", ""),
        "send-keys" => ("cNt", ""),
        "load-buffer" | "save-buffer" => ("bt", ""),
        "source-file" => ("t", ""),
        _ => return,
    };
    let items = args::parse(
        rest,
        &Spec {
            short: values,
            long: &[],
            stop_after: Some(0),
        },
    );
    let positionals = args::positionals(&items);
    let start = Start {
        cwd: args::value(&items, &[dir_option]).map(|dir| inv.path(&dir.text)),
        env: args::values(&items, &["-e"])
            .into_iter()
            .filter_map(assignment)
            .collect(),
    };
    match command {
        "run-shell" if args::has(&items, &["-C"]) => {}
        "run-shell" | "pipe-pane" | "if-shell" => {
            if let Some(text) = positionals.first() {
                run_shell(&text.text, start, outcome);
            }
        }
        "send-keys" => send_keys(&items, &positionals, outcome),
        "load-buffer" | "source-file" => {
            for file in positionals.iter().filter(|f| f.text != "-") {
                outcome.read(inv.path(&file.text), false);
            }
        }
        "save-buffer" => {
            for file in positionals.iter().filter(|f| f.text != "-") {
                outcome.write(inv.path(&file.text), args::has(&items, &["-a"]));
            }
        }
        _ => run_command(&positionals, start, outcome),
    }
}

/// `send-keys [-lHX] [-N N] [-t PANE] KEY...`: each key a key name
/// (`Enter`, `C-m`, `Space`, ...) or text typed as it is, without spaces
/// between keys; `-l` types them all literally, `-H` as hexadecimal
/// bytes, `-X` sends copy-mode commands, not keys.
fn send_keys(items: &[args::Item<'_>], keys: &[&Arg], outcome: &mut Outcome) {
    if args::has(items, &["-X"]) {
        return;
    }
    let literal = args::has(items, &["-l"]);
    let hex = args::has(items, &["-H"]);
    let mut typed = String::new();
    for key in keys {
        if hex {
            if let Some(byte) = u8::from_str_radix(key.text.trim_start_matches("0x"), 16)
                .ok()
                .filter(u8::is_ascii)
            {
                typed.push(char::from(byte));
            }
            continue;
        }
        if literal {
            typed.push_str(&key.text);
            continue;
        }
        type_key(&key.text, &mut typed);
    }
    run_typed(
        &typed.replace('\r', "\n"),
        "keys typed into a tmux pane",
        outcome,
    );
}

/// Adds what one key argument types.
fn type_key(key: &str, typed: &mut String) {
    let lower = key.to_ascii_lowercase();
    match lower.as_str() {
        "enter" | "c-m" | "^m" | "kpenter" | "c-j" | "^j" => typed.push('\n'),
        "space" => typed.push(' '),
        "tab" | "c-i" | "^i" => typed.push('\t'),
        "c-c" | "^c" | "c-u" | "^u" => erase_line(typed),
        "bspace" | "c-h" | "^h" => {
            if !typed.ends_with('\n') {
                typed.pop();
            }
        }
        _ if is_key_name(&lower) => {}
        _ => typed.push_str(key),
    }
}

/// A key name that types no text (`Up`, `Escape`, `F5`, `M-x`, `C-a`).
fn is_key_name(lower: &str) -> bool {
    const NAMED: &[&str] = &[
        "up", "down", "left", "right", "home", "end", "npage", "ppage", "pagedown", "pageup",
        "pgdn", "pgup", "ic", "insert", "dc", "delete", "btab", "escape", "any",
    ];
    if NAMED.contains(&lower) {
        return true;
    }
    if let Some(number) = lower.strip_prefix('f') {
        return number.parse::<u8>().is_ok_and(|n| (1..=24).contains(&n));
    }
    let mut rest = lower;
    let mut modified = false;
    while let Some(after) = ["c-", "m-", "s-"].iter().find_map(|m| rest.strip_prefix(m)) {
        rest = after;
        modified = true;
    }
    (modified && (rest.chars().count() == 1 || NAMED.contains(&rest) || is_key_name(rest)))
        || (lower.starts_with('^') && lower.chars().count() == 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_by_alias_and_prefix() {
        assert_eq!(resolve("new"), Some("new-session"));
        assert_eq!(resolve("neww"), Some("new-window"));
        assert_eq!(resolve("new-s"), Some("new-session"));
        assert_eq!(resolve("send"), Some("send-keys"));
        assert_eq!(resolve("split"), Some("split-window"));
        assert_eq!(resolve("s"), None);
    }

    #[test]
    fn keys_typed() {
        let mut typed = String::new();
        for key in [
            "git push", " -f", "Enter", "ls", "C-c", "pwd", "C-m", "Up", "M-x",
        ] {
            type_key(key, &mut typed);
        }
        assert_eq!(typed, "git push -f\npwd\n");
    }

    #[test]
    fn sequences_part_at_semicolons() {
        let words: Vec<Arg> = ["new", "-d", ";", "send", "x;", "neww", "a\\;"]
            .iter()
            .map(|w| Arg::literal(w))
            .collect();
        let refs: Vec<&Arg> = words.iter().collect();
        let texts: Vec<Vec<String>> = split_commands(&refs)
            .into_iter()
            .map(|c| c.into_iter().map(|a| a.text).collect())
            .collect();
        assert_eq!(
            texts,
            [vec!["new", "-d"], vec!["send", "x"], vec!["neww", "a;"]]
        );
    }
}
