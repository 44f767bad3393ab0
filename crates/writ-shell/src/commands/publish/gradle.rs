//! Gradle's publishing tasks, read as Maven's deploys are (`mvn deploy`):
//! a task whose plugin fixes the repository sends
//! what the build publishes there, with the credentials the line gives
//! as project properties (`-Pname=value`, `--project-prop name=value`,
//! `-Dorg.gradle.project.name=value`, `ORG_GRADLE_PROJECT_name`).
//! `publishPlugins` (the plugin-publish plugin) goes to the Plugin Portal
//! with `gradle.publish.key`/`gradle.publish.secret` (or
//! `GRADLE_PUBLISH_KEY`/`GRADLE_PUBLISH_SECRET`); `publishToMavenCentral`
//! and `publishAndReleaseToMavenCentral` (vanniktech's plugin) to the
//! Central Portal; `publishToSonatype` and the Sonatype staging tasks
//! (gradle-nexus's plugin) to Sonatype. `publish` and
//! `publish...To<Name>Repository` go where the build files name: when the
//! line gives the repository's URL as a project property (a build script's
//! `url = uri(findProperty("corpUrl"))`, given `-PcorpUrl=https://...`),
//! there, with the credentials the line gives ([`named_repository_urls`]);
//! otherwise the line does not show where, and nothing is reported, as
//! for `mvn deploy` without a URL. `publishToMavenLocal` writes the local
//! repository. `--dry-run` (`-m`) runs no task.

use super::super::{Invocation, Outcome, request, url};
use super::credentials;
use crate::args::Arg;
use crate::{Payload, flow};

/// Gradle's options that take their value as the next word (Jib's Gradle
/// plugin reads the same command line: `container/jib.rs`).
pub(crate) const VALUE_OPTIONS: &[&str] = &[
    "-b",
    "--build-file",
    "-c",
    "--settings-file",
    "-g",
    "--gradle-user-home",
    "-I",
    "--init-script",
    "-p",
    "--project-dir",
    "-P",
    "--project-prop",
    "--project-cache-dir",
    "-x",
    "--exclude-task",
    "--console",
    "--warning-mode",
    "--include-build",
    "-F",
    "--dependency-verification",
    "-M",
    "--write-verification-metadata",
    "--priority",
];

/// A repository a publishing plugin fixes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Repository {
    /// The Gradle Plugin Portal.
    PluginPortal,
    /// Sonatype's Central Portal.
    CentralPortal,
    /// Sonatype's Nexus (OSSRH), which releases to Maven Central.
    Sonatype,
}

impl Repository {
    fn url(self) -> &'static str {
        match self {
            Self::PluginPortal => "https://plugins.gradle.org",
            Self::CentralPortal => "https://central.sonatype.com",
            Self::Sonatype => "https://oss.sonatype.org/service/local/",
        }
    }

    /// The project properties its plugin reads its credentials from.
    fn credential_properties(self) -> &'static [&'static str] {
        match self {
            Self::PluginPortal => &["gradle.publish.key", "gradle.publish.secret"],
            Self::CentralPortal => &["mavenCentralUsername", "mavenCentralPassword"],
            Self::Sonatype => &["sonatypeUsername", "sonatypePassword"],
        }
    }
}

/// The repository a task publishes to, when its plugin fixes it.
fn task_repository(task: &str) -> Option<Repository> {
    let task = task.rsplit(':').next().unwrap_or(task);
    let publishes = task.starts_with("publish");
    if task == "publishPlugins" {
        Some(Repository::PluginPortal)
    } else if matches!(
        task,
        "publishToMavenCentral" | "publishAndReleaseToMavenCentral"
    ) || (publishes && task.ends_with("ToMavenCentralRepository"))
    {
        Some(Repository::CentralPortal)
    } else if task == "publishToSonatype"
        || (publishes && task.ends_with("ToSonatypeRepository"))
        || task.ends_with("SonatypeStagingRepository")
    {
        Some(Repository::Sonatype)
    } else {
        None
    }
}

/// The repository a task publishes to when the build script names it:
/// `publish` (every repository, `Some("")`),
/// `publish<Publication>PublicationTo<Name>Repository` and
/// `publishAllPublicationsTo<Name>Repository` (`Some("Name")`). The local
/// repository (`...ToMavenLocal`) is none.
fn named_repository(task: &str) -> Option<&str> {
    let task = task.rsplit(':').next().unwrap_or(task);
    if task == "publish" {
        return Some("");
    }
    let rest = task.strip_prefix("publish")?;
    let (_, name) = rest.rsplit_once("To")?;
    let name = name.strip_suffix("Repository")?;
    (!name.is_empty() && name != "MavenLocal").then_some(name)
}

/// The URLs of the repositories `line`'s publishing tasks that go where
/// the build script says ([`named_repository`]) publish to, as the line's
/// project properties give them: the properties whose value is a remote
/// URL and whose name contains the repository's (`-PcorpUrl=...` for
/// `CorpRepository`), else, when none does, every property whose value
/// is one.
fn named_repository_urls(line: &GradleLine<'_>) -> Vec<Arg> {
    let remote = |value: &Arg| {
        let text = value.text.to_ascii_lowercase();
        text.starts_with("https://") || text.starts_with("http://")
    };
    let urls: Vec<&(String, Arg)> = line
        .properties
        .iter()
        .filter(|(_, value)| remote(value))
        .collect();
    let mut found: Vec<Arg> = Vec::new();
    for name in line
        .tasks
        .iter()
        .filter(|task| task_repository(task).is_none())
        .filter_map(|task| named_repository(task))
    {
        let name = name.to_ascii_lowercase();
        let named: Vec<&Arg> = urls
            .iter()
            .filter(|(property, _)| {
                !name.is_empty() && property.to_ascii_lowercase().contains(&name)
            })
            .map(|(_, value)| value)
            .collect();
        let chosen = if named.is_empty() {
            urls.iter().map(|(_, value)| value).collect()
        } else {
            named
        };
        for url in chosen {
            if !found.iter().any(|f| f.text == url.text) {
                found.push(url.clone());
            }
        }
    }
    found
}

/// A Gradle run's words: its tasks, its project properties and its
/// other options with their values.
struct GradleLine<'a> {
    tasks: Vec<&'a str>,
    properties: Vec<(String, Arg)>,
    options: Vec<(&'a str, Option<&'a Arg>)>,
}

impl<'a> GradleLine<'a> {
    fn read(inv: &Invocation<'a>) -> Self {
        let mut line = GradleLine {
            tasks: Vec::new(),
            properties: Vec::new(),
            options: Vec::new(),
        };
        for (name, value) in inv.env {
            if let Some(property) = name.strip_prefix("ORG_GRADLE_PROJECT_") {
                line.properties.push((property.to_owned(), value.clone()));
            }
        }
        let mut words = inv.args.iter();
        while let Some(word) = words.next() {
            let text = word.text.as_str();
            if let Some(property) = project_property(word, &mut words) {
                line.properties.extend(property);
            } else if VALUE_OPTIONS.contains(&text) {
                line.options.push((text, words.next()));
            } else if text.starts_with('-') {
                line.options.push((text, None));
            } else {
                line.tasks.push(text);
            }
        }
        line
    }

    fn has(&self, names: &[&str]) -> bool {
        self.options.iter().any(|(name, _)| names.contains(name))
    }

    /// What the credentials given for `repository` carry: its plugin's
    /// properties, and any other property named as a credential.
    fn credentials(&self, repository: Option<Repository>) -> Payload {
        let mut payload = Payload::default();
        for (name, value) in &self.properties {
            let plugin =
                repository.is_some_and(|r| r.credential_properties().contains(&name.as_str()));
            if plugin || names_credential(name) {
                flow::merge(&mut payload, &value.payload());
            }
        }
        payload
    }
}

/// A project property a word sets (`-Pname=value`, `-P name=value`,
/// `--project-prop[=]name=value`, `-Dorg.gradle.project.name=value`):
/// `Some` for a property option (empty when it names none).
fn project_property<'a>(
    word: &'a Arg,
    words: &mut impl Iterator<Item = &'a Arg>,
) -> Option<Option<(String, Arg)>> {
    let text = word.text.as_str();
    let (body, word) = match text {
        "-P" | "--project-prop" | "-D" | "--system-prop" => {
            let word = words.next()?;
            (word.text.as_str(), word)
        }
        _ => {
            let body = ["-P", "--project-prop=", "-D", "--system-prop="]
                .iter()
                .find_map(|prefix| text.strip_prefix(prefix))?;
            (body, word)
        }
    };
    let system = text.starts_with("-D") || text.starts_with("--system-prop");
    let (name, value) = body.split_once('=')?;
    let name = if system {
        match name.strip_prefix("org.gradle.project.") {
            Some(name) => name,
            None => return Some(None),
        }
    } else {
        name
    };
    Some(Some((name.to_owned(), word.with_text(value))))
}

/// A property named as a credential (`ossrhPassword`, `nexusToken`,
/// `repoUser`), not one that signs locally (`signing.password`,
/// `signingInMemoryKeyPassword`).
fn names_credential(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    !name.starts_with("signing")
        && (["password", "secret", "token"]
            .iter()
            .any(|word| name.contains(word))
            || ["user", "username", "key"]
                .iter()
                .any(|word| name.ends_with(word)))
}

/// `gradle`/`gradlew` publishing tasks: a request to each repository a
/// publishing plugin fixes, and to each URL the line gives a repository
/// the build script names, carrying the project's build output and the
/// credentials given for it.
pub(super) fn publish(inv: &Invocation<'_>) -> Option<Outcome> {
    let line = GradleLine::read(inv);
    if line.has(&["-m", "--dry-run"]) {
        return None;
    }
    let mut repositories: Vec<Repository> = Vec::new();
    for repository in line.tasks.iter().filter_map(|task| task_repository(task)) {
        let validates = repository == Repository::PluginPortal && line.has(&["--validate-only"]);
        if !validates && !repositories.contains(&repository) {
            repositories.push(repository);
        }
    }
    let named = named_repository_urls(&line);
    if repositories.is_empty() && named.is_empty() {
        return None;
    }
    let project = line
        .options
        .iter()
        .rev()
        .find(|(name, _)| matches!(*name, "-p" | "--project-dir"))
        .and_then(|(_, dir)| *dir)
        .map_or_else(|| inv.cwd.to_owned(), |dir| inv.path(&dir.text));
    let mut outcome = Outcome::default();
    for repository in repositories {
        let mut payload = flow::file_payload(project.clone(), false);
        flow::merge(&mut payload, &line.credentials(Some(repository)));
        if repository == Repository::PluginPortal {
            flow::merge(&mut payload, &credentials(inv, &[], &[]));
        }
        outcome.effects.push(request(
            inv.program,
            url(repository.url()),
            "UPLOAD",
            payload,
            true,
        ));
    }
    // A repository the build script names, at the URL the line gives.
    for destination in named {
        let mut payload = flow::file_payload(project.clone(), false);
        flow::merge(&mut payload, &line.credentials(None));
        flow::merge(&mut payload, &destination.expansions());
        outcome.effects.push(request(
            inv.program,
            url(&destination.text),
            "UPLOAD",
            payload,
            false,
        ));
    }
    Some(outcome)
}
