//! Image builds: `docker build` (`image build`, `builder build`, `buildx
//! build`), `podman build` (and `buildx build`), `buildah build|bud`,
//! `nerdctl build`, BuildKit's `buildctl build` and kaniko's `executor`.
//! An image carries what went into it: its build arguments' values (and
//! podman's and buildah's `--env`, labels, a `--build-arg-file`), and,
//! when the Dockerfile's text is known (on standard input, or written
//! earlier: [`written_dockerfile`]), the host files its `COPY` and `ADD`
//! take from the build context. A build that pushes (`--push`, a
//! registry `--output`, kaniko's `--destination`) uploads that to each
//! tag's registry; a local build keeps it with each tag for a later
//! `docker push` on the line.

use super::super::cloud::{image_reference, image_upload};
use super::super::{ImageStep, Invocation, Outcome};
use super::Lookup;
use super::dockerfile::{self, Contexts};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, FileRef, Payload, flow};

/// Options of the build commands that take a value (docker, buildx,
/// podman, buildah, nerdctl).
const BUILD_VALUE_OPTIONS: &[&str] = &[
    "tag",
    "file",
    "output",
    "build-arg",
    "build-arg-file",
    "build-context",
    "platform",
    "target",
    "label",
    "layer-label",
    "env",
    "cache-from",
    "cache-to",
    "cache-ttl",
    "secret",
    "ssh",
    "network",
    "progress",
    "builder",
    "iidfile",
    "metadata-file",
    "add-host",
    "shm-size",
    "ulimit",
    "allow",
    "attest",
    "annotation",
    "sbom",
    "provenance",
    "cgroup-parent",
    "cgroupns",
    "memory",
    "memory-swap",
    "cpu-shares",
    "cpu-period",
    "cpu-quota",
    "cpuset-cpus",
    "cpuset-mems",
    "isolation",
    "security-opt",
    "call",
    "check",
    "authfile",
    "creds",
    "cert-dir",
    "decryption-key",
    "device",
    "dns",
    "dns-option",
    "dns-search",
    "format",
    "from",
    "group-add",
    "hooks-dir",
    "ignorefile",
    "ipc",
    "jobs",
    "logfile",
    "manifest",
    "os",
    "os-feature",
    "os-version",
    "arch",
    "variant",
    "pid",
    "retry",
    "retry-delay",
    "runtime",
    "runtime-flag",
    "sign-by",
    "source-date-epoch",
    "timestamp",
    "unsetenv",
    "unsetlabel",
    "userns",
    "userns-uid-map",
    "userns-gid-map",
    "userns-uid-map-user",
    "userns-gid-map-group",
    "uts",
    "volume",
    "cap-add",
    "cap-drop",
    "cpp-flag",
];

/// A build command line, read.
struct BuildLine {
    /// The references the image is tagged with or pushed to, as written.
    tags: Vec<String>,
    /// True when the build itself pushes every tag.
    pushes: bool,
    /// What the line bakes into the image (build arguments, environment,
    /// labels, argument files).
    baked: Payload,
    /// The Dockerfile as given (`-f`); `-` for standard input.
    file: Option<String>,
    /// The main context directory, absolute; `None` when it is remote or
    /// a tarball on standard input.
    context: Option<String>,
    /// The context as written was `-`.
    context_on_stdin: bool,
    /// The stage built (`--target`).
    target: Option<String>,
    /// `--build-context NAME=DIR` that are local directories.
    named: Vec<(String, String)>,
    /// Podman and buildah look for a `Containerfile` first.
    containerfile_first: bool,
    /// Local directories and tarballs the build exports the image to
    /// (`-o DIR`, `--output type=local,dest=DIR`), absolute.
    exports: Vec<String>,
}

impl BuildLine {
    fn parse(inv: &Invocation<'_>) -> Option<BuildLine> {
        match inv.program {
            "buildctl" => buildctl(inv),
            "executor" => kaniko(inv),
            _ => builder(inv),
        }
    }

    /// The Dockerfile's text when it comes on standard input (`-f -`, or
    /// a context of `-` that is a Dockerfile rather than a tarball).
    fn stdin_dockerfile(&self, inv: &Invocation<'_>) -> Option<String> {
        let on_stdin =
            self.file.as_deref() == Some("-") || (self.context_on_stdin && self.file.is_none());
        let text = inv.stdin.text.join("\n");
        (on_stdin && inv.has_stdin && inv.stdin.files.is_empty() && !text.is_empty())
            .then_some(text)
    }

    /// Where the Dockerfile may be, in the order the builder looks.
    fn dockerfile_paths(&self, inv: &Invocation<'_>) -> Vec<String> {
        let context = self.context.as_deref();
        match self.file.as_deref() {
            Some("-") => Vec::new(),
            // Relative to the working directory, else to the context.
            Some(file) => {
                let mut found = vec![inv.path(file)];
                found.extend(context.map(|dir| crate::paths::resolve(dir, inv.home, file)));
                found
            }
            None => {
                let names = if self.containerfile_first {
                    ["Containerfile", "Dockerfile"]
                } else {
                    ["Dockerfile", "Containerfile"]
                };
                context
                    .map(|dir| {
                        names
                            .iter()
                            .map(|name| crate::paths::resolve(dir, inv.home, name))
                            .collect()
                    })
                    .unwrap_or_default()
            }
        }
    }

    /// What the image built from `text` carries of the host.
    fn carried(&self, text: &str) -> Payload {
        let contexts = Contexts {
            main: self.context.as_deref(),
            named: &self.named,
        };
        dockerfile::carried(text, &contexts, self.target.as_deref())
    }
}

/// The words after a builder's build subcommand.
fn build_words<'a>(inv: &Invocation<'a>) -> Option<&'a [Arg]> {
    let words: Vec<&str> = inv.args.iter().take(2).map(|a| a.text.as_str()).collect();
    let skip = match (inv.program, words.as_slice()) {
        ("docker" | "podman" | "nerdctl", ["build", ..])
        | ("buildah", ["build" | "bud" | "build-using-dockerfile", ..]) => 1,
        ("docker" | "podman" | "nerdctl", ["image" | "builder", "build", ..])
        | ("docker" | "podman", ["buildx", "build" | "b", ..]) => 2,
        _ => return None,
    };
    inv.args.get(skip..)
}

/// `docker build`, `podman build`, `buildah bud` and the rest.
fn builder(inv: &Invocation<'_>) -> Option<BuildLine> {
    let words = build_words(inv)?;
    let items = args::parse(
        words,
        &Spec {
            short: "ftomcv",
            long: BUILD_VALUE_OPTIONS,
            stop_after: None,
        },
    );
    let outputs = args::values(&items, &["-o", "--output"]);
    let mut tags: Vec<String> = args::values(&items, &["-t", "--tag"])
        .iter()
        .map(|t| t.text.clone())
        .collect();
    for output in outputs.iter().filter(|o| registry_output(&o.text)) {
        tags.extend(output_names(&output.text));
    }
    let context = args::positionals(&items).first().map(|c| c.text.clone());
    let named = args::values(&items, &["--build-context"])
        .iter()
        .filter_map(|value| {
            let (name, source) = value.text.split_once('=')?;
            local_directory(source).then(|| (name.to_ascii_lowercase(), inv.path(source)))
        })
        .collect();
    Some(BuildLine {
        tags,
        pushes: args::has(&items, &["--push"]) || outputs.iter().any(|o| registry_output(&o.text)),
        baked: baked(inv, &items),
        file: args::value(&items, &["-f", "--file"]).map(|f| f.text.clone()),
        context_on_stdin: context.as_deref() == Some("-"),
        context: context.filter(|c| local_directory(c)).map(|c| inv.path(&c)),
        target: args::value(&items, &["--target"]).map(|t| t.text.clone()),
        named,
        containerfile_first: matches!(inv.program, "podman" | "buildah"),
        exports: outputs
            .iter()
            .filter_map(|o| local_export(&o.text))
            .map(|dest| inv.path(dest))
            .collect(),
    })
}

/// Where an `--output` writes on this machine: its `dest=`, or the path
/// itself when it is not a list of fields (`-o out`).
fn local_export(text: &str) -> Option<&str> {
    if !text.contains('=') {
        return (!text.is_empty() && text != "-").then_some(text);
    }
    text.split(',')
        .find_map(|field| field.trim().strip_prefix("dest="))
        .filter(|dest| !dest.is_empty() && *dest != "-")
}

/// What the build options bake into the image: `--build-arg K=V` (K
/// alone takes it from the environment), podman's and buildah's `--env`,
/// `--label`, and `--build-arg-file FILE`.
fn baked(inv: &Invocation<'_>, items: &[Item<'_>]) -> Payload {
    let mut baked = Payload::default();
    for arg in args::values(items, &["--build-arg", "--env", "--label"]) {
        match arg.text.split_once('=') {
            Some((_, value)) => flow::merge(&mut baked, &arg.with_text(value).payload()),
            None => flow::push_env(&mut baked, &arg.text),
        }
    }
    for file in args::values(items, &["--build-arg-file"]) {
        flow::push_file(
            &mut baked,
            FileRef {
                path: inv.path(&file.text),
                recursive: false,
                excludes: Vec::new(),
            },
        );
    }
    baked
}

/// An `--output` that pushes to a registry (`type=registry`, or
/// `type=image` with `push=true`).
fn registry_output(text: &str) -> bool {
    let fields: Vec<&str> = text.split(',').map(str::trim).collect();
    fields.contains(&"type=registry")
        || (fields.contains(&"type=image") && fields.contains(&"push=true"))
}

/// The image names of an `--output`'s `name=` field (several, quoted,
/// separated by commas: `"name=a,b"`).
fn output_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_names = false;
    for field in text.split(',') {
        let field = field.trim().trim_matches(['"', '\'']);
        if let Some(first) = field.strip_prefix("name=") {
            in_names = true;
            names.push(first.to_owned());
        } else if in_names && !field.contains('=') && !field.is_empty() {
            names.push(field.to_owned());
        } else {
            in_names = false;
        }
    }
    names
}

/// A context that is a local directory (not a URL, a git repository or
/// an image).
fn local_directory(text: &str) -> bool {
    !text.is_empty()
        && text != "-"
        && !text.contains("://")
        && !text.starts_with("git@")
        && !text.starts_with("github.com/")
}

/// `buildctl build --frontend dockerfile.v0 --local context=DIR --local
/// dockerfile=DIR --opt build-arg:K=V --opt filename=F --opt target=T
/// --output type=image,name=REF,push=true`.
fn buildctl(inv: &Invocation<'_>) -> Option<BuildLine> {
    let (verb, rest) = inv.args.split_first()?;
    if verb.text != "build" {
        return None;
    }
    let items = args::parse(
        rest,
        &Spec {
            short: "o",
            long: &[
                "frontend",
                "local",
                "opt",
                "output",
                "progress",
                "trace",
                "import-cache",
                "export-cache",
                "secret",
                "ssh",
                "allow",
                "metadata-file",
                "ref-file",
                "registry-auth-tls-context",
            ],
            stop_after: None,
        },
    );
    let local = |name: &str| {
        args::values(&items, &["--local"]).iter().find_map(|l| {
            let (n, dir) = l.text.split_once('=')?;
            (n == name).then(|| inv.path(dir))
        })
    };
    let mut baked = Payload::default();
    let mut file = None;
    let mut target = None;
    for opt in args::values(&items, &["--opt"]) {
        let Some((name, value)) = opt.text.split_once('=') else {
            continue;
        };
        if name.starts_with("build-arg:") || name.starts_with("label:") {
            flow::merge(&mut baked, &opt.with_text(value).payload());
        } else if name == "filename" {
            file = Some(value.to_owned());
        } else if name == "target" {
            target = Some(value.to_owned());
        }
    }
    let outputs = args::values(&items, &["-o", "--output"]);
    let pushed: Vec<&&Arg> = outputs
        .iter()
        .filter(|o| registry_output(&o.text))
        .collect();
    let context = local("context");
    // The Dockerfile is `filename` (default `Dockerfile`) in the
    // `dockerfile` directory.
    let file = local("dockerfile")
        .map(|dir| crate::paths::resolve(&dir, inv.home, file.as_deref().unwrap_or("Dockerfile")));
    Some(BuildLine {
        tags: pushed.iter().flat_map(|o| output_names(&o.text)).collect(),
        pushes: !pushed.is_empty(),
        baked,
        file,
        context,
        context_on_stdin: false,
        target,
        named: Vec::new(),
        containerfile_first: false,
        exports: Vec::new(),
    })
}

/// kaniko's `executor --context DIR --dockerfile F --destination REF...
/// [--build-arg K=V] [--no-push]` (also run as the
/// `gcr.io/kaniko-project/executor` image).
fn kaniko(inv: &Invocation<'_>) -> Option<BuildLine> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "cfd",
            long: &[
                "context",
                "dockerfile",
                "destination",
                "build-arg",
                "target",
                "label",
                "tar-path",
                "cache-repo",
                "cache-dir",
                "digest-file",
                "image-name-with-digest-file",
                "image-name-tag-with-digest-file",
                "oci-layout-path",
                "registry-mirror",
                "registry-certificate",
                "registry-map",
                "insecure-registry",
                "skip-tls-verify-registry",
                "custom-platform",
                "verbosity",
                "snapshot-mode",
                "ignore-path",
                "kaniko-dir",
                "git",
                "context-sub-path",
                "compressed-caching",
                "log-format",
                "push-retry",
                "image-fs-extract-retry",
            ],
            stop_after: None,
        },
    );
    let destinations = args::values(&items, &["-d", "--destination"]);
    if destinations.is_empty() && args::value(&items, &["-f", "--dockerfile"]).is_none() {
        return None;
    }
    let context = args::value(&items, &["-c", "--context"]).and_then(|c| {
        let dir = c.text.strip_prefix("dir://").unwrap_or(&c.text);
        local_directory(dir).then(|| inv.path(dir))
    });
    let mut baked = Payload::default();
    for arg in args::values(&items, &["--build-arg", "--label"]) {
        match arg.text.split_once('=') {
            Some((_, value)) => flow::merge(&mut baked, &arg.with_text(value).payload()),
            None => flow::push_env(&mut baked, &arg.text),
        }
    }
    Some(BuildLine {
        tags: destinations.iter().map(|d| d.text.clone()).collect(),
        pushes: !args::has(&items, &["--no-push"]),
        baked,
        file: args::value(&items, &["-f", "--dockerfile"]).map(|f| f.text.clone()),
        context,
        context_on_stdin: false,
        target: args::value(&items, &["--target"]).map(|t| t.text.clone()),
        named: Vec::new(),
        containerfile_first: false,
        exports: Vec::new(),
    })
}

/// A build: each tag pushed (when the build pushes) carrying what the
/// image carries, and kept for a later push on the line. Without a push
/// the image stays here, and the build reads its context as any command
/// reads the paths it names. `None` for any other command.
pub(crate) fn image_build(inv: &Invocation<'_>) -> Option<Outcome> {
    let line = BuildLine::parse(inv)?;
    let mut carries = line.baked.clone();
    if let Some(text) = line.stdin_dockerfile(inv) {
        flow::merge(&mut carries, &line.carried(&text));
    }
    let mut outcome = Outcome::default();
    if !line.pushes {
        local_build(inv, &line, &mut outcome);
    }
    let mut tags = line.tags.clone();
    tags.dedup();
    tags.retain(|t| !t.is_empty());
    for tag in &tags {
        if line.pushes {
            outcome
                .effects
                .push(image_upload(inv.program, tag, carries.clone()));
        }
        outcome.images.push(ImageStep::Built {
            image: image_reference(tag),
            carries: carries.clone(),
        });
    }
    Some(outcome)
}

/// A build that stays here reads its Dockerfile, its context and its
/// argument files, and writes what it exports.
fn local_build(inv: &Invocation<'_>, line: &BuildLine, outcome: &mut Outcome) {
    if let Some(file) = line.file.as_deref().filter(|f| *f != "-") {
        outcome.read(inv.path(file), false);
    }
    if let Some(context) = &line.context {
        outcome.read(context.clone(), false);
    }
    for file in &line.baked.files {
        outcome.read(file.path.clone(), false);
    }
    for export in &line.exports {
        outcome.write(export.clone(), false);
    }
}

/// A build whose Dockerfile was written earlier (on the line or by an
/// earlier step): its image carries the files that Dockerfile copies in,
/// to the registries the build pushes to and to a later push of its tags.
/// A Dockerfile whose text is not known leaves the build as
/// [`image_build`] reads it.
pub(crate) fn written_dockerfile(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &Lookup<'_>,
) {
    let Some(line) = BuildLine::parse(inv) else {
        return;
    };
    let Some(text) = line
        .dockerfile_paths(inv)
        .iter()
        .find_map(|path| text_of(path))
    else {
        return;
    };
    let carried = line.carried(&text);
    for step in &mut outcome.images {
        if let ImageStep::Built { carries, .. } = step {
            flow::merge(carries, &carried);
        }
    }
    for effect in &mut outcome.effects {
        if let Effect::Request(request) = effect
            && request.method == "UPLOAD"
            && request.program == inv.program
        {
            flow::merge(&mut request.payload, &carried);
        }
    }
}
