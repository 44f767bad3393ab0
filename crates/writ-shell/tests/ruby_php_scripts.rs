//! Ruby and PHP scripts written earlier, run with their own options and
//! configuration files: OptionParser's and `getopt`'s values, loaded YAML
//! and JSON, strings the script builds, and the branches they rule out.

#![allow(clippy::panic)]

use crate::common;
use common::*;

const FEED_RB: &str = "#!/usr/bin/env ruby\n# Push the feed (it's a dry run unless --apply).\nrequire 'optparse'\nrequire 'yaml'\nrequire 'net/http'\n\nopts = { config: 'config/feed.yml', apply: false }\nOptionParser.new do |o|\n  o.on('-c', '--config PATH') { |v| opts[:config] = v }\n  o.on('--apply') { opts[:apply] = true }\nend.parse!\n\ncfg = YAML.safe_load_file(opts[:config])\nunless opts[:apply]\n  warn \"dry run: would send to #{cfg['endpoint']}\"\n  exit 0\nend\n\nuri = URI(cfg.fetch('endpoint'))\nNet::HTTP.post(uri, '{}', 'Content-Type' => 'application/json')\n";

fn feed_files() -> Vec<writ_shell::WrittenFile> {
    vec![
        text_file(&at("scripts/push_feed.rb"), FEED_RB),
        text_file(
            &at("config/feed.yml"),
            "endpoint: https://feeds.partner.example/v2/catalog\n",
        ),
        text_file(
            &at("config/other.yml"),
            "endpoint: https://other.example.net/in\n",
        ),
    ]
}

fn requests(written: &[writ_shell::WrittenFile], command: &str) -> Vec<String> {
    let found = effects_after(written, command);
    request_lines(&found.as_array().cloned().unwrap_or_default())
}

#[test]
fn ruby_options_pick_the_config_and_the_branch() {
    let written = feed_files();
    assert_eq!(
        requests(&written, "ruby scripts/push_feed.rb --apply"),
        ["POST https://feeds.partner.example/v2/catalog"]
    );
    assert_eq!(
        requests(
            &written,
            "ruby scripts/push_feed.rb -c config/other.yml --apply"
        ),
        ["POST https://other.example.net/in"]
    );
    // Without `--apply` the script exits before it posts.
    assert!(requests(&written, "ruby scripts/push_feed.rb").is_empty());
    // An abbreviation OptionParser accepts: the value is not known, and
    // the post is not ruled out.
    assert!(!requests(&written, "ruby scripts/push_feed.rb --app").is_empty());
}

#[test]
fn ruby_config_values_fill_interpolations_and_argument_lists() {
    let script = "require 'json'\nrequire 'optparse'\noptions = { apply: false }\nOptionParser.new do |o|\n  o.on('--apply') { options[:apply] = true }\nend.parse!\ncfg = JSON.parse(File.read('config/ret.json'))\nargs = ['-az']\nargs << '--dry-run' unless options[:apply]\nArray(cfg['exclude']).each { |pat| args.push('--exclude', pat) }\nsystem('rsync', *args, \"#{cfg.fetch('src')}/\", cfg.fetch('dest'))\n";
    let written = vec![
        text_file(&at("sync.rb"), script),
        text_file(
            &at("config/ret.json"),
            "{\"src\": \"uploads\", \"dest\": \"bk@nas.example.net:/b/\", \"exclude\": [\"*.tmp\"]}",
        ),
    ];
    let found = effects_after(&written, "ruby sync.rb --apply").to_string();
    assert!(found.contains("nas.example.net"), "{found}");
    assert!(found.contains("uploads"), "{found}");
}

const EXPORT_PHP: &str = "<?php\n$opts = getopt('', ['month:', 'upload', 'config:']);\n$month = $opts['month'] ?? date('Y-m');\n$configPath = $opts['config'] ?? __DIR__ . '/../config/export.json';\n$config = json_decode(file_get_contents($configPath), true);\n$out = sprintf('%s/../exports/list_%s.csv', __DIR__, $month);\nif (!isset($opts['upload'])) {\n    exit(0);\n}\n$target = $config['upload_target'];\nif (str_starts_with($target, 's3://')) {\n    $cmd = sprintf('aws s3 cp %s %s', escapeshellarg($out), escapeshellarg($target));\n} else {\n    $cmd = sprintf('curl -fsS -F %s %s', escapeshellarg('file=@' . $out), escapeshellarg($target));\n}\npassthru($cmd, $rc);\n";

#[test]
fn php_getopt_config_and_built_commands() {
    let written = vec![
        text_file(&at("bin/export.php"), EXPORT_PHP),
        text_file(
            &at("config/export.json"),
            "{\"upload_target\": \"https://api.lists.example/v1/import\"}",
        ),
    ];
    let found = effects_after(&written, "php bin/export.php --month=2026-10 --upload");
    let lines = request_lines(&found.as_array().cloned().unwrap_or_default());
    assert!(
        lines.contains(&"POST https://api.lists.example/v1/import".to_owned()),
        "{lines:?}"
    );
    assert!(
        found.to_string().contains(&at("exports/list_2026-10.csv")),
        "{found}"
    );
    // Without `--upload` the script exits first.
    assert!(requests(&written, "php bin/export.php --month=2026-10").is_empty());
}

#[test]
fn php_inline_argv_flags_prune_branches() {
    let code =
        "if (in_array('--send', $argv)) { passthru('curl -d @x.json https://in.example.org/x'); }";
    let with = requests(&[], &format!("php -r \"{code}\" -- --send"));
    assert_eq!(with, ["POST https://in.example.org/x"]);
    assert!(requests(&[], &format!("php -r \"{code}\"")).is_empty());
}

const PURGE_PHP: &str = "<?php\n$opts = getopt('', ['env:', 'dry-run']);\n$env = $opts['env'] ?? 'staging';\n$dryRun = array_key_exists('dry-run', $opts);\n$all = require __DIR__ . '/../config/database.php';\n$cfg = $all[$env] ?? throw new InvalidArgumentException(\"unknown env: $env\");\n$dsn = sprintf('pgsql:host=%s;dbname=%s', $cfg['host'], $cfg['dbname']);\n$pdo = new PDO($dsn, 'maint', getenv('DB_PASSWORD'));\nif ($dryRun) {\n    $pdo->query('SELECT count(*) FROM sessions');\n    exit(0);\n}\n$pdo->exec('DELETE FROM sessions WHERE stale');\n";

const DATABASES_PHP: &str = "<?php\n// Connection settings per environment.\nreturn [\n    'staging' => [\n        'host' => 'db.staging.example.net',\n        'dbname' => 'app',\n    ],\n    'production' => [\n        'host' => 'db.prod.example.net',\n        'dbname' => 'app',\n    ],\n];\n";

#[test]
fn php_arrays_required_pick_the_server_and_dry_runs_exit() {
    let written = vec![
        text_file(&at("bin/purge.php"), PURGE_PHP),
        text_file(&at("config/database.php"), DATABASES_PHP),
    ];
    let found = effects_after(&written, "php bin/purge.php --env=production").to_string();
    assert!(
        found.contains("db.prod.example.net") && found.contains("DELETE"),
        "{found}"
    );
    let staging = effects_after(&written, "php bin/purge.php").to_string();
    assert!(staging.contains("db.staging.example.net"), "{staging}");
    let dry = effects_after(&written, "php bin/purge.php --env=production --dry-run").to_string();
    assert!(!dry.contains("DELETE"), "{dry}");
}
