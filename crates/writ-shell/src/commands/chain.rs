//! Blockchain CLIs that sign and broadcast transactions: Foundry's `cast`
//! and `forge`, `solana`, `spl-token`, `near`, `bitcoin-cli` and `lncli`.
//!
//! A transfer of value is a [`Payment`] to its payees, with its amount in
//! the chain's native asset (or a stablecoin whose contract or mint is
//! known) and the node it is broadcast through. A transaction that moves
//! no value (a contract call, a deploy) is a write to that node. Reads
//! (`cast call`, `solana balance`, `bitcoin-cli getbalance`), signing
//! without broadcasting (`--sign-only`, `cast mktx`) and every other
//! subcommand are left to the generic handling of unknown programs, as
//! before: they change nothing on a chain.

use super::{Invocation, Outcome, read, request, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Amount, Effect, Payload, Payment, Target};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if !matches!(
        inv.program,
        "cast" | "forge" | "solana" | "spl-token" | "near" | "bitcoin-cli" | "lncli"
    ) || inv
        .args
        .iter()
        .any(|a| NO_BROADCAST.contains(&a.text.as_str()))
    {
        return None;
    }
    match inv.program {
        "cast" => cast(inv),
        "forge" => forge(inv),
        "solana" => solana(inv),
        "spl-token" => spl_token(inv),
        "near" => near(inv),
        "bitcoin-cli" => bitcoin_cli(inv),
        "lncli" => lncli(inv),
        _ => None,
    }
}

/// Options that broadcast nothing: the transaction is only signed or
/// simulated (`solana transfer --sign-only`, `--dry-run`).
const NO_BROADCAST: &[&str] = &["--dry-run", "--sign-only", "--dump-transaction-message"];

/// Outcome of a payment: the key files it signs with are read.
fn payment_outcome(
    inv: &Invocation<'_>,
    keys: &[&Arg],
    payees: Vec<String>,
    amount: Option<Amount>,
    rpc: Option<Target>,
) -> Outcome {
    let mut outcome = Outcome::default();
    read_keys(inv, keys, &mut outcome);
    outcome.effects.push(Effect::Payment(Payment {
        program: inv.program.to_owned(),
        payees,
        amount,
        rpc,
    }));
    outcome
}

/// Reads of the signer files named (`--keystore F`, `--keypair F`): not a
/// hardware wallet (`usb://ledger`), a prompt (`ASK`, `prompt:`) or a key
/// given inline.
fn read_keys(inv: &Invocation<'_>, keys: &[&Arg], outcome: &mut Outcome) {
    for key in keys {
        let text = key.text.as_str();
        if text.contains("://")
            || text.starts_with("prompt:")
            || matches!(text, "ASK" | "stdin" | "-")
            || text.starts_with("0x")
            || !crate::paths::looks_like_path(text)
        {
            continue;
        }
        outcome.effects.push(read(inv.path(text), false));
    }
}

/// A write (a contract call, a deploy) to the node at `rpc`.
fn chain_write(inv: &Invocation<'_>, keys: &[&Arg], rpc: Target) -> Outcome {
    let mut outcome = Outcome::default();
    read_keys(inv, keys, &mut outcome);
    outcome
        .effects
        .push(request(inv.program, rpc, "POST", Payload::default(), false));
    outcome
}

/// A node as written: a URL, or a name the tool's configuration resolves
/// (`--rpc-url mainnet`, a Foundry `rpc_endpoints` alias), kept as a host.
fn node(text: &str) -> Target {
    if text.contains("://") {
        url(text)
    } else {
        Target::Host {
            user: None,
            host: text.to_owned(),
            port: None,
            path: None,
        }
    }
}

/// A daemon's RPC address (`host`, `host:port`), unless it is this
/// machine's, which is the default.
fn remote_node(text: &str) -> Option<Target> {
    let (host, port) = match text.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => (host, port.parse().ok()),
        _ => (text, None),
    };
    (!matches!(host, "127.0.0.1" | "localhost" | "::1" | "[::1]" | "")).then(|| Target::Host {
        user: None,
        host: host.to_owned(),
        port,
        path: None,
    })
}

/// An amount of `currency`, when `text` is a plain non-negative decimal.
fn amount_of(currency: &str, text: &str) -> Option<Amount> {
    is_decimal(text).then(|| Amount {
        currency: currency.to_owned(),
        values: vec![text.to_owned()],
    })
}

/// An amount of `currency` counted in units of 10^-`decimals` (wei,
/// satoshis, a token's base units).
pub(super) fn base_units(currency: &str, decimals: u32, text: &str) -> Option<Amount> {
    let digits = integer_text(text)?;
    Some(Amount {
        currency: currency.to_owned(),
        values: vec![format!("{digits}e-{decimals}")],
    })
}

/// `number` (a decimal, `2.5`, `25e-1`) divided by 10^`decimals` (a
/// negative power multiplies: `kether`), as an amount of `currency`.
pub(super) fn scaled(currency: &str, number: &str, decimals: i64) -> Option<Amount> {
    let (mantissa, exponent) = match number.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i64>().ok()?),
        None => (number, 0),
    };
    if !is_decimal(mantissa) {
        return None;
    }
    let power = exponent.checked_sub(decimals)?;
    let value = if power <= 0 {
        format!("{mantissa}e-{}", power.checked_neg()?)
    } else {
        format!("{mantissa}e{power}")
    };
    Some(Amount {
        currency: currency.to_owned(),
        values: vec![value],
    })
}

fn is_decimal(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    !(whole.is_empty() && fraction.is_empty())
        && whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
}

/// A non-negative integer written in decimal or `0x` hexadecimal, as
/// decimal digits.
pub(super) fn integer_text(text: &str) -> Option<String> {
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        return u128::from_str_radix(hex, 16).ok().map(|n| n.to_string());
    }
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.to_owned())
}

// ---------------------------------------------------------------- Foundry

/// `cast` options that take a value (`cast send --help`; the wallet,
/// RPC and Etherscan option groups).
const CAST_VALUE_OPTIONS: &[&str] = &[
    "rpc-url",
    "fork-url",
    "from",
    "value",
    "gas-limit",
    "gas-price",
    "priority-gas-price",
    "blob-gas-price",
    "nonce",
    "chain",
    "confirmations",
    "timeout",
    "poll-interval",
    "private-key",
    "private-keys",
    "mnemonic",
    "mnemonic-passphrase",
    "mnemonic-derivation-path",
    "hd-path",
    "mnemonic-index",
    "mnemonic-indexes",
    "keystore",
    "account",
    "password",
    "password-file",
    "etherscan-api-key",
    "data",
    "auth",
    "path",
    "threads",
    "rpc-timeout",
    "rpc-headers",
    "jwt-secret",
    "block",
    "interactive",
];

/// `-r` is `--rpc-url`, `-f` `--from`, `-e` `--etherscan-api-key`, `-c`
/// `--chain`, `-i` `--interactive`.
const CAST_VALUE_LETTERS: &str = "rfeci";

/// Options naming the files a Foundry command signs with.
const FOUNDRY_KEY_OPTIONS: &[&str] = &["--keystore", "--password-file"];

/// ERC-20 tokens on Ethereum mainnet whose decimals are known: contract
/// address (lower case), ticker, decimals. Any other token's amount is
/// unreadable.
const ERC20_TOKENS: &[(&str, &str, u32)] = &[
    ("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "USDC", 6),
    ("0xdac17f958d2ee523a2206206994597c13d831ec7", "USDT", 6),
    ("0x6b175474e89094c44da98b954eedeac495271d0f", "DAI", 18),
];

/// The selector of `transfer(address,uint256)`.
const TRANSFER_SELECTOR: &str = "a9059cbb";

/// The node a Foundry command broadcasts through: `--rpc-url`/`-r`
/// (`--fork-url`), else an `ETH_RPC_URL=` prefix.
fn foundry_rpc(inv: &Invocation<'_>, items: &[Item<'_>]) -> Option<Target> {
    args::value(items, &["--rpc-url", "-r", "--fork-url"])
        .map(|arg| node(&arg.text))
        .or_else(|| inv.env_value("ETH_RPC_URL").map(|arg| node(&arg.text)))
}

fn cast(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: CAST_VALUE_LETTERS,
            long: CAST_VALUE_OPTIONS,
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    let (verb, rest) = positionals.split_first()?;
    let keys = args::values(&items, FOUNDRY_KEY_OPTIONS);
    let rpc = foundry_rpc(inv, &items);
    match verb.text.as_str() {
        "send" | "s" => cast_send(inv, &items, rest, &keys, rpc),
        // An already-signed transaction: who it pays and how much is not
        // on the command line.
        "publish" | "p" => Some(payment_outcome(inv, &keys, Vec::new(), None, rpc)),
        "rpc" | "rp" => {
            let (method, params) = rest.split_first()?;
            match method.text.as_str() {
                "eth_sendRawTransaction" => {
                    Some(payment_outcome(inv, &keys, Vec::new(), None, rpc))
                }
                "eth_sendTransaction" | "personal_sendTransaction" => {
                    rpc_send(inv, &keys, params, rpc)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// `cast rpc eth_sendTransaction '{"to": ..., "value": "0x..."}'`: a
/// payment of the transaction's `value` (wei) to its `to`; with no value,
/// a contract call, which is a write to the node. Parameters not given
/// leave the payment unread.
fn rpc_send(
    inv: &Invocation<'_>,
    keys: &[&Arg],
    params: &[&Arg],
    rpc: Option<Target>,
) -> Option<Outcome> {
    if params.is_empty() {
        return Some(payment_outcome(inv, keys, Vec::new(), None, rpc));
    }
    let text: Vec<&str> = params.iter().map(|p| p.text.as_str()).collect();
    let members = json_members(&text.join(" "));
    let Some(value) = member(&members, "value") else {
        return rpc.map(|rpc| chain_write(inv, keys, rpc));
    };
    let payees = member(&members, "to")
        .map(str::to_owned)
        .into_iter()
        .collect();
    let amount = base_units("ETH", 18, value);
    Some(payment_outcome(inv, keys, payees, amount, rpc))
}

/// `cast send [TO] [SIG] [ARGS]... [--value V]`: a payment of `--value`
/// ether to TO, and an ERC-20 `transfer(address,uint256)` (or
/// `transferFrom`, or its raw calldata) a payment to its address argument;
/// any other call, or `--create`, a write to the node.
fn cast_send(
    inv: &Invocation<'_>,
    items: &[Item<'_>],
    rest: &[&Arg],
    keys: &[&Arg],
    rpc: Option<Target>,
) -> Option<Outcome> {
    let create = args::has(items, &["--create"]);
    let to = if create { None } else { rest.first() };
    let call = if create {
        rest
    } else {
        rest.get(1..).unwrap_or_default()
    };
    let token = to.and_then(|to| token_transfer(&to.text, call));
    let value = args::value(items, &["--value"]);
    let (payees, amount) = match (token, value) {
        // Ether sent along with a token transfer goes to the token's
        // contract: two assets, not summed here.
        (Some((payee, _)), Some(_)) => (vec![payee], None),
        (Some((payee, amount)), None) => (vec![payee], amount),
        (None, Some(value)) => (
            to.map(|to| to.text.clone()).into_iter().collect(),
            ether_amount(&value.text),
        ),
        (None, None) => return rpc.map(|rpc| chain_write(inv, keys, rpc)),
    };
    Some(payment_outcome(inv, keys, payees, amount, rpc))
}

/// An ERC-20 transfer called on `token`: its payee and, for a token in
/// [`ERC20_TOKENS`], its amount.
fn token_transfer(token: &str, call: &[&Arg]) -> Option<(String, Option<Amount>)> {
    let (sig, call_args) = call.split_first()?;
    let (payee, raw) = match function_name_and_types(&sig.text) {
        Some(("transfer", types)) if types == ["address", "uint256"] => {
            (call_args.first()?.text.clone(), call_args.get(1))
        }
        Some(("transferFrom", types)) if types == ["address", "address", "uint256"] => {
            (call_args.get(1)?.text.clone(), call_args.get(2))
        }
        Some(_) => return None,
        None => return transfer_calldata(token, &sig.text),
    };
    let amount = raw.and_then(|raw| token_amount(token, &raw.text));
    Some((payee, amount))
}

/// Raw calldata of `transfer(address,uint256)`: selector, then the
/// address and the amount as 32-byte words.
fn transfer_calldata(token: &str, data: &str) -> Option<(String, Option<Amount>)> {
    let hex = data.strip_prefix("0x")?;
    let words = hex.strip_prefix(TRANSFER_SELECTOR)?;
    if words.len() != 128 || !words.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let payee = format!("0x{}", words.get(24..64)?);
    let raw = words.get(64..)?.trim_start_matches('0');
    let amount = if raw.is_empty() {
        token_amount(token, "0")
    } else {
        token_amount(token, &format!("0x{raw}"))
    };
    Some((payee, amount))
}

fn token_amount(token: &str, raw: &str) -> Option<Amount> {
    let (_, ticker, decimals) = ERC20_TOKENS
        .iter()
        .find(|(address, _, _)| address.eq_ignore_ascii_case(token))?;
    base_units(ticker, *decimals, raw)
}

/// A Solidity signature's name and parameter types (`transfer(address
/// to, uint256 amount)` is `transfer`, `[address, uint256]`); `None` for
/// anything that is not one (a selector, calldata).
fn function_name_and_types(sig: &str) -> Option<(&str, Vec<&str>)> {
    let sig = sig.trim();
    let sig = sig.strip_prefix("function ").unwrap_or(sig).trim_start();
    let (name, params) = sig.split_once('(')?;
    let params = params.split(')').next()?;
    let types = params
        .split(',')
        .map(|p| p.split_whitespace().next().unwrap_or_default())
        .filter(|t| !t.is_empty())
        .collect();
    Some((name.trim(), types))
}

/// Ether denominations (alloy's and web3's unit names) and their decimals
/// (negative for units larger than the ether).
const ETHER_UNITS: &[(&str, i64)] = &[
    ("wei", 18),
    ("kwei", 15),
    ("babbage", 15),
    ("femtoether", 15),
    ("mwei", 12),
    ("lovelace", 12),
    ("picoether", 12),
    ("gwei", 9),
    ("shannon", 9),
    ("nano", 9),
    ("nanoether", 9),
    ("szabo", 6),
    ("micro", 6),
    ("microether", 6),
    ("finney", 3),
    ("milli", 3),
    ("milliether", 3),
    ("ether", 0),
    ("eth", 0),
    ("kether", -3),
    ("grand", -3),
    ("mether", -6),
    ("gether", -9),
    ("tether", -12),
];

/// The decimals of an ether unit named `unit` ([`ETHER_UNITS`], any case).
pub(super) fn ether_unit(unit: &str) -> Option<i64> {
    ETHER_UNITS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(unit.trim()))
        .map(|(_, decimals)| *decimals)
}

/// `--value`: wei by default (decimal or hex), or a number with a unit
/// (`40ether`, `10gwei`, `0.01ether`), as ether. Every EVM chain's native
/// asset is counted as ether, the dearest of them.
fn ether_amount(text: &str) -> Option<Amount> {
    let text = text.trim();
    let split = text
        .find(|c: char| c.is_ascii_alphabetic() && c != 'x' && c != 'X')
        .filter(|_| !text.starts_with("0x") && !text.starts_with("0X"));
    let Some(at) = split else {
        return base_units("ETH", 18, text);
    };
    let (number, unit) = text.split_at(at);
    let number = number.trim();
    is_decimal(number)
        .then(|| scaled("ETH", number, ether_unit(unit)?))
        .flatten()
}

/// `forge` options that take a value, for finding the subcommand.
const FORGE_VALUE_OPTIONS: &[&str] = &[
    "rpc-url",
    "fork-url",
    "chain",
    "private-key",
    "mnemonic",
    "keystore",
    "account",
    "password",
    "password-file",
    "sender",
    "constructor-args",
    "constructor-args-path",
    "etherscan-api-key",
    "verifier",
    "verifier-url",
    "value",
    "gas-limit",
    "gas-price",
    "priority-gas-price",
    "nonce",
    "sig",
    "target-contract",
    "root",
    "contracts",
    "out",
    "libraries",
    "with-gas-price",
    "evm-version",
    "optimizer-runs",
    "use",
];

/// `forge create ... --broadcast` and `forge script ... --broadcast`
/// deploy to the chain the node serves: a write there. Without
/// `--broadcast` both only simulate.
fn forge(inv: &Invocation<'_>) -> Option<Outcome> {
    if !inv.args.iter().any(|a| a.text == "--broadcast") {
        return None;
    }
    let items = args::parse(
        inv.args,
        &Spec {
            short: "rfec",
            long: FORGE_VALUE_OPTIONS,
            stop_after: None,
        },
    );
    let verb = args::positionals(&items).first().map(|a| a.text.as_str());
    if !matches!(verb, Some("create" | "script")) {
        return None;
    }
    let keys = args::values(&items, FOUNDRY_KEY_OPTIONS);
    foundry_rpc(inv, &items).map(|rpc| chain_write(inv, &keys, rpc))
}

// ----------------------------------------------------------------- Solana

/// `solana` and `spl-token` options that take a value (global and
/// `transfer`'s).
const SOLANA_VALUE_OPTIONS: &[&str] = &[
    "url",
    "keypair",
    "config",
    "commitment",
    "ws",
    "from",
    "fee-payer",
    "owner",
    "nonce",
    "nonce-authority",
    "with-memo",
    "blockhash",
    "derived-address-seed",
    "derived-address-program-id",
    "compute-unit-price",
    "with-compute-unit-price",
    "compute-unit-limit",
    "output",
    "signer",
    "program-id",
    "expected-fee",
    "mint-decimals",
    "transfer-hook-account",
    "multisig-signer",
    "recipient-is-ata-owner-address",
];

/// `-u` is `--url`, `-k` `--keypair`, `-C` `--config`, `-o` `--output`.
const SOLANA_VALUE_LETTERS: &str = "ukCo";

/// Options naming the keypair files a Solana command signs with.
const SOLANA_KEY_OPTIONS: &[&str] = &[
    "--keypair",
    "-k",
    "--from",
    "--fee-payer",
    "--owner",
    "--nonce-authority",
];

/// SPL token mints on Solana mainnet whose worth is known: mint, ticker.
/// `spl-token transfer` takes amounts in whole tokens.
const SPL_TOKENS: &[(&str, &str)] = &[
    ("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", "USDC"),
    ("Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB", "USDT"),
];

/// The cluster `--url`/`-u` names: a URL, or a moniker (`mainnet-beta`,
/// `m`, `testnet`, `devnet`, `localhost`) for its public RPC.
fn solana_rpc(items: &[Item<'_>]) -> Option<Target> {
    let text = args::value(items, &["--url", "-u"])?.text.as_str();
    let cluster = match text {
        "mainnet-beta" | "m" => "https://api.mainnet-beta.solana.com",
        "testnet" | "t" => "https://api.testnet.solana.com",
        "devnet" | "d" => "https://api.devnet.solana.com",
        "localhost" | "l" => "http://localhost:8899",
        other => other,
    };
    Some(node(cluster))
}

fn solana_items<'a>(inv: &Invocation<'a>) -> Vec<Item<'a>> {
    args::parse(
        inv.args,
        &Spec {
            short: SOLANA_VALUE_LETTERS,
            long: SOLANA_VALUE_OPTIONS,
            stop_after: None,
        },
    )
}

/// `solana transfer RECIPIENT AMOUNT`: AMOUNT SOL (`ALL` is unreadable).
fn solana(inv: &Invocation<'_>) -> Option<Outcome> {
    if !inv.args.iter().any(|a| a.text == "transfer") {
        return None;
    }
    let items = solana_items(inv);
    let positionals = args::positionals(&items);
    let [verb, recipient, amount, ..] = positionals.as_slice() else {
        return None;
    };
    if verb.text != "transfer" {
        return None;
    }
    let keys = args::values(&items, SOLANA_KEY_OPTIONS);
    Some(payment_outcome(
        inv,
        &keys,
        vec![recipient.text.clone()],
        amount_of("SOL", &amount.text),
        solana_rpc(&items),
    ))
}

/// `spl-token transfer MINT AMOUNT RECIPIENT`: AMOUNT whole tokens, read
/// for a mint in [`SPL_TOKENS`].
fn spl_token(inv: &Invocation<'_>) -> Option<Outcome> {
    if !inv.args.iter().any(|a| a.text == "transfer") {
        return None;
    }
    let items = solana_items(inv);
    let positionals = args::positionals(&items);
    let [verb, mint, amount, recipient, ..] = positionals.as_slice() else {
        return None;
    };
    if verb.text != "transfer" {
        return None;
    }
    let amount = SPL_TOKENS
        .iter()
        .find(|(known, _)| *known == mint.text)
        .and_then(|(_, ticker)| amount_of(ticker, &amount.text));
    let keys = args::values(&items, SOLANA_KEY_OPTIONS);
    Some(payment_outcome(
        inv,
        &keys,
        vec![recipient.text.clone()],
        amount,
        solana_rpc(&items),
    ))
}

// ------------------------------------------------------------------- NEAR

/// near-cli options that take a value.
const NEAR_VALUE_OPTIONS: &[&str] = &[
    "networkId",
    "network-id",
    "nodeUrl",
    "node-url",
    "keyPath",
    "key-path",
    "helperUrl",
    "walletUrl",
    "explorerUrl",
    "masterAccount",
    "accountId",
    "account-id",
    "useAccount",
    "seedPhrase",
    "seedPath",
    "ledgerPath",
    "gas",
    "deposit",
    "depositYocto",
    "amount",
    "args",
];

/// NEAR fungible tokens whose decimals are known: contract, ticker,
/// decimals.
const NEAR_TOKENS: &[(&str, &str, u32)] = &[
    (
        "17208628f84f5d6ad33f0da3bbbeb27ffcb398eac501a31bd6ad2011e36133a1",
        "USDC",
        6,
    ),
    ("usdt.tether-token.near", "USDT", 6),
];

/// The node: `--nodeUrl`, else the public RPC of `--networkId` (or a
/// `NEAR_ENV=` prefix, or near-cli-rs's `network-config NAME`).
fn near_rpc(inv: &Invocation<'_>, items: &[Item<'_>], words: &[&Arg]) -> Option<Target> {
    if let Some(url) = args::value(items, &["--nodeUrl", "--node-url"]) {
        return Some(node(&url.text));
    }
    let network = args::value(items, &["--networkId", "--network-id"])
        .map(|a| a.text.as_str())
        .or_else(|| {
            words
                .windows(2)
                .find(|w| w[0].text == "network-config")
                .map(|w| w[1].text.as_str())
        })
        .or_else(|| inv.env_value("NEAR_ENV").map(|a| a.text.as_str()))?;
    Some(match network {
        "mainnet" => url("https://rpc.mainnet.near.org"),
        "testnet" => url("https://rpc.testnet.near.org"),
        other => node(other),
    })
}

/// `near send SENDER RECEIVER AMOUNT` (also `send-near`), near-cli-rs's
/// `near tokens SENDER send-near RECEIVER 'AMOUNT NEAR'` and `send-ft
/// TOKEN RECEIVER 'AMOUNT'`; `near call CONTRACT ft_transfer
/// '{"receiver_id": ..., "amount": ...}'` (`ft_transfer_call`) pays the
/// receiver; any other `call` pays its `--deposit` NEAR to the contract,
/// or is a write to the node.
fn near(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: NEAR_VALUE_OPTIONS,
            stop_after: None,
        },
    );
    let words = args::positionals(&items);
    let rpc = near_rpc(inv, &items, &words);
    let keys = args::values(&items, &["--keyPath", "--key-path"]);
    let verb = words.first()?.text.as_str();
    match (verb, words.as_slice()) {
        ("send" | "send-near", [_, _, receiver, amount, ..]) => Some(payment_outcome(
            inv,
            &keys,
            vec![receiver.text.clone()],
            amount_of("NEAR", &amount.text),
            rpc,
        )),
        ("tokens", [_, _, kind, rest @ ..]) => match (kind.text.as_str(), rest) {
            ("send-near", [receiver, amount, ..]) => Some(payment_outcome(
                inv,
                &keys,
                vec![receiver.text.clone()],
                near_cli_rs_amount(&amount.text, "NEAR"),
                rpc,
            )),
            ("send-ft", [token, receiver, amount, ..]) => {
                let amount = NEAR_TOKENS
                    .iter()
                    .find(|(contract, _, _)| *contract == token.text)
                    .and_then(|(_, ticker, _)| near_cli_rs_amount(&amount.text, ticker));
                Some(payment_outcome(
                    inv,
                    &keys,
                    vec![receiver.text.clone()],
                    amount,
                    rpc,
                ))
            }
            _ => None,
        },
        ("call", [_, contract, method, rest @ ..]) => {
            let call_args = args::value(&items, &["--args"])
                .or_else(|| rest.first().copied())
                .map(|a| a.text.as_str())
                .unwrap_or_default();
            if matches!(method.text.as_str(), "ft_transfer" | "ft_transfer_call") {
                let members = json_members(call_args);
                let receiver = member(&members, "receiver_id")?;
                let amount = NEAR_TOKENS
                    .iter()
                    .find(|(known, _, _)| *known == contract.text)
                    .and_then(|(_, ticker, decimals)| {
                        base_units(ticker, *decimals, member(&members, "amount")?)
                    });
                return Some(payment_outcome(
                    inv,
                    &keys,
                    vec![receiver.to_owned()],
                    amount,
                    rpc,
                ));
            }
            let deposit = args::value(&items, &["--deposit", "--amount"])
                .map(|d| amount_of("NEAR", &d.text))
                .or_else(|| {
                    args::value(&items, &["--depositYocto"])
                        .map(|d| base_units("NEAR", 24, &d.text))
                });
            match deposit {
                Some(amount) if !is_zero(amount.as_ref()) => Some(payment_outcome(
                    inv,
                    &keys,
                    vec![contract.text.clone()],
                    amount,
                    rpc,
                )),
                _ => rpc.map(|rpc| chain_write(inv, &keys, rpc)),
            }
        }
        _ => None,
    }
}

/// An amount read as zero (`--deposit 0`).
fn is_zero(amount: Option<&Amount>) -> bool {
    amount.is_some_and(|a| {
        a.values.iter().all(|v| {
            v.split('e')
                .next()
                .unwrap_or(v)
                .bytes()
                .all(|b| b == b'0' || b == b'.')
        })
    })
}

/// near-cli-rs's amounts: `'1.5 NEAR'`, `'1000 yoctoNEAR'`; a token's
/// `'100 USDC'` or bare `100`.
fn near_cli_rs_amount(text: &str, ticker: &str) -> Option<Amount> {
    let mut parts = text.split_whitespace();
    let number = parts.next()?;
    match parts.next() {
        Some(unit) if unit.eq_ignore_ascii_case("yoctonear") && ticker == "NEAR" => {
            base_units("NEAR", 24, number)
        }
        Some(unit) if unit.eq_ignore_ascii_case(ticker) => amount_of(ticker, number),
        Some(_) => None,
        None => amount_of(ticker, number),
    }
}

// ---------------------------------------------------------------- Bitcoin

/// `bitcoin-cli [-OPT=V]... METHOD ARGS...` (`-named`: `NAME=VALUE`
/// arguments): `sendtoaddress ADDRESS AMOUNT`, `sendmany "" {ADDR: AMT}`,
/// `send [{ADDR: AMT}]`, `sendall [ADDR...]` (everything: unreadable) and
/// `sendrawtransaction HEX` (payee unknown) pay, in BTC; `-rpcconnect`
/// names a node other than the local one.
fn bitcoin_cli(inv: &Invocation<'_>) -> Option<Outcome> {
    let named = inv.args.iter().any(|a| a.text == "-named");
    let words: Vec<&str> = inv
        .args
        .iter()
        .map(|a| a.text.as_str())
        .filter(|w| !w.starts_with('-'))
        .collect();
    let (method, params) = words.split_first()?;
    // The method's parameters by position, and by name under `-named`.
    let param = |at: usize, name: &str| -> Option<&str> {
        if named {
            params.iter().find_map(|p| {
                p.split_once('=')
                    .filter(|(n, _)| *n == name)
                    .map(|(_, v)| v)
            })
        } else {
            params.get(at).copied()
        }
    };
    let (payees, amount) = match *method {
        "sendtoaddress" => (
            vec![param(0, "address")?.to_owned()],
            amount_of("BTC", param(1, "amount").unwrap_or_default()),
        ),
        "sendmany" => outputs(param(1, "amounts").unwrap_or_default()),
        "send" => outputs(param(0, "outputs").unwrap_or_default()),
        "sendall" => {
            let (payees, _) = outputs(param(0, "recipients").unwrap_or_default());
            (payees, None)
        }
        "sendrawtransaction" => (Vec::new(), None),
        _ => return None,
    };
    let option = |name: &str| {
        inv.args
            .iter()
            .find_map(|a| a.text.strip_prefix(name)?.strip_prefix('='))
    };
    let rpc = option("-rpcconnect")
        .and_then(remote_node)
        .map(|rpc| match rpc {
            Target::Host {
                user,
                host,
                port: None,
                path,
            } => Target::Host {
                user,
                host,
                port: option("-rpcport").and_then(|p| p.parse().ok()),
                path,
            },
            other => other,
        });
    Some(payment_outcome(inv, &[], payees, amount, rpc))
}

/// Bitcoin outputs (`{"ADDR": 0.1, ...}`, `[{"ADDR": 0.1}, {"data":
/// "00"}]`, `["ADDR", ...]`): the addresses paid and their BTC total.
fn outputs(json: &str) -> (Vec<String>, Option<Amount>) {
    let members = json_members(json);
    let mut payees = Vec::new();
    let mut values = Vec::new();
    let mut readable = true;
    for (key, value) in &members {
        match key {
            Some(key) if key == "data" => {}
            Some(key) => {
                payees.push(key.clone());
                if is_decimal(value) {
                    values.push(value.clone());
                } else {
                    readable = false;
                }
            }
            None => {
                payees.push(value.clone());
                readable = false;
            }
        }
    }
    let amount = (readable && !values.is_empty()).then(|| Amount {
        currency: "BTC".to_owned(),
        values,
    });
    (payees, amount)
}

// -------------------------------------------------------------- Lightning

/// lncli options that take a value (global and the payment commands').
const LNCLI_VALUE_OPTIONS: &[&str] = &[
    "rpcserver",
    "lnddir",
    "tlscertpath",
    "macaroonpath",
    "network",
    "chain",
    "macaroontimeout",
    "macaroonip",
    "profile",
    "macfromjar",
    "amt",
    "dest",
    "pay_req",
    "fee_limit",
    "fee_limit_percent",
    "outgoing_chan_id",
    "last_hop",
    "cltv_limit",
    "final_cltv_delta",
    "payment_hash",
    "data",
    "max_parts",
    "max_shard_size_sat",
    "max_shard_size_msat",
    "timeout",
    "time_pref",
    "addr",
    "conf_target",
    "sat_per_vbyte",
    "sat_per_byte",
    "min_confs",
    "label",
    "coin_selection_strategy",
    "utxo",
    "amp_payment_hash",
    "route_hints",
];

/// `lncli payinvoice INVOICE`, `sendpayment --dest KEY --amt SATS` (or
/// `--pay_req INVOICE`, or positional `DEST AMT`), `sendcoins --addr ADDR
/// --amt SATS` and `sendmany '{ADDR: SATS}'` pay; an invoice's amount is
/// in its BOLT 11 prefix; `--rpcserver` names the node.
fn lncli(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "nad",
            long: LNCLI_VALUE_OPTIONS,
            stop_after: None,
        },
    );
    let words = args::positionals(&items);
    let (verb, rest) = words.split_first()?;
    let option = |names: &[&str]| args::value(&items, names).map(|a| a.text.as_str());
    let amt = option(&["--amt", "-a"]).or_else(|| rest.get(1).map(|a| a.text.as_str()));
    let (payees, amount) = match verb.text.as_str() {
        "payinvoice" | "sendpayment" => {
            let invoice = option(&["--pay_req"]).or_else(|| {
                rest.first()
                    .map(|a| a.text.as_str())
                    .filter(|w| verb.text == "payinvoice" || bolt11_amount(w).is_some())
            });
            match invoice {
                Some(invoice) => {
                    let amount = option(&["--amt", "-a"])
                        .and_then(|sats| base_units("BTC", 8, sats))
                        .or_else(|| bolt11_amount(invoice).flatten());
                    (vec![invoice.to_owned()], amount)
                }
                None => {
                    let dest = option(&["--dest", "-d"])
                        .or_else(|| rest.first().map(|a| a.text.as_str()))?;
                    (
                        vec![dest.to_owned()],
                        amt.and_then(|sats| base_units("BTC", 8, sats)),
                    )
                }
            }
        }
        "sendcoins" => {
            let addr = option(&["--addr"]).or_else(|| rest.first().map(|a| a.text.as_str()))?;
            let amount = if args::has(&items, &["--sweepall"]) {
                None
            } else {
                amt.and_then(|sats| base_units("BTC", 8, sats))
            };
            (vec![addr.to_owned()], amount)
        }
        "sendmany" => {
            let (payees, sats) = outputs(rest.first().map(|a| a.text.as_str())?);
            let amount = sats.and_then(|a| {
                let values = a
                    .values
                    .iter()
                    .map(|v| integer_text(v).map(|d| format!("{d}e-8")))
                    .collect::<Option<Vec<_>>>()?;
                Some(Amount {
                    currency: "BTC".to_owned(),
                    values,
                })
            });
            (payees, amount)
        }
        _ => return None,
    };
    let rpc = option(&["--rpcserver"]).and_then(remote_node);
    Some(payment_outcome(inv, &[], payees, amount, rpc))
}

/// A BOLT 11 invoice's amount (`lnbc2500u1...` is 2500 µBTC): `None` for
/// text that is not an invoice, `Some(None)` for one of any amount.
fn bolt11_amount(invoice: &str) -> Option<Option<Amount>> {
    let invoice = invoice.trim();
    let invoice = invoice.strip_prefix("lightning:").unwrap_or(invoice);
    let lower = invoice.to_ascii_lowercase();
    let hrp = lower.strip_prefix("ln")?;
    let (hrp, _) = hrp.rsplit_once('1')?;
    let amount = hrp.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    if amount.is_empty() {
        return Some(None);
    }
    let (digits, decimals) = match amount.as_bytes().last() {
        Some(b'm') => (&amount[..amount.len() - 1], 3),
        Some(b'u') => (&amount[..amount.len() - 1], 6),
        Some(b'n') => (&amount[..amount.len() - 1], 9),
        Some(b'p') => (&amount[..amount.len() - 1], 12),
        _ => (amount, 0),
    };
    Some(base_units("BTC", decimals, digits))
}

// ------------------------------------------------------------------- JSON

/// The scalar members of a JSON text at any depth, as `(key, value)`
/// (`None` for an array element), strings unquoted and numbers as
/// written: enough to read outputs and call arguments without a parser.
fn json_members(text: &str) -> Vec<(Option<String>, String)> {
    let mut members = Vec::new();
    let mut chars = text.chars().peekable();
    let mut pending_key: Option<String> = None;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                s.push(escaped);
                            }
                        }
                        '"' => break,
                        other => s.push(other),
                    }
                }
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                if chars.peek() == Some(&':') {
                    chars.next();
                    pending_key = Some(s);
                } else {
                    members.push((pending_key.take(), s));
                }
            }
            '-' | '0'..='9' | '.' => {
                let mut s = String::from(c);
                while let Some(&c) = chars.peek() {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+') {
                        s.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                members.push((pending_key.take(), s));
            }
            '{' | '[' => pending_key = None,
            _ => {}
        }
    }
    members
}

fn member<'a>(members: &'a [(Option<String>, String)], key: &str) -> Option<&'a str> {
    members
        .iter()
        .find(|(k, _)| k.as_deref() == Some(key))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(amount: Option<Amount>) -> Option<(String, Vec<String>)> {
        amount.map(|a| (a.currency, a.values))
    }

    #[test]
    fn ether_values_are_read_in_ether() {
        let eth = |v: &[&str]| Some(("ETH".to_owned(), v.iter().map(|s| s.to_string()).collect()));
        assert_eq!(values(ether_amount("40ether")), eth(&["40e-0"]));
        assert_eq!(values(ether_amount("10gwei")), eth(&["10e-9"]));
        assert_eq!(values(ether_amount("0.01ether")), eth(&["0.01e-0"]));
        assert_eq!(values(ether_amount("1000")), eth(&["1000e-18"]));
        assert_eq!(values(ether_amount("0x10")), eth(&["16e-18"]));
        assert_eq!(values(ether_amount("5 ether")), eth(&["5e-0"]));
        assert_eq!(values(ether_amount("5bananas")), None);
        assert_eq!(values(ether_amount("$AMOUNT")), None);
    }

    #[test]
    fn scaled_numbers_keep_their_exponent() {
        let read = |n: &str, d: i64| values(scaled("ETH", n, d)).map(|(_, v)| v);
        assert_eq!(read("2.5", 0), Some(vec!["2.5e-0".to_owned()]));
        assert_eq!(read("2500", 9), Some(vec!["2500e-9".to_owned()]));
        assert_eq!(read("3", -3), Some(vec!["3e3".to_owned()]));
        assert_eq!(read("2.5e18", 18), Some(vec!["2.5e-0".to_owned()]));
        assert_eq!(read("1e-3", 0), Some(vec!["1e-3".to_owned()]));
        assert_eq!(read("amount", 0), None);
        assert_eq!(read("-1", 0), None);
        assert_eq!(
            values(ether_amount("2kether")),
            values(scaled("ETH", "2", -3))
        );
    }

    #[test]
    fn bolt11_prefixes_carry_amounts() {
        let btc = |v: &str| Some(Some(("BTC".to_owned(), vec![v.to_owned()])));
        let read = |i: &str| bolt11_amount(i).map(values);
        assert_eq!(read("lnbc2500u1pvjluezpp5qqq"), btc("2500e-6"));
        assert_eq!(read("lntb20m1pvjluezhp58yj"), btc("20e-3"));
        assert_eq!(read("LNBC1PVJLUEZPP5QQQ"), Some(None));
        assert_eq!(read("lnbcrt5n1pabc"), btc("5e-9"));
        assert_eq!(read("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"), None);
    }

    #[test]
    fn json_members_reads_outputs_and_arguments() {
        assert_eq!(
            json_members(r#"{"bc1qa": 0.5, "bc1qb": "1.25"}"#),
            vec![
                (Some("bc1qa".to_owned()), "0.5".to_owned()),
                (Some("bc1qb".to_owned()), "1.25".to_owned())
            ]
        );
        assert_eq!(
            json_members(r#"["bc1qa", {"data": "00"}]"#),
            vec![
                (None, "bc1qa".to_owned()),
                (Some("data".to_owned()), "00".to_owned())
            ]
        );
        let members =
            json_members(r#"{"receiver_id": "bob.near", "amount": "1000", "memo": null}"#);
        assert_eq!(member(&members, "receiver_id"), Some("bob.near"));
        assert_eq!(member(&members, "amount"), Some("1000"));
    }

    #[test]
    fn signatures_are_read_with_or_without_names() {
        assert_eq!(
            function_name_and_types("transfer(address,uint256)"),
            Some(("transfer", vec!["address", "uint256"]))
        );
        assert_eq!(
            function_name_and_types("function transfer(address to, uint256 amount) returns (bool)"),
            Some(("transfer", vec!["address", "uint256"]))
        );
        assert_eq!(function_name_and_types("0xa9059cbb"), None);
    }
}
