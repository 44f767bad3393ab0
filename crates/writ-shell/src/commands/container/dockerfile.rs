//! What an image built from a Dockerfile (or Containerfile) carries of the
//! build's host: the files its `COPY` and `ADD` instructions take from the
//! build context (or from a named `--build-context` directory), and the
//! literal values its `ENV` and `ARG` instructions bake into the image's
//! configuration. Only the stages the built one reaches count: the target
//! stage (the last, or `--target`), the stages it is built `FROM`, and
//! those it copies from (`COPY --from=STAGE`), whose files may be in what
//! it copies.

use crate::commands::words::{self, Backslash};
use crate::{FileRef, Payload, flow, paths};

/// Where a build's sources are: the context directory and the named
/// contexts that are local directories, as absolute paths.
pub(crate) struct Contexts<'a> {
    /// The main context (`docker build DIR`); `None` when it is not a
    /// local directory (a URL, a tarball on standard input).
    pub main: Option<&'a str>,
    /// `--build-context NAME=DIR`, by lower-cased name.
    pub named: &'a [(String, String)],
}

/// One build stage: what it takes from the host, and the stages it is
/// built on or copies from.
#[derive(Default)]
struct Stage {
    name: Option<String>,
    carries: Payload,
    depends_on: Vec<usize>,
}

/// What the image built from `text` carries of the host, for the stage
/// `target` (the last stage when `None`).
pub(crate) fn carried(text: &str, contexts: &Contexts<'_>, target: Option<&str>) -> Payload {
    let stages = stages(text, contexts);
    let last = stages.len().checked_sub(1);
    let built = target
        .and_then(|name| stage_named(&stages, &name.to_ascii_lowercase()))
        .or(last);
    let mut carries = Payload::default();
    let mut seen = vec![false; stages.len()];
    let mut pending: Vec<usize> = built.into_iter().collect();
    while let Some(index) = pending.pop() {
        if seen.get(index).copied().unwrap_or(true) {
            continue;
        }
        if let Some(flag) = seen.get_mut(index) {
            *flag = true;
        }
        if let Some(stage) = stages.get(index) {
            flow::merge(&mut carries, &stage.carries);
            pending.extend(&stage.depends_on);
        }
    }
    carries
}

/// The stages of a Dockerfile, with what each takes from the host.
fn stages(text: &str, contexts: &Contexts<'_>) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    for (keyword, rest) in instructions(text) {
        if keyword == "FROM" {
            stages.push(from_stage(&rest, &stages));
            continue;
        }
        let Some(stage_index) = stages.len().checked_sub(1) else {
            // `ARG` before the first `FROM` only names the base image.
            continue;
        };
        match keyword.as_str() {
            "COPY" | "ADD" => {
                let copy = Copy::parse(&rest);
                let source = copy.source(contexts, &stages);
                if let Some(stage) = stages.get_mut(stage_index) {
                    match source {
                        Source::Directory(dir) => {
                            for file in &copy.sources {
                                flow::push_file(&mut stage.carries, context_file(&dir, file));
                            }
                        }
                        Source::Stage(from) => stage.depends_on.push(from),
                        Source::Elsewhere => {}
                    }
                }
            }
            "ENV" | "ARG" | "LABEL" => {
                if let Some(stage) = stages.get_mut(stage_index) {
                    for value in assigned_values(&rest) {
                        flow::push_text(&mut stage.carries, &value);
                    }
                }
            }
            _ => {}
        }
    }
    stages
}

/// `FROM [--platform=P] IMAGE [AS NAME]`: a stage built on an earlier
/// stage when IMAGE names one.
fn from_stage(rest: &str, earlier: &[Stage]) -> Stage {
    let words: Vec<&str> = rest
        .split_whitespace()
        .filter(|w| !w.starts_with("--"))
        .collect();
    let base = words.first().map(|w| w.to_ascii_lowercase());
    let name = match words.as_slice() {
        [_, as_word, name, ..] if as_word.eq_ignore_ascii_case("as") => {
            Some(name.to_ascii_lowercase())
        }
        _ => None,
    };
    Stage {
        name,
        carries: Payload::default(),
        depends_on: base
            .and_then(|base| stage_named(earlier, &base))
            .into_iter()
            .collect(),
    }
}

/// The stage called `name` (lower-cased), or numbered so.
fn stage_named(stages: &[Stage], name: &str) -> Option<usize> {
    stages
        .iter()
        .rposition(|s| s.name.as_deref() == Some(name))
        .or_else(|| name.parse().ok().filter(|i| *i < stages.len()))
}

/// A `COPY`/`ADD` instruction: its `--from` and its sources (the last
/// word is the destination).
struct Copy {
    from: Option<String>,
    sources: Vec<String>,
}

/// Where a `COPY` takes its sources from.
enum Source {
    /// A directory on the host.
    Directory(String),
    /// An earlier stage.
    Stage(usize),
    /// An image, a remote context, or a context that is not known.
    Elsewhere,
}

impl Copy {
    fn parse(rest: &str) -> Copy {
        let mut from = None;
        let mut rest = rest.trim_start();
        while let Some(flag) = rest.strip_prefix("--") {
            let (word, after) = flag.split_once(char::is_whitespace).unwrap_or((flag, ""));
            if let Some(value) = word.strip_prefix("from=") {
                from = Some(value.trim_matches(['"', '\'']).to_ascii_lowercase());
            }
            rest = after.trim_start();
        }
        let mut words: Vec<String> = if rest.starts_with('[') {
            serde_json::from_str::<Vec<String>>(rest).unwrap_or_default()
        } else {
            rest.split_whitespace().map(str::to_owned).collect()
        };
        words.pop();
        // Heredocs and URLs (`ADD https://...`, a git repository) are not
        // the host's files.
        words.retain(|w| !w.starts_with("<<") && !w.contains("://") && !w.starts_with("git@"));
        Copy {
            from,
            sources: words,
        }
    }

    fn source(&self, contexts: &Contexts<'_>, stages: &[Stage]) -> Source {
        let Some(from) = &self.from else {
            return contexts
                .main
                .map_or(Source::Elsewhere, |dir| Source::Directory(dir.to_owned()));
        };
        // A named context replaces a stage or image of the same name.
        if let Some((_, dir)) = contexts.named.iter().find(|(name, _)| name == from) {
            return Source::Directory(dir.clone());
        }
        stage_named(stages, from).map_or(Source::Elsewhere, Source::Stage)
    }
}

/// A source of `COPY` as the host file it is: relative to the context
/// (a leading `/` too), the whole tree when it is a directory.
fn context_file(dir: &str, source: &str) -> FileRef {
    let relative = source.trim_start_matches('/');
    let path = if relative.is_empty() || relative == "." {
        paths::normalize(dir)
    } else {
        paths::normalize(&format!("{}/{relative}", dir.trim_end_matches('/')))
    };
    FileRef {
        path,
        recursive: true,
        excludes: Vec::new(),
    }
}

/// The literal values of `ENV K=V ...`, `ENV K V`, `ARG K=V` and `LABEL
/// K=V`: those that reference no variable (a `$NAME` value is another's,
/// whose own value the build line gives).
fn assigned_values(rest: &str) -> Vec<String> {
    let words = words::split(rest, Backslash::Literal);
    let values: Vec<String> = if words.iter().any(|w| w.contains('=')) {
        words
            .iter()
            .filter_map(|w| w.split_once('=').map(|(_, v)| v.to_owned()))
            .collect()
    } else {
        // `ENV NAME value with spaces`.
        words
            .get(1..)
            .map(|v| vec![v.join(" ")])
            .unwrap_or_default()
    };
    values
        .into_iter()
        .filter(|v| !v.is_empty() && !v.contains('$'))
        .collect()
}

/// The instructions of a Dockerfile, keyword upper-cased: comments
/// dropped, continued lines joined (the escape character is `\`, or the
/// one an `# escape=` directive names), heredoc bodies skipped.
fn instructions(text: &str) -> Vec<(String, String)> {
    let escape = escape_character(text);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut heredoc: Option<(String, bool)> = None;
    for line in text.lines() {
        if let Some((word, strip_tabs)) = &heredoc {
            let end = if *strip_tabs {
                line.trim_start_matches('\t')
            } else {
                line
            };
            if end == word {
                heredoc = None;
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && !current.is_empty()) {
            continue;
        }
        match trimmed.strip_suffix(escape) {
            Some(head) => {
                current.push_str(head);
                current.push(' ');
                continue;
            }
            None => current.push_str(trimmed),
        }
        let instruction = std::mem::take(&mut current);
        let (keyword, rest) = instruction
            .split_once(char::is_whitespace)
            .unwrap_or((&instruction, ""));
        if keyword.is_empty() {
            continue;
        }
        heredoc = heredoc_start(rest);
        out.push((keyword.to_ascii_uppercase(), rest.trim().to_owned()));
    }
    out
}

/// The `# escape=C` parser directive (before any instruction).
fn escape_character(text: &str) -> char {
    for line in text.lines() {
        let Some(directive) = line.trim().strip_prefix('#') else {
            break;
        };
        let Some((name, value)) = directive.split_once('=') else {
            continue;
        };
        if name.trim().eq_ignore_ascii_case("escape") {
            return value.trim().chars().next().unwrap_or('\\');
        }
    }
    '\\'
}

/// A heredoc an instruction opens (`RUN <<EOF`, `COPY <<-"EOT" /x`):
/// its end word, and whether leading tabs are stripped before it.
fn heredoc_start(rest: &str) -> Option<(String, bool)> {
    let at = rest.find("<<")?;
    let after = rest.get(at + 2..)?;
    let (strip_tabs, after) = match after.strip_prefix('-') {
        Some(after) => (true, after),
        None => (false, after),
    };
    let word: String = after
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some((word, strip_tabs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(payload: &Payload) -> Vec<&str> {
        payload.files.iter().map(|f| f.path.as_str()).collect()
    }

    const MAIN: Contexts<'static> = Contexts {
        main: Some("/w"),
        named: &[],
    };

    #[test]
    fn copies_from_the_context_and_reached_stages() {
        let text = "# syntax=docker/dockerfile:1\nFROM node:20 AS deps\nCOPY package.json \\\n  package-lock.json ./\nFROM deps AS build\nCOPY --chown=1000 [\"src\", \"/app/src\"]\nFROM alpine AS unused\nCOPY secrets.txt /x\nFROM nginx\nCOPY --from=build /app/dist /usr/share/nginx/html\nADD https://x.io/a.tgz /tmp/\nCOPY <<EOF /etc/motd\nCOPY fake.txt /x\nEOF\nENV MODE=prod TOKEN=$TOKEN\n";
        let carried = carried(text, &MAIN, None);
        assert_eq!(
            files(&carried),
            ["/w/src", "/w/package.json", "/w/package-lock.json"]
        );
        assert_eq!(carried.text, ["prod"]);
        let unused = carried_target(text, "UNUSED");
        assert_eq!(files(&unused), ["/w/secrets.txt"]);
    }

    fn carried_target(text: &str, target: &str) -> Payload {
        carried(text, &MAIN, Some(target))
    }

    #[test]
    fn named_contexts_and_escape_directive() {
        let named = [("cfg".to_owned(), "/etc/app".to_owned())];
        let contexts = Contexts {
            main: None,
            named: &named,
        };
        let text = "# escape=`\nFROM alpine\nCOPY --from=cfg `\n  app.conf /etc/\nCOPY . /srv\nCOPY --from=redis:7 /usr/bin/redis-server /bin/\n";
        assert_eq!(
            files(&carried(text, &contexts, None)),
            ["/etc/app/app.conf"]
        );
    }
}
