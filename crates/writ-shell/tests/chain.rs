//! Blockchain CLIs: a transfer of value is a payment to its payees, with
//! its amount in the asset's major unit and the node it is broadcast
//! through; a contract call or deploy is a write to that node; reads and
//! transactions only signed or simulated are left as before.

#![allow(clippy::panic)]

use crate::common;
use common::*;

use serde_json::{Value, json};

const ALCHEMY: &str = "https://eth-mainnet.g.alchemy.com/v2/$ALCHEMY_API_KEY";

fn payment(program: &str, payees: &[&str], amount: Option<(&str, &[&str])>, rpc: Value) -> Value {
    let amount = amount.map(|(currency, values)| json!({"currency": currency, "values": values}));
    json!({"effect": "payment", "program": program, "payees": payees, "amount": amount, "rpc": rpc})
}

fn rpc_url(url: &str) -> Value {
    json!({"kind": "url", "url": url})
}

fn rpc_host(name: &str, port: Option<u16>) -> Value {
    host(None, name, port, None)
}

const COLD: &str = "0x71C7656EC7ab88b098defB751B7401B5f6d8976F";

#[test]
fn cast_send_pays_its_value_or_its_token_transfer() {
    run_table(&[
        (
            "cast send 0x71C7656EC7ab88b098defB751B7401B5f6d8976F --value 40ether --account hot --rpc-url https://eth-mainnet.g.alchemy.com/v2/$ALCHEMY_API_KEY",
            json!([payment(
                "cast",
                &[COLD],
                Some(("ETH", &["40e-0"])),
                rpc_url(ALCHEMY)
            )]),
        ),
        // Wei by default, gwei by name; `-r` is `--rpc-url`.
        (
            "cast send 0x71C7656EC7ab88b098defB751B7401B5f6d8976F --value 1000 -r https://rpc.ankr.com/eth",
            json!([payment(
                "cast",
                &[COLD],
                Some(("ETH", &["1000e-18"])),
                rpc_url("https://rpc.ankr.com/eth")
            )]),
        ),
        (
            "ETH_RPC_URL=https://rpc.ankr.com/eth cast send --value 3gwei 0x71C7656EC7ab88b098defB751B7401B5f6d8976F",
            json!([payment(
                "cast",
                &[COLD],
                Some(("ETH", &["3e-9"])),
                rpc_url("https://rpc.ankr.com/eth")
            )]),
        ),
        // An amount in a variable cannot be read.
        (
            "cast send 0x71C7656EC7ab88b098defB751B7401B5f6d8976F --value $AMOUNT --rpc-url mainnet",
            json!([payment("cast", &[COLD], None, rpc_host("mainnet", None))]),
        ),
        // A known token's transfer is in its units; an unknown token's is unreadable.
        (
            "cast send 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48 'transfer(address,uint256)' 0x4E9ce36E442e55EcD9025B9a6E0D88485d628A67 2500000000 --rpc-url https://rpc.ankr.com/eth",
            json!([payment(
                "cast",
                &["0x4E9ce36E442e55EcD9025B9a6E0D88485d628A67"],
                Some(("USDC", &["2500000000e-6"])),
                rpc_url("https://rpc.ankr.com/eth")
            )]),
        ),
        (
            "cast send 0x1111111111111111111111111111111111111111 'transfer(address to, uint256 amount)' 0x4E9ce36E442e55EcD9025B9a6E0D88485d628A67 5 --rpc-url https://rpc.ankr.com/eth",
            json!([payment(
                "cast",
                &["0x4E9ce36E442e55EcD9025B9a6E0D88485d628A67"],
                None,
                rpc_url("https://rpc.ankr.com/eth")
            )]),
        ),
        // transferFrom pays its second address; raw calldata is decoded.
        (
            "cast send 0xdAC17F958D2ee523a2206206994597C13D831ec7 'transferFrom(address,address,uint256)' 0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 0x4E9ce36E442e55EcD9025B9a6E0D88485d628A67 7000000 --rpc-url https://rpc.ankr.com/eth",
            json!([payment(
                "cast",
                &["0x4E9ce36E442e55EcD9025B9a6E0D88485d628A67"],
                Some(("USDT", &["7000000e-6"])),
                rpc_url("https://rpc.ankr.com/eth")
            )]),
        ),
        (
            "cast send 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48 0xa9059cbb0000000000000000000000004e9ce36e442e55ecd9025b9a6e0d88485d628a67000000000000000000000000000000000000000000000000000000009502f900 --rpc-url https://rpc.ankr.com/eth",
            json!([payment(
                "cast",
                &["0x4e9ce36e442e55ecd9025b9a6e0d88485d628a67"],
                Some(("USDC", &["2500000000e-6"])),
                rpc_url("https://rpc.ankr.com/eth")
            )]),
        ),
        // The keystore it signs with is read.
        (
            "cast send 0x71C7656EC7ab88b098defB751B7401B5f6d8976F --value 1ether --keystore ~/.foundry/keystores/hot --rpc-url https://rpc.ankr.com/eth",
            json!([
                read("/home/dana/.foundry/keystores/hot"),
                payment(
                    "cast",
                    &[COLD],
                    Some(("ETH", &["1e-0"])),
                    rpc_url("https://rpc.ankr.com/eth")
                )
            ]),
        ),
        // An already-signed transaction: payee and amount unknown.
        (
            "cast publish 0x02f8b00182 --rpc-url https://rpc.ankr.com/eth",
            json!([payment(
                "cast",
                &[],
                None,
                rpc_url("https://rpc.ankr.com/eth")
            )]),
        ),
        (
            "cast rpc eth_sendRawTransaction 0x02f8b00182 --rpc-url https://rpc.ankr.com/eth",
            json!([payment(
                "cast",
                &[],
                None,
                rpc_url("https://rpc.ankr.com/eth")
            )]),
        ),
    ]);
}

#[test]
fn contract_calls_and_deploys_write_to_the_node() {
    run_table(&[
        (
            "cast send 0x1111111111111111111111111111111111111111 'setOwner(address)' 0x71C7656EC7ab88b098defB751B7401B5f6d8976F --rpc-url https://rpc.ankr.com/eth",
            json!([url_request(
                "cast",
                "https://rpc.ankr.com/eth",
                "POST",
                empty()
            )]),
        ),
        (
            "forge create src/Vault.sol:Vault --rpc-url https://rpc.ankr.com/eth --account deployer --broadcast --constructor-args 0x71C7656EC7ab88b098defB751B7401B5f6d8976F",
            json!([url_request(
                "forge",
                "https://rpc.ankr.com/eth",
                "POST",
                empty()
            )]),
        ),
        (
            "forge script script/Deploy.s.sol --rpc-url https://rpc.ankr.com/eth --broadcast",
            json!([url_request(
                "forge",
                "https://rpc.ankr.com/eth",
                "POST",
                empty()
            )]),
        ),
    ]);
}

#[test]
fn solana_and_spl_token_transfers_pay_their_recipient() {
    const TO: &str = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
    run_table(&[
        (
            "solana transfer 9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin 250 --from ~/.config/solana/treasury.json --url https://api.mainnet-beta.solana.com --allow-unfunded-recipient",
            json!([
                read("/home/dana/.config/solana/treasury.json"),
                payment(
                    "solana",
                    &[TO],
                    Some(("SOL", &["250"])),
                    rpc_url("https://api.mainnet-beta.solana.com")
                )
            ]),
        ),
        // A moniker names the cluster's public RPC; ALL is unreadable.
        (
            "solana -u m transfer 9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin ALL",
            json!([payment(
                "solana",
                &[TO],
                None,
                rpc_url("https://api.mainnet-beta.solana.com")
            )]),
        ),
        (
            "spl-token transfer EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v 2500 9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin --fund-recipient --url mainnet-beta",
            json!([payment(
                "spl-token",
                &[TO],
                Some(("USDC", &["2500"])),
                rpc_url("https://api.mainnet-beta.solana.com")
            )]),
        ),
        (
            "spl-token transfer So11111111111111111111111111111111111111112 10 9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin",
            json!([payment("spl-token", &[TO], None, Value::Null)]),
        ),
    ]);
}

#[test]
fn near_sends_and_token_transfers_pay_their_receiver() {
    const MAINNET: &str = "https://rpc.mainnet.near.org";
    run_table(&[
        (
            "near send ledger.near kestrel.near 480 --networkId mainnet",
            json!([payment(
                "near",
                &["kestrel.near"],
                Some(("NEAR", &["480"])),
                rpc_url(MAINNET)
            )]),
        ),
        (
            "near tokens ledger.near send-near kestrel.near '1.5 NEAR' network-config mainnet sign-with-keychain send",
            json!([payment(
                "near",
                &["kestrel.near"],
                Some(("NEAR", &["1.5"])),
                rpc_url(MAINNET)
            )]),
        ),
        (
            r#"near call usdt.tether-token.near ft_transfer '{"receiver_id": "kestrel.near", "amount": "900000000"}' --accountId ledger.near --depositYocto 1 --networkId mainnet"#,
            json!([payment(
                "near",
                &["kestrel.near"],
                Some(("USDT", &["900000000e-6"])),
                rpc_url(MAINNET)
            )]),
        ),
        (
            "near call pool.near deposit_and_stake '{}' --accountId ledger.near --deposit 100 --nodeUrl https://rpc.example.net",
            json!([payment(
                "near",
                &["pool.near"],
                Some(("NEAR", &["100"])),
                rpc_url("https://rpc.example.net")
            )]),
        ),
        (
            "near call registry.near set_owner '{}' --accountId ledger.near --networkId mainnet",
            json!([url_request("near", MAINNET, "POST", empty())]),
        ),
    ]);
}

#[test]
fn bitcoin_and_lightning_sends_pay_in_btc() {
    const ADDR: &str = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    run_table(&[
        (
            r#"bitcoin-cli -rpcwallet=hot -named sendtoaddress address=bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq amount=2.5 comment="cold sweep""#,
            json!([payment(
                "bitcoin-cli",
                &[ADDR],
                Some(("BTC", &["2.5"])),
                Value::Null
            )]),
        ),
        (
            "bitcoin-cli -rpcconnect=node.example.net -rpcport=8332 sendtoaddress bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq 0.1",
            json!([payment(
                "bitcoin-cli",
                &[ADDR],
                Some(("BTC", &["0.1"])),
                rpc_host("node.example.net", Some(8332))
            )]),
        ),
        (
            r#"bitcoin-cli sendmany "" '{"bc1qa": 0.5, "bc1qb": 1.25}'"#,
            json!([payment(
                "bitcoin-cli",
                &["bc1qa", "bc1qb"],
                Some(("BTC", &["0.5", "1.25"])),
                Value::Null
            )]),
        ),
        (
            r#"bitcoin-cli sendall '["bc1qa"]'"#,
            json!([payment("bitcoin-cli", &["bc1qa"], None, Value::Null)]),
        ),
        (
            "lncli payinvoice lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqf",
            json!([payment(
                "lncli",
                &["lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqf"],
                Some(("BTC", &["2500e-6"])),
                Value::Null
            )]),
        ),
        (
            "lncli --rpcserver=lnd.example.net:10009 sendpayment --dest 02abc --amt 50000 --keysend",
            json!([payment(
                "lncli",
                &["02abc"],
                Some(("BTC", &["50000e-8"])),
                rpc_host("lnd.example.net", Some(10009))
            )]),
        ),
        (
            "lncli sendcoins --addr bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq --sweepall",
            json!([payment("lncli", &[ADDR], None, Value::Null)]),
        ),
    ]);
}

#[test]
fn reads_and_unbroadcast_transactions_pay_nothing() {
    for command in [
        "cast call 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48 'balanceOf(address)' 0x71C7656EC7ab88b098defB751B7401B5f6d8976F",
        "cast estimate 0x71C7656EC7ab88b098defB751B7401B5f6d8976F --value 1ether",
        "cast balance 0x71C7656EC7ab88b098defB751B7401B5f6d8976F --ether",
        "solana balance 9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin",
        "solana transfer 9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin 250 --sign-only --blockhash 5Tx8",
        "spl-token transfer EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v 2500 9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin --dry-run",
        "forge create src/Vault.sol:Vault",
        "forge script script/Deploy.s.sol",
        "near view usdt.tether-token.near ft_balance_of '{}'",
        "bitcoin-cli getbalance",
        "lncli listpayments",
    ] {
        let analysis = writ_shell::analyze(command, &CTX).unwrap_or_else(|e| panic!("{e}"));
        let effects = serde_json::to_value(&analysis.effects).unwrap_or_default();
        let writes = effects.as_array().into_iter().flatten().any(|e| {
            e["effect"] == "payment" || (e["effect"] == "request" && e["method"] != "GET")
        });
        assert!(!writes, "{command}: {effects}");
    }
}

#[test]
fn unknown_clis_pay_by_their_payment_words_and_amount() {
    run_table(&[
        (
            "fundsctl payouts create --destination acct_1 --amount-usd 3150 --currency usd --memo 'March payout'",
            json!([payment(
                "fundsctl",
                &["acct_1"],
                Some(("USD", &["3150"])),
                Value::Null
            )]),
        ),
        (
            "fundsctl pay --to=vendor-9 --amount='$1,200.50'",
            json!([payment(
                "fundsctl",
                &["vendor-9"],
                Some(("USD", &["1200.50"])),
                Value::Null
            )]),
        ),
        // Minor units are written as a power of ten down.
        (
            "billing refunds create --customer cus_7 --amount-cents 9900 --currency eur",
            json!([payment(
                "billing",
                &["cus_7"],
                Some(("EUR", &["9900e-2"])),
                Value::Null
            )]),
        ),
        // Listing payouts, or a payment word with no amount, pays nothing.
        ("fundsctl payouts list --limit 5", json!([])),
        ("fundsctl transfers create --from a --to b", json!([])),
    ]);
}
