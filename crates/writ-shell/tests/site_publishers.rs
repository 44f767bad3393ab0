//! Static-site and documentation publishers: the git-based ones push the
//! built site as a `git push` would, surge uploads to a public host, hugo
//! writes its destination and deploys to its target.

use crate::common;

use common::*;
use serde_json::{Value, json};

/// A push of the working directory's repository to `remote`'s `branch`.
fn site_push(remote: &str, branch: Option<&str>, force: bool) -> Value {
    push(
        W,
        Some(remote),
        json!([refspec(branch, branch, false, false)]),
        force,
        false,
    )
}

fn deploy(program: &str, environment: &str) -> Value {
    json!({"effect": "deploy", "program": program, "environment": environment, "service": null, "production": false})
}

#[test]
fn git_based_publishers_push_the_site() {
    run_table(&[
        // mkdocs: `-r`/`-b` name remote and branch; `--force` forces;
        // `-f` is the configuration file.
        (
            "mkdocs gh-deploy --force --no-history -r origin -b gh-pages",
            json!([site_push("origin", Some("gh-pages"), true)]),
        ),
        (
            "mkdocs gh-deploy --remote-name fork --remote-branch gh-pages --message 'preview'",
            json!([site_push("fork", Some("gh-pages"), false)]),
        ),
        (
            "mkdocs gh-deploy -f mkdocs.public.yml --remote-name pages --remote-branch main --force",
            json!([site_push("pages", Some("main"), true)]),
        ),
        (
            "mkdocs gh-deploy --remote-branch=main",
            json!([site_push("origin", Some("main"), false)]),
        ),
        (
            "mkdocs gh-deploy",
            json!([site_push("origin", Some("gh-pages"), false)]),
        ),
        // ghp-import pushes only with `-p`.
        (
            "ghp-import -n -p -f -r upstream -b main site",
            json!([site_push("upstream", Some("main"), true)]),
        ),
        // mike pushes only with `--push`.
        (
            "mike deploy --push --update-aliases 1.2 latest",
            json!([site_push("origin", Some("gh-pages"), false)]),
        ),
        (
            "mike deploy -p -r fork -b docs 2.0",
            json!([site_push("fork", Some("docs"), false)]),
        ),
        // The gh-pages npm CLI: `-r` is a URL, `-o` a remote; `-f` is
        // `--no-history`, a force push.
        (
            "./node_modules/.bin/gh-pages -d devportal/build -r https://github.com/someone/preview.git -b gh-pages",
            json!([site_push(
                "https://github.com/someone/preview.git",
                Some("gh-pages"),
                false
            )]),
        ),
        (
            "npx gh-pages -d dist -o fork -f",
            json!([site_push("fork", Some("gh-pages"), true)]),
        ),
        (
            "gh-pages --dist build --branch=pages",
            json!([site_push("origin", Some("pages"), false)]),
        ),
    ]);
}

#[test]
fn docusaurus_deploy_pushes_to_the_repository_its_environment_names() {
    run_table(&[
        (
            "ORGANIZATION_NAME=someone PROJECT_NAME=preview GIT_USER=someone yarn docusaurus deploy --skip-build",
            json!([site_push(
                "https://someone@github.com/someone/preview.git",
                Some("gh-pages"),
                false
            )]),
        ),
        (
            "USE_SSH=true ORGANIZATION_NAME=acme PROJECT_NAME=acme.github.io DEPLOYMENT_BRANCH=main npx docusaurus deploy",
            json!([site_push(
                "git@github.com:acme/acme.github.io.git",
                Some("main"),
                false
            )]),
        ),
        // The configuration names the repository: the line does not show it.
        (
            "GIT_USER=dana npx docusaurus deploy",
            json!([site_push("origin", Some("gh-pages"), false)]),
        ),
        // A pull request build never deploys.
        (
            "CI_PULL_REQUEST=12 GIT_USER=dana npx docusaurus deploy",
            json!([]),
        ),
    ]);
}

#[test]
fn docusaurus_password_goes_with_the_push() {
    let effects = effects_after(
        &[],
        "GIT_PASS=$GITHUB_TOKEN ORGANIZATION_NAME=o PROJECT_NAME=p GIT_USER=u npx docusaurus deploy",
    );
    let text = effects.to_string();
    assert!(
        text.contains("https://u:$GITHUB_TOKEN@github.com/o/p.git"),
        "{text}"
    );
    assert!(text.contains("GITHUB_TOKEN\"]"), "{text}");
}

#[test]
fn publishers_that_do_not_push_push_nothing() {
    run_table(&[
        ("ghp-import -n site", json!([])),
        ("mike deploy 1.2 latest", json!([])),
        ("mike serve", json!([])),
        ("gh-pages -d dist --no-push", json!([])),
        ("mkdocs serve -a 0.0.0.0:8000", json!([])),
        (
            "mkdocs build -f mkdocs.internal.yml -d site-internal",
            json!([write(&at("site-internal"))]),
        ),
        ("mkdocs build", json!([write(&at("site"))])),
    ]);
}

#[test]
fn surge_uploads_to_a_public_host() {
    run_table(&[
        (
            "npx surge --project ./site-internal --domain runbooks.surge.sh",
            json!([public_request(
                "surge",
                "https://runbooks.surge.sh/",
                "UPLOAD",
                payload(&[], &[(&at("site-internal"), true)], &[])
            )]),
        ),
        (
            "surge ./public spring-preview.surge.sh",
            json!([public_request(
                "surge",
                "https://spring-preview.surge.sh/",
                "UPLOAD",
                payload(&[], &[(&at("public"), true)], &[])
            )]),
        ),
        (
            "surge -p build -d https://docs.example.com",
            json!([public_request(
                "surge",
                "https://docs.example.com/",
                "UPLOAD",
                payload(&[], &[(&at("build"), true)], &[])
            )]),
        ),
        (
            "surge",
            json!([public_request(
                "surge",
                "https://surge.sh/",
                "UPLOAD",
                payload(&[], &[(W, true)], &[])
            )]),
        ),
        // Account and revision commands publish nothing.
        ("surge whoami", json!([])),
        ("surge list", json!([])),
        ("surge spring-preview.surge.sh revs", json!([])),
    ]);
}

#[test]
fn hugo_writes_its_destination_and_deploys_to_its_target() {
    run_table(&[
        (
            "hugo --gc --minify --baseURL https://www.example.com/ --destination /var/www/site/html",
            json!([write("/var/www/site/html")]),
        ),
        ("hugo --minify", json!([write(&at("public"))])),
        ("hugo -s www -d ../out", json!([write(&at("out"))])),
        (
            "hugo deploy --target production --invalidateCDN",
            json!([deploy("hugo", "production")]),
        ),
        ("hugo deploy --target production --dryRun", json!([])),
        ("hugo server -D", json!([])),
        (
            "hugo new content posts/first.md",
            json!([write(&at("content/posts/first.md"))]),
        ),
        ("hugo version", json!([])),
    ]);
}

#[test]
fn azure_blob_uploads_name_their_destination_url_and_dry_runs_send_nothing() {
    run_table(&[
        (
            "az storage blob upload-batch --account-name docs --auth-mode login -s ./site -d '$web' --pattern '*.html' --dryrun",
            json!([]),
        ),
        (
            "az storage blob upload-batch -s site -d 'https://mirror.blob.core.windows.net/$web' --overwrite",
            json!([url_request(
                "az",
                "https://mirror.blob.core.windows.net/$web",
                "UPLOAD",
                payload(&[], &[(&at("site"), true)], &[])
            )]),
        ),
        (
            "az storage blob upload-batch --account-name docs -s site -d '$web'",
            json!([url_request(
                "az",
                "https://docs.blob.core.windows.net/$web",
                "UPLOAD",
                payload(&[], &[(&at("site"), true)], &[])
            )]),
        ),
    ]);
}

#[test]
fn other_generators_write_their_output_and_quarto_pushes_pages() {
    run_table(&[
        (
            "bundle exec jekyll build -d /var/www/site",
            json!([write("/var/www/site")]),
        ),
        ("jekyll serve --livereload", json!([write(&at("_site"))])),
        ("jekyll doctor", json!([])),
        ("zola --root docs build", json!([write(&at("docs/public"))])),
        ("zola build -o ~/www", json!([write("/home/dana/www")])),
        ("zola check", json!([])),
        (
            "npx @11ty/eleventy --input=src --output=/srv/site",
            json!([write("/srv/site")]),
        ),
        ("npx @11ty/eleventy --dryrun", json!([])),
        (
            "quarto publish gh-pages --no-prompt",
            json!([site_push("origin", Some("gh-pages"), false)]),
        ),
    ]);
}
