//! Media downloaders and smart-contract deploy tools. yt-dlp and
//! youtube-dl fetch their URLs, write the file their output template
//! names (below `-P`'s home) and run each `--exec` command as shell text
//! on that file's path. Hardhat (Ignition, hardhat-deploy, deploy
//! scripts), Truffle and Anchor deploy to the network or cluster they
//! name; on Hardhat's in-process chain, or without a cluster named, they
//! deploy nothing. Run in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

fn deploy(program: &str, environment: &str, service: Option<&str>) -> Value {
    json!({"effect": "deploy", "program": program, "environment": environment, "service": service, "production": false})
}

fn get(url: &str) -> Value {
    url_request("yt-dlp", url, "GET", empty())
}

const WATCH: &str = "https://www.youtube.com/watch?v=abc123";

#[test]
fn ytdlp_writes_its_template_and_runs_exec_on_it() {
    let clip = at("clips/%(id)s.%(ext)s");
    let default = at("%(title)s [%(id)s].%(ext)s");
    run_table(&[
        // `{}` inside double quotes becomes the file's path: an upload.
        (
            "yt-dlp -x --audio-format mp3 -o \"clips/%(id)s.%(ext)s\" --exec 'curl -sS -F \"file=@{}\" https://share.example/up' \"https://www.youtube.com/watch?v=abc123\"",
            json!([
                get(WATCH),
                write(&clip),
                url_request(
                    "curl",
                    "https://share.example/up",
                    "POST",
                    payload(&[], &[(&clip, false)], &[])
                ),
            ]),
        ),
        // A stage prefix; the placeholder standing bare.
        (
            "yt-dlp -o 'clips/%(id)s.%(ext)s' --exec 'after_move:scp {} backup.example:/srv/media/' https://www.youtube.com/watch?v=abc123",
            json!([
                get(WATCH),
                write(&clip),
                host_request(
                    "scp",
                    host(None, "backup.example", None, Some("/srv/media/")),
                    "UPLOAD",
                    payload(&[], &[(&clip, false)], &[])
                ),
            ]),
        ),
        // No placeholder: the path is appended.
        (
            "yt-dlp --exec 'rm -f' https://www.youtube.com/watch?v=abc123",
            json!([get(WATCH), write(&default), delete(&default, false)]),
        ),
        // youtube-dl's own default template and its older option.
        (
            "youtube-dl --exec-before-download 'rm -f {}' https://www.youtube.com/watch?v=abc123",
            json!([
                url_request("youtube-dl", WATCH, "GET", empty()),
                write(&at("%(title)s-%(id)s.%(ext)s")),
                delete(&at("%(title)s-%(id)s.%(ext)s"), false),
            ]),
        ),
        // `%(filepath)q` fills the path; `-P` moves the file outside the
        // workspace.
        (
            "yt-dlp -P ~/Videos -o '%(id)s.%(ext)s' --exec 'curl -T %(filepath)q ftp://ftp.example/in/' https://www.youtube.com/watch?v=abc123",
            json!([
                get(WATCH),
                write("/home/dana/Videos/%(id)s.%(ext)s"),
                url_request(
                    "curl",
                    "ftp://ftp.example/in/",
                    "PUT",
                    payload(&[], &[("/home/dana/Videos/%(id)s.%(ext)s", false)], &[])
                ),
            ]),
        ),
        // `--no-exec` forgets the commands before it.
        (
            "yt-dlp --exec 'rm {}' --no-exec https://www.youtube.com/watch?v=abc123",
            json!([get(WATCH), write(&default)]),
        ),
    ]);
}

#[test]
fn ytdlp_options_read_files_and_carry_credentials() {
    run_table(&[
        (
            "yt-dlp -a urls.txt --download-archive done.txt -o 'v/%(id)s.%(ext)s'",
            json!([
                read(&at("urls.txt")),
                read(&at("done.txt")),
                append(&at("done.txt")),
                write(&at("v/%(id)s.%(ext)s")),
            ]),
        ),
        (
            "yt-dlp -u me -p \"$VIMEO_PASS\" -o 'v/%(id)s.%(ext)s' https://vimeo.com/1",
            json!([
                url_request(
                    "yt-dlp",
                    "https://vimeo.com/1",
                    "GET",
                    payload(&["me", "$VIMEO_PASS"], &[], &["VIMEO_PASS"])
                ),
                write(&at("v/%(id)s.%(ext)s")),
            ]),
        ),
        // A typed template is another file's; option values are no URLs.
        (
            "yt-dlp --proxy socks5://127.0.0.1:9050 --referer https://ref.example/ -o 'thumbnail:t/%(id)s' -o 'v/%(id)s.%(ext)s' https://vimeo.com/1",
            json!([get("https://vimeo.com/1"), write(&at("v/%(id)s.%(ext)s"))]),
        ),
    ]);
}

#[test]
fn ytdlp_near_misses_are_plain_downloads() {
    run_table(&[
        (
            "yt-dlp --cookies-from-browser firefox -f 'bv*[height<=1080]+ba/b' --merge-output-format mkv -o 'refs/%(uploader)s/%(title)s [%(id)s].%(ext)s' https://www.youtube.com/watch?v=abc123",
            json!([
                get(WATCH),
                write(&at("refs/%(uploader)s/%(title)s [%(id)s].%(ext)s"))
            ]),
        ),
        (
            "yt-dlp -o - https://www.youtube.com/watch?v=abc123 > v.mp4",
            json!([get(WATCH), write(&at("v.mp4"))]),
        ),
    ]);
}

#[test]
fn hardhat_deploys_to_the_network_it_names() {
    run_table(&[
        (
            "npx hardhat ignition deploy ignition/modules/Token.ts --network mainnet --parameters ignition/parameters/prod.json",
            json!([
                read(&at("ignition/modules/Token.ts")),
                read(&at("ignition/parameters/prod.json")),
                deploy("hardhat", "mainnet", Some("Token")),
            ]),
        ),
        (
            "npx hardhat --network localhost ignition deploy ignition/modules/Token.ts",
            json!([
                read(&at("ignition/modules/Token.ts")),
                deploy("hardhat", "localhost", Some("Token"))
            ]),
        ),
        // The hardhat-deploy plugin, through pnpm.
        (
            "pnpm hardhat deploy --network base-mainnet --tags Vault",
            json!([
                deploy("hardhat", "base-mainnet", None),
                deploy("hardhat", "base", None),
                deploy("hardhat", "mainnet", None),
            ]),
        ),
        // A deploy script, the network from the environment.
        (
            "HARDHAT_NETWORK=sepolia npx hardhat run scripts/deployToken.ts",
            json!([
                read(&at("scripts/deployToken.ts")),
                deploy("hardhat", "sepolia", Some("deployToken"))
            ]),
        ),
        (
            "yarn hardhat run --network mainnet scripts/upgrade-vault.ts",
            json!([
                read(&at("scripts/upgrade-vault.ts")),
                deploy("hardhat", "mainnet", Some("upgrade-vault"))
            ]),
        ),
    ]);
}

#[test]
fn hardhat_near_misses_deploy_nothing() {
    run_table(&[
        // The in-process `hardhat` network, named or by default.
        (
            "npx hardhat ignition deploy ignition/modules/Token.ts",
            json!([read(&at("ignition/modules/Token.ts"))]),
        ),
        (
            "npx hardhat ignition deploy ignition/modules/Token.ts --network hardhat",
            json!([read(&at("ignition/modules/Token.ts"))]),
        ),
        ("npx hardhat deploy --tags Vault", json!([])),
        // A script whose name does not say it deploys.
        (
            "npx hardhat run scripts/checkBalances.ts --network mainnet",
            json!([read(&at("scripts/checkBalances.ts"))]),
        ),
        ("npx hardhat compile", json!([])),
    ]);
}

#[test]
fn truffle_migrates_to_its_network() {
    run_table(&[
        (
            "npx truffle migrate --network mainnet --reset",
            json!([deploy("truffle", "mainnet", None)]),
        ),
        (
            "truffle deploy",
            json!([deploy("truffle", "development", None)]),
        ),
        (
            "truffle exec scripts/deploy_registry.js --network goerli",
            json!([
                read(&at("scripts/deploy_registry.js")),
                deploy("truffle", "goerli", Some("deploy_registry"))
            ]),
        ),
        // Near-misses: a dry run, a script that does not deploy, a build.
        ("truffle migrate --network mainnet --dry-run", json!([])),
        ("truffle compile", json!([])),
    ]);
}

#[test]
fn anchor_deploys_to_its_cluster() {
    run_table(&[
        (
            "anchor deploy --provider.cluster mainnet",
            json!([
                deploy("anchor", "mainnet-beta", None),
                deploy("anchor", "mainnet", None),
                deploy("anchor", "beta", None),
            ]),
        ),
        (
            "anchor --provider.cluster d --provider.wallet ~/.config/solana/deployer.json upgrade target/deploy/vault.so --program-id Vau1t",
            json!([
                read("/home/dana/.config/solana/deployer.json"),
                deploy("anchor", "devnet", None)
            ]),
        ),
        (
            "anchor deploy --provider.cluster http://127.0.0.1:8899",
            json!([deploy("anchor", "localnet", None)]),
        ),
        (
            "anchor deploy --provider.cluster localnet",
            json!([deploy("anchor", "localnet", None)]),
        ),
    ]);
}

#[test]
fn anchor_near_misses_deploy_nothing() {
    run_table(&[
        ("anchor build --provider.cluster mainnet", json!([])),
        (
            "anchor test --skip-deploy --provider.cluster devnet",
            json!([]),
        ),
    ]);
}
