//! Image builders that build a container image and push it in the same
//! command, with no `docker push`: ko (Go programs) and Cloud Native
//! Buildpacks' `pack`. A push is the same upload `docker push` makes
//! ([`image_upload`]: the image's registry, Docker Hub when its first part
//! names no host), so an image reaches the registry alike whichever tool
//! sends it. (Jib's pushes are read in `container/jib.rs`.)
//!
//! - `ko build|publish|resolve|apply|create|run` push to `KO_DOCKER_REPO`
//!   (a bare name is a Docker Hub account); `--local`/`-L`, `--push=false`
//!   and the repositories `ko.local` and `kind.local` (the local daemon, a
//!   kind cluster's nodes) push nothing, and the build reads the sources it
//!   names as a local `docker build` reads its context. `ko apply`,
//!   `create`, `delete` and `run` then do what `kubectl apply|create|
//!   delete|run` does with the same flags, analysed as that nested command.
//! - `pack build IMAGE --publish` (and `pack builder create`, `pack
//!   buildpack|extension package ... --publish`) push IMAGE, each `--tag`
//!   and a `--cache-image`; without `--publish` the image goes to the local
//!   daemon and the build reads its `--path` (the working directory).

use super::cloud::image_upload;
use super::{Invocation, Nested, Outcome};
use crate::Payload;
use crate::args::{self, Arg, Spec};

/// Answers for ko and pack; `None` for any other program.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "ko" => ko(inv),
        "pack" => pack(inv),
        _ => None,
    }
}

/// ko's build options that take a value (`--tags dev`, `-t dev`).
const KO_VALUES: &[&str] = &[
    "--image-annotation",
    "--image-label",
    "--image-refs",
    "--image-user",
    "--jobs",
    "-j",
    "--oci-layout-path",
    "--platform",
    "--sbom",
    "--sbom-dir",
    "--tags",
    "-t",
    "--tarball",
    "--filename",
    "-f",
    "--selector",
    "-l",
];

/// ko's build options that take no value.
const KO_SWITCHES: &[&str] = &[
    "--bare",
    "--base-import-paths",
    "-B",
    "--preserve-import-paths",
    "-P",
    "--local",
    "-L",
    "--push",
    "--insecure-registry",
    "--disable-optimizations",
    "--debug",
    "--tag-only",
    "--recursive",
    "-R",
    "--strict",
    "--verbose",
    "-v",
];

/// Options ko reads itself that `kubectl` also takes, so `ko apply`
/// passes them on: the files applied and how they are chosen.
const KO_SHARED_WITH_KUBECTL: &[&str] =
    &["--filename", "-f", "--selector", "-l", "--recursive", "-R"];

/// A ko command line split into ko's own options and the words it leaves
/// to kubectl.
struct KoLine<'a> {
    options: Vec<(&'a str, Option<Arg>)>,
    /// The words ko does not read, in order, each marked when it is a
    /// positional (an import path), with the file options it shares.
    others: Vec<(Arg, bool)>,
    /// What follows `--`: the program's own arguments (`ko run`).
    after_dashes: Vec<Arg>,
    /// The command builds one import path, its first positional (`run`).
    single_path: bool,
}

impl KoLine<'_> {
    fn has(&self, names: &[&str]) -> bool {
        self.options.iter().any(|(n, _)| names.contains(n))
    }

    fn values(&self, names: &[&str]) -> impl DoubleEndedIterator<Item = &Arg> {
        self.options
            .iter()
            .filter(move |(n, _)| names.contains(n))
            .filter_map(|(_, v)| v.as_ref())
    }

    /// The words ko does not read that are not options: the import paths
    /// of `build` and `run`.
    fn positionals(&self) -> Vec<&Arg> {
        self.others
            .iter()
            .filter(|(_, positional)| *positional)
            .map(|(arg, _)| arg)
            .collect()
    }

    /// `--push` is on unless written `--push=false`.
    fn pushes(&self) -> bool {
        !self
            .options
            .iter()
            .rev()
            .find(|(n, _)| *n == "--push")
            .and_then(|(_, v)| v.as_ref())
            .is_some_and(|v| v.text.eq_ignore_ascii_case("false") || v.text == "0")
    }
}

fn read_ko_line(words: &[Arg], single_path: bool) -> KoLine<'_> {
    let mut line = KoLine {
        options: Vec::new(),
        others: Vec::new(),
        after_dashes: Vec::new(),
        single_path,
    };
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        let text = word.text.as_str();
        if text == "--" {
            line.after_dashes.extend(iter.by_ref().cloned());
            break;
        }
        let (name, attached) = match text.split_once('=') {
            Some((name, value)) if text.starts_with('-') => (name, Some(word.with_text(value))),
            _ => (text, None),
        };
        let takes_value = KO_VALUES.contains(&name);
        if !takes_value && !KO_SWITCHES.contains(&name) {
            line.others.push((word.clone(), !text.starts_with('-')));
            continue;
        }
        let value = match attached {
            Some(value) => Some(value),
            None if takes_value => iter.next().cloned(),
            None => None,
        };
        if KO_SHARED_WITH_KUBECTL.contains(&name) {
            line.others.push((word.clone(), false));
            if takes_value && !text.contains('=') {
                line.others.extend(value.clone().map(|v| (v, false)));
            }
        }
        line.options.push((name, value));
    }
    line
}

/// Where ko puts what it builds: `KO_DOCKER_REPO`, unless the line keeps
/// the images here.
fn ko_repository<'a>(inv: &'a Invocation<'_>, line: &KoLine<'_>) -> Option<&'a str> {
    if line.has(&["--local", "-L"]) || !line.pushes() {
        return None;
    }
    let repository = inv.env_value("KO_DOCKER_REPO")?.text.trim_end_matches('/');
    let registry = repository.split('/').next().unwrap_or(repository);
    let local = matches!(registry, "ko.local" | "kind.local");
    (!repository.is_empty() && !local).then_some(repository)
}

/// The image ko names for `import_path` in `repository`: the repository
/// itself (`--bare`), or below it by the path's last element (`-B`, and
/// the default, whose hash suffix is left out) or the whole path (`-P`).
fn ko_image(repository: &str, import_path: &str, line: &KoLine<'_>) -> String {
    if line.has(&["--bare"]) {
        return repository.to_owned();
    }
    let path = import_path
        .trim_start_matches("ko://")
        .trim_start_matches("./");
    let path = path.trim_end_matches('/');
    let name = if line.has(&["--preserve-import-paths", "-P"]) {
        path
    } else {
        path.rsplit('/').next().unwrap_or(path)
    };
    match name {
        "" | "." => repository.to_owned(),
        name => format!("{repository}/{name}"),
    }
}

/// The first `--tags` value, the tag the image is pushed under first.
fn ko_tag(line: &KoLine<'_>) -> Option<String> {
    let tags = line.values(&["--tags", "-t"]).next_back()?;
    tags.text
        .split(',')
        .map(str::trim)
        .find(|t| !t.is_empty())
        .map(str::to_owned)
}

/// `ko SUBCOMMAND ...`.
fn ko(inv: &Invocation<'_>) -> Option<Outcome> {
    let (verb, rest) = inv.args.split_first()?;
    let kubectl_verb = match verb.text.as_str() {
        "build" | "publish" | "resolve" => None,
        verb @ ("apply" | "create" | "delete" | "run") => Some(verb),
        _ => return None,
    };
    let line = read_ko_line(rest, verb.text == "run");
    let mut outcome = Outcome::default();
    if verb.text != "delete" {
        ko_images(
            inv,
            &line,
            matches!(verb.text.as_str(), "resolve" | "apply" | "create"),
            &mut outcome,
        );
    }
    for path in line.values(&[
        "--image-refs",
        "--tarball",
        "--oci-layout-path",
        "--sbom-dir",
    ]) {
        outcome.write(inv.path(&path.text), false);
    }
    if let Some(kubectl_verb) = kubectl_verb {
        let argv = kubectl_words(inv, kubectl_verb, &line);
        outcome.nested.push(Nested::Argv {
            argv,
            env: inv.env.to_vec(),
            cwd: None,
        });
    }
    Some(outcome)
}

/// The images a ko command builds: pushed to its repository, or kept here
/// with their sources read. Commands that read YAML (`resolve`, `apply`)
/// build the `ko://` paths the files name, known only by the repository.
fn ko_images(inv: &Invocation<'_>, line: &KoLine<'_>, from_files: bool, outcome: &mut Outcome) {
    let positionals = line.positionals();
    let import_paths: Vec<&str> = if from_files {
        Vec::new()
    } else {
        // `ko run` builds one path; what follows it is kubectl's.
        let count = if line.single_path {
            1
        } else {
            positionals.len()
        };
        let paths: Vec<&str> = positionals
            .iter()
            .take(count)
            .map(|p| p.text.as_str())
            .collect();
        if paths.is_empty() { vec!["."] } else { paths }
    };
    let Some(repository) = ko_repository(inv, line) else {
        for path in &import_paths {
            if is_local_import_path(path) {
                outcome.read(inv.path(path), false);
            }
        }
        return;
    };
    let tag = ko_tag(line);
    let images: Vec<String> = if from_files {
        vec![repository.to_owned()]
    } else {
        import_paths
            .iter()
            .map(|path| ko_image(repository, path, line))
            .collect()
    };
    for image in images {
        let image = match &tag {
            Some(tag) => format!("{image}:{tag}"),
            None => image,
        };
        outcome
            .effects
            .push(image_upload(inv.program, &image, Payload::default()));
    }
}

/// A Go import path written as a directory (`./cmd/app`, `.`, `/src/x`),
/// not a module path (`github.com/o/r/cmd/app`).
fn is_local_import_path(path: &str) -> bool {
    path == "."
        || path == ".."
        || path.starts_with("./")
        || path.starts_with("../")
        || path.starts_with('/')
}

/// The kubectl command `ko apply|create|delete|run` runs: the same verb
/// with the words ko leaves to kubectl; `run` names the pod after the
/// import path (its first positional) and runs the image built for it,
/// with the arguments after `--`.
fn kubectl_words(inv: &Invocation<'_>, verb: &str, line: &KoLine<'_>) -> Vec<Arg> {
    let mut argv = vec![Arg::literal("kubectl"), Arg::literal(verb)];
    let mut others = line.others.iter();
    if verb == "run"
        && let Some(at) = line.others.iter().position(|(_, positional)| *positional)
        && let Some((import_path, _)) = line.others.get(at)
    {
        let path = import_path.text.trim_end_matches('/');
        let name = path.rsplit('/').next().unwrap_or(path);
        argv.push(import_path.with_text(name));
        let image = ko_repository(inv, line).map_or_else(
            || format!("ko.local/{name}"),
            |repository| ko_image(repository, path, line),
        );
        argv.push(Arg::literal(&format!("--image={image}")));
        argv.extend(line.others.iter().take(at).map(|(arg, _)| arg.clone()));
        others = line.others.get(at + 1..).unwrap_or_default().iter();
    }
    argv.extend(others.map(|(arg, _)| arg.clone()));
    // `ko apply -f config/ -- --context=c` (older ko) hands the words
    // after `--` to kubectl; `ko run`'s are the program's own.
    if verb == "run" && !line.after_dashes.is_empty() {
        argv.push(Arg::literal("--"));
    }
    argv.extend(line.after_dashes.iter().cloned());
    argv
}

/// pack's options that take a value.
const PACK_VALUES: &[&str] = &[
    "builder",
    "buildpack",
    "cache",
    "cache-image",
    "config",
    "creation-time",
    "default-process",
    "descriptor",
    "docker-host",
    "env",
    "env-file",
    "extension",
    "format",
    "gid",
    "lifecycle-image",
    "network",
    "path",
    "platform",
    "post-buildpack",
    "pre-buildpack",
    "previous-image",
    "pull-policy",
    "report-output-dir",
    "run-image",
    "sbom-output-dir",
    "tag",
    "uid",
    "volume",
    "workspace",
];

/// `pack build IMAGE`, `pack builder create IMAGE`, `pack buildpack|extension
/// package IMAGE`: with `--publish`, IMAGE, its `--tag`s and a
/// `--cache-image` go to their registries; without, a build stays in the
/// local daemon and reads its source directory.
fn pack(inv: &Invocation<'_>) -> Option<Outcome> {
    let skip = match args::leading(inv.args).as_slice() {
        ["build", ..] => 1,
        [
            "builder" | "buildpack" | "extension",
            "create" | "package",
            ..,
        ] => 2,
        _ => return None,
    };
    let items = args::parse(
        inv.args.get(skip..).unwrap_or_default(),
        &Spec {
            short: "BbDdeptcf",
            long: PACK_VALUES,
            stop_after: None,
        },
    );
    let image = args::positionals(&items).first().copied();
    let mut outcome = Outcome::default();
    if !args::has(&items, &["--publish"]) {
        if skip == 1 {
            let source = args::value(&items, &["--path", "-p"]).map_or(".", |p| p.text.as_str());
            outcome.read(inv.path(source), false);
        } else if let Some(file) = image
            .filter(|_| args::value(&items, &["--format", "-f"]).is_some_and(|f| f.text == "file"))
        {
            // `pack buildpack package NAME.cnb --format file` writes an archive.
            outcome.write(inv.path(&file.text), false);
        }
        return Some(outcome);
    }
    let tags = args::values(&items, &["--tag", "-t", "--cache-image"]);
    for name in image.into_iter().chain(tags) {
        outcome
            .effects
            .push(image_upload(inv.program, &name.text, Payload::default()));
    }
    Some(outcome)
}
