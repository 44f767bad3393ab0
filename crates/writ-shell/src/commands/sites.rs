//! Static-site and documentation publishers.
//!
//! Those that publish through git commit the built site to a branch and
//! push it: `mkdocs gh-deploy`, `ghp-import --push`, `mike ... --push`, the
//! `gh-pages` npm CLI and `docusaurus deploy`. Each is a [`GitPush`] from
//! the working directory's repository to the remote and branch its
//! options name, so a remote's name resolves as a `git push`'s does and
//! the push rules (force, protected branch, the remote's owner) judge it;
//! what it pushes is built from that repository. `surge` uploads a
//! directory to a public host; `hugo` writes its destination, and `hugo
//! deploy` releases to the target it names; the other generators
//! (`jekyll`, `zola`, `eleventy`) write theirs, and `quarto publish
//! gh-pages` pushes to `origin`'s `gh-pages`.

use super::{Invocation, Outcome, request, send_file, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Deploy, Effect, Payload, RefSpec};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "mkdocs" => mkdocs(inv),
        "ghp-import" => ghp_import(inv),
        "mike" => mike(inv),
        "gh-pages" => gh_pages(inv),
        "docusaurus" => docusaurus(inv),
        "surge" => surge(inv),
        "hugo" => hugo(inv),
        "jekyll" => jekyll(inv),
        "zola" => zola(inv),
        "eleventy" => eleventy(inv),
        "quarto" => quarto(inv),
        _ => None,
    }
}

/// The branch GitHub Pages publishers write to unless told.
const PAGES_BRANCH: &str = "gh-pages";

/// A push of the built site from the working directory's repository to
/// `remote` (a name or a URL, as given) and `branch` (`None` when the
/// site's configuration names it). A URL that carries expansions
/// (`https://x:$TOKEN@host/...`) sends them to its host, as `git push URL`
/// does.
fn site_push(inv: &Invocation<'_>, remote: &Arg, branch: Option<&str>, force: bool) -> Outcome {
    let mut outcome = Outcome::default();
    if remote.text.contains("://") {
        let carried = remote.expansions();
        if carried != Payload::default() {
            outcome.effects.push(request(
                inv.program,
                url(&remote.text),
                "POST",
                carried,
                false,
            ));
        }
    }
    outcome.effect(super::git::repository_push(
        inv.cwd,
        Some(&remote.text),
        vec![RefSpec {
            src: branch.map(str::to_owned),
            dst: branch.map(str::to_owned),
            force: false,
            delete: false,
        }],
        force,
    ))
}

/// The value of the last of `names`, or `default` as a word.
fn value_or(items: &[Item<'_>], names: &[&str], default: &str) -> Arg {
    args::value(items, names)
        .cloned()
        .unwrap_or_else(|| Arg::literal(default))
}

/// `mkdocs gh-deploy [-r|--remote-name R] [-b|--remote-branch B]
/// [--force]`: the site is built and pushed to branch B (`gh-pages`) of
/// remote R (`origin`); `-f` is `--config-file`, not force. `mkdocs build
/// [-d|--site-dir DIR]` writes the site, `mkdocs new DIR` a project.
fn mkdocs(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "ftmbrdaw",
            long: &[
                "config-file",
                "theme",
                "message",
                "remote-branch",
                "remote-name",
                "site-dir",
                "dev-addr",
                "watch",
                "watch-theme-dir",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let (verb, rest) = positional.split_first()?;
    let mut outcome = Outcome::default();
    match verb.text.as_str() {
        "gh-deploy" => {
            let remote = value_or(&items, &["-r", "--remote-name"], "origin");
            let branch = value_or(&items, &["-b", "--remote-branch"], PAGES_BRANCH);
            let force = args::has(&items, &["--force"]);
            return Some(site_push(inv, &remote, Some(&branch.text), force));
        }
        "build" => {
            let dir = args::value(&items, &["-d", "--site-dir"]).map_or("site", |d| &d.text);
            outcome.write(inv.path(dir), false);
        }
        "new" => {
            if let Some(dir) = rest.first() {
                outcome.write(inv.path(&dir.text), false);
            }
        }
        _ => {}
    }
    Some(outcome)
}

/// `ghp-import [-p|--push] [-f|--force] [-r REMOTE] [-b BRANCH] DIR`:
/// commits DIR to BRANCH (`gh-pages`), and with `--push` pushes it to
/// REMOTE (`origin`).
fn ghp_import(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "mcxrb",
            long: &["message", "cname", "prefix", "remote", "branch"],
            stop_after: None,
        },
    );
    if !args::has(&items, &["-p", "--push"]) {
        return Some(Outcome::default());
    }
    let remote = value_or(&items, &["-r", "--remote"], "origin");
    let branch = value_or(&items, &["-b", "--branch"], PAGES_BRANCH);
    let force = args::has(&items, &["-f", "--force"]);
    Some(site_push(inv, &remote, Some(&branch.text), force))
}

/// `mike deploy|delete|alias|retitle|set-default|props ... [-p|--push]
/// [-r|--remote R] [-b|--branch B]`: versioned MkDocs sites committed to
/// branch B (`gh-pages`), pushed to remote R (`origin`) with `--push`.
fn mike(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "rbmFta",
            long: &[
                "remote",
                "branch",
                "message",
                "config-file",
                "title",
                "deploy-prefix",
                "alias-type",
                "template",
                "dev-addr",
                "prop-set",
                "prop-set-string",
                "prop-set-all",
                "prop-delete",
            ],
            stop_after: None,
        },
    );
    if !args::has(&items, &["-p", "--push"]) {
        return Some(Outcome::default());
    }
    let remote = value_or(&items, &["-r", "--remote"], "origin");
    let branch = value_or(&items, &["-b", "--branch"], PAGES_BRANCH);
    Some(site_push(inv, &remote, Some(&branch.text), false))
}

/// The `gh-pages` npm CLI: `gh-pages -d DIR [-r REPO_URL] [-o REMOTE]
/// [-b BRANCH] [-f|--no-history] [-n|--no-push]`: DIR is committed to
/// BRANCH (`gh-pages`) and pushed to REPO_URL, else to REMOTE (`origin`);
/// `--no-history` force-pushes a commit without parents.
fn gh_pages(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "dsbemgrpouv",
            long: &[
                "dist",
                "src",
                "branch",
                "dest",
                "message",
                "tag",
                "git",
                "repo",
                "depth",
                "remote",
                "user",
                "remove",
                "before-add",
                "cname",
            ],
            stop_after: None,
        },
    );
    if args::has(&items, &["-n", "--no-push"]) {
        return Some(Outcome::default());
    }
    let remote = args::value(&items, &["-r", "--repo"])
        .cloned()
        .unwrap_or_else(|| value_or(&items, &["-o", "--remote"], "origin"));
    let branch = value_or(&items, &["-b", "--branch"], PAGES_BRANCH);
    let force = args::has(&items, &["-f", "--no-history"]);
    Some(site_push(inv, &remote, Some(&branch.text), force))
}

/// `docusaurus deploy`: the build is committed to branch
/// `DEPLOYMENT_BRANCH` (`gh-pages`; an `ORG.github.io` project's comes
/// from its configuration) of `GITHUB_HOST/ORGANIZATION_NAME/PROJECT_NAME`
/// (the CircleCI variables stand in for the names), over SSH with
/// `USE_SSH=true`, else over HTTPS as `GIT_USER[:GIT_PASS]`. Names the
/// environment does not give come from the site's configuration, which
/// the line does not show: the repository's own `origin` then. It pushes
/// with `--force`, but a commit made on top of the branch it has just
/// cloned, which replaces no history.
fn docusaurus(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &["locale", "out-dir", "config", "target-dir"],
            stop_after: None,
        },
    );
    if args::positionals(&items).first()?.text != "deploy" {
        return None;
    }
    let env = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| inv.env_value(name).filter(|v| !v.text.is_empty()))
    };
    // Pull requests are never deployed.
    if env(&["CI_PULL_REQUEST", "CIRCLE_PULL_REQUEST"]).is_some() {
        return Some(Outcome::default());
    }
    let organization = env(&["ORGANIZATION_NAME", "CIRCLE_PROJECT_USERNAME"]);
    let project = env(&["PROJECT_NAME", "CIRCLE_PROJECT_REPONAME"]);
    let branch = match env(&["DEPLOYMENT_BRANCH"]) {
        Some(branch) => Some(branch.text.clone()),
        None if project.is_some_and(|p| p.text.contains(".github.io")) => None,
        None => Some(PAGES_BRANCH.to_owned()),
    };
    let remote = match (organization, project) {
        (Some(organization), Some(project)) => docusaurus_repo(inv, organization, project),
        _ => Arg::literal("origin"),
    };
    Some(site_push(inv, &remote, branch.as_deref(), false))
}

/// The repository URL `docusaurus deploy` pushes to, carrying what the
/// credentials it writes into it carry.
fn docusaurus_repo(inv: &Invocation<'_>, organization: &Arg, project: &Arg) -> Arg {
    let text = |name: &str| inv.env_value(name).map(|v| v.text.clone());
    let host = text("GITHUB_HOST").unwrap_or_else(|| "github.com".to_owned());
    let port = text("GITHUB_PORT").filter(|p| !p.is_empty());
    let path = format!("{}/{}.git", organization.text, project.text);
    let user = inv.env_value("GIT_USER").filter(|u| !u.text.is_empty());
    let ssh = text("USE_SSH").is_some_and(|v| v.eq_ignore_ascii_case("true")) || user.is_none();
    let mut carried = organization.expansions();
    crate::flow::merge(&mut carried, &project.expansions());
    let address = if ssh {
        match port {
            Some(port) => format!("ssh://git@{host}:{port}/{path}"),
            None => format!("git@{host}:{path}"),
        }
    } else {
        let mut credentials = user.map(|u| u.text.clone()).unwrap_or_default();
        for part in user.into_iter().chain(inv.env_value("GIT_PASS")) {
            crate::flow::merge(&mut carried, &part.expansions());
        }
        if let Some(pass) = inv.env_value("GIT_PASS").filter(|p| !p.text.is_empty()) {
            credentials = format!("{credentials}:{}", pass.text);
        }
        let host = port.map_or_else(|| host.clone(), |port| format!("{host}:{port}"));
        format!("https://{credentials}@{host}/{path}")
    };
    Arg {
        text: address,
        prov: carried,
        ..Arg::default()
    }
}

/// What `surge` does besides publishing (account, revision, domain and
/// team commands), in either order (`surge teardown D`, `surge D revs`).
const SURGE_COMMANDS: &[&str] = &[
    "login",
    "logout",
    "whoami",
    "list",
    "teardown",
    "token",
    "tokens",
    "plan",
    "card",
    "invite",
    "revoke",
    "revs",
    "cutover",
    "rollback",
    "rollfore",
    "discard",
    "ssl",
    "encrypt",
    "certs",
    "dns",
    "zone",
    "config",
    "account",
    "audit",
    "analytics",
    "usage",
    "bust",
    "nuke",
];

/// `surge [--project|-p] DIR [--domain|-d] DOMAIN` (also `surge DIR
/// DOMAIN`, `surge DIR publish`): DIR (the working directory unless
/// given) is uploaded to surge.sh and served, to anyone, at DOMAIN (a
/// generated `*.surge.sh` one, or the project's `CNAME`, unless given).
/// `--token` goes with it.
fn surge(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "pdmare",
            long: &[
                "project", "domain", "message", "add", "remove", "token", "endpoint",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let other = positional
        .iter()
        .any(|word| SURGE_COMMANDS.contains(&word.text.as_str()));
    if other || args::has(&items, &["-h", "--help", "-V", "--version"]) {
        return Some(Outcome::default());
    }
    let mut words = positional.iter().filter(|w| w.text != "publish");
    let project = args::value(&items, &["-p", "--project"])
        .or_else(|| words.next().copied())
        .map_or(".", |p| p.text.as_str());
    let domain = args::value(&items, &["-d", "--domain"])
        .or_else(|| words.next().copied())
        .map_or("surge.sh", |d| d.text.as_str());
    let host = domain
        .strip_prefix("https://")
        .or_else(|| domain.strip_prefix("http://"))
        .unwrap_or(domain)
        .trim_end_matches('/');
    let mut payload = Payload::default();
    send_file(inv, &mut payload, project, true);
    if let Some(token) = args::value(&items, &["--token"]) {
        crate::flow::merge(&mut payload, &token.payload());
    }
    Some(Outcome::default().effect(request(
        "surge",
        url(&format!("https://{host}/")),
        "UPLOAD",
        payload,
        true,
    )))
}

/// Hugo's options that take a value (its global ones and those of
/// `server`, `new` and `deploy`).
const HUGO_VALUES: &[&str] = &[
    "baseURL",
    "cacheDir",
    "clock",
    "config",
    "configDir",
    "contentDir",
    "destination",
    "environment",
    "ignoreVendorPaths",
    "layoutDir",
    "logLevel",
    "source",
    "theme",
    "themesDir",
    "trace",
    "poll",
    "renderSegments",
    "port",
    "bind",
    "liveReloadPort",
    "kind",
    "format",
    "target",
    "maxDeletes",
    "workers",
];

/// `hugo [build] [-s SOURCE] [-d|--destination DIR]` writes the site to
/// DIR (`public` in SOURCE, the working directory unless given), and so
/// does `hugo server --renderToDisk` (the server serves from memory
/// otherwise); `hugo new site DIR` and `hugo new [content] PATH` write
/// those. `hugo deploy [--target NAME]` releases the site to that
/// deployment target (the configuration's first without one); under
/// `--dryRun` it sends nothing. The other subcommands read.
fn hugo(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "bcdelstpk",
            long: HUGO_VALUES,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let source = args::value(&items, &["-s", "--source"])
        .map_or_else(|| inv.cwd.to_owned(), |s| inv.path(&s.text));
    let in_source = |path: &str| crate::paths::resolve(&source, inv.home, path);
    let destination = args::value(&items, &["-d", "--destination"]).map_or("public", |d| &d.text);
    let content = args::value(&items, &["-c", "--contentDir"]).map_or("content", |c| &c.text);
    let mut outcome = Outcome::default();
    match positional.first().map(|w| w.text.as_str()) {
        None | Some("build") => outcome.write(in_source(destination), false),
        // The development server serves from memory unless told to write.
        Some("server" | "serve") if args::has(&items, &["--renderToDisk"]) => {
            outcome.write(in_source(destination), false);
        }
        Some("new") => match positional.get(1..).unwrap_or_default() {
            [kind, path, ..] if kind.text == "site" || kind.text == "theme" => {
                let path = if kind.text == "theme" {
                    format!("themes/{}", path.text)
                } else {
                    path.text.clone()
                };
                outcome.write(in_source(&path), false);
            }
            [kind, path, ..] if kind.text == "content" => {
                outcome.write(in_source(&format!("{content}/{}", path.text)), false);
            }
            [path] => outcome.write(in_source(&format!("{content}/{}", path.text)), false),
            _ => {}
        },
        Some("deploy") => {
            if !args::has(&items, &["--dryRun"]) {
                outcome.effects.push(Effect::Deploy(Deploy {
                    program: "hugo".to_owned(),
                    environment: args::value(&items, &["--target"])
                        .map(|t| t.text.clone())
                        .unwrap_or_default(),
                    service: None,
                    production: false,
                }));
            }
        }
        Some(_) => {}
    }
    Some(outcome)
}

/// `jekyll build|serve [-s|--source SRC] [-d|--destination DIR]` writes
/// the site to DIR (`_site` in SRC, the working directory unless given);
/// `jekyll new DIR` writes a project.
fn jekyll(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "sdPHb",
            long: &[
                "source",
                "destination",
                "config",
                "layouts",
                "plugins",
                "port",
                "host",
                "baseurl",
                "limit_posts",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let mut outcome = Outcome::default();
    match positional.first().map(|w| w.text.as_str()) {
        Some("build" | "b" | "serve" | "server" | "s") => {
            let source = args::value(&items, &["-s", "--source"])
                .map_or_else(|| inv.cwd.to_owned(), |s| inv.path(&s.text));
            let destination =
                args::value(&items, &["-d", "--destination"]).map_or("_site", |d| &d.text);
            outcome.write(crate::paths::resolve(&source, inv.home, destination), false);
        }
        Some("new") => {
            if let Some(dir) = positional.get(1) {
                outcome.write(inv.path(&dir.text), false);
            }
        }
        _ => {}
    }
    Some(outcome)
}

/// `zola [-r|--root DIR] build [-o|--output-dir OUT]` writes the site to
/// OUT (`public` in DIR, the working directory unless given).
fn zola(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "rcuoip",
            long: &[
                "root",
                "config",
                "base-url",
                "output-dir",
                "interface",
                "port",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if args::positionals(&items).first().map(|w| w.text.as_str()) == Some("build") {
        let root = args::value(&items, &["-r", "--root"])
            .map_or_else(|| inv.cwd.to_owned(), |r| inv.path(&r.text));
        let output = args::value(&items, &["-o", "--output-dir"]).map_or("public", |o| &o.text);
        outcome.write(crate::paths::resolve(&root, inv.home, output), false);
    }
    Some(outcome)
}

/// `eleventy [--input DIR] [--output OUT]` (`npx @11ty/eleventy`) writes
/// the site to OUT (`_site`); `--dryrun` writes nothing.
fn eleventy(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &["input", "output", "config", "formats", "pathprefix", "port"],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if !args::has(&items, &["--dryrun", "--help", "--version"]) {
        let output = args::value(&items, &["--output"]).map_or("_site", |o| &o.text);
        outcome.write(inv.path(output), false);
    }
    Some(outcome)
}

/// `quarto publish gh-pages [PATH]`: the rendered site is pushed to the
/// `gh-pages` branch of the repository's `origin`. Other providers and
/// subcommands are left to the generic reading.
fn quarto(inv: &Invocation<'_>) -> Option<Outcome> {
    let words = args::words(inv.args);
    (words.get(..2) == Some(&["publish", "gh-pages"][..]))
        .then(|| site_push(inv, &Arg::literal("origin"), Some(PAGES_BRANCH), false))
}
