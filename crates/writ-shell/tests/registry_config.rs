//! Where a package upload goes by its manager's configuration: npm's
//! `npm_config_*` environment and `.npmrc` files and `publishConfig`,
//! poetry's repositories and twine's `.pypirc`, read from the files
//! written earlier on the line or by an earlier step.

use serde_json::Value;
use writ_shell::WrittenFile;

use super::common::{at, effects_after, text_file};

/// Each upload's `(url, public, env names in its payload)`.
fn requests(written: &[WrittenFile], command: &str) -> Vec<(String, bool, Vec<String>)> {
    let effects = effects_after(written, command);
    effects
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e.get("effect").and_then(Value::as_str) == Some("request"))
        .filter(|e| e.get("method").and_then(Value::as_str) == Some("UPLOAD"))
        .map(|e| {
            let url = e["target"]["url"].as_str().unwrap_or_default();
            let url = url.trim_end_matches('/').to_owned();
            let public = e["public"].as_bool().unwrap_or_default();
            let env = e["payload"]["env"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            (url, public, env)
        })
        .collect()
}

/// The one request's URL and whether it is public.
fn upload(written: &[WrittenFile], command: &str) -> Option<(String, bool)> {
    let found = requests(written, command);
    assert!(found.len() <= 1, "{command}: {found:?}");
    found
        .into_iter()
        .next()
        .map(|(url, public, _)| (url, public))
}

/// An upload to `url` (compared without a trailing `/`).
fn to(url: &str, public: bool) -> Option<(String, bool)> {
    Some((url.trim_end_matches('/').to_owned(), public))
}

const NPMJS: &str = "https://registry.npmjs.org";

#[test]
fn npm_config_environment_is_npm_configuration() {
    let cases: &[(&str, Option<(String, bool)>)] = &[
        ("npm_config_dry_run=true npm publish --tag beta", None),
        ("NPM_CONFIG_DRY_RUN=1 npm publish", None),
        ("export npm_config_dry-run=true; npm publish", None),
        ("npm_config_dry_run=false npm publish", to(NPMJS, true)),
        ("npm_config_dry_run=$X npm publish", to(NPMJS, true)),
        ("npm publish --no-dry-run", to(NPMJS, true)),
        ("npm publish", to(NPMJS, true)),
        (
            "npm_config_registry=https://npm.corp.example/ npm publish",
            to("https://npm.corp.example", false),
        ),
        (
            "NPM_CONFIG_REGISTRY=https://npm.corp.example pnpm publish",
            to("https://npm.corp.example", false),
        ),
        // The line's option is stronger than the environment.
        (
            "npm_config_registry=https://npm.corp.example npm publish --registry https://registry.npmjs.org/",
            to(NPMJS, true),
        ),
        // Other variables are not npm's configuration.
        ("NPM_DRY_RUN=true npm publish", to(NPMJS, true)),
    ];
    for (command, expected) in cases {
        assert_eq!(upload(&[], command), *expected, "{command}");
    }
}

#[test]
fn npm_config_environment_names_the_install_registry() {
    let effects = effects_after(
        &[],
        "NPM_CONFIG_REGISTRY=https://npm.corp.example npm install left-pad",
    );
    let text = effects.to_string();
    assert!(text.contains("npm.corp.example"), "{text}");
}

#[test]
fn project_npmrc_names_the_registry_and_its_token() {
    let npmrc = text_file(
        &at("packages/icons/.npmrc"),
        "registry=https://npm.corp.example/\n//npm.corp.example/:_authToken=${NPM_TOKEN}\n",
    );
    let written = [npmrc];
    let found = requests(&written, "cd packages/icons && npm publish");
    assert_eq!(
        found,
        vec![(
            "https://npm.corp.example".to_owned(),
            false,
            vec!["NPM_TOKEN".to_owned()]
        )]
    );
    // Below the project too, and with pnpm.
    assert_eq!(
        upload(&written, "cd packages/icons/src && pnpm publish"),
        to("https://npm.corp.example", false)
    );
    // Near misses: another project's file, and the line's registry.
    assert_eq!(
        upload(&written, "cd packages/ui && npm publish"),
        to(NPMJS, true)
    );
    let found = requests(
        &written,
        "cd packages/icons && npm publish --registry https://registry.npmjs.org",
    );
    assert_eq!(found, vec![(NPMJS.to_owned(), true, Vec::new())]);
}

#[test]
fn a_project_npmrc_stops_at_the_nearest_package() {
    let written = [
        text_file(&at(".npmrc"), "registry=https://npm.corp.example/\n"),
        text_file(&at("packages/ui/package.json"), r#"{"name": "ui"}"#),
    ];
    assert_eq!(
        upload(&written, "cd packages/ui && npm publish"),
        to(NPMJS, true)
    );
    assert_eq!(
        upload(&written, "cd packages/icons && npm publish"),
        to("https://npm.corp.example", false)
    );
}

#[test]
fn user_npmrc_and_npm_config_set_name_the_registry() {
    let written = [text_file(
        "/home/dana/.npmrc",
        "registry=https://npm.corp.example/\n",
    )];
    assert_eq!(
        upload(&written, "npm publish"),
        to("https://npm.corp.example", false)
    );
    let written = [text_file("/home/dana/.npmrc", "dry-run=true\n")];
    assert_eq!(upload(&written, "npm publish"), None);
}

#[test]
fn scoped_packages_use_their_scope_registry() {
    let npmrc = "@corp:registry=https://npm.corp.example/\n";
    let written = [
        text_file(&at(".npmrc"), npmrc),
        text_file(&at("package.json"), r#"{"name": "@corp/ui"}"#),
    ];
    assert_eq!(
        upload(&written, "npm publish"),
        to("https://npm.corp.example", false)
    );
    let written = [
        text_file(&at(".npmrc"), npmrc),
        text_file(&at("package.json"), r#"{"name": "ui"}"#),
    ];
    assert_eq!(upload(&written, "npm publish"), to(NPMJS, true));
}

#[test]
fn publish_config_overrides_npmrc() {
    let written = [
        text_file(&at(".npmrc"), "registry=https://npm.corp.example/\n"),
        text_file(
            &at("package.json"),
            r#"{"name": "ui", "publishConfig": {"registry": "https://registry.npmjs.org/"}}"#,
        ),
    ];
    assert_eq!(upload(&written, "npm publish"), to(NPMJS, true));
}

#[test]
fn a_workspace_named_by_its_folder_publishes_with_its_own_publish_config() {
    let written = [text_file(
        &at("packages/ui/package.json"),
        r#"{"name": "@acme/ui", "publishConfig": {"registry": "https://npm.corp.example/"}}"#,
    )];
    assert_eq!(
        upload(&written, "npm publish --workspace packages/ui --tag next"),
        to("https://npm.corp.example/", false)
    );
    // A workspace named by its package name: its folder is not known.
    assert_eq!(
        upload(&written, "npm publish --workspace @acme/ui"),
        to(NPMJS, true)
    );
}

const PYPI: &str = "https://upload.pypi.org/legacy/";

#[test]
fn poetry_repositories_configured_on_the_line() {
    let cases: &[(&str, Option<(String, bool)>)] = &[
        (
            "poetry config --local repositories.corp https://pypi.corp.example/legacy/ && poetry publish --build -r corp -u bot -p \"$TOKEN\"",
            to("https://pypi.corp.example/legacy/", false),
        ),
        (
            "poetry config repositories.corp https://pypi.corp.example/legacy/; poetry publish -r corp",
            to("https://pypi.corp.example/legacy/", false),
        ),
        (
            "POETRY_REPOSITORIES_CORP_MIRROR_URL=https://pypi.corp.example/ poetry publish -r corp-mirror",
            to("https://pypi.corp.example/", false),
        ),
        // Near misses: another alias, and no `-r` (PyPI).
        (
            "poetry config --local repositories.corp https://pypi.corp.example/legacy/ && poetry publish -r other",
            to("other", false),
        ),
        (
            "poetry config --local repositories.corp https://pypi.corp.example/legacy/ && poetry publish",
            to(PYPI, true),
        ),
    ];
    for (command, expected) in cases {
        let found: Vec<(String, bool)> = requests(&[], command)
            .into_iter()
            .map(|(url, public, _)| (url, public))
            .collect();
        assert_eq!(found.into_iter().next(), *expected, "{command}");
    }
}

#[test]
fn poetry_config_writes_its_file() {
    let effects = effects_after(
        &[],
        "poetry config --local repositories.corp https://pypi.corp.example/",
    );
    assert!(
        effects.to_string().contains(&at("poetry.toml")),
        "{effects}"
    );
}

#[test]
fn poetry_repositories_configured_by_an_earlier_step() {
    let written = [text_file(
        "/home/dana/.config/pypoetry/config.toml",
        "[repositories]\ncorp = { url = \"https://pypi.corp.example/\" }\n",
    )];
    assert_eq!(
        upload(&written, "poetry publish -r corp"),
        to("https://pypi.corp.example/", false)
    );
    let written = [text_file(
        &at("poetry.toml"),
        "[repositories.corp]\nurl = \"https://pypi.corp.example/\"\n",
    )];
    assert_eq!(
        upload(&written, "poetry publish -r corp"),
        to("https://pypi.corp.example/", false)
    );
}

#[test]
fn twine_reads_its_pypirc() {
    let pypirc = "[distutils]\nindex-servers = corp\n\n[corp]\nrepository = https://pypi.corp.example/\nusername = bot\npassword = s3cret\n";
    let written = [text_file("/home/dana/.pypirc", pypirc)];
    assert_eq!(
        upload(&written, "twine upload -r corp dist/*"),
        to("https://pypi.corp.example/", false)
    );
    assert_eq!(
        upload(&written, "TWINE_REPOSITORY=corp twine upload dist/*"),
        to("https://pypi.corp.example/", false)
    );
    let elsewhere = [text_file(&at("ci/pypirc"), pypirc)];
    assert_eq!(
        upload(
            &elsewhere,
            "twine upload --config-file ci/pypirc -r corp dist/*"
        ),
        to("https://pypi.corp.example/", false)
    );
    // Near misses: no `-r` is PyPI; `--repository-url` wins.
    assert_eq!(upload(&written, "twine upload dist/*"), to(PYPI, true));
    assert_eq!(
        upload(
            &written,
            "twine upload -r corp --repository-url https://upload.pypi.org/legacy/ dist/*"
        ),
        to(PYPI, true)
    );
}
