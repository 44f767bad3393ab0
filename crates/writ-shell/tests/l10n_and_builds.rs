//! Table tests for localization platforms' CLIs (Crowdin, Lokalise,
//! Transifex, Phrase), whose uploads send the files the line or the
//! configuration written earlier names, and for build tools that send to
//! a remote cache, executor or event service (Bazel with its `.bazelrc`
//! files, Pants, sccache as a compiler wrapper, Turborepo, Earthly) or
//! deploy (Nx and Earthly targets). Each case is a command line and the
//! exact effects `analyze` must report, run in `/home/dana/acme-web` with
//! home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

/// A release to `environment` (a tool's environment name, never its own
/// production flag).
fn deploy(program: &str, environment: &str, service: Option<&str>) -> Value {
    json!({"effect": "deploy", "program": program, "environment": environment, "service": service, "production": false})
}

/// Checks `command`'s effects when earlier steps wrote `written`.
fn check_after(written: &[writ_shell::WrittenFile], command: &str, expected: Value) {
    assert_eq!(
        effects_after(written, command),
        expected,
        "effects of: {command}"
    );
}

const CROWDIN_YML: &str = "project_id: \"42\"\napi_token_env: CROWDIN_PERSONAL_TOKEN\nbase_path: \".\"\nbase_url: \"https://acme.api.crowdin.com\"\npreserve_hierarchy: true\nfiles:\n  - source: /docs/internal/**/*.md\n    translation: /docs/internal/%two_letters_code%/**/%original_file_name%\n";

#[test]
fn crowdin() {
    let storages = "https://acme.api.crowdin.com/api/v2/storages";
    run_table(&[
        (
            "crowdin upload sources --base-url https://acme.api.crowdin.com --project-id 42 -T \"$CROWDIN_TOKEN\" -s 'locales/en/*.json' -t 'locales/%two_letters_code%/%original_file_name%' --branch web-4 --no-progress",
            json!([
                read(&at("locales/en/*.json")),
                url_request(
                    "crowdin",
                    storages,
                    "UPLOAD",
                    payload(
                        &["$CROWDIN_TOKEN"],
                        &[(&at("locales/en/*.json"), false)],
                        &["CROWDIN_TOKEN"]
                    )
                )
            ]),
        ),
        // `push` is `upload`; `--base-url=` and a bare host.
        (
            "crowdin push --base-url=acme.api.crowdin.com --source=/src/*.po",
            json!([
                read(&at("src/*.po")),
                url_request(
                    "crowdin",
                    storages,
                    "UPLOAD",
                    payload(&[], &[(&at("src/*.po"), false)], &[])
                )
            ]),
        ),
        // Translations, with no configuration known: the upload's files
        // are not known, the host is Crowdin's.
        (
            "crowdin upload translations -l de --auto-approve-imported",
            json!([url_request(
                "crowdin",
                "https://api.crowdin.com/api/v2/storages",
                "UPLOAD",
                empty()
            )]),
        ),
        (
            "crowdin file upload support/macros.csv --dest=/support/macros.csv -i 42 --base-url https://acme.api.crowdin.com",
            json!([
                read(&at("support/macros.csv")),
                url_request(
                    "crowdin",
                    storages,
                    "UPLOAD",
                    payload(&[], &[(&at("support/macros.csv"), false)], &[])
                )
            ]),
        ),
        (
            "crowdin download -l de --base-url https://acme.api.crowdin.com",
            json!([
                url_request(
                    "crowdin",
                    "https://acme.api.crowdin.com/api/v2/projects",
                    "DOWNLOAD",
                    empty()
                ),
                write(W)
            ]),
        ),
        (
            "crowdin string add 'Checkout' --identifier checkout.title",
            json!([url_request(
                "crowdin",
                "https://api.crowdin.com/api/v2/projects",
                "POST",
                payload(
                    &[
                        "string",
                        "add",
                        "Checkout",
                        "--identifier",
                        "checkout.title"
                    ],
                    &[],
                    &[]
                )
            )]),
        ),
        // A dry run lists what it would send; local commands send nothing.
        (
            "crowdin upload sources --dryrun --tree -c crowdin.yml --base-url https://acme.api.crowdin.com",
            json!([]),
        ),
        ("crowdin config lint", json!([])),
        (
            "crowdin status --base-url https://acme.api.crowdin.com",
            json!([url_request(
                "crowdin",
                "https://acme.api.crowdin.com/api/v2/projects",
                "GET",
                empty()
            )]),
        ),
    ]);
}

#[test]
fn crowdin_reads_its_written_configuration() {
    let written = [text_file(&at("crowdin.yml"), CROWDIN_YML)];
    let sources = at("docs/internal/**/*.md");
    check_after(
        &written,
        "crowdin upload",
        json!([
            read(&sources),
            url_request(
                "crowdin",
                "https://acme.api.crowdin.com/api/v2/storages",
                "UPLOAD",
                payload(&[], &[(&sources, false)], &["CROWDIN_PERSONAL_TOKEN"])
            )
        ]),
    );
    check_after(
        &written,
        "crowdin download",
        json!([
            url_request(
                "crowdin",
                "https://acme.api.crowdin.com/api/v2/projects",
                "DOWNLOAD",
                payload(&[], &[], &["CROWDIN_PERSONAL_TOKEN"])
            ),
            write(&at("docs/internal/*/**/*"))
        ]),
    );
    // A configuration elsewhere, named by `-c`, with its own base path.
    let elsewhere = [text_file(
        "/home/dana/l10n/crowdin.yaml",
        "base_path: ../acme-web/app\nfiles:\n  - source: locales/en.json\n    translation: locales/%locale%.json\n",
    )];
    check_after(
        &elsewhere,
        "crowdin upload sources -c ../l10n/crowdin.yaml",
        json!([
            read(&at("app/locales/en.json")),
            url_request(
                "crowdin",
                "https://api.crowdin.com/api/v2/storages",
                "UPLOAD",
                payload(&[], &[(&at("app/locales/en.json"), false)], &[])
            )
        ]),
    );
    // Written earlier on the same line.
    check(
        "printf 'files:\\n  - source: /notes/*.txt\\n    translation: /%locale%/*.txt\\n' > crowdin.yml && crowdin upload",
        json!([
            write(&at("crowdin.yml")),
            read(&at("notes/*.txt")),
            url_request(
                "crowdin",
                "https://api.crowdin.com/api/v2/storages",
                "UPLOAD",
                payload(&[], &[(&at("notes/*.txt"), false)], &[])
            )
        ]),
    );
}

#[test]
fn lokalise() {
    run_table(&[
        (
            "lokalise2 --token \"$LOKALISE_API_TOKEN\" --project-id 3817.71 file upload --file support/escalations.json --lang-iso en --replace-modified --tags support,q4 --poll",
            json!([
                read(&at("support/escalations.json")),
                url_request(
                    "lokalise2",
                    "https://api.lokalise.com/api2/projects/3817.71",
                    "UPLOAD",
                    payload(
                        &["$LOKALISE_API_TOKEN"],
                        &[(&at("support/escalations.json"), false)],
                        &["LOKALISE_API_TOKEN"]
                    )
                )
            ]),
        ),
        (
            "lokalise2 file download --project-id 3817.71 --format json --unzip-to locales",
            json!([
                url_request(
                    "lokalise2",
                    "https://api.lokalise.com/api2/projects/3817.71",
                    "DOWNLOAD",
                    empty()
                ),
                write(&at("locales"))
            ]),
        ),
        (
            "lokalise2 -t T key list --project-id 3817.71",
            json!([url_request(
                "lokalise2",
                "https://api.lokalise.com/api2/projects/3817.71",
                "GET",
                payload(&["T"], &[], &[])
            )]),
        ),
    ]);
}

const TX_CONFIG: &str = "[main]\nhost = https://app.transifex.com\n\n[o:acme:p:web:r:app]\nsource_file = locale/en/app.json\nfile_filter = locale/<lang>/app.json\nsource_lang = en\ntype = KEYVALUEJSON\n\n[o:acme:p:web:r:help]\nsource_file = help/en.md\nfile_filter = help/<lang>.md\n";

#[test]
fn transifex() {
    let uploads = "https://rest.api.transifex.com/resource_strings_async_uploads";
    let written = [text_file(&at(".tx/config"), TX_CONFIG)];
    // The sources by default; `-t` the translations too.
    check_after(
        &written,
        "tx push",
        json!([
            read(&at("locale/en/app.json")),
            read(&at("help/en.md")),
            url_request(
                "tx",
                uploads,
                "UPLOAD",
                payload(
                    &[],
                    &[
                        (&at("locale/en/app.json"), false),
                        (&at("help/en.md"), false)
                    ],
                    &[]
                )
            )
        ]),
    );
    check_after(
        &written,
        "tx --hostname https://rest.api.transifex.com push --source --translation --languages de o:acme:p:web:r:app",
        json!([
            read(&at("locale/en/app.json")),
            read(&at("locale/de/app.json")),
            url_request(
                "tx",
                uploads,
                "UPLOAD",
                payload(
                    &[],
                    &[
                        (&at("locale/en/app.json"), false),
                        (&at("locale/de/app.json"), false)
                    ],
                    &[]
                )
            )
        ]),
    );
    // From a subdirectory, the project's `.tx/config` above it.
    check_after(
        &written,
        "cd locale && tx pull -t -r 'o:acme:p:web:r:*'",
        json!([
            url_request(
                "tx",
                "https://rest.api.transifex.com/resource_translations_async_downloads",
                "DOWNLOAD",
                empty()
            ),
            write(&at("locale/*/app.json")),
            write(&at("help/*.md"))
        ]),
    );
    run_table(&[
        // No configuration known: what is pushed is not known.
        (
            "TX_TOKEN=\"$TRANSIFEX_TOKEN\" tx push -s",
            json!([url_request(
                "tx",
                uploads,
                "UPLOAD",
                payload(&["$TRANSIFEX_TOKEN"], &[], &["TRANSIFEX_TOKEN"])
            )]),
        ),
        (
            "tx status",
            json!([url_request(
                "tx",
                "https://rest.api.transifex.com/resources",
                "GET",
                empty()
            )]),
        ),
        ("tx init", json!([write(&at(".tx/config"))])),
    ]);
}

const PHRASE_YML: &str = "phrase:\n  project_id: 7f3c\n  host: https://api.us.app.phrase.com/v2\n  file_format: simple_json\n  push:\n    sources:\n      - file: ./docs/internal/pricing/strings.en.json\n        params:\n          locale_id: en\n  pull:\n    targets:\n      - file: ./docs/internal/pricing/strings.<locale_name>.json\n";

#[test]
fn phrase() {
    let written = [text_file(&at(".phrase.yml"), PHRASE_YML)];
    let source = at("docs/internal/pricing/strings.en.json");
    check_after(
        &written,
        "PHRASE_ACCESS_TOKEN=\"$PHRASE_TOKEN\" phrase push --config .phrase.yml --wait",
        json!([
            read(&source),
            url_request(
                "phrase",
                "https://api.us.app.phrase.com/v2/projects/7f3c/uploads",
                "UPLOAD",
                payload(&["$PHRASE_TOKEN"], &[(&source, false)], &["PHRASE_TOKEN"])
            )
        ]),
    );
    check_after(
        &written,
        "phrase pull --branch fix",
        json!([
            url_request(
                "phrase",
                "https://api.us.app.phrase.com/v2/projects/7f3c/uploads",
                "DOWNLOAD",
                empty()
            ),
            write(&at("docs/internal/pricing/strings.*.json"))
        ]),
    );
    run_table(&[
        (
            "phrase push",
            json!([url_request(
                "phrase",
                "https://api.phrase.com/v2/projects",
                "UPLOAD",
                empty()
            )]),
        ),
        (
            "phrase uploads create --project_id 7f3c --file data/customers.csv --locale_id en",
            json!([
                read(&at("data/customers.csv")),
                url_request(
                    "phrase",
                    "https://api.phrase.com/v2/projects/7f3c/uploads",
                    "UPLOAD",
                    payload(&[], &[(&at("data/customers.csv"), false)], &[])
                )
            ]),
        ),
        ("phrase help", json!([])),
    ]);
}

#[test]
fn bazel_remote_services() {
    run_table(&[
        (
            "bazel build //services/... -k --remote_cache=grpcs://cache.example.com:443 --remote_header=authorization=\"Bearer ${CACHE_TOKEN}\"",
            json!([url_request(
                "bazel",
                "grpcs://cache.example.com:443",
                "UPLOAD",
                payload(
                    &["authorization=Bearer ${CACHE_TOKEN}"],
                    &[],
                    &["CACHE_TOKEN"]
                )
            )]),
        ),
        // A read-only cache; a bare address is gRPC over TLS.
        (
            "bazelisk test //... --remote_cache cache.example.com:443 --noremote_upload_local_results",
            json!([url_request(
                "bazelisk",
                "grpcs://cache.example.com:443",
                "GET",
                empty()
            )]),
        ),
        // The event service receives the invocation's options; the
        // results URL is only printed.
        (
            "bazel test //checkout/... --bes_backend=grpcs://remote.buildbuddy.io --bes_results_url=https://app.buildbuddy.io/invocation/",
            json!([url_request(
                "bazel",
                "grpcs://remote.buildbuddy.io",
                "UPLOAD",
                payload(
                    &[
                        "//checkout/...",
                        "--bes_backend=grpcs://remote.buildbuddy.io",
                        "--bes_results_url=https://app.buildbuddy.io/invocation/"
                    ],
                    &[],
                    &[]
                )
            )]),
        ),
        // The executor is the cache when none is named.
        (
            "bazel build //app --remote_executor=grpcs://re.example.com --remote_exec_header=x-key=k1",
            json!([url_request(
                "bazel",
                "grpcs://re.example.com",
                "UPLOAD",
                payload(&["x-key=k1"], &[], &[])
            )]),
        ),
        (
            "bazel run //deploy:prod --remote_cache=grpcs://cache.example.com",
            json!([
                deploy("bazel", "deploy:prod", None),
                deploy("bazel", "deploy", None),
                deploy("bazel", "prod", None),
                url_request("bazel", "grpcs://cache.example.com", "UPLOAD", empty())
            ]),
        ),
        // What `run` passes its program is read as an unknown program's.
        (
            "bazel run //tools:upload -- --server=https://up.example.com dist/app.tgz",
            json!([
                url_request(
                    "bazel",
                    "https://up.example.com",
                    "GET",
                    payload(&["dist/app.tgz"], &[], &[])
                ),
                read(&at("dist/app.tgz"))
            ]),
        ),
        // Near misses: a query builds nothing; a local socket or an empty
        // value is no remote; a build with none sends nothing.
        (
            "bazel query 'deps(//app)' --remote_cache=grpcs://cache.example.com",
            json!([]),
        ),
        (
            "bazel build //app --remote_cache=unix:/run/cache.sock --remote_executor=",
            json!([]),
        ),
        (
            "bazel build --config=release //deploy/checkout:prod",
            json!([]),
        ),
        ("bazelisk clean --expunge", json!([])),
    ]);
}

#[test]
fn bazel_reads_written_rc_files() {
    let rc = [text_file(
        &at(".bazelrc"),
        "common --enable_bzlmod\nbuild --remote_cache=grpcs://cache.example.com\nbuild:ci --bes_backend=grpcs://bes.example.com \\\n    --bes_header=x-ci=1\ntest --remote_header=x-key=abc\ntry-import %workspace%/user.bazelrc\n",
    )];
    check_after(
        &rc,
        "bazel build //app",
        json!([url_request(
            "bazel",
            "grpcs://cache.example.com",
            "UPLOAD",
            empty()
        )]),
    );
    check_after(
        &rc,
        "bazel test --config=ci //app",
        json!([
            url_request(
                "bazel",
                "grpcs://cache.example.com",
                "UPLOAD",
                payload(&["x-key=abc"], &[], &[])
            ),
            url_request(
                "bazel",
                "grpcs://bes.example.com",
                "UPLOAD",
                payload(
                    &[
                        "x-key=abc",
                        "x-ci=1",
                        "--enable_bzlmod",
                        "--remote_cache=grpcs://cache.example.com",
                        "--remote_header=x-key=abc",
                        "--bes_backend=grpcs://bes.example.com",
                        "--bes_header=x-ci=1",
                        "--config=ci",
                        "//app"
                    ],
                    &[],
                    &[]
                )
            )
        ]),
    );
    // The user's rc file and an import; `--nohome_rc` skips it.
    let home = [
        text_file(
            "/home/dana/.bazelrc",
            "import /home/dana/cache.bazelrc\nbuild --remote_upload_local_results=false\n",
        ),
        text_file(
            "/home/dana/cache.bazelrc",
            "build --remote_cache=grpcs://cache.example.com\n",
        ),
    ];
    check_after(
        &home,
        "bazel build //app",
        json!([url_request(
            "bazel",
            "grpcs://cache.example.com",
            "GET",
            empty()
        )]),
    );
    check_after(&home, "bazel --nohome_rc build //app", json!([]));
}

#[test]
fn pants_remote_cache() {
    run_table(&[
        (
            "pants --remote-cache-read --remote-cache-write --remote-store-address=grpcs://cache.example.com:443 test ::",
            json!([url_request(
                "pants",
                "grpcs://cache.example.com:443",
                "UPLOAD",
                empty()
            )]),
        ),
        (
            "PANTS_REMOTE_STORE_ADDRESS=grpcs://cache.example.com PANTS_REMOTE_CACHE_READ=true pants test ::",
            json!([url_request(
                "pants",
                "grpcs://cache.example.com",
                "GET",
                empty()
            )]),
        ),
        // Written off, or nothing run.
        (
            "pants --remote-store-address=grpcs://cache.example.com --no-remote-cache-write test ::",
            json!([]),
        ),
        (
            "pants --remote-cache-write --remote-store-address=grpcs://cache.example.com list ::",
            json!([]),
        ),
    ]);
}

#[test]
fn sccache_storage() {
    run_table(&[
        (
            "SCCACHE_ENDPOINT=https://s3.rustcache.dev SCCACHE_BUCKET=community SCCACHE_REGION=auto RUSTC_WRAPPER=sccache cargo build --workspace --release",
            json!([url_request(
                "sccache",
                "https://s3.rustcache.dev/community",
                "UPLOAD",
                empty()
            )]),
        ),
        (
            "export SCCACHE_BUCKET=acme-sccache SCCACHE_S3_KEY_PREFIX=mono/rust RUSTC_WRAPPER=sccache && cargo +nightly test -p ingest",
            json!([url_request(
                "sccache",
                "s3://acme-sccache/mono/rust",
                "UPLOAD",
                empty()
            )]),
        ),
        (
            "SCCACHE_REDIS=redis://cache.example.com:6379 SCCACHE_REDIS_PASSWORD=\"$REDIS_PW\" CC='sccache gcc' make -j8",
            json!([url_request(
                "sccache",
                "redis://cache.example.com:6379",
                "UPLOAD",
                payload(&["$REDIS_PW"], &[], &["REDIS_PW"])
            )]),
        ),
        (
            "SCCACHE_GCS_BUCKET=ci-cache SCCACHE_GCS_RW_MODE=READ_ONLY RUSTC_WRAPPER=/usr/bin/sccache cargo check",
            json!([url_request("sccache", "gs://ci-cache", "GET", empty())]),
        ),
        (
            "SCCACHE_ENDPOINT=minio.example.com:9000 SCCACHE_S3_USE_SSL=false SCCACHE_BUCKET=b sccache gcc -c main.c",
            json!([
                read(&at("main.c")),
                url_request(
                    "sccache",
                    "http://minio.example.com:9000/b",
                    "UPLOAD",
                    empty()
                )
            ]),
        ),
        // Near misses: no wrapper, no storage, nothing compiled.
        ("SCCACHE_BUCKET=b cargo build", json!([])),
        ("RUSTC_WRAPPER=sccache cargo build", json!([])),
        (
            "SCCACHE_BUCKET=b RUSTC_WRAPPER=sccache cargo fmt",
            json!([]),
        ),
        ("SCCACHE_BUCKET=b sccache --show-stats", json!([])),
    ]);
}

#[test]
fn turbo_and_earthly_caches() {
    run_table(&[
        (
            "TURBO_TOKEN=\"$VERCEL_TOKEN\" TURBO_TEAM=web turbo run build",
            json!([url_request(
                "turbo",
                "https://vercel.com/api/v8/artifacts",
                "UPLOAD",
                payload(&["$VERCEL_TOKEN", "web"], &[], &["VERCEL_TOKEN"])
            )]),
        ),
        (
            "turbo build --token=T --cache=local:rw,remote:r",
            json!([url_request(
                "turbo",
                "https://vercel.com/api/v8/artifacts",
                "GET",
                payload(&["T"], &[], &[])
            )]),
        ),
        // Without a token turbo uses no remote cache the line shows.
        ("turbo run build lint", json!([])),
        ("TURBO_TOKEN=T turbo run build --dry=json", json!([])),
        (
            "earthly --ci --push --remote-cache=registry.example.com/mono/cache:main +test",
            json!([host_request(
                "earthly",
                host(None, "registry.example.com", None, Some("mono/cache:main")),
                "UPLOAD",
                payload(&["registry.example.com/mono/cache:main"], &[], &[])
            )]),
        ),
        // Without `--push` the cache is only read.
        (
            "earthly --ci --remote-cache=registry.example.com/mono/cache:main +test",
            json!([]),
        ),
    ]);
}

#[test]
fn monorepo_deploy_targets() {
    run_table(&[
        (
            "pnpm nx run-many -t deploy -p api storefront -c production --parallel=2",
            json!([
                deploy("nx", "production", Some("api")),
                deploy("nx", "production", Some("storefront"))
            ]),
        ),
        (
            "npx nx deploy api --configuration=production",
            json!([deploy("nx", "production", Some("api"))]),
        ),
        (
            "nx run api:deploy:production",
            json!([deploy("nx", "production", Some("api"))]),
        ),
        (
            "nx affected --targets=lint,deploy-prod",
            json!([
                deploy("nx", "deploy-prod", None),
                deploy("nx", "deploy", None),
                deploy("nx", "prod", None)
            ]),
        ),
        (
            "earthly --ci --push +deploy --ENV=production --SERVICE=ingest",
            json!([deploy("earthly", "production", None)]),
        ),
        (
            "earthly --push ./services/api+deploy --STAGE staging",
            json!([deploy("earthly", "staging", None)]),
        ),
        // Near misses: builds with a production configuration, a deploy
        // target's dry run, Earthly without `--push`.
        ("nx build api -c production", json!([])),
        (
            "nx run-many -t build test --configuration=production",
            json!([]),
        ),
        ("nx deploy api -c production --dry-run", json!([])),
        ("earthly --ci +deploy --ENV=production", json!([])),
        ("earthly --push +build --ENV=production", json!([])),
    ]);
}
