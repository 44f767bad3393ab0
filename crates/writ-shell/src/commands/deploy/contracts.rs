//! Smart-contract deploy tools: Hardhat, Truffle and Anchor. A deploy is
//! a [`crate::Deploy`] to the environment the network or cluster it is
//! sent to names ([`super::environment_changes`]: `mainnet`, `sepolia`,
//! `arbitrum-sepolia`'s words), which the organisation's list of
//! production environments sorts. A run on a tool's in-process chain
//! (Hardhat's `hardhat` network, the one it uses when none is named)
//! deploys nothing, and is left to the generic handling of programs.

use super::super::{Invocation, Outcome};
use super::{environment_changes, name_words};
use crate::args::{self, Arg, Spec};

pub(super) fn release(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "hardhat" | "hh" => hardhat(inv),
        "truffle" => truffle(inv),
        "anchor" => anchor(inv),
        _ => None,
    }
}

/// True when a script's file name says it deploys or upgrades contracts:
/// one of its words, or of their camelCase parts, is `deploy` or
/// `upgrade` (`scripts/deploy.ts`, `deployVault.js`, `DeployVault.s.sol`,
/// `02_upgrade_vault.ts`).
fn script_changes_contracts(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name_words(name)
        .flat_map(camel_parts)
        .any(|word| word.eq_ignore_ascii_case("deploy") || word.eq_ignore_ascii_case("upgrade"))
}

/// The camelCase parts of a word (`deployVaultV2` is `deploy`, `Vault`,
/// `V2`).
fn camel_parts(word: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut previous: Option<char> = None;
    for (at, c) in word.char_indices() {
        if c.is_ascii_uppercase()
            && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
        {
            parts.extend(word.get(start..at));
            start = at;
        }
        previous = Some(c);
    }
    parts.extend(word.get(start..));
    parts
}

/// The deploys to `network`, with the file they deploy read.
fn deploys_to(
    inv: &Invocation<'_>,
    network: &str,
    service: Option<&str>,
    files: &[&Arg],
) -> Outcome {
    let mut outcome = Outcome::default();
    for file in files {
        outcome.read(inv.path(&file.text), false);
    }
    outcome
        .effects
        .extend(environment_changes(inv.program, network, service));
    outcome
}

/// The file name of a path without its extensions (`VaultV2` of
/// `ignition/modules/VaultV2.ts`).
fn stem(path: &str) -> &str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.split('.').next().unwrap_or(name)
}

// ---------------------------------------------------------------- Hardhat

/// Hardhat's options that take a value: its global ones (Hardhat 2 and
/// 3) and those of the tasks read here (Ignition's `deploy`, the
/// hardhat-deploy plugin's `deploy`).
const HARDHAT_VALUES: &[&str] = &[
    "config",
    "network",
    "max-memory",
    "tsconfig",
    "build-profile",
    "parameters",
    "deployment-id",
    "default-sender",
    "strategy",
    "tags",
    "deploy-scripts",
    "export",
    "export-all",
    "gasprice",
    "write",
];

/// `hardhat [--network N] TASK ...` (`npx hardhat`, `hh`, the network
/// also from `HARDHAT_NETWORK`): `ignition deploy MODULE [--parameters
/// FILE]`, the hardhat-deploy plugin's `deploy`, and `run SCRIPT` of a
/// script whose name says it deploys ([`script_changes_contracts`]) are
/// deploys to the network. Without a network, or on `hardhat`, they run
/// on Hardhat's in-process chain.
fn hardhat(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: HARDHAT_VALUES,
            stop_after: None,
        },
    );
    let network = args::value(&items, &["--network"])
        .or_else(|| inv.env_value("HARDHAT_NETWORK"))
        .map(|n| n.text.as_str())
        .filter(|n| !n.is_empty() && *n != "hardhat")?;
    let positionals = args::positionals(&items);
    let words: Vec<&str> = positionals.iter().map(|a| a.text.as_str()).collect();
    match words.as_slice() {
        ["ignition", "deploy", module, ..] => {
            let mut files: Vec<&Arg> = positionals.get(2).copied().into_iter().collect();
            files.extend(args::value(&items, &["--parameters"]));
            Some(deploys_to(inv, network, Some(stem(module)), &files))
        }
        ["deploy", ..] => Some(deploys_to(inv, network, None, &[])),
        ["run", script, ..] if script_changes_contracts(script) => {
            let files: Vec<&Arg> = positionals.get(1).copied().into_iter().collect();
            Some(deploys_to(inv, network, Some(stem(script)), &files))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------- Truffle

/// `truffle migrate|deploy [--network N]` runs the project's migrations
/// on the network, `development` unless named; `truffle exec SCRIPT
/// --network N` runs a script, a deploy when its name says so. A
/// `--dry-run` migrates a fork and changes nothing.
fn truffle(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &["network", "f", "to", "config", "working_directory"],
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    let script = match positionals.first().map(|a| a.text.as_str()) {
        Some("migrate" | "deploy") => None,
        Some("exec") => Some(
            positionals
                .get(1)
                .copied()
                .filter(|s| script_changes_contracts(&s.text))?,
        ),
        _ => return None,
    };
    if args::has(&items, &["--dry-run"]) {
        return Some(Outcome::default());
    }
    let network = args::value(&items, &["--network"]).map_or("development", |n| n.text.as_str());
    let files: Vec<&Arg> = script.into_iter().collect();
    Some(deploys_to(
        inv,
        network,
        script.map(|s| stem(&s.text)),
        &files,
    ))
}

// ----------------------------------------------------------------- Anchor

/// Anchor's options that take a value: its global `--provider.*` ones
/// and those of the subcommands read here.
const ANCHOR_VALUES: &[&str] = &[
    "provider.cluster",
    "provider.wallet",
    "program-name",
    "program-keypair",
    "program-id",
    "max-retries",
    "filepath",
    "out",
    "new-authority",
    "run",
    "env",
];

/// The IDL subcommands that write the program's IDL account on chain.
const ANCHOR_IDL_WRITES: &[&str] = &[
    "init",
    "upgrade",
    "erase",
    "close",
    "set-authority",
    "set-buffer",
    "write-buffer",
];

/// `anchor deploy|upgrade|migrate [--provider.cluster C]`, `anchor test`
/// (which deploys first, unless `--skip-deploy`) and the `anchor idl`
/// subcommands that write the IDL account: a deploy to the cluster named
/// ([`cluster_name`]), whose keypair (`--provider.wallet`) signs it.
/// Without `--provider.cluster` the cluster is `Anchor.toml`'s, which the
/// line does not name.
fn anchor(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "po",
            long: ANCHOR_VALUES,
            stop_after: None,
        },
    );
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    let deploys = match words.as_slice() {
        ["deploy" | "upgrade" | "migrate", ..] => true,
        ["test", ..] => !args::has(&items, &["--skip-deploy"]),
        ["idl", verb, ..] => ANCHOR_IDL_WRITES.contains(verb),
        _ => false,
    };
    let cluster = args::value(&items, &["--provider.cluster"])?;
    if !deploys {
        return None;
    }
    let mut outcome = Outcome::default();
    if let Some(wallet) = args::value(&items, &["--provider.wallet"])
        && crate::paths::looks_like_path(&wallet.text)
    {
        outcome.read(inv.path(&wallet.text), false);
    }
    let name = cluster_name(&cluster.text);
    outcome
        .effects
        .extend(environment_changes(inv.program, &name, None));
    Some(outcome)
}

/// The cluster Anchor's `--provider.cluster` names: its monikers (`m`,
/// `mainnet` are Solana's `mainnet-beta`; `d`, `t`, `l`), else, for an
/// RPC URL, its host (`localnet` for this machine's).
fn cluster_name(text: &str) -> String {
    let moniker = match text.to_ascii_lowercase().as_str() {
        "m" | "mainnet" | "mainnet-beta" => Some("mainnet-beta"),
        "d" | "devnet" => Some("devnet"),
        "t" | "testnet" => Some("testnet"),
        "l" | "localnet" => Some("localnet"),
        "g" | "debug" => Some("debug"),
        _ => None,
    };
    if let Some(moniker) = moniker {
        return moniker.to_owned();
    }
    let host = text
        .split_once("://")
        .map_or(text, |(_, rest)| rest)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    if matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]") {
        "localnet".to_owned()
    } else {
        host.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_names_that_change_contracts() {
        for name in [
            "scripts/deploy.ts",
            "scripts/deployVault.js",
            "script/DeployVault.s.sol",
            "02_upgrade_vault.ts",
            "deploy-prod.js",
        ] {
            assert!(script_changes_contracts(name), "{name}");
        }
        for name in [
            "scripts/verify.ts",
            "deployer-balance.ts",
            "scripts/deploy/check.ts",
        ] {
            assert!(!script_changes_contracts(name), "{name}");
        }
    }

    #[test]
    fn camel_case_parts() {
        assert_eq!(camel_parts("deployVaultV2"), ["deploy", "Vault", "V2"]);
        assert_eq!(camel_parts("ERC20Token"), ["ERC20", "Token"]);
        assert_eq!(camel_parts("deploy"), ["deploy"]);
    }

    #[test]
    fn anchor_clusters() {
        assert_eq!(cluster_name("m"), "mainnet-beta");
        assert_eq!(cluster_name("Devnet"), "devnet");
        assert_eq!(
            cluster_name("https://api.mainnet-beta.solana.com"),
            "api.mainnet-beta.solana.com"
        );
        assert_eq!(cluster_name("http://127.0.0.1:8899"), "localnet");
        assert_eq!(
            cluster_name("https://mainnet.helius-rpc.com/?api-key=k"),
            "mainnet.helius-rpc.com"
        );
    }
}
