//! Jib builds a Java project's image and pushes it without a Docker
//! daemon: Maven's `jib:build` goal (`mvn compile jib:build`, or the
//! plugin's full name `com.google.cloud.tools:jib-maven-plugin:3.4.4:build`),
//! Gradle's `jib` task, and the Jib CLI (`jib build|jar|war --target REF`).
//! The push goes to the registry of the target image (`-Djib.to.image`,
//! `-Dimage`, `--image`, `--target`), with the credentials the line gives
//! for it (`-Djib.to.auth.password`, `--to-password`); the credentials for
//! the base image (`-Djib.from.auth.password`) go to its registry with
//! the pull. `jib:dockerBuild` and `jib:buildTar` build locally.

use super::super::cloud::image_upload;
use super::super::{Invocation, request};
use crate::args::Arg;
use crate::{Effect, FileRef, Payload, Target, flow};

/// The Jib CLI's options that take their value as the next word.
const JIB_CLI_VALUES: &[&str] = &[
    "-t",
    "--target",
    "-c",
    "--context",
    "-b",
    "--build-file",
    "--from",
    "--to-username",
    "--to-password",
    "--from-username",
    "--from-password",
    "--username",
    "--password",
    "--image-metadata-out",
    "--name",
    "--parameter",
    "-p",
];

/// A Jib run's words: the goals or tasks, the `-D` properties and the
/// task options (`--image=REF`).
struct JibLine<'a> {
    goals: Vec<&'a str>,
    properties: Vec<(String, Arg)>,
    options: Vec<(String, Arg)>,
}

impl JibLine<'_> {
    /// The last value of property `name` or option `--name`.
    fn value(&self, properties: &[&str], options: &[&str]) -> Option<&Arg> {
        let property = properties
            .iter()
            .find_map(|n| self.properties.iter().rev().find(|(p, _)| p == n));
        let option = options
            .iter()
            .find_map(|n| self.options.iter().rev().find(|(o, _)| o == n));
        property.or(option).map(|(_, value)| value)
    }

    /// What the values of the properties and options named carry.
    fn carried(&self, properties: &[&str], options: &[&str]) -> Payload {
        let mut payload = Payload::default();
        for (name, value) in self.properties.iter().chain(&self.options) {
            if properties.contains(&name.as_str()) || options.contains(&name.as_str()) {
                flow::merge(&mut payload, &value.payload());
            }
        }
        payload
    }
}

/// Reads a build tool's words: goals, `-Dname=value` (or `-D
/// name=value`, `--system-prop`), and `--name=value` options.
fn read_line<'a>(words: &'a [Arg], values: &[&str]) -> JibLine<'a> {
    let mut line = JibLine {
        goals: Vec::new(),
        properties: Vec::new(),
        options: Vec::new(),
    };
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        let text = word.text.as_str();
        let define = match text {
            "-D" | "--define" | "--system-prop" => iter.next(),
            _ if text.starts_with("-D") => Some(word),
            _ => None,
        };
        if let Some(define) = define {
            let body = define.text.strip_prefix("-D").unwrap_or(&define.text);
            if let Some((name, value)) = body.split_once('=') {
                line.properties
                    .push((name.to_owned(), define.with_text(value)));
            }
            continue;
        }
        if values.contains(&text) {
            if let Some(value) = iter.next() {
                line.options.push((text.to_owned(), value.clone()));
            }
        } else if let Some((name, value)) = text.split_once('=').filter(|_| text.starts_with("--"))
        {
            line.options.push((name.to_owned(), word.with_text(value)));
        } else if !text.starts_with('-') {
            line.goals.push(text);
        }
    }
    line
}

/// A Maven goal that runs Jib's push (`jib:build`, `GROUP:jib-maven-plugin[:VERSION]:build`).
fn maven_push_goal(goal: &str) -> bool {
    let parts: Vec<&str> = goal.split(':').collect();
    parts.last() == Some(&"build")
        && (parts.first() == Some(&"jib") || parts.contains(&"jib-maven-plugin"))
}

/// A Gradle task that runs Jib's push (`jib`, `:app:jib`).
fn gradle_push_task(task: &str) -> bool {
    task == "jib" || task.ends_with(":jib")
}

/// The pushes a Jib run makes, and the pulls it makes with credentials.
pub(crate) fn jib_pushes(inv: &Invocation<'_>) -> Vec<Effect> {
    let (pushes, line) = match inv.program {
        "mvn" | "mvnw" | "mvnd" => {
            let line = read_line(inv.args, super::super::publish::MAVEN_VALUE_OPTIONS);
            (line.goals.iter().any(|g| maven_push_goal(g)), line)
        }
        "gradle" | "gradlew" => {
            let line = read_line(inv.args, super::super::publish::GRADLE_VALUE_OPTIONS);
            (line.goals.iter().any(|g| gradle_push_task(g)), line)
        }
        "jib" => {
            let line = read_line(inv.args, JIB_CLI_VALUES);
            let verb = line.goals.first().copied();
            (matches!(verb, Some("build" | "jar" | "war")), line)
        }
        _ => return Vec::new(),
    };
    if !pushes {
        return Vec::new();
    }
    let mut effects = Vec::new();
    let target = line.value(&["jib.to.image", "image"], &["--image", "--target", "-t"]);
    if let Some(target) = target.filter(|t| !t.text.is_empty()) {
        let mut payload = line.carried(&["jib.to.auth.password"], &["--to-password", "--password"]);
        // The CLI's `jar`/`war` put the archive they are given in the image.
        if inv.program == "jib" {
            for archive in line.goals.iter().skip(1) {
                flow::push_file(
                    &mut payload,
                    FileRef {
                        path: inv.path(archive),
                        recursive: false,
                        excludes: Vec::new(),
                    },
                );
            }
        }
        let image = target
            .text
            .strip_prefix("registry://")
            .unwrap_or(&target.text);
        effects.push(image_upload(inv.program, image, payload));
    }
    let base = line.value(&["jib.from.image"], &["--from"]);
    let base_credentials = line.carried(&["jib.from.auth.password"], &["--from-password"]);
    if let Some(base) = base
        && base_credentials != Payload::default()
    {
        effects.push(request(
            inv.program,
            registry_host(&base.text),
            "GET",
            base_credentials,
            false,
        ));
    }
    effects
}

/// The registry host of an image reference (Docker Hub when its first
/// part names no host).
fn registry_host(image: &str) -> Target {
    let image = image.strip_prefix("registry://").unwrap_or(image);
    let registry = match image.split_once('/') {
        Some((first, _)) if first.contains(['.', ':']) || first == "localhost" => first,
        _ => "docker.io",
    };
    let (host, port) = match registry.split_once(':') {
        Some((h, p)) => (h.to_owned(), p.parse().ok()),
        None => (registry.to_owned(), None),
    };
    Target::Host {
        user: None,
        host,
        port,
        path: None,
    }
}
