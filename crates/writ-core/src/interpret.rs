//! From an envelope to [`Effect`]s: what the tool call does.
//!
//! A tool gets its meaning, first match wins, from the deployment's
//! manifest for its name, from the runtime's built-in tools (Claude Code's
//! and Codex's own tools, the `http` tool of an egress gateway), or from MCP
//! annotations that declare it read-only. A tool with none of these is
//! unknown.

use serde::Serialize;
use serde_json::Value;
use writ_shell::{FileRef, ShellContext, WrittenFile};

use crate::deployment::Facts;
use crate::effects::{Channel, Effect, Payload, Send};
use crate::envelope::{Envelope, Runtime};
use crate::manifest::{Bound, Manifest, ToolKind, value_text};
use crate::web_api::{Unit, usd_cents};

/// What writ understood of a tool call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Interpretation {
    /// The tool's kind, when known.
    pub kind: Option<ToolKind>,
    /// Where the meaning came from: `manifest`, `builtin`, `annotations`, or `none`.
    pub meaning: &'static str,
    pub effects: Vec<Effect>,
    /// Parts of a shell command writ could not see into.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub opaque: Vec<String>,
    /// A shell command that could not be parsed, with the parser's message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<String>,
    /// Repositories the command clones, as `(directory, source URL)`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub clones: Vec<(String, String)>,
    /// Remotes the command sets, as `(repository directory, name, URL)`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub remotes: Vec<(String, String, String)>,
    /// Settings the command writes that move pushes, as `(scope, key,
    /// value)` (`git config --global url.BASE.pushInsteadOf PREFIX`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub url_settings: Vec<(String, String, String)>,
    /// The Kubernetes context the command leaves current.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kube_context: Option<String>,
    /// Branches the command checks out, as `(repository directory, branch)`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub branches: Vec<(String, String)>,
    /// Files the tool writes or deletes, with what each then holds
    /// (nothing, when that is not known): a file tool's content, an
    /// archive's sources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub written: Vec<WrittenFile>,
    /// A file whose whole text the tool's output is (a file tool's read of
    /// all of it): once the step has run, the session knows what it holds
    /// ([`read_contents`]), as if it had written it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_whole: Option<String>,
    /// The part of one file the tool's output shows (`jq '.scripts'
    /// package.json`, `just --show NAME`): once the step has run, the
    /// session holds it as a partial view of the file
    /// ([`crate::partial_view`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shown_part: Option<crate::partial_view::ShownPart>,
    /// Directories a shell command lists (`ls -la deploy`, `Get-ChildItem
    /// deploy`, `find deploy`, `tree`): once the step has run, the entries
    /// its output shows are what the session knows those directories hold
    /// ([`crate::listing::entries`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub listings: Vec<writ_shell::Listing>,
    /// The configuration a shell command's output shows (`git remote -v`,
    /// `kubectl config current-context`): once the step has run, the
    /// session knows it as if it had set it ([`crate::shown_state`]).
    /// Not reported.
    #[serde(skip)]
    pub shown_query: Option<crate::shown_state::ShownQuery>,
    /// Symbolic links the tool makes or removes, as `(link, target)`, in
    /// order; an empty target: the link was removed ([`crate::links`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<(String, String)>,
}

/// Interprets `envelope` under `facts` and what the session did to git
/// before it ([`Earlier`]).
pub fn interpret(envelope: &Envelope, facts: &Facts, earlier: Earlier<'_>) -> Interpretation {
    // A relative working directory is taken relative to the workspace.
    let base = match &envelope.cwd {
        Some(cwd) => facts.local_path(cwd, &facts.workspace),
        None => facts.workspace.clone(),
    };
    let cx = Cx {
        facts,
        base: &base,
        earlier,
    };
    if let Some(manifest) = facts.manifest(&envelope.tool) {
        let mut out = cx.manifest(manifest, &envelope.arguments, &envelope.tool);
        out.meaning = "manifest";
        network_share_files(&mut out.effects, &envelope.arguments);
        through_links(&mut out, earlier.links);
        forget_overwritten(&mut out);
        mounted_writes(&mut out, earlier.remotes);
        return out;
    }
    if let Some(mut out) = cx.builtin(envelope) {
        out.meaning = "builtin";
        network_share_files(&mut out.effects, &envelope.arguments);
        through_links(&mut out, earlier.links);
        forget_overwritten(&mut out);
        mounted_writes(&mut out, earlier.remotes);
        return out;
    }
    if envelope.annotations.as_ref().and_then(|a| a.read_only_hint) == Some(true) {
        return Interpretation {
            kind: Some(ToolKind::ReadOnly),
            meaning: "annotations",
            ..Interpretation::default()
        };
    }
    Interpretation {
        kind: None,
        meaning: "none",
        ..Interpretation::default()
    }
}

/// A file tool's effects on a path an earlier step made a symbolic link
/// (or a path below one) are effects on what the link leads to
/// ([`crate::links`]); a shell line's are followed as the line runs
/// ([`Cx::shell`]), since its own links count from where it makes them.
fn through_links(out: &mut Interpretation, earlier: &[(String, String)]) {
    if out.kind == Some(ToolKind::Shell) || earlier.is_empty() {
        return;
    }
    let unlinked = crate::links::follow_all(&mut out.effects, 0, earlier);
    let reached = crate::links::written_through(&out.written, earlier, &unlinked);
    out.written.extend(reached);
    out.links
        .extend(unlinked.into_iter().map(|path| (path, String::new())));
}

/// A file the tool writes or deletes without saying what it then holds
/// (an edit, a patch, a write tool with no content argument) is no longer
/// what an earlier step wrote there.
fn forget_overwritten(out: &mut Interpretation) {
    for effect in &out.effects {
        if let Effect::FileWrite { path } | Effect::FileDelete { path, .. } = effect
            && !out.written.iter().any(|w| w.path == *path)
        {
            out.written.push(WrittenFile::unknown(path.clone()));
        }
    }
}

/// A file written below a network file system that an earlier step or
/// this one mounted here (sshfs, NFS, SMB, a bucket;
/// [`writ_shell::mount_location`]) is written on its server: an upload of
/// what it then holds to the file's URL there.
fn mounted_writes(out: &mut Interpretation, earlier: &[(String, String, String)]) {
    if !earlier
        .iter()
        .chain(&out.remotes)
        .any(|(_, name, _)| name == writ_shell::MOUNT_REMOTE)
    {
        return;
    }
    let remotes: Vec<(String, String, String)> =
        earlier.iter().chain(&out.remotes).cloned().collect();
    let uploads: Vec<Effect> = out
        .effects
        .iter()
        .filter_map(|effect| {
            let Effect::FileWrite { path } = effect else {
                return None;
            };
            let target = mounted_target(&remotes, writ_shell::mount_location(&remotes, path)?)?;
            let payload = out
                .written
                .iter()
                .rev()
                .find(|w| w.path == *path)
                .map(|w| lower_payload(w.holds.clone()))
                .unwrap_or_default();
            Some(Effect::Send(Send {
                channel: Channel::Upload,
                target,
                public: false,
                payload,
            }))
        })
        .collect();
    out.effects.extend(uploads);
}

/// Where a file in a mount lives: its URL, or for an rclone remote of the
/// configuration (`rclone:NAME:PATH`, as `rclone mount` notes it) where
/// the remotes set so far lead it, else the remote's name as a host
/// nobody vouched for; `None` when the remote is a directory here.
fn mounted_target(remotes: &[(String, String, String)], location: String) -> Option<String> {
    let Some((name, path)) = location
        .strip_prefix("rclone:")
        .and_then(|rest| rest.split_once(':'))
    else {
        return Some(location);
    };
    let path = (!path.is_empty()).then(|| path.to_owned());
    let unset = writ_shell::Target::Host {
        user: None,
        host: name.to_owned(),
        port: None,
        path: path.clone(),
    };
    let remote = writ_shell::Target::ToolRemote {
        repo_dir: "/".to_owned(),
        name: format!("rclone:{name}"),
        path,
        unset: None,
    };
    match writ_shell::tool_remote_location(remotes, &remote) {
        Some(writ_shell::RemoteLocation::Url(url)) => Some(url),
        Some(writ_shell::RemoteLocation::Directory(_)) => None,
        None => Some(host_target_text(&unset)),
    }
}

/// A file a tool writes holding `content` (its whole text, written as
/// it is: a `$NAME` in it is not that variable's value).
fn written_text(path: String, content: &str) -> WrittenFile {
    WrittenFile::new(
        path,
        writ_shell::Payload {
            text: vec![content.to_owned()],
            quoted: content
                .contains('$')
                .then(|| content.to_owned())
                .into_iter()
                .collect(),
            ..writ_shell::Payload::default()
        },
    )
}

/// The text the session knows `path` holds: the latest of `written` for
/// it, when that is only text (not a copy of other files or variables).
fn known_text(written: &[WrittenFile], path: &str) -> Option<String> {
    let file = written.iter().rev().find(|w| w.path == path)?;
    // A part of the file shown is not its text.
    if file.partial {
        return None;
    }
    let holds = &file.holds;
    let only_text = holds.files.is_empty()
        && holds.env.is_empty()
        && holds.credentials.is_empty()
        && !holds.repository
        && !holds.text.is_empty();
    only_text.then(|| holds.text.join("\n"))
}

/// One string replacement of an edit tool.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TextEdit {
    old: String,
    new: String,
    /// Every occurrence is replaced (Claude Code's `replace_all`).
    all: bool,
    /// The old text must occur once (Claude Code's `Edit` refuses an
    /// ambiguous one); otherwise the first occurrence is replaced (the MCP
    /// filesystem server's `edit_file`).
    unique: bool,
}

impl TextEdit {
    /// `text` edited; `None` when the old text is not there (the tool may
    /// have matched it loosely, or failed) or is ambiguous.
    fn apply(&self, text: &str) -> Option<String> {
        if self.old.is_empty() {
            // Claude Code fills an empty file this way.
            return text.is_empty().then(|| self.new.clone());
        }
        let count = text.matches(self.old.as_str()).count();
        match count {
            0 => None,
            _ if self.all => Some(text.replace(self.old.as_str(), &self.new)),
            1 => Some(text.replacen(self.old.as_str(), &self.new, 1)),
            _ if self.unique => None,
            _ => Some(text.replacen(self.old.as_str(), &self.new, 1)),
        }
    }
}

/// The replacements an edit tool's arguments describe, in order: Claude
/// Code's `Edit` (`old_string`, `new_string`, `replace_all`), `MultiEdit`
/// (`edits` of those) and the MCP filesystem server's `edit_file` (`edits`
/// of `oldText`/`newText`). `None` when they describe none.
fn text_edits(arguments: &Value) -> Option<Vec<TextEdit>> {
    let one = |edit: &Value| -> Option<TextEdit> {
        let field = |names: &[&str]| names.iter().find_map(|n| edit.get(*n)?.as_str());
        let old = field(&["old_string", "oldText"])?;
        let new = field(&["new_string", "newText"])?;
        let claude = edit.get("old_string").is_some();
        Some(TextEdit {
            old: old.to_owned(),
            new: new.to_owned(),
            all: edit.get("replace_all").and_then(Value::as_bool) == Some(true),
            unique: claude,
        })
    };
    match arguments.get("edits") {
        Some(Value::Array(edits)) if !edits.is_empty() => edits.iter().map(one).collect(),
        Some(_) => None,
        None => one(arguments).map(|edit| vec![edit]),
    }
}

/// Arguments of a read tool that ask for a part of the file (a line
/// range, its head or tail): its output is then not the whole text.
const PARTIAL_READ: &[&str] = &[
    "offset",
    "limit",
    "pages",
    "head",
    "tail",
    "start_line",
    "end_line",
    "line_start",
    "line_end",
    "view_range",
    "range",
    "lines",
    "max_lines",
    "max_bytes",
    "length",
];

/// True when a read tool's arguments ask for the whole file.
fn reads_whole(arguments: &Value) -> bool {
    !PARTIAL_READ
        .iter()
        .any(|name| arguments.get(*name).is_some_and(|v| !v.is_null()))
}

/// The longest output kept as a file's text: scripts and settings files
/// are small, and the session hands what it keeps to every later step.
pub const MAX_READ_TEXT: usize = 256 * 1024;

/// The text of a file a read tool showed whole, from the tool's output:
/// Claude Code's structured `Read` response (`{"type": "text", "file":
/// {"content": ..., "startLine": 1, "numLines": N, "totalLines": N}}`,
/// only when it holds every line), its numbered form (`     1\tline`,
/// `     1→line`, numbered from 1 without a gap), or the text as it is.
/// `None` for an empty output, one the runtime annotated, or one longer
/// than [`MAX_READ_TEXT`].
pub fn read_contents(output: &str) -> Option<String> {
    if output.len() > MAX_READ_TEXT
        || output.trim().is_empty()
        || output.contains("<system-reminder>")
    {
        return None;
    }
    if output.trim_start().starts_with('{')
        && let Ok(Value::Object(response)) = serde_json::from_str::<Value>(output)
        && response.contains_key("type")
        && let Some(file) = response.get("file")
    {
        let number = |key: &str| file.get(key).and_then(Value::as_u64);
        let whole = number("startLine").is_none_or(|n| n <= 1)
            && number("numLines") == number("totalLines");
        return file
            .get("content")
            .and_then(Value::as_str)
            .filter(|_| whole && response.get("type").and_then(Value::as_str) == Some("text"))
            .map(str::to_owned);
    }
    Some(unnumbered(output).unwrap_or_else(|| output.to_owned()))
}

/// The file a shell line prints whole, so its output is the file's text:
/// a bare `cat FILE` (or `cat -- FILE`), nothing else on the line, and
/// its one effect the read of that file (as the line resolved its path).
/// Options that change what is printed (`-n`, `-A`), pipes, redirections,
/// lists and expansions show something else.
fn shown_whole(command: &str, effects: &[Effect]) -> Option<String> {
    const SHELL_SYNTAX: &[char] = &[
        '|', '&', ';', '<', '>', '(', ')', '$', '`', '\\', '*', '?', '[', ']', '{', '}', '\n',
    ];
    let mut words = command.split_whitespace();
    let plain = words.next() == Some("cat")
        && !command.contains(SHELL_SYNTAX)
        && words.all(|w| {
            let w = w.trim_matches(['"', '\'']);
            !w.starts_with('-') || w == "--" || w == "-u"
        });
    match effects {
        [
            Effect::FileRead {
                path,
                recursive: false,
            },
        ] if plain => Some(path.clone()),
        _ => None,
    }
}

/// Text shown with line numbers (`cat -n`, Claude Code's `Read`): each
/// line `N\t` or `N→` after spaces, N counting from 1. `None` when the
/// text is not in that form.
fn unnumbered(output: &str) -> Option<String> {
    let mut lines = Vec::new();
    for (index, line) in output.lines().enumerate() {
        let rest = line.trim_start_matches(' ');
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let number: usize = rest.get(..digits)?.parse().ok()?;
        if number != index + 1 {
            return None;
        }
        let after = rest.get(digits..)?;
        let text = after
            .strip_prefix('\t')
            .or_else(|| after.strip_prefix('→'))?;
        lines.push(text);
    }
    (!lines.is_empty()).then(|| {
        let mut text = lines.join("\n");
        text.push('\n');
        text
    })
}

/// What earlier steps of the session did to git repositories: a push from
/// inside a repository one of them cloned comes from the clone's source,
/// and a remote one of them set is where a push to it goes; and the files
/// they wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct Earlier<'a> {
    /// `(directory, source URL)`, oldest first.
    pub clones: &'a [(String, String)],
    /// `(repository directory, name, URL)`, oldest first.
    pub remotes: &'a [(String, String, String)],
    /// `(scope, key, value)` of settings that move pushes, oldest first:
    /// URL rewrites and push URLs, joined with a push's own in one pass.
    pub url_settings: &'a [(String, String, String)],
    /// The Kubernetes context an earlier step made current: the context of
    /// kubectl and helm commands that name none.
    pub kube_context: Option<&'a str>,
    /// `(repository directory, branch)` checked out, oldest first: what a
    /// push with no refspec pushes.
    pub branches: &'a [(String, String)],
    /// Files written, oldest first, with what each holds: a script one of
    /// them wrote runs as its text, and sending one sends what it holds.
    pub written: &'a [WrittenFile],
    /// Symbolic links made (or removed: an empty target), `(link,
    /// target)`, oldest first ([`crate::links`]).
    pub links: &'a [(String, String)],
}

struct Cx<'a> {
    facts: &'a Facts,
    /// Directory relative paths resolve against.
    base: &'a str,
    earlier: Earlier<'a>,
}

impl Cx<'_> {
    fn path(&self, p: &str) -> String {
        self.facts.local_path(p, self.base)
    }

    fn builtin(&self, envelope: &Envelope) -> Option<Interpretation> {
        let args = &envelope.arguments;
        let s = |key: &str| args.get(key).and_then(Value::as_str);
        match envelope.runtime {
            Runtime::Http => Some(self.manifest(&Manifest::identity(ToolKind::Http), args, "")),
            // Claude Code's and Codex's own tools mean the same wherever
            // they are seen: a hosted agent's spans, an SDK's function
            // calls, an envelope. (A manifest for the name wins.) An MCP
            // tool is named by its server too, so never one of these.
            Runtime::ClaudeCode
            | Runtime::Codex
            | Runtime::OpenaiAgents
            | Runtime::Otel
            | Runtime::Envelope => {
                let kind_of = |kind: ToolKind, effects: Vec<Effect>| Interpretation {
                    kind: Some(kind),
                    effects,
                    ..Interpretation::default()
                };
                let out = match envelope.tool.as_str() {
                    "Bash" | "shell" | "local_shell" | "exec_command" | "container.exec" => {
                        // Codex's unified exec names it `cmd`.
                        let command = match args.get("command").or_else(|| args.get("cmd")) {
                            Some(Value::Array(parts)) => shell_join(parts),
                            Some(v) => value_text(v),
                            None => String::new(),
                        };
                        let cwd = s("workdir").or(s("cwd")).map(|d| self.path(d));
                        self.shell(&command, cwd.as_deref())
                    }
                    "apply_patch" => {
                        let patch = s("command")
                            .or(s("patch"))
                            .or(s("input"))
                            .unwrap_or_default();
                        kind_of(ToolKind::FileWrite, self.patch_effects(patch))
                    }
                    "Read" | "NotebookRead" | "view_image" => {
                        let path = self.path(
                            s("file_path")
                                .or(s("notebook_path"))
                                .or(s("path"))
                                .unwrap_or_default(),
                        );
                        let mut out = kind_of(
                            ToolKind::FileRead,
                            vec![Effect::FileRead {
                                path: path.clone(),
                                recursive: false,
                            }],
                        );
                        // Claude Code's `Read` of a whole text file shows it.
                        if envelope.tool == "Read" && reads_whole(args) {
                            out.read_whole = Some(path);
                        }
                        out
                    }
                    "Write" | "Edit" | "MultiEdit" | "NotebookEdit" => {
                        let path =
                            self.path(s("file_path").or(s("notebook_path")).unwrap_or_default());
                        let mut out = kind_of(
                            ToolKind::FileWrite,
                            vec![Effect::FileWrite { path: path.clone() }],
                        );
                        // `Write` gives the whole text; an edit of a file
                        // whose text is known gives the edited text (else
                        // it becomes unknown: `forget_overwritten`).
                        match envelope.tool.as_str() {
                            "Write" => {
                                if let Some(content) = s("content") {
                                    out.written.push(written_text(path, content));
                                }
                            }
                            "Edit" | "MultiEdit" => {
                                out.written.extend(self.edited(path, args));
                            }
                            _ => {}
                        }
                        out
                    }
                    "WebFetch" => {
                        let url = s("url").unwrap_or_default();
                        kind_of(ToolKind::WebFetch, vec![fetch(url)])
                    }
                    // The query goes to a search provider, as a GET's query string.
                    "WebSearch" | "web_search" => kind_of(
                        ToolKind::WebFetch,
                        vec![Effect::Fetch {
                            target: "web search".to_owned(),
                            payload: Payload {
                                text: s("query").map(str::to_owned).into_iter().collect(),
                                ..Payload::default()
                            },
                        }],
                    ),
                    // A search that shows matching lines reads the files it
                    // searches (a file or a tree); one that lists names
                    // or counts shows none of their contents.
                    "Grep" if s("output_mode") == Some("content") => {
                        let path = s("path").map_or_else(|| self.base.to_owned(), |p| self.path(p));
                        // A `glob` narrows the search to the files it names,
                        // at any depth when it has no `/` (`**/.env`, `*.pem`).
                        let glob = s("glob").map(|g| self.facts.path_style.local(g));
                        let (path, recursive) = match glob.filter(|g| !g.is_empty()) {
                            Some(glob) if glob.contains('/') => (format!("{path}/{glob}"), false),
                            Some(glob) => (format!("{path}/**/{glob}"), false),
                            None => (path, true),
                        };
                        kind_of(
                            ToolKind::FileRead,
                            vec![Effect::FileRead { path, recursive }],
                        )
                    }
                    "Glob"
                    | "Grep"
                    | "LS"
                    | "TodoWrite"
                    | "Task"
                    | "Agent"
                    | "ExitPlanMode"
                    | "BashOutput"
                    | "KillShell"
                    | "KillBash"
                    | "SlashCommand"
                    | "Skill"
                    | "AskUserQuestion"
                    | "ListMcpResourcesTool"
                    | "ReadMcpResourceTool"
                    | "update_plan" => kind_of(ToolKind::ReadOnly, Vec::new()),
                    _ => return None,
                };
                Some(out)
            }
            _ => None,
        }
    }

    /// What a tool described by `manifest` does with `arguments`; `tool`
    /// is its name (`run_powershell`: a shell tool named for PowerShell
    /// runs its command as PowerShell).
    fn manifest(&self, manifest: &Manifest, arguments: &Value, tool: &str) -> Interpretation {
        let bound = manifest.bind(arguments);
        let unmapped: Vec<String> = bound.unmapped.iter().map(|v| value_text(v)).collect();
        let kind = manifest.kind;
        let mut written = Vec::new();
        let mut read_whole = None;
        let mut effects = match kind {
            ToolKind::Shell => {
                let cwd = bound.text("cwd").map(|d| self.path(&d));
                // An argv (`["pwsh", "-Command", "..."]`) is the command it spells.
                let command = match bound.roles.get("command") {
                    Some(Value::Array(parts)) => shell_join(parts),
                    _ => bound.text("command").unwrap_or_default(),
                };
                let command = if names_powershell(tool) {
                    writ_shell::in_powershell(&command)
                } else {
                    command
                };
                let mut out = self.shell(&command, cwd.as_deref());
                out.kind = Some(kind);
                return out;
            }
            ToolKind::Http => {
                let (mut effects, access) = http_effects(&bound, unmapped);
                for effect in access {
                    self.lower_shell(effect, &mut effects);
                }
                effects
            }
            ToolKind::WebFetch => vec![fetch(&bound.text("url").unwrap_or_default())],
            ToolKind::FileRead => match bound.text("path") {
                Some(p) => {
                    let path = self.path(&p);
                    if reads_whole(arguments) {
                        read_whole = Some(path.clone());
                    }
                    vec![Effect::FileRead {
                        path,
                        recursive: false,
                    }]
                }
                None => Vec::new(),
            },
            ToolKind::FileWrite => match bound.text("path") {
                Some(p) => {
                    let path = self.path(&p);
                    if let Some(content) = bound.text("content") {
                        written.push(written_text(path.clone(), &content));
                    } else {
                        // An edit tool (`edit_file` with `edits`).
                        written.extend(self.edited(path.clone(), arguments));
                    }
                    vec![Effect::FileWrite { path }]
                }
                None => Vec::new(),
            },
            ToolKind::EmailSend => self.email_effects(&bound, unmapped),
            ToolKind::MessageSend => {
                let mut text = unmapped;
                text.extend(bound.text("text"));
                let payload = Payload {
                    text,
                    ..Payload::default()
                };
                bound
                    .list("channel")
                    .into_iter()
                    .map(|target| {
                        Effect::Send(Send {
                            channel: Channel::Chat,
                            target,
                            public: false,
                            payload: payload.clone(),
                        })
                    })
                    .collect()
            }
            ToolKind::PasteCreate => {
                let mut text = unmapped;
                text.extend(bound.text("content"));
                let visibility = bound
                    .text("visibility")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                vec![Effect::Send(Send {
                    channel: Channel::Paste,
                    target: bound.text("host").unwrap_or_default(),
                    public: visibility == "public",
                    payload: Payload {
                        text,
                        ..Payload::default()
                    },
                })]
            }
            ToolKind::Payment => {
                let recipient = bound.identifier("recipient").unwrap_or_default();
                // The amount's currency: a `currency` role, else the tool's
                // own argument of that name (`{"amount": 90, "currency":
                // "EUR"}`), as unmapped recipients are read by name.
                let currency = bound
                    .roles
                    .get("currency")
                    .copied()
                    .or_else(|| arguments.get("currency"))
                    .and_then(Value::as_str);
                let amount_cents = bound
                    .roles
                    .get("amount_usd")
                    .and_then(|v| amount_cents(v, currency));
                vec![
                    Effect::Payment {
                        amount_cents,
                        recipient: recipient.clone(),
                    },
                    Effect::Send(Send {
                        channel: Channel::Payment,
                        target: recipient,
                        public: false,
                        payload: Payload {
                            text: unmapped,
                            ..Payload::default()
                        },
                    }),
                ]
            }
            ToolKind::Deploy => vec![Effect::Deploy {
                environment: bound.text("environment").unwrap_or_default(),
                service: bound.text("service"),
                production: false,
            }],
            ToolKind::Share => self.share_effects(&bound, unmapped),
            ToolKind::DbQuery => {
                // A DSN, `host:port` or conninfo names its host, and may
                // name its dialect.
                let reference = bound.text("host");
                let host = reference.as_deref().map(crate::deployment::database_host);
                let dialect = crate::sql::Dialect::Unknown.or_dsn(reference.as_deref());
                let sql = bound.text("query");
                let mut effects = vec![Effect::Sql {
                    host: host.clone(),
                    sql: sql.clone(),
                    dialect,
                }];
                attached_databases(reference.as_deref(), sql.as_deref(), dialect, &mut effects);
                if let Some(host) = host {
                    let mut text = unmapped;
                    text.extend(sql);
                    // The password the connection string carries goes to
                    // the server with the query.
                    text.extend(
                        reference
                            .as_deref()
                            .map(dsn_credentials)
                            .unwrap_or_default(),
                    );
                    effects.push(Effect::Send(Send {
                        channel: Channel::Query,
                        target: host,
                        public: false,
                        payload: Payload {
                            text,
                            ..Payload::default()
                        },
                    }));
                }
                effects
            }
            ToolKind::ReadOnly => Vec::new(),
        };
        self.send_named_files(&bound, &mut effects);
        Interpretation {
            kind: Some(kind),
            effects,
            written,
            read_whole,
            ..Interpretation::default()
        }
    }

    /// The file at `path` after the edits `arguments` describe
    /// ([`text_edits`]), when the session knows its text ([`known_text`])
    /// and every edit applies; `None` otherwise (it becomes unknown). An
    /// edit that is only previewed (`dryRun`) leaves the file as it was.
    fn edited(&self, path: String, arguments: &Value) -> Option<WrittenFile> {
        let text = known_text(self.earlier.written, &path)?;
        if arguments.get("dryRun").and_then(Value::as_bool) == Some(true) {
            return Some(written_text(path, &text));
        }
        let edits = text_edits(arguments)?;
        let mut text = text;
        for edit in &edits {
            text = edit.apply(&text)?;
        }
        Some(written_text(path, &text))
    }

    /// Local files named by unmapped arguments ([`Bound::files`]) go with
    /// everything the tool sends, as an e-mail's attachments do.
    fn send_named_files(&self, bound: &Bound<'_>, effects: &mut [Effect]) {
        if bound.files.is_empty() {
            return;
        }
        let files: Vec<FileRef> = bound
            .files
            .iter()
            .flat_map(|value| match value {
                Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                Value::String(text) => vec![text.as_str()],
                _ => Vec::new(),
            })
            .filter(|path| !path.is_empty() && !path.contains("://"))
            .map(|path| FileRef {
                path: self.path(path),
                recursive: false,
                excludes: Vec::new(),
            })
            .collect();
        for effect in effects {
            if let Effect::Send(send) = effect
                && send.channel != Channel::Payment
            {
                send.payload.files.extend(files.iter().cloned());
            }
        }
    }

    fn email_effects(&self, bound: &Bound<'_>, unmapped: Vec<String>) -> Vec<Effect> {
        let mut text = unmapped;
        text.extend(bound.text("subject"));
        text.extend(bound.text("body"));
        let files = bound
            .list("attachments")
            .iter()
            .map(|p| FileRef {
                path: self.path(p),
                recursive: false,
                excludes: Vec::new(),
            })
            .collect();
        let payload = Payload {
            text,
            files,
            ..Payload::default()
        };
        let mut recipients = bound.list("to");
        recipients.extend(bound.list("cc"));
        recipients.extend(bound.list("bcc"));
        recipients
            .into_iter()
            .map(|target| {
                Effect::Send(Send {
                    channel: Channel::Email,
                    target,
                    public: false,
                    payload: payload.clone(),
                })
            })
            .collect()
    }

    fn share_effects(&self, bound: &Bound<'_>, unmapped: Vec<String>) -> Vec<Effect> {
        let resource = bound.text("resource").unwrap_or_default();
        // Nobody named, and an argument the manifest leaves unmapped says
        // everyone (`"share_type": "anyone"`): a share with everyone.
        let everyone_unmapped = unmapped.iter().find(|value| is_everyone(value)).cloned();
        let mut text = unmapped;
        text.extend(bound.text("role"));
        let payload = Payload {
            text,
            // The shared resource is one thing: labelled only when it matches a sensitive glob itself.
            files: vec![FileRef {
                path: self.path(&resource),
                recursive: false,
                excludes: Vec::new(),
            }],
            ..Payload::default()
        };
        // Each grantee of a list is its own party.
        let mut grantees = bound.list("grantee");
        if grantees.is_empty() {
            grantees.push(everyone_unmapped.unwrap_or_default());
        }
        let mut effects = Vec::new();
        for grantee in grantees {
            let everyone = is_everyone(&grantee);
            effects.push(if everyone {
                Effect::MakePublic {
                    resource: resource.clone(),
                }
            } else {
                Effect::GrantAccess {
                    resource: resource.clone(),
                    grantee: Some(grantee.clone()),
                }
            });
            effects.push(Effect::Send(Send {
                channel: Channel::Share,
                target: grantee,
                public: everyone,
                payload: payload.clone(),
            }));
        }
        effects
    }

    /// Effects of a shell command run in `cwd` (default: the base directory).
    fn shell(&self, command: &str, cwd: Option<&str>) -> Interpretation {
        let cwd = cwd.unwrap_or(self.base);
        let ctx = ShellContext {
            cwd,
            home: &self.facts.home,
            workspace: Some(&self.facts.workspace),
            written: self.earlier.written,
        };
        match writ_shell::analyze(command, &ctx) {
            Ok(analysis) => {
                // The session's current Kubernetes context is the default
                // kubeconfig's, not that of another one the line names.
                let cx = Cx {
                    earlier: Earlier {
                        kube_context: self
                            .earlier
                            .kube_context
                            .filter(|_| !crate::shown_state::names_kubeconfig(command)),
                        ..self.earlier
                    },
                    ..*self
                };
                let (effects, links) = cx.lower_through_links(analysis.effects);
                // What a write through an earlier step's link puts there,
                // its target holds; the line's own links and those it
                // removes keep their own entries.
                let changed: Vec<String> = links.iter().map(|(link, _)| link.clone()).collect();
                let mut written = analysis.written;
                let reached = crate::links::written_through(&written, self.earlier.links, &changed);
                written.extend(reached);
                let read_whole = shown_whole(command, &effects);
                let shown_part = crate::partial_view::shown_part(command, &effects, cwd);
                let listings = analysis
                    .listings
                    .into_iter()
                    .map(|listing| writ_shell::Listing {
                        dir: self.facts.respell(listing.dir),
                        ..listing
                    })
                    .collect();
                Interpretation {
                    kind: Some(ToolKind::Shell),
                    effects,
                    // Hidden shell text: refused as an unparsable line,
                    // beside what the rest of the line is known to do.
                    unparsed: analysis.unparsed.first().cloned(),
                    opaque: analysis.opaque,
                    clones: analysis.clones,
                    remotes: analysis.remotes,
                    url_settings: analysis.url_settings,
                    kube_context: analysis.kube_context,
                    branches: analysis.branches,
                    written,
                    read_whole,
                    shown_part,
                    listings,
                    links,
                    shown_query: crate::shown_state::shown_query(
                        command,
                        cwd,
                        self.facts,
                        self.earlier,
                    ),
                    ..Interpretation::default()
                }
            }
            Err(e) => Interpretation {
                kind: Some(ToolKind::Shell),
                unparsed: Some(e.to_string()),
                ..Interpretation::default()
            },
        }
    }

    /// A shell line's effects lowered in order, each also reaching through
    /// the links made before it: an earlier step's, and the line's own
    /// from where it makes them ([`crate::links`]). The write that makes a
    /// link (`ln -sf T LINK` over an older link) is not through the link
    /// it replaces. Returns the effects and the links the line makes or
    /// removes, in order.
    fn lower_through_links(
        &self,
        shell_effects: Vec<writ_shell::Effect>,
    ) -> (Vec<Effect>, Vec<(String, String)>) {
        use writ_shell::Effect as S;
        let mut effects = Vec::with_capacity(shell_effects.len());
        let mut links = self.earlier.links.to_vec();
        let mut changes = Vec::new();
        let mut shell_effects = shell_effects.into_iter().peekable();
        while let Some(effect) = shell_effects.next() {
            if let S::Link { path, target } = effect {
                let link = (self.facts.respell(path), self.facts.respell(target));
                links.push(link.clone());
                changes.push(link);
                continue;
            }
            let makes_link = matches!(
                (&effect, shell_effects.peek()),
                (S::Write { path, .. }, Some(S::Link { path: link, .. })) if path == link
            );
            let start = effects.len();
            self.lower_shell(effect, &mut effects);
            if makes_link {
                continue;
            }
            for path in crate::links::follow_all(&mut effects, start, &links) {
                links.push((path.clone(), String::new()));
                changes.push((path, String::new()));
            }
        }
        (effects, changes)
    }

    /// A data tool's remote the line left unresolved
    /// ([`writ_shell::Target::ToolRemote`]): where an earlier step set it to
    /// lead (`Err`: a directory here), else where it goes unset (rclone's
    /// name as a host); `None`: no destination writ knows of (DVC's).
    fn tool_remote(
        &self,
        target: &writ_shell::Target,
    ) -> Option<Result<writ_shell::Target, String>> {
        use writ_shell::RemoteLocation as L;
        match writ_shell::tool_remote_location(self.earlier.remotes, target) {
            Some(L::Url(url)) => Some(Ok(writ_shell::Target::Url { url })),
            Some(L::Directory(path)) => Some(Err(path)),
            None => match target {
                writ_shell::Target::ToolRemote {
                    unset: Some(unset), ..
                } => Some(Ok((**unset).clone())),
                _ => None,
            },
        }
    }

    fn lower_shell(&self, effect: writ_shell::Effect, out: &mut Vec<Effect>) {
        use writ_shell::Effect as S;
        match effect {
            // A file's path is compared with the workspace and home as
            // they are spelt (Windows names ignore case).
            S::Read { file } => out.push(Effect::FileRead {
                path: self.facts.respell(file.path),
                recursive: file.recursive,
            }),
            S::Write { path, .. } => out.push(Effect::FileWrite {
                path: self.facts.respell(path),
            }),
            S::Delete { path, recursive } => out.push(Effect::FileDelete {
                path: self.facts.respell(path),
                recursive,
            }),
            S::DeleteNamed { root, names } => out.push(Effect::FileDeleteNamed {
                root: self.facts.respell(root),
                names,
            }),
            S::Request(mut r) => {
                if matches!(r.target, writ_shell::Target::ToolRemote { .. }) {
                    match self.tool_remote(&r.target) {
                        Some(Ok(target)) => r.target = target,
                        Some(Err(path)) => {
                            out.push(Effect::FileWrite { path });
                            return;
                        }
                        None => return,
                    }
                }
                // The working directory's repository of gh is the default
                // an earlier `gh repo set-default` chose there.
                if r.program == "gh"
                    && matches!(&r.target, writ_shell::Target::Remote { name } if name == "origin")
                    && let Some(url) =
                        crate::shown_state::gh_default(self.earlier.remotes, self.base)
                {
                    r.target = writ_shell::Target::Url {
                        url: url.to_owned(),
                    };
                }
                let mut payload = lower_payload(r.payload);
                let target = self.target_text(&r.target);
                // Credentials written into the URL (`https://u:TOKEN@h/`).
                if let writ_shell::Target::Url { url } = &r.target {
                    payload.text.extend(url_credentials(url));
                }
                let reading = crate::web_api::api_effects(&r.method, &target, &payload.text);
                let share = crate::web_api::is_share(&r.method, &target, &payload.text, &reading);
                // gh and glab report what their vendor's API calls do
                // themselves; what any API's request says of itself (a
                // GraphQL mutation, a workflow dispatch) is read for them too.
                let api = if matches!(r.program.as_str(), "gh" | "glab") {
                    crate::web_api::general_api_effects(&r.method, &target, &payload.text)
                } else {
                    reading
                };
                for effect in api {
                    self.lower_shell(effect, out);
                }
                // A message through a provider's API goes to its recipients.
                if let Some(message) = crate::web_api::message(&r.method, &target, &payload.text) {
                    push_message(message, &target, payload, out);
                    return;
                }
                let payment = crate::web_api::payment(&r.method, &target, &payload.text);
                let channel = match r.method.as_str() {
                    "GET" | "HEAD" | "OPTIONS" | "DOWNLOAD" | "LOOKUP" | "CONNECT" => {
                        out.push(Effect::Fetch { target, payload });
                        return;
                    }
                    _ if let Some(payment) = payment => {
                        push_payment(payment, &target, out);
                        Channel::Payment
                    }
                    // A request made to share is a share, as a share tool's call.
                    _ if share => Channel::Share,
                    "UPLOAD" => Channel::Upload,
                    "SEND" => Channel::Socket,
                    "EXEC" => Channel::RemoteExec,
                    "DEPLOY" => Channel::Deploy,
                    _ => {
                        push_withdrawal_payees(&r.method, &target, &payload.text, out);
                        Channel::Http
                    }
                };
                out.push(Effect::Send(Send {
                    channel,
                    target,
                    public: r.public,
                    payload,
                }));
            }
            S::RemoteDelete {
                mut target,
                recursive,
            } => {
                if matches!(target, writ_shell::Target::ToolRemote { .. }) {
                    match self.tool_remote(&target) {
                        Some(Ok(resolved)) => target = resolved,
                        Some(Err(path)) => {
                            out.push(Effect::FileDelete { path, recursive });
                            return;
                        }
                        None => return,
                    }
                }
                out.push(Effect::RemoteDelete {
                    target: self.target_text(&target),
                    recursive,
                });
            }
            S::GitPush(push) => self.lower_push(push, out),
            // Only later pushes see it (`Interpretation::remotes`).
            S::GitRemote { .. } | S::GitSwitch { .. } | S::GitSetting { .. } => {}
            // What a listing shows, only later steps see
            // (`Interpretation::listings`).
            S::List(_) => {}
            S::MakePublic { resource } => out.push(Effect::MakePublic {
                resource: self.resource_text(&resource),
            }),
            S::GrantAccess { resource, grantee } => {
                let resource = self.resource_text(&resource);
                // Access given to someone is a share with them, as a share
                // tool's is: their party, and who named them, are judged.
                if let Some(grantee) = &grantee {
                    out.push(Effect::Send(Send {
                        channel: Channel::Share,
                        target: member_address(grantee).to_owned(),
                        public: false,
                        payload: Payload {
                            files: vec![FileRef {
                                path: self.path(&resource),
                                recursive: false,
                                excludes: Vec::new(),
                            }],
                            ..Payload::default()
                        },
                    }));
                }
                out.push(Effect::GrantAccess { resource, grantee });
            }
            S::Kubectl(k) => out.push(Effect::Kubernetes {
                context: k.context.or_else(|| {
                    (k.verb != "config")
                        .then(|| self.earlier.kube_context.map(str::to_owned))
                        .flatten()
                }),
                verb: k.verb,
                args: k.args,
                files: k.files,
                dry_run: k.dry_run,
                all: k.all,
            }),
            S::Helm(h) => out.push(Effect::Helm {
                verb: h.verb,
                release: h.release,
                kube_context: h
                    .kube_context
                    .or_else(|| self.earlier.kube_context.map(str::to_owned)),
                dry_run: h.dry_run,
            }),
            S::Terraform(t) => out.push(Effect::Terraform {
                verb: t.verb,
                dir: t.dir,
                plan_file: t.plan_file,
                destroy: t.destroy,
            }),
            S::Sql(q) => {
                let host = q.host.or_else(|| q.dsn.as_deref().and_then(dsn_host));
                let dialect = crate::sql::Dialect::of_client(&q.client).or_dsn(q.dsn.as_deref());
                if let Some(h) = &host {
                    out.push(query_send(h, q.sql.as_deref(), &q.files));
                    out.extend(login_send(h, q.dsn.as_deref(), q.login));
                }
                attached_databases(q.dsn.as_deref(), q.sql.as_deref(), dialect, out);
                // A local database file (`sqlite3 FILE`): a change to it, or
                // a session that may change it, writes the file.
                if host.is_none()
                    && let Some(path) = q.dsn.as_deref().filter(|d| d.starts_with('/'))
                {
                    let class = q.sql.as_deref().map_or(crate::sql::SqlClass::Unknown, |s| {
                        crate::sql::classify_sql(s, dialect)
                    });
                    out.push(if class == crate::sql::SqlClass::Read {
                        Effect::FileRead {
                            path: path.to_owned(),
                            recursive: false,
                        }
                    } else {
                        Effect::FileWrite {
                            path: path.to_owned(),
                        }
                    });
                }
                out.push(Effect::Sql {
                    host,
                    sql: q.sql,
                    dialect,
                });
            }
            S::DataCommand(d) => {
                if let Some(h) = &d.host {
                    out.push(query_send(h, d.command.as_deref(), &d.files));
                    out.extend(login_send(h, None, d.login));
                }
                out.push(Effect::DataCommand {
                    host: d.host,
                    class: d.class,
                });
            }
            S::PackageInstall(p) => {
                // From the organisation's own registry, not a public one.
                let own_registry = p.registry.as_deref().is_some_and(|registry| {
                    writ_detect::destination::parse_destination(registry).is_some_and(|d| {
                        self.facts.ownership.classify(&d, false)
                            == writ_detect::ownership::Ownership::Org
                    })
                });
                if !own_registry {
                    out.push(Effect::PackageInstall {
                        manager: p.manager,
                        packages: p.packages,
                    });
                }
            }
            S::StopProcess { name } => out.push(Effect::StopProcess { name }),
            // Followed as the line runs (`lower_through_links`).
            S::Link { .. } => {}
            S::Payment(payment) => self.lower_chain_payment(payment, out),
            S::Message(m) => {
                let payload = lower_payload(m.payload);
                // Recipients the command line does not name are unknown,
                // so none of them is known to be inside the organisation.
                let recipients = if m.recipients.is_empty() {
                    vec![String::new()]
                } else {
                    m.recipients
                };
                for target in recipients {
                    out.push(Effect::Send(Send {
                        channel: Channel::Email,
                        target,
                        public: false,
                        payload: payload.clone(),
                    }));
                }
            }
            S::Deploy(d) => out.push(Effect::Deploy {
                environment: d.environment,
                service: d.service,
                production: d.production,
            }),
        }
    }

    fn lower_push(&self, mut push: writ_shell::GitPush, out: &mut Vec<Effect>) {
        // The line's own clones and remotes are already on the push; an
        // earlier step's apply the same way.
        if push.cloned_from.is_none() {
            push.cloned_from =
                writ_shell::clone_source(self.earlier.clones, &push.repo_dir).map(str::to_owned);
        }
        // The session's settings that move pushes come first, then the
        // line's (`git config`, `-c`), read in one pass as git reads them;
        // the line's are on the push with the remote as written.
        let mut settings = writ_shell::url_settings_for(self.earlier.url_settings, &push.repo_dir);
        let (remote_name, line_url) = match push.settings.take() {
            Some(own) => {
                settings.extend(own.entries);
                (own.remote, own.url)
            }
            None => (
                push.remote.clone().unwrap_or_else(|| "origin".to_owned()),
                None,
            ),
        };
        // A remote the line or an earlier step set is what the name
        // means; else a clone's `origin` is its source; else the
        // deployment's remote.
        let url_of_name = |name: &str| {
            line_url
                .clone()
                .or_else(|| {
                    writ_shell::remote_url(self.earlier.remotes, &push.repo_dir, name)
                        .map(str::to_owned)
                })
                .or_else(|| push.cloned_from.clone().filter(|_| name == "origin"))
                .or_else(|| self.facts.git_remotes.get(name).cloned())
        };
        let remote = writ_shell::resolve_remote(&remote_name, true, &settings, url_of_name)
            .unwrap_or(remote_name);
        let mut force = push.force;
        let mut delete = false;
        let mut branches = Vec::new();
        for spec in &push.refspecs {
            force |= spec.force;
            delete |= spec.delete;
            let dst = spec.dst.clone().or_else(|| {
                spec.src
                    .clone()
                    .filter(|s| s != "HEAD" && !s.starts_with("HEAD~"))
            });
            branches.push(dst.map(|b| b.trim_start_matches("refs/heads/").to_owned()));
        }
        let tags_only = push.tags && push.refspecs.is_empty() && !push.all_refs;
        if !tags_only
            && (push.refspecs.is_empty()
                || push
                    .refspecs
                    .iter()
                    .all(|s| s.dst.is_none() && s.src.as_deref() == Some("HEAD")))
        {
            // The branch checked out: earlier on the line, earlier in the
            // session, or the deployment's.
            let current = push
                .branch
                .clone()
                .or_else(|| {
                    writ_shell::current_branch(self.earlier.branches, &push.repo_dir)
                        .map(str::to_owned)
                })
                .or_else(|| self.facts.git_branch.clone());
            branches = vec![current];
        }
        if push.all_refs {
            branches.extend(
                self.facts
                    .protected_branches
                    .iter()
                    .filter(|b| !b.contains('*'))
                    .cloned()
                    .map(Some),
            );
        }
        // A wildcard refspec (`refs/heads/*:refs/heads/*`) pushes every
        // branch it matches: the protected ones that may be among them.
        let wildcards: Vec<String> = branches
            .iter()
            .flatten()
            .filter(|b| b.contains('*'))
            .cloned()
            .collect();
        for wildcard in wildcards {
            let (prefix, _) = wildcard.split_once('*').unwrap_or((&wildcard, ""));
            branches.extend(
                self.facts
                    .protected_branches
                    .iter()
                    .filter(|p| {
                        let literal = p.split('*').next().unwrap_or(p);
                        literal.starts_with(prefix) || prefix.starts_with(literal)
                    })
                    .cloned()
                    .map(Some),
            );
        }
        // The org's code: the workspace, a clone of the workspace, or a
        // clone of an org repository.
        let own_repo = writ_detect::paths::is_within(&push.repo_dir, &self.facts.workspace)
            || push.cloned_from.as_deref().is_some_and(|source| {
                source.starts_with('/')
                    && writ_detect::paths::is_within(source, &self.facts.workspace)
            })
            || push.cloned_from.as_deref().is_some_and(|source| {
                writ_detect::destination::parse_destination(source).is_some_and(|d| {
                    self.facts.ownership.classify(&d, false)
                        == writ_detect::ownership::Ownership::Org
                })
            });
        // `git push origin +feat/x main` forces `feat/x` only: refspecs
        // that differ in their `+` are two pushes, each judged alone.
        let mixed = !push.force
            && branches.len() == push.refspecs.len()
            && push.refspecs.iter().any(|s| s.force)
            && push.refspecs.iter().any(|s| !s.force);
        if mixed {
            for forced in [true, false] {
                let (specs, group): (Vec<_>, Vec<_>) = push
                    .refspecs
                    .iter()
                    .zip(&branches)
                    .filter(|(spec, _)| spec.force == forced)
                    .unzip();
                out.push(Effect::GitPush {
                    remote: remote.clone(),
                    branches: group.into_iter().cloned().collect(),
                    force: forced,
                    delete: specs.iter().any(|s| s.delete),
                });
            }
        } else {
            out.push(Effect::GitPush {
                remote: remote.clone(),
                branches,
                force,
                delete,
            });
        }
        // Credentials written into the remote's URL go with the push, as
        // a payload of their own beside the repository's contents.
        if let Some(credentials) = url_credentials(&remote).filter(|c| may_carry_secret(c)) {
            out.push(Effect::Send(Send {
                channel: Channel::GitPush,
                target: remote.clone(),
                public: false,
                payload: Payload {
                    text: vec![credentials],
                    ..Payload::default()
                },
            }));
        }
        out.push(Effect::Send(Send {
            channel: Channel::GitPush,
            target: remote,
            public: false,
            payload: Payload {
                repository: own_repo,
                ..Payload::default()
            },
        }));
    }

    /// Where a network effect goes, as text: a remote named by the
    /// working directory's repository is the URL the deployment gives it
    /// (`git_remotes`), else its bare name, which names no known host.
    /// A payment a blockchain CLI broadcasts, lowered as a payment tool's
    /// is: the payment (its amount in US cents when its asset is one
    /// [`usd_cents`] converts), a payment to each payee (whose party, and
    /// who named it, are judged), and the transaction itself sent to the
    /// node that broadcasts it, a payment there too rather than a generic
    /// write.
    fn lower_chain_payment(&self, payment: writ_shell::Payment, out: &mut Vec<Effect>) {
        let amount_cents = payment.amount.as_ref().and_then(|amount| {
            amount.values.iter().try_fold(0i64, |total, value| {
                total.checked_add(usd_cents(value, Unit::Major, &amount.currency)?)
            })
        });
        let rpc = payment.rpc.as_ref().map(|t| self.target_text(t));
        let recipient = payment
            .payees
            .first()
            .cloned()
            .or_else(|| rpc.clone())
            .unwrap_or_else(|| payment.program.clone());
        out.push(Effect::Payment {
            amount_cents,
            recipient,
        });
        for target in payment.payees.into_iter().chain(rpc) {
            out.push(Effect::Send(Send {
                channel: Channel::Payment,
                target,
                public: false,
                payload: Payload::default(),
            }));
        }
    }

    fn target_text(&self, target: &writ_shell::Target) -> String {
        match target {
            writ_shell::Target::Remote { name } => self
                .facts
                .git_remotes
                .get(name)
                .cloned()
                .unwrap_or_else(|| name.clone()),
            other => host_target_text(other),
        }
    }

    fn resource_text(&self, resource: &writ_shell::Resource) -> String {
        use writ_shell::Resource as R;
        match resource {
            R::Repo {
                host,
                slug: Some(slug),
            } => format!("{host}/{slug}"),
            R::Repo { slug: None, .. } => self
                .facts
                .git_remotes
                .get("origin")
                .cloned()
                .unwrap_or_else(|| "repository".to_owned()),
            R::Bucket { scheme, name } => format!("{scheme}://{name}"),
            R::Principal { name } | R::Other { name } => name.clone(),
        }
    }

    /// Effects of a Codex `apply_patch` body (the same reading as the
    /// shell's `apply_patch` command).
    fn patch_effects(&self, patch: &str) -> Vec<Effect> {
        writ_shell::apply_patch_changes(patch)
            .into_iter()
            .map(|change| match change {
                writ_shell::PatchChange::Write(p) => Effect::FileWrite {
                    path: self.path(&p),
                },
                writ_shell::PatchChange::Delete(p) => Effect::FileDelete {
                    path: self.path(&p),
                    recursive: false,
                },
            })
            .collect()
    }
}

fn fetch(url: &str) -> Effect {
    Effect::Fetch {
        target: url.to_owned(),
        payload: Payload {
            text: carried_in_url(url),
            ..Payload::default()
        },
    }
}

/// What a URL itself carries to its host: the credentials of its
/// authority (`https://user:TOKEN@host/`) and its query string.
fn carried_in_url(url: &str) -> Vec<String> {
    let mut text: Vec<String> = url_credentials(url).into_iter().collect();
    if let Some((_, query)) = url.split_once('?') {
        text.push(query.to_owned());
    }
    text
}

/// Whether a URL's user information can carry a secret: a password
/// (`user:TOKEN`), a variable (`$TOKEN@`, `${TOKEN}@`), an encoded
/// character, or a token as the user name (`ghp_...@`). A bare account
/// name (`ssh://git@host/`, `hg@`) is none.
fn may_carry_secret(userinfo: &str) -> bool {
    userinfo.contains([':', '$', '%'])
        || !writ_detect::sensitivity::scan_text(userinfo)
            .credentials
            .is_empty()
}

/// The `user:password` of a URL's authority, when it has one.
fn url_credentials(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority
        .rsplit_once('@')
        .map(|(userinfo, _)| userinfo.to_owned())
}

/// The effects of an HTTP request, and what it does to access through an
/// API the shell analysis knows ([`crate::web_api::api_effects`]), to be lowered.
fn http_effects(
    bound: &Bound<'_>,
    unmapped: Vec<String>,
) -> (Vec<Effect>, Vec<writ_shell::Effect>) {
    let url = bound.text("url").unwrap_or_default();
    let body = bound.text("body").filter(|b| !b.is_empty());
    let method = bound
        .text("method")
        .map(|m| m.to_ascii_uppercase())
        .unwrap_or_else(|| {
            if body.is_some() {
                "POST".to_owned()
            } else {
                "GET".to_owned()
            }
        });
    let mut text = unmapped;
    text.extend(carried_in_url(&url));
    match bound.roles.get("headers") {
        Some(Value::Object(headers)) => text.extend(headers.values().map(value_text)),
        Some(other) => text.push(value_text(other)),
        None => {}
    }
    text.extend(body);
    let (access, share) = if crate::web_api::may_change(&method, &url) {
        // The API reads header names too (`x-amz-acl: public-read`).
        let mut texts = text.clone();
        if let Some(Value::Object(headers)) = bound.roles.get("headers") {
            texts.extend(
                headers
                    .iter()
                    .map(|(name, value)| format!("{name}: {}", value_text(value))),
            );
        }
        let access = crate::web_api::api_effects(&method, &url, &texts);
        let share = crate::web_api::is_share(&method, &url, &texts, &access);
        (access, share)
    } else {
        (Vec::new(), false)
    };
    let payload = Payload {
        text,
        ..Payload::default()
    };
    // A message through a provider's API goes to its recipients.
    if let Some(message) = crate::web_api::message(&method, &url, &payload.text) {
        let mut effects = Vec::new();
        push_message(message, &url, payload, &mut effects);
        return (effects, access);
    }
    if matches!(method.as_str(), "GET" | "HEAD" | "OPTIONS") {
        (
            vec![Effect::Fetch {
                target: url,
                payload,
            }],
            Vec::new(),
        )
    } else {
        let mut effects = Vec::new();
        let channel = match crate::web_api::payment(&method, &url, &payload.text) {
            Some(payment) => {
                push_payment(payment, &url, &mut effects);
                Channel::Payment
            }
            // A request made to share is a share, as a share tool's call.
            None if share => Channel::Share,
            None => {
                push_withdrawal_payees(&method, &url, &payload.text, &mut effects);
                Channel::Http
            }
        };
        effects.push(Effect::Send(Send {
            channel,
            target: url,
            public: false,
            payload,
        }));
        (effects, access)
    }
}

/// A payment to each beneficiary of a custody or exchange withdrawal
/// ([`crate::web_api::withdrawal_payees`]), judged as a payment tool's
/// recipient is; the request itself stays a write to the provider.
fn push_withdrawal_payees(method: &str, url: &str, texts: &[String], out: &mut Vec<Effect>) {
    for payee in crate::web_api::withdrawal_payees(method, url, texts) {
        out.push(Effect::Send(Send {
            channel: Channel::Payment,
            target: payee,
            public: false,
            payload: Payload::default(),
        }));
    }
}

/// The effects of a payment an API request makes to `url`: the payment,
/// and for each payee it names a payment to them, whose party (and who
/// named it) is judged as a payment tool's recipient is.
fn push_payment(payment: crate::web_api::ApiPayment, url: &str, out: &mut Vec<Effect>) {
    out.push(Effect::Payment {
        amount_cents: payment.amount_cents,
        recipient: payment
            .payees
            .first()
            .map_or_else(|| url.to_owned(), Clone::clone),
    });
    for payee in payment.payees {
        out.push(Effect::Send(Send {
            channel: Channel::Payment,
            target: payee,
            public: false,
            payload: Payload::default(),
        }));
    }
}

/// The effects of a message an API request to `url` sends
/// ([`crate::web_api::message`]): an e-mail or chat message to each
/// recipient, as a message tool's, carrying the message (the request's
/// bodies, what it decodes, its files); and the request itself to the
/// provider, carrying what is not the message (its headers and
/// credentials), which is a write to the provider when that is sensitive
/// (a secret token sent to the provider's API is judged as before).
///
/// Recipients the request does not name readably are unknown: the
/// message then goes to the provider's URL, so none of them is taken to
/// be inside the organisation (for a message rebuilt from the text it
/// was made of, with files beside that text, someone unknown as well).
fn push_message(
    message: crate::web_api::ApiMessage,
    url: &str,
    payload: Payload,
    out: &mut Vec<Effect>,
) {
    let Payload {
        text,
        files,
        env,
        repository,
        credentials,
        quoted,
    } = payload;
    let (request_text, mut text): (Vec<String>, Vec<String>) = text
        .into_iter()
        .partition(|t| crate::web_api::is_request_text(t));
    text.extend(message.decoded);
    // Who a message is addressed to is not what it says: a tool's
    // recipients are not its text either (three addresses in a request's
    // `to` list do not make the message confidential).
    for address in message.recipients.iter().filter(|r| r.contains('@')) {
        for t in text.iter_mut().filter(|t| t.contains(address.as_str())) {
            *t = t.replace(address.as_str(), "");
        }
    }
    let named = |texts: &[String], word: &str| texts.iter().any(|t| t.contains(word));
    // A variable or a credential command goes where it is written; one
    // written nowhere to be seen goes to the provider.
    let (mut carried_env, mut sent_env) = (Vec::new(), Vec::new());
    for name in env {
        let (plain, braced) = (format!("${name}"), format!("${{{name}}}"));
        let in_message = named(&text, &plain) || named(&text, &braced);
        if !in_message || named(&request_text, &plain) || named(&request_text, &braced) {
            carried_env.push(name.clone());
        }
        if in_message {
            sent_env.push(name);
        }
    }
    let (mut carried_credentials, mut sent_credentials) = (Vec::new(), Vec::new());
    for credential in credentials {
        let in_message = named(&text, &credential.command);
        if !in_message || named(&request_text, &credential.command) {
            carried_credentials.push(credential.clone());
        }
        if in_message {
            sent_credentials.push(credential);
        }
    }
    let unknown = message.recipients.is_empty() || (message.from_source_text && !files.is_empty());
    let sent = Payload {
        text,
        files,
        env: sent_env,
        repository,
        credentials: sent_credentials,
        quoted,
    };
    let mut recipients = message.recipients;
    if unknown {
        recipients.push(url.to_owned());
    }
    for target in recipients {
        out.push(Effect::Send(Send {
            channel: message.channel,
            target,
            public: false,
            payload: sent.clone(),
        }));
    }
    out.push(Effect::Fetch {
        target: url.to_owned(),
        payload: Payload {
            text: request_text,
            env: carried_env,
            credentials: carried_credentials,
            ..Payload::default()
        },
    });
}

/// A payment tool's amount in US cents: a number, or a string such as
/// `"$1,250.50"`, `"£490"`, `"EUR 2,500"` or `"2500 eur"`, whose symbol or
/// ISO code names its currency; else the amount is in `currency` (the
/// tool's own), else in dollars. Other currencies convert as payment APIs'
/// amounts do ([`usd_cents`]). `None` when the amount is unreadable, or its
/// text and `currency` name different currencies.
fn amount_cents(value: &Value, currency: Option<&str>) -> Option<i64> {
    let (digits, written) = match value {
        Value::Number(n) => (n.to_string(), None),
        Value::String(s) => {
            let (digits, written) = split_currency(s);
            (digits.replace(',', ""), written)
        }
        Value::Object(money) => return money_cents(money, currency),
        _ => return None,
    };
    let given = currency.map(str::trim).filter(|c| !c.is_empty());
    let currency = match (written, given) {
        (Some(written), Some(given)) if !written.eq_ignore_ascii_case(given) => return None,
        (Some(written), _) => written,
        (None, Some(given)) => given,
        (None, None) => "USD",
    };
    usd_cents(&digits, Unit::Major, currency)
}

/// An amount written as a money object: `{"value": "212.40", "currency":
/// "USD"}` (PayPal), `{"amount": 90, "currency": "eur"}`, or Google's
/// `{"currencyCode": "USD", "units": "212", "nanos": 400000000}`. The
/// object's own currency names the amount's, as a symbol in a string does.
fn money_cents(money: &serde_json::Map<String, Value>, currency: Option<&str>) -> Option<i64> {
    let own = ["currency", "currency_code", "currencyCode"]
        .iter()
        .find_map(|key| money.get(*key).and_then(Value::as_str));
    let currency = match (own, currency) {
        (Some(own), Some(given)) if !own.trim().eq_ignore_ascii_case(given.trim()) => return None,
        (Some(own), _) => Some(own),
        (None, given) => given,
    };
    if let Some(amount) = ["value", "amount", "total"]
        .iter()
        .find_map(|key| money.get(*key))
    {
        return amount_cents(amount, currency);
    }
    let units = match money.get("units")? {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.trim().parse::<i64>().ok()?,
        _ => return None,
    };
    let nanos = money.get("nanos").and_then(Value::as_i64).unwrap_or(0);
    // Nanos round up to the cent, so an amount is never undervalued.
    let cents = units
        .checked_mul(100)?
        .checked_add((nanos + 9_999_999) / 10_000_000)?;
    let text = format!("{}.{:02}", cents / 100, cents % 100);
    amount_cents(&Value::String(text), currency)
}

/// Currency symbols an amount may be written with, longest first. A bare
/// `$` names no currency (the amount is in the tool's currency, dollars
/// unless it says otherwise); `¥` is the yuan's or the yen's, read as the
/// yuan, the dearer, so that it is never undervalued.
const CURRENCY_SYMBOLS: &[(&str, &str)] = &[
    ("US$", "USD"),
    ("CA$", "CAD"),
    ("AU$", "AUD"),
    ("NZ$", "NZD"),
    ("HK$", "HKD"),
    ("C$", "CAD"),
    ("A$", "AUD"),
    ("S$", "SGD"),
    ("R$", "BRL"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "CNY"),
    ("￥", "CNY"),
    ("₹", "INR"),
    ("₩", "KRW"),
    ("₪", "ILS"),
    ("₺", "TRY"),
    ("₱", "PHP"),
    ("฿", "THB"),
    ("₫", "VND"),
];

/// An amount's text without the currency written before or after it
/// (a symbol, [`CURRENCY_SYMBOLS`], or a three-letter code), and that
/// currency.
fn split_currency(text: &str) -> (&str, Option<&str>) {
    let text = text.trim();
    for (symbol, code) in CURRENCY_SYMBOLS {
        if let Some(rest) = text
            .strip_prefix(symbol)
            .or_else(|| text.strip_suffix(symbol))
        {
            return (rest.trim(), Some(code));
        }
    }
    let is_code = |s: &str| s.len() == 3 && s.bytes().all(|b| b.is_ascii_alphabetic());
    if let Some((code, rest)) = text.split_at_checked(3)
        && is_code(code)
    {
        return (rest.trim_start().trim_start_matches('$').trim(), Some(code));
    }
    if let Some((rest, code)) = text.split_at_checked(text.len().saturating_sub(3))
        && is_code(code)
    {
        return (rest.trim(), Some(code));
    }
    (text.trim_start_matches('$').trim(), None)
}

/// The host a client's connection string names (a URI, a conninfo, an
/// ADO.NET or Oracle thin string), as a database host is read anywhere.
fn dsn_host(dsn: &str) -> Option<String> {
    crate::deployment::connection_string_host(dsn)
}

/// Whether a shell tool's name says its commands are PowerShell's
/// (`run_powershell`, `powershell/invoke`, `pwsh_exec`).
fn names_powershell(tool: &str) -> bool {
    let lower = tool.to_ascii_lowercase();
    lower.contains("powershell") || lower.contains("pwsh")
}

/// A shell payload as the engine's.
fn lower_payload(p: writ_shell::Payload) -> Payload {
    Payload {
        text: p.text,
        files: p.files,
        env: p.env,
        repository: p.repository,
        credentials: p.credentials,
        quoted: p.quoted,
    }
}

/// A file tool's path on a network share (`\\fs01.x.com\drop\f`, read
/// into `/UNC/fs01.x.com/drop/f`) is on that host: writing it uploads the
/// arguments' text there and reading it fetches from there, as the same
/// copy through PowerShell or `cp` to `//host/share` does.
fn network_share_files(effects: &mut [Effect], arguments: &Value) {
    fn share(path: &str) -> Option<String> {
        let rest = path.strip_prefix("/UNC/")?;
        let (host, share_path) = rest.split_once('/').unwrap_or((rest, ""));
        (!host.is_empty()).then(|| format!("{host}:/{share_path}"))
    }
    for effect in effects.iter_mut() {
        match effect {
            Effect::FileWrite { path } => {
                if let Some(target) = share(path) {
                    let text = match arguments {
                        Value::Object(map) => map
                            .values()
                            .filter_map(Value::as_str)
                            // Not the share path itself.
                            .filter(|v| !v.starts_with(r"\\") && !v.starts_with("//"))
                            .map(str::to_owned)
                            .collect(),
                        _ => Vec::new(),
                    };
                    *effect = Effect::Send(Send {
                        channel: Channel::Upload,
                        target,
                        public: false,
                        payload: Payload {
                            text,
                            ..Payload::default()
                        },
                    });
                }
            }
            Effect::FileRead { path, .. } => {
                if let Some(target) = share(path) {
                    *effect = Effect::Fetch {
                        target,
                        payload: Payload::default(),
                    };
                }
            }
            _ => {}
        }
    }
}

fn host_target_text(target: &writ_shell::Target) -> String {
    match target {
        writ_shell::Target::Url { url } => url.clone(),
        writ_shell::Target::Remote { name } | writ_shell::Target::ToolRemote { name, .. } => {
            name.clone()
        }
        writ_shell::Target::Host {
            user,
            host,
            port,
            path,
        } => {
            let mut s = String::new();
            if let Some(u) = user {
                s.push_str(u);
                s.push('@');
            }
            s.push_str(host);
            if let Some(p) = port {
                s.push(':');
                s.push_str(&p.to_string());
            }
            if let Some(p) = path {
                s.push(':');
                s.push_str(p);
            }
            s
        }
    }
}

/// What a database client sends to its server `host`: the statement or
/// command as written and the script files it reads.
fn query_send(host: &str, text: Option<&str>, files: &[String]) -> Effect {
    Effect::Send(Send {
        channel: Channel::Query,
        target: host.to_owned(),
        public: false,
        payload: Payload {
            text: text.map(str::to_owned).into_iter().collect(),
            files: files
                .iter()
                .map(|p| FileRef {
                    path: p.clone(),
                    recursive: false,
                    excludes: Vec::new(),
                })
                .collect(),
            ..Payload::default()
        },
    })
}

/// What a database client sends its server `host` to log in, as a
/// payload of its own: the password options and variables the line gives
/// it (`login`) and the credentials its connection string carries.
fn login_send(host: &str, dsn: Option<&str>, login: writ_shell::Payload) -> Option<Effect> {
    let credentials = dsn.map(dsn_credentials).unwrap_or_default();
    if login.is_empty() && credentials.is_empty() {
        return None;
    }
    let mut payload = lower_payload(login);
    payload.text.extend(credentials);
    Some(Effect::Send(Send {
        channel: Channel::Query,
        target: host.to_owned(),
        public: false,
        payload,
    }))
}

/// The password a connection string carries: a URI's `user:password@`,
/// and a `password=`/`pwd=` in a conninfo (`host=h password=p`), an
/// ADO.NET string (`Server=h;Password=p`) or a query (`?password=p`).
fn dsn_credentials(dsn: &str) -> Vec<String> {
    let mut out: Vec<String> = url_credentials(dsn)
        .filter(|userinfo| userinfo.contains(':'))
        .into_iter()
        .collect();
    for pair in dsn.split([' ', ';', '&', '?']) {
        if let Some((key, value)) = pair.split_once('=')
            && matches!(key.trim().to_ascii_lowercase().as_str(), "password" | "pwd")
            && !value.is_empty()
        {
            out.push(value.trim_matches(['\'', '"']).to_owned());
        }
    }
    out
}

/// The servers a SQL text attaches from a client opened on `database`
/// ([`crate::sql::attachments_from`]): what runs there is SQL sent to that
/// server, with the statements that read from it, the credentials its
/// connection string carries and the local files it loads there.
fn attached_databases(
    database: Option<&str>,
    sql: Option<&str>,
    dialect: crate::sql::Dialect,
    out: &mut Vec<Effect>,
) {
    let Some(sql) = sql else {
        return;
    };
    for attached in crate::sql::attachments_from(database, sql, dialect) {
        let Some(host) = dsn_host(&attached.connection).filter(|h| !h.is_empty()) else {
            continue;
        };
        let mut text: Vec<String> = attached
            .runs
            .iter()
            .chain(&attached.reads)
            .cloned()
            .collect();
        text.extend(dsn_credentials(&attached.connection));
        let files = attached
            .files
            .iter()
            .map(|path| FileRef {
                path: path.clone(),
                recursive: false,
                excludes: Vec::new(),
            })
            .collect();
        out.push(Effect::Send(Send {
            channel: Channel::Query,
            target: host.clone(),
            public: false,
            payload: Payload {
                text,
                files,
                ..Payload::default()
            },
        }));
        // The statements are the local database's text; the SQL handed
        // to `postgres_execute` the server's own.
        let dialect = if attached.dialect == dialect {
            dialect
        } else {
            crate::sql::Dialect::Unknown
        };
        out.push(Effect::Sql {
            host: Some(host),
            sql: Some(attached.runs.join(";\n")),
            dialect,
        });
    }
}

/// Joins an argv array into a command line, quoting where needed.
/// The party an IAM member names: `user:x@y.com`, `group:`,
/// `serviceAccount:`, `domain:` and `principal:` prefixes dropped.
fn member_address(member: &str) -> &str {
    member
        .split_once(':')
        .filter(|(kind, _)| {
            matches!(
                kind.to_ascii_lowercase().as_str(),
                "user" | "group" | "serviceaccount" | "domain" | "principal"
            )
        })
        .map_or(member, |(_, rest)| rest)
}

/// Whether the first element of a list passed as a shell command is a
/// command line (`"pip install x"`) rather than a program's name or path.
fn is_command_line(first: &str) -> bool {
    let word = first.trim();
    let path = word.starts_with(['/', '~', '.', '"', '\'']) || word.contains('\\');
    word.contains(char::is_whitespace) && !path
}

fn shell_join(parts: &[Value]) -> String {
    let words: Vec<String> = parts.iter().map(value_text).collect();
    // `["git fetch", "git push -f origin main"]` (LangChain's `terminal`
    // takes a list of commands): each is a line of its own. An argv's
    // first word names a program, which has no blank unless it is a path
    // (`C:\Program Files\...\pwsh.exe`).
    if words.first().is_some_and(|first| is_command_line(first)) {
        return words.join("\n");
    }
    // `["bash", "-lc", "cmd"]` is how Codex passes a command line.
    if let [shell, flag, script] = words.as_slice()
        && matches!(
            shell.as_str(),
            "bash" | "sh" | "zsh" | "/bin/bash" | "/bin/sh"
        )
        && flag.starts_with('-')
        && flag.ends_with('c')
    {
        return script.clone();
    }
    words
        .iter()
        .map(|w| {
            if !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:@%+,".contains(c))
            {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A share's grantee that is everyone (`anyone`, `anyoneWithLink`,
/// `public`, `allUsers`).
fn is_everyone(grantee: &str) -> bool {
    matches!(
        grantee.to_ascii_lowercase().as_str(),
        "anyone" | "anyonewithlink" | "anyone_with_link" | "public" | "everyone" | "allusers"
    )
}
#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn amounts_read_numbers_and_strings() {
        assert_eq!(amount_cents(&json!(450), None), Some(45000));
        assert_eq!(amount_cents(&json!(500.0), None), Some(50000));
        assert_eq!(amount_cents(&json!("$1,250.50"), None), Some(125050));
        assert_eq!(amount_cents(&json!("7,800.00"), Some("USD")), Some(780000));
        // A fraction of a cent is still over a limit of whole cents.
        assert_eq!(amount_cents(&json!("500.001"), None), Some(50001));
        assert_eq!(amount_cents(&json!("lots"), None), None);
        assert_eq!(
            amount_cents(&json!({"value": "212.40", "currency": "USD"}), None),
            Some(21240)
        );
        assert_eq!(
            amount_cents(&json!({"amount": 300}), Some("USD")),
            Some(30000)
        );
        assert_eq!(
            amount_cents(
                &json!({"currencyCode": "USD", "units": "212", "nanos": 400_000_000}),
                None
            ),
            Some(21240)
        );
        assert_eq!(
            amount_cents(&json!({"value": "10", "currency": "EUR"}), Some("USD")),
            None
        );
        assert_eq!(amount_cents(&json!({"note": "x"}), None), None);
        assert_eq!(amount_cents(&json!(-3), None), None);
        assert_eq!(amount_cents(&json!("-3"), None), None);
        assert_eq!(amount_cents(&json!(true), None), None);
    }

    #[test]
    fn amounts_in_other_currencies_convert_at_the_highest_rate() {
        // £490 at $1.60 a pound.
        assert_eq!(amount_cents(&json!(490), Some("GBP")), Some(78400));
        assert_eq!(amount_cents(&json!("490"), Some("gbp")), Some(78400));
        assert_eq!(amount_cents(&json!("£490.00"), None), Some(78400));
        assert_eq!(amount_cents(&json!("GBP 490"), None), Some(78400));
        assert_eq!(amount_cents(&json!("490 gbp"), Some("GBP")), Some(78400));
        assert_eq!(amount_cents(&json!("€2,500"), None), Some(315000));
        // A bare `$` is the tool's currency.
        assert_eq!(amount_cents(&json!("$100"), Some("CAD")), Some(8700));
        // ¥ may be yen or yuan: read as the yuan, the dearer.
        assert_eq!(amount_cents(&json!("¥1000"), None), Some(17000));
        assert_eq!(amount_cents(&json!(1000), Some("JPY")), Some(1100));
        // The text and the tool disagree, or the currency is unknown.
        assert_eq!(amount_cents(&json!("€400"), Some("USD")), None);
        assert_eq!(amount_cents(&json!(400), Some("XYZ")), None);
        assert_eq!(amount_cents(&json!("400 ZZZ"), None), None);
    }

    #[test]
    fn payment_tools_read_their_currency() {
        let manifest = |args: &[(&str, &str)]| Manifest {
            kind: ToolKind::Payment,
            args: args
                .iter()
                .map(|(role, arg)| ((*role).to_owned(), (*arg).to_owned()))
                .collect(),
            fixed: std::collections::BTreeMap::new(),
        };
        let facts = bare_facts();
        let cx = Cx {
            facts: &facts,
            base: "/home/dana/ws",
            earlier: Earlier::default(),
        };
        let amount = |manifest: &Manifest, arguments: Value| {
            cx.manifest(manifest, &arguments, "")
                .effects
                .into_iter()
                .find_map(|effect| match effect {
                    Effect::Payment { amount_cents, .. } => Some(amount_cents),
                    _ => None,
                })
        };
        let by_role = manifest(&[("amount_usd", "amount"), ("currency", "ccy")]);
        assert_eq!(
            amount(&by_role, json!({"amount": 490, "ccy": "GBP"})),
            Some(Some(78400))
        );
        let by_name = manifest(&[("amount_usd", "amount")]);
        assert_eq!(
            amount(&by_name, json!({"amount": 490, "currency": "GBP"})),
            Some(Some(78400))
        );
        assert_eq!(
            amount(&by_name, json!({"amount": "7,800.00", "currency": "USD"})),
            Some(Some(780000))
        );
        assert_eq!(amount(&by_name, json!({"amount": 490})), Some(Some(49000)));
        assert_eq!(
            amount(&by_name, json!({"amount": 490, "currency": "XTS"})),
            Some(None)
        );
    }

    #[test]
    fn iam_members_name_their_party() {
        assert_eq!(member_address("user:priya@x.com"), "priya@x.com");
        assert_eq!(
            member_address("serviceAccount:ci@p.iam.gserviceaccount.com"),
            "ci@p.iam.gserviceaccount.com"
        );
        assert_eq!(member_address("domain:x.com"), "x.com");
        assert_eq!(member_address("octo-helper99"), "octo-helper99");
        assert_eq!(member_address("https://x.io/a"), "https://x.io/a");
    }

    #[test]
    fn argv_arrays_join() {
        assert_eq!(
            shell_join(&[json!("bash"), json!("-lc"), json!("ls -la | wc")]),
            "ls -la | wc"
        );
        assert_eq!(
            shell_join(&[json!("git"), json!("commit"), json!("-m"), json!("it's")]),
            r"git commit -m 'it'\''s'"
        );
    }

    /// The facts of a deployment that names only its workspace and home.
    fn bare_facts() -> Facts {
        let deployment =
            crate::Deployment::from_json(r#"{"workspace": "/home/dana/ws", "home": "/home/dana"}"#)
                .unwrap();
        Facts::compile(&deployment).unwrap()
    }

    #[test]
    fn agents_own_tools_mean_the_same_in_every_runtime() {
        let facts = bare_facts();
        let events = [
            (
                crate::Runtime::Codex,
                json!({"hook_event_name": "PreToolUse", "cwd": "/home/dana/ws",
                       "tool_name": "exec_command", "tool_input": {"cmd": "rm -rf build"}}),
            ),
            (
                crate::Runtime::Otel,
                json!({"name": "execute_tool Bash", "attributes": {
                    "gen_ai.operation.name": "execute_tool",
                    "gen_ai.tool.call.arguments": "{\"command\": \"rm -rf build\"}"}}),
            ),
            (
                crate::Runtime::OpenaiAgents,
                json!({"type": "function_call", "call_id": "c", "name": "Bash",
                       "arguments": "{\"command\": \"rm -rf build\"}"}),
            ),
        ];
        for (runtime, event) in events {
            let envelope = crate::normalize(runtime, &event).unwrap();
            let out = interpret(&envelope, &facts, Earlier::default());
            assert_eq!(out.meaning, "builtin", "{runtime:?}");
            assert_eq!(
                out.effects,
                vec![Effect::FileDelete {
                    path: "/home/dana/ws/build".to_owned(),
                    recursive: true
                }],
                "{runtime:?}"
            );
        }
    }

    /// Codex's patch tool, and the same patch run as a shell command (argv,
    /// a heredoc inside `bash -lc`), change the same files.
    #[test]
    fn apply_patch_means_the_same_as_a_tool_and_as_a_command() {
        let facts = bare_facts();
        let patch = "*** Begin Patch\n*** Update File: .codex/config.toml\n@@\n-x\n+y\n*** Delete File: old.txt\n*** End Patch\n";
        let inputs = [
            ("apply_patch", json!({"command": patch})),
            ("shell", json!({"command": ["apply_patch", patch]})),
            (
                "shell",
                json!({"command": ["bash", "-lc", format!("apply_patch <<'PATCH'\n{patch}PATCH")]}),
            ),
        ];
        for (tool, input) in inputs {
            let event = json!({"hook_event_name": "PreToolUse", "cwd": "/home/dana/ws",
                               "tool_name": tool, "tool_input": input});
            let envelope = crate::normalize(crate::Runtime::Codex, &event).unwrap();
            let out = interpret(&envelope, &facts, Earlier::default());
            assert_eq!(
                out.effects,
                vec![
                    Effect::FileWrite {
                        path: "/home/dana/ws/.codex/config.toml".to_owned()
                    },
                    Effect::FileDelete {
                        path: "/home/dana/ws/old.txt".to_owned(),
                        recursive: false
                    }
                ],
                "{tool} {input}"
            );
        }
    }

    /// A tool a manifest calls a shell takes its command as a string or as
    /// an argv, as the agents' own shell tools do.
    #[test]
    fn a_manifest_shell_reads_an_argv_as_its_command() {
        let deployment = crate::Deployment::from_json(
            r#"{"workspace": "/home/dana/ws", "home": "/home/dana",
                "tools": {"run": {"kind": "shell", "args": {"command": "command"}}}}"#,
        )
        .unwrap();
        let facts = Facts::compile(&deployment).unwrap();
        for command in [
            json!("rm -rf build"),
            json!(["rm", "-rf", "build"]),
            json!(["bash", "-lc", "rm -rf build"]),
        ] {
            let event = json!({"type": "function_call", "call_id": "c", "name": "run",
                               "arguments": json!({"command": command}).to_string()});
            let envelope = crate::normalize(crate::Runtime::OpenaiAgents, &event).unwrap();
            let out = interpret(&envelope, &facts, Earlier::default());
            assert_eq!(
                out.effects,
                vec![Effect::FileDelete {
                    path: "/home/dana/ws/build".to_owned(),
                    recursive: true
                }],
                "{command}"
            );
        }
    }

    /// A list whose first element is a command line is a list of commands
    /// (LangChain's `terminal`), each run; a list that starts with a
    /// program, a path with blanks included, is an argv.
    #[test]
    fn a_manifest_shell_runs_each_command_of_a_list() {
        let deployment = crate::Deployment::from_json(
            r#"{"workspace": "/home/dana/ws", "home": "/home/dana",
                "tools": {"terminal": {"kind": "shell", "args": {"command": "commands"}}}}"#,
        )
        .unwrap();
        let facts = Facts::compile(&deployment).unwrap();
        let delete = |path: &str| Effect::FileDelete {
            path: path.to_owned(),
            recursive: true,
        };
        for (commands, expected) in [
            (
                json!(["cd build", "rm -rf out"]),
                vec![delete("/home/dana/ws/build/out")],
            ),
            (json!(["rm -rf out"]), vec![delete("/home/dana/ws/out")]),
            // Read as lines, `/opt/my` would run and nothing be deleted.
            (
                json!(["/opt/my tools/rm", "-rf", "out"]),
                vec![delete("/home/dana/ws/out")],
            ),
        ] {
            let event = json!({"type": "function_call", "call_id": "c", "name": "terminal",
                               "arguments": json!({"commands": commands}).to_string()});
            let envelope = crate::normalize(crate::Runtime::OpenaiAgents, &event).unwrap();
            let out = interpret(&envelope, &facts, Earlier::default());
            let deletes: Vec<Effect> = out
                .effects
                .into_iter()
                .filter(|e| matches!(e, Effect::FileDelete { .. }))
                .collect();
            assert_eq!(deletes, expected, "{commands}");
        }
    }

    /// A search that shows lines reads what its glob names.
    #[test]
    fn a_content_search_reads_the_files_its_glob_names() {
        let facts = bare_facts();
        for (input, path, recursive) in [
            (
                json!({"pattern": "KEY", "path": "config", "glob": "**/.env", "output_mode": "content"}),
                "/home/dana/ws/config/**/.env",
                false,
            ),
            (
                json!({"pattern": "KEY", "glob": "*.pem", "output_mode": "content"}),
                "/home/dana/ws/**/*.pem",
                false,
            ),
            (
                json!({"pattern": "KEY", "path": "src", "output_mode": "content"}),
                "/home/dana/ws/src",
                true,
            ),
        ] {
            let event = json!({"hook_event_name": "PreToolUse", "cwd": "/home/dana/ws",
                               "tool_name": "Grep", "tool_input": input});
            let envelope = crate::normalize(crate::Runtime::ClaudeCode, &event).unwrap();
            let out = interpret(&envelope, &facts, Earlier::default());
            assert_eq!(
                out.effects,
                vec![Effect::FileRead {
                    path: path.to_owned(),
                    recursive
                }],
                "{input}"
            );
        }
    }

    #[test]
    fn a_web_search_sends_its_query() {
        let facts = bare_facts();
        let event = json!({"hook_event_name": "PreToolUse", "cwd": "/home/dana/ws",
                           "tool_name": "WebSearch", "tool_input": {"query": "acme outage"}});
        let envelope = crate::normalize(crate::Runtime::ClaudeCode, &event).unwrap();
        let out = interpret(&envelope, &facts, Earlier::default());
        assert_eq!(
            out.effects,
            vec![Effect::Fetch {
                target: "web search".to_owned(),
                payload: Payload {
                    text: vec!["acme outage".to_owned()],
                    ..Payload::default()
                },
            }]
        );
    }

    #[test]
    fn conninfo_hosts() {
        assert_eq!(
            dsn_host("host=db.prod dbname=x").as_deref(),
            Some("db.prod")
        );
    }
}
