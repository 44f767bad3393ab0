//! `mvn PHASE...` (`./mvnw`, `mvnd`): the commands the plugin executions
//! of the project's `pom.xml` (in the directory mvn runs in, or `-f
//! FILE|DIR`) run, when its text is known. A lifecycle phase runs the
//! executions bound to it and to each phase before it in its lifecycle
//! (`mvn verify` runs those bound to `validate`, `compile`, `test`,
//! `package`, ...), in the phases' order and the pom's; a goal named with
//! its execution (`exec:exec@ID`, `antrun:run@ID`) runs that execution,
//! one named without (`exec:exec`) the plugin's own configuration.
//!
//! The plugins whose executions run commands: exec-maven-plugin's `exec`
//! goal (its `<executable>` with its `<arguments>`' `<argument>`s or its
//! `<commandlineArgs>`, its `<environmentVariables>`, in its
//! `<workingDirectory>` or the project's directory; `<skip>true</skip>`
//! and `-Dexec.skip=true` run nothing), and maven-antrun-plugin's `run`
//! goal (each `<exec executable=... dir=...>` of its `<target>` with its
//! `<arg value=...>`/`<arg line=...>`, each `<get src=URL dest=FILE>` as a
//! download). Build profiles the line activates (`-P id`) or that are
//! active by default add their plugins. Text is read as XML is: comments
//! dropped, entities (`&amp;`, `&gt;`, ...) and `<![CDATA[...]]>` decoded;
//! `${name}` is the line's `-Dname=value`, the pom's `<properties>`, the
//! project's `${project.basedir}` and `${project.build.directory}`,
//! `${user.home}`, or the environment variable `${env.NAME}`.

use std::collections::HashMap;

use super::{Lookup, MAX_JOBS, MAX_NESTING};
use crate::args::Arg;
use crate::commands::publish::MAVEN_VALUE_OPTIONS;
use crate::commands::words::{self, Backslash};
use crate::commands::{Invocation, Nested};
use crate::paths;

/// Maven's lifecycles, each its phases in order.
const LIFECYCLES: &[&[&str]] = &[
    &["pre-clean", "clean", "post-clean"],
    &[
        "validate",
        "initialize",
        "generate-sources",
        "process-sources",
        "generate-resources",
        "process-resources",
        "compile",
        "process-classes",
        "generate-test-sources",
        "process-test-sources",
        "generate-test-resources",
        "process-test-resources",
        "test-compile",
        "process-test-classes",
        "test",
        "prepare-package",
        "package",
        "pre-integration-test",
        "integration-test",
        "post-integration-test",
        "verify",
        "install",
        "deploy",
    ],
    &["pre-site", "site", "post-site", "site-deploy"],
];

/// The user property exec-maven-plugin reads its executable from when
/// the pom configures none (`-Dexec.executable=sh`); `exec.args` and
/// `exec.workingdir` give its arguments and directory.
const EXEC_EXECUTABLE: &str = "exec.executable";

/// Options after which no phase runs.
const RUN_NOTHING: &[&str] = &["-h", "--help", "-v", "--version"];

/// A plugin whose goals run commands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Plugin {
    Exec,
    Antrun,
}

impl Plugin {
    /// The plugin an `<artifactId>` names.
    fn of(artifact: &str) -> Option<Self> {
        match artifact {
            "exec-maven-plugin" => Some(Self::Exec),
            "maven-antrun-plugin" => Some(Self::Antrun),
            _ => None,
        }
    }

    /// The prefix its goals are named by on the command line (`exec:exec`).
    fn prefix(self) -> &'static str {
        match self {
            Self::Exec => "exec",
            Self::Antrun => "antrun",
        }
    }

    /// Its goal that runs commands.
    fn goal(self) -> &'static str {
        match self {
            Self::Exec => "exec",
            Self::Antrun => "run",
        }
    }
}

/// One execution of a plugin: its id, its phase, whether it has the
/// goal that runs commands, and its configuration (the plugin's own
/// after the execution's, as Maven merges them).
struct Execution {
    plugin: Plugin,
    id: String,
    phase: Option<String>,
    runs: bool,
    configs: Vec<String>,
}

/// A project's pom: what it interpolates and the executions it declares.
struct Pom<'a> {
    dir: String,
    home: &'a str,
    properties: HashMap<String, String>,
    /// The line's `-Dname=value` user properties, as words.
    defines: HashMap<String, Arg>,
    executions: Vec<Execution>,
}

/// The jobs of an `mvn` command line, from the pom known.
pub(super) fn maven(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let mut goals: Vec<String> = Vec::new();
    let mut defines: HashMap<String, Arg> = HashMap::new();
    let mut profiles: Vec<String> = Vec::new();
    let mut pom_path = None;
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if RUN_NOTHING.contains(&text) {
            return Vec::new();
        }
        // `-Dname=value`, `-Pprofile` (`-fae` is an option of its own).
        let attached = ["-D", "-P"].into_iter().find_map(|flag| {
            text.strip_prefix(flag)
                .filter(|v| !v.is_empty())
                .map(|v| (flag, v.to_owned()))
        });
        let (option, value) = match attached {
            Some((flag, value)) => (flag, Some(word.with_text(&value))),
            None if MAVEN_VALUE_OPTIONS.contains(&text) => (text, words.next().cloned()),
            None if text.starts_with('-') => continue,
            None => {
                goals.push(text.to_owned());
                continue;
            }
        };
        let Some(value) = value else { break };
        match option {
            "-D" | "--define" => {
                let (name, text) = value.text.split_once('=').unwrap_or((&value.text, "true"));
                defines.insert(name.to_owned(), value.with_text(text));
            }
            "-P" | "--activate-profiles" => {
                profiles.extend(value.text.split(',').map(|p| p.trim().to_owned()));
            }
            "-f" | "--file" => pom_path = Some(inv.path(&value.text)),
            _ => {}
        }
    }
    let pom_path = pom_path.unwrap_or_else(|| paths::resolve(inv.cwd, "/", "pom.xml"));
    let inside = paths::resolve(&pom_path, "/", "pom.xml");
    let (pom_path, text) = match (text_of(&pom_path), text_of(&inside)) {
        (Some(text), _) => (pom_path, text),
        // `-f DIR`: the pom in it.
        (None, Some(text)) => (inside, text),
        // No pom known: only what the line itself configures
        // (`exec:exec -Dexec.executable=...`) runs.
        (None, None) if defines.contains_key(EXEC_EXECUTABLE) => (pom_path, String::new()),
        (None, None) => return Vec::new(),
    };
    let pom = Pom::parse(&text, &pom_path, inv.home, defines, &profiles);
    let skip_exec = pom.properties.get("exec.skip").is_some_and(|v| v == "true");
    let mut chosen: Vec<&Execution> = Vec::new();
    for goal in &goals {
        for execution in pom.run_by(goal) {
            let skipped = execution.plugin == Plugin::Exec && skip_exec;
            if !skipped && !chosen.iter().any(|c| std::ptr::eq(*c, execution)) {
                chosen.push(execution);
            }
        }
    }
    chosen
        .into_iter()
        .flat_map(|execution| pom.jobs(execution))
        .take(MAX_JOBS)
        .collect()
}

impl<'a> Pom<'a> {
    /// The pom's properties (the line's `-D`s over its own) and the
    /// executions of its plugins and of the profiles active.
    fn parse(
        text: &str,
        path: &str,
        home: &'a str,
        defines: HashMap<String, Arg>,
        profiles: &[String],
    ) -> Self {
        let text = without_comments(text);
        let dir = super::parent(path);
        let mut properties = HashMap::new();
        for block in elements(&text, "properties") {
            for (name, value) in child_elements(&block) {
                properties.insert(name, decode(&value));
            }
        }
        let project = outside(&text, &["parent", "build", "dependencies", "profiles"]);
        for field in ["groupId", "artifactId", "version"] {
            if let Some(value) = elements(&project, field).first() {
                properties.insert(format!("project.{field}"), decode(value));
            }
        }
        properties.extend(defines.iter().map(|(k, v)| (k.clone(), v.text.clone())));
        let mut builds = elements(&outside(&text, &["profiles"]), "build");
        for profile in elements(&text, "profile") {
            let id = elements(&profile, "id").first().map(|id| decode(id));
            let by_default = elements(&profile, "activeByDefault")
                .first()
                .is_some_and(|v| v.trim() == "true");
            if by_default || id.is_some_and(|id| profiles.contains(&id)) {
                builds.extend(elements(&profile, "build"));
            }
        }
        let mut executions = Vec::new();
        for build in builds {
            let plugins = outside(&build, &["pluginManagement"]);
            for plugin in elements(&plugins, "plugin") {
                executions.extend(plugin_executions(&plugin));
            }
        }
        // `mvn exec:exec -Dexec.executable=...` with no exec plugin declared.
        let declared = executions
            .iter()
            .any(|e| e.plugin == Plugin::Exec && e.id == "default-cli");
        if !declared && defines.contains_key(EXEC_EXECUTABLE) {
            executions.push(Execution {
                plugin: Plugin::Exec,
                id: "default-cli".to_owned(),
                phase: None,
                runs: true,
                configs: Vec::new(),
            });
        }
        Self {
            dir,
            home,
            properties,
            defines,
            executions,
        }
    }

    /// The executions a goal of the line runs: those bound to a lifecycle
    /// phase up to it, or the one a plugin goal names.
    fn run_by(&self, goal: &str) -> Vec<&Execution> {
        if let Some(phases) = phases_up_to(goal) {
            let mut run = Vec::new();
            for phase in phases {
                run.extend(
                    self.executions
                        .iter()
                        .filter(|e| e.runs && e.phase.as_deref() == Some(phase)),
                );
            }
            return run;
        }
        // `exec:exec@id`, `org.codehaus.mojo:exec-maven-plugin:3.1.0:exec`.
        let (goal, id) = goal.split_once('@').unwrap_or((goal, "default-cli"));
        let parts: Vec<&str> = goal.split(':').collect();
        let Some((name, prefix)) = parts.split_last() else {
            return Vec::new();
        };
        self.executions
            .iter()
            .filter(|e| {
                let names_plugin = prefix.iter().any(|p| {
                    *p == e.plugin.prefix() || Plugin::of(p).is_some_and(|p| p == e.plugin)
                });
                names_plugin && *name == e.plugin.goal() && e.id == id
            })
            .collect()
    }

    /// The commands an execution runs.
    fn jobs(&self, execution: &Execution) -> Vec<Nested> {
        let value = |tag: &str| {
            execution
                .configs
                .iter()
                .find_map(|config| elements(config, tag).into_iter().next())
        };
        if value("skip").is_some_and(|v| v.trim() == "true") {
            return Vec::new();
        }
        match execution.plugin {
            Plugin::Exec => {
                let program = value("executable")
                    .map(|program| self.arg(&program))
                    .or_else(|| self.defines.get(EXEC_EXECUTABLE).cloned());
                let Some(program) = program else {
                    return Vec::new();
                };
                let mut argv = vec![program];
                if let Some(arguments) = value("arguments") {
                    argv.extend(elements(&arguments, "argument").iter().map(|a| self.arg(a)));
                } else if let Some(line) = value("commandlineArgs")
                    .map(|line| self.arg(&line))
                    .or_else(|| self.defines.get("exec.args").cloned())
                {
                    argv.extend(
                        words::split(&line.text, Backslash::OutsideQuotes)
                            .iter()
                            .map(|word| line.with_text(word)),
                    );
                }
                let env = value("environmentVariables")
                    .map(|vars| {
                        child_elements(&vars)
                            .into_iter()
                            .map(|(name, value)| (name, self.arg(&value)))
                            .collect()
                    })
                    .unwrap_or_default();
                let cwd = value("workingDirectory")
                    .or_else(|| self.defines.get("exec.workingdir").map(|d| d.text.clone()))
                    .map_or_else(|| self.dir.clone(), |dir| self.path(&dir));
                vec![Nested::Argv {
                    argv,
                    env,
                    cwd: Some(cwd),
                }]
            }
            Plugin::Antrun => {
                let target = value("target").or_else(|| value("tasks"));
                target.map(|t| self.ant_jobs(&t)).unwrap_or_default()
            }
        }
    }

    /// The commands of an Ant target: its `<exec>` and `<get>` tasks.
    fn ant_jobs(&self, target: &str) -> Vec<Nested> {
        let mut jobs = Vec::new();
        for AntElement {
            tag,
            attributes,
            inner,
        } in ant_elements(target)
        {
            let attribute = |name: &str| {
                attributes
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| self.arg(v))
            };
            match tag.as_str() {
                "exec" => {
                    let Some(program) = attribute("executable") else {
                        continue;
                    };
                    let mut argv = vec![program];
                    for arg in ant_elements(&inner) {
                        if arg.tag != "arg" {
                            continue;
                        }
                        for (name, value) in arg.attributes {
                            let value = self.arg(&value);
                            match name.as_str() {
                                "line" => argv.extend(
                                    words::split(&value.text, Backslash::OutsideQuotes)
                                        .iter()
                                        .map(|word| value.with_text(word)),
                                ),
                                "value" | "file" | "path" => argv.push(value),
                                _ => {}
                            }
                        }
                    }
                    let cwd =
                        attribute("dir").map_or_else(|| self.dir.clone(), |d| self.path(&d.text));
                    jobs.push(Nested::Argv {
                        argv,
                        env: Vec::new(),
                        cwd: Some(cwd),
                    });
                }
                "get" => {
                    if let (Some(src), Some(dest)) = (attribute("src"), attribute("dest")) {
                        let argv = vec![
                            Arg::literal("curl"),
                            Arg::literal("-fsSL"),
                            Arg::literal("-o"),
                            dest,
                            src,
                        ];
                        jobs.push(Nested::Argv {
                            argv,
                            env: Vec::new(),
                            cwd: Some(self.dir.clone()),
                        });
                    }
                }
                _ => {}
            }
        }
        jobs
    }

    /// A path of the pom, as an absolute path.
    fn path(&self, text: &str) -> String {
        paths::resolve(&self.dir, self.home, &self.arg(text).text)
    }

    /// Text of the pom as a word: entities decoded and `${name}` filled in.
    fn arg(&self, text: &str) -> Arg {
        self.interpolate(&decode(text.trim()), 0)
    }

    /// `text` with its `${name}` filled in: the properties known (theirs
    /// in turn), `${env.NAME}` as the variable; others left as written.
    fn interpolate(&self, text: &str, depth: usize) -> Arg {
        let mut out = Arg::default();
        let mut rest = text;
        while let Some(at) = rest.find("${") {
            out.text.push_str(rest.get(..at).unwrap_or_default());
            let after = rest.get(at + 2..).unwrap_or_default();
            let Some(close) = after.find('}') else {
                out.text.push_str(rest.get(at..).unwrap_or_default());
                rest = "";
                break;
            };
            let name = after.get(..close).unwrap_or_default();
            match self.property(name, depth) {
                Some(value) => {
                    out.text.push_str(&value.text);
                    out.env.extend(value.env.iter().cloned());
                    crate::flow::merge(&mut out.prov, &value.prov);
                    out.dynamic |= value.dynamic;
                }
                None => match name.strip_prefix("env.") {
                    Some(var) => {
                        out.text.push_str(&format!("${{{var}}}"));
                        out.env.push(var.to_owned());
                        out.dynamic = true;
                    }
                    None => out.text.push_str(&format!("${{{name}}}")),
                },
            }
            rest = after.get(close + 1..).unwrap_or_default();
        }
        out.text.push_str(rest);
        out
    }

    /// The value of a property the pom interpolates: the line's `-D`, the
    /// project's directories, the home directory, the pom's own.
    fn property(&self, name: &str, depth: usize) -> Option<Arg> {
        if let Some(value) = self.defines.get(name) {
            return Some(value.clone());
        }
        let text = match name {
            "project.basedir" | "basedir" => self.dir.clone(),
            "project.build.directory" => paths::resolve(&self.dir, "/", "target"),
            "user.home" => self.home.to_owned(),
            _ => self.properties.get(name)?.clone(),
        };
        Some(if depth < MAX_NESTING {
            self.interpolate(&text, depth + 1)
        } else {
            Arg::literal(&text)
        })
    }
}

/// The executions of a `<plugin>` whose goals run commands.
fn plugin_executions(plugin: &str) -> Vec<Execution> {
    let own = outside(plugin, &["executions", "dependencies"]);
    let Some(kind) = elements(&own, "artifactId")
        .first()
        .and_then(|a| Plugin::of(a.trim()))
    else {
        return Vec::new();
    };
    let plugin_config = elements(&own, "configuration").into_iter().next();
    let mut executions: Vec<Execution> = Vec::new();
    for execution in elements(plugin, "execution") {
        let id = elements(&execution, "id")
            .first()
            .map_or_else(|| "default".to_owned(), |id| id.trim().to_owned());
        let phase = elements(&execution, "phase")
            .first()
            .map(|p| p.trim().to_owned());
        let runs = elements(&execution, "goal")
            .iter()
            .any(|g| g.trim() == kind.goal());
        let configs = elements(&execution, "configuration")
            .into_iter()
            .take(1)
            .chain(plugin_config.clone())
            .collect();
        executions.push(Execution {
            plugin: kind,
            id,
            phase,
            runs,
            configs,
        });
    }
    // The plugin's own configuration, for its goal named on the line.
    if !executions.iter().any(|e| e.id == "default-cli") {
        executions.push(Execution {
            plugin: kind,
            id: "default-cli".to_owned(),
            phase: None,
            runs: true,
            configs: plugin_config.into_iter().collect(),
        });
    }
    executions
}

/// The phases a lifecycle phase runs: it and those before it in its lifecycle.
fn phases_up_to(goal: &str) -> Option<&'static [&'static str]> {
    LIFECYCLES.iter().find_map(|phases| {
        let at = phases.iter().position(|p| *p == goal)?;
        phases.get(..=at)
    })
}

/// `xml` without its `<!-- ... -->` comments.
fn without_comments(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find("<!--") {
        out.push_str(rest.get(..at).unwrap_or_default());
        rest = rest
            .get(at..)
            .and_then(|r| r.find("-->").and_then(|end| r.get(end + 3..)))
            .unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// The inner text of each outermost `<TAG>...</TAG>` element of `xml`
/// (with attributes or not), in order; a `<TAG/>` is empty.
fn elements(xml: &str, tag: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some((_, open_end, empty)) = open_tag(rest, tag) {
        let after = rest.get(open_end..).unwrap_or_default();
        if empty {
            found.push(String::new());
            rest = after;
            continue;
        }
        let Some(close) = close_of(after, tag) else {
            break;
        };
        found.push(after.get(..close).unwrap_or_default().to_owned());
        rest = after.get(close + tag.len() + 3..).unwrap_or_default();
    }
    found
}

/// `xml` with its outermost elements of each of `tags` taken out.
fn outside(xml: &str, tags: &[&str]) -> String {
    let mut out = xml.to_owned();
    for tag in tags {
        let mut kept = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some((start, open_end, empty)) = open_tag(rest, tag) {
            kept.push_str(rest.get(..start).unwrap_or_default());
            let after = rest.get(open_end..).unwrap_or_default();
            rest = if empty {
                after
            } else {
                match close_of(after, tag) {
                    Some(close) => after.get(close + tag.len() + 3..).unwrap_or_default(),
                    None => "",
                }
            };
        }
        kept.push_str(rest);
        out = kept;
    }
    out
}

/// The first `<TAG>`, `<TAG attr=...>` or `<TAG/>` of `xml`: where it
/// starts, where it ends and whether it is empty.
fn open_tag(xml: &str, tag: &str) -> Option<(usize, usize, bool)> {
    let marker = format!("<{tag}");
    let mut from = 0;
    loop {
        let start = from + xml.get(from..)?.find(&marker)?;
        let after = start + marker.len();
        match xml.as_bytes().get(after) {
            Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r') => {
                let end = after + xml.get(after..)?.find('>')?;
                let empty = xml.get(..end)?.ends_with('/');
                return Some((start, end + 1, empty));
            }
            _ => from = after,
        }
    }
}

/// Where the `</TAG>` that closes an element opened just before `xml`
/// starts, elements of the same tag inside it skipped.
fn close_of(xml: &str, tag: &str) -> Option<usize> {
    let close = format!("</{tag}>");
    let mut depth = 0usize;
    let mut at = 0;
    loop {
        let next_close = at + xml.get(at..)?.find(&close)?;
        match open_tag(xml.get(at..next_close)?, tag) {
            Some((_, open_end, empty)) => {
                if !empty {
                    depth += 1;
                }
                at += open_end;
            }
            None if depth == 0 => return Some(next_close),
            None => {
                depth -= 1;
                at = next_close + close.len();
            }
        }
    }
}

/// The child elements of `xml` as `(tag, inner text)`, in order.
fn child_elements(xml: &str) -> Vec<(String, String)> {
    let mut children = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find('<') {
        let after = rest.get(at + 1..).unwrap_or_default();
        let len = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            .count();
        let tag = after.get(..len).unwrap_or_default();
        if tag.is_empty() {
            rest = after;
            continue;
        }
        let from_tag = rest.get(at..).unwrap_or_default();
        let Some((_, open_end, empty)) = open_tag(from_tag, tag) else {
            rest = after;
            continue;
        };
        let inner_start = from_tag.get(open_end..).unwrap_or_default();
        if empty {
            children.push((tag.to_owned(), String::new()));
            rest = inner_start;
            continue;
        }
        let Some(close) = close_of(inner_start, tag) else {
            break;
        };
        children.push((
            tag.to_owned(),
            inner_start.get(..close).unwrap_or_default().to_owned(),
        ));
        rest = inner_start.get(close + tag.len() + 3..).unwrap_or_default();
    }
    children
}

/// An element of an Ant target: a task (`<exec>`) or a task's nested
/// element (`<arg>`).
struct AntElement {
    tag: String,
    attributes: Vec<(String, String)>,
    inner: String,
}

/// The elements of an Ant target (or of one of its tasks), in order.
fn ant_elements(xml: &str) -> Vec<AntElement> {
    let mut tasks = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find('<') {
        let after = rest.get(at + 1..).unwrap_or_default();
        let len = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':'))
            .count();
        let tag = after.get(..len).unwrap_or_default();
        let from_tag = rest.get(at..).unwrap_or_default();
        let Some((_, open_end, empty)) =
            (!tag.is_empty()).then(|| open_tag(from_tag, tag)).flatten()
        else {
            rest = after;
            continue;
        };
        let head = from_tag
            .get(1 + len..open_end.saturating_sub(1))
            .unwrap_or_default();
        let attributes = attributes(head.trim_end_matches('/'));
        let inner_start = from_tag.get(open_end..).unwrap_or_default();
        let (inner, next) = if empty {
            ("", inner_start)
        } else {
            match close_of(inner_start, tag) {
                Some(close) => (
                    inner_start.get(..close).unwrap_or_default(),
                    inner_start.get(close + tag.len() + 3..).unwrap_or_default(),
                ),
                None => (inner_start, ""),
            }
        };
        tasks.push(AntElement {
            tag: tag.to_owned(),
            attributes,
            inner: inner.to_owned(),
        });
        rest = next;
    }
    tasks
}

/// The `name="value"` (or `'value'`) attributes of a tag's head.
fn attributes(head: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = head;
    while let Some(eq) = rest.find('=') {
        let name = rest.get(..eq).unwrap_or_default().trim();
        let name = name.rsplit(char::is_whitespace).next().unwrap_or(name);
        let after = rest.get(eq + 1..).unwrap_or_default().trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            rest = after;
            continue;
        };
        let body = after.get(1..).unwrap_or_default();
        let Some(end) = body.find(quote) else {
            break;
        };
        found.push((
            name.to_owned(),
            body.get(..end).unwrap_or_default().to_owned(),
        ));
        rest = body.get(end + 1..).unwrap_or_default();
    }
    found
}

/// XML text decoded: `<![CDATA[...]]>` as written, entities read.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("<![CDATA[") {
        out.push_str(&entities(rest.get(..at).unwrap_or_default()));
        let body = rest.get(at + 9..).unwrap_or_default();
        let end = body.find("]]>").unwrap_or(body.len());
        out.push_str(body.get(..end).unwrap_or_default());
        rest = body.get(end + 3..).unwrap_or_default();
    }
    out.push_str(&entities(rest));
    out
}

/// XML's entities and character references read.
fn entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at + 1..).unwrap_or_default();
        let entity = after
            .find(';')
            .filter(|end| *end <= 10)
            .and_then(|end| after.get(..end));
        let decoded = entity.and_then(|name| match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => {
                let number = name.strip_prefix('#')?;
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (entity, decoded) {
            (Some(name), Some(c)) => {
                out.push(c);
                rest = after.get(name.len() + 1..).unwrap_or_default();
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
