//! Wallet libraries in inline code: a transaction that carries value is a
//! payment to its `to`, in the chain's asset, through the node the
//! provider is given; a transaction without value, or a conversion never
//! sent, is not. `cast rpc eth_sendTransaction` reads its parameters.

#![allow(clippy::panic)]

use crate::common;
use common::*;

use serde_json::{Value, json};

const PAYEE: &str = "0x8Ba1f109551bD432803012645Ac136ddd64DBA72";

fn payment(program: &str, payees: &[&str], amount: Option<(&str, &[&str])>, rpc: Value) -> Value {
    let amount = amount.map(|(currency, values)| json!({"currency": currency, "values": values}));
    json!({"effect": "payment", "program": program, "payees": payees, "amount": amount, "rpc": rpc})
}

fn rpc_url(url: &str) -> Value {
    json!({"kind": "url", "url": url})
}

/// The payment effects alone of `command`.
fn payments(command: &str) -> Value {
    let effects = effects_after(&[], command);
    Value::Array(
        effects
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["effect"] == "payment")
            .cloned()
            .collect(),
    )
}

fn check_payments(cases: &[(&str, Value)]) {
    for (command, expected) in cases {
        assert_eq!(&payments(command), expected, "payments of: {command}");
    }
}

#[test]
fn ethers_transfers_pay_their_value_through_the_provider_node() {
    run_table(&[
        (
            "node -e \"const {ethers}=require('ethers');(async()=>{const p=new ethers.JsonRpcProvider('http://signer.acme.internal:8545');const s=await p.getSigner(0);await s.sendTransaction({to:'0x8Ba1f109551bD432803012645Ac136ddd64DBA72',value:ethers.parseEther('2.5')})})()\"",
            json!([
                payment(
                    "node",
                    &[PAYEE],
                    Some(("ETH", &["2.5e-0"])),
                    rpc_url("http://signer.acme.internal:8545")
                ),
                url_request("node", "http://signer.acme.internal:8545", "GET", empty())
            ]),
        ),
        // web3.py: a transaction signed, then broadcast raw; wei written out.
        (
            "python3 -c \"from web3 import Web3; w3 = Web3(Web3.HTTPProvider('http://node.acme.internal:8545')); tx = {'to': '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', 'value': 2500000000000000000, 'gas': 21000}; s = w3.eth.account.sign_transaction(tx, key); w3.eth.send_raw_transaction(s.raw_transaction)\"",
            json!([
                payment(
                    "python3",
                    &[PAYEE],
                    Some(("ETH", &["2500000000000000000e-18"])),
                    rpc_url("http://node.acme.internal:8545")
                ),
                url_request("python3", "http://node.acme.internal:8545", "GET", empty())
            ]),
        ),
    ]);
}

#[test]
fn value_conversions_of_each_library() {
    let eth = |value: &str| {
        json!([payment(
            "node",
            &[PAYEE],
            Some(("ETH", &[value])),
            Value::Null
        )])
    };
    check_payments(&[
        // ethers v5, through a name.
        (
            "node -e \"const tx = {to: '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', value: ethers.utils.parseEther('0.01')}; wallet.sendTransaction(tx)\"",
            eth("0.01e-0"),
        ),
        // Units by name and by decimals.
        (
            "node -e \"signer.sendTransaction({to: '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', value: ethers.parseUnits('2500', 'gwei')})\"",
            eth("2500e-9"),
        ),
        (
            "node -e \"signer.sendTransaction({to: '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', value: parseUnits('2.5', 18)})\"",
            eth("2.5e-0"),
        ),
        // web3.js.
        (
            "node -e \"web3.eth.sendTransaction({from: a, to: '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', value: web3.utils.toWei('1.5', 'ether')})\"",
            eth("1.5e-0"),
        ),
        // viem, with shorthand members set by names.
        (
            "node -e \"const to = '0x8Ba1f109551bD432803012645Ac136ddd64DBA72'; const value = parseEther('3'); walletClient.sendTransaction({account, to, value})\"",
            eth("3e-0"),
        ),
        (
            "node -e \"walletClient.sendTransaction({to: '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', value: parseGwei('40')})\"",
            eth("40e-9"),
        ),
        // Wei as a BigInt, as hex.
        (
            "node -e \"signer.sendTransaction({to: '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', value: 2_500_000_000_000_000_000n})\"",
            eth("2500000000000000000e-18"),
        ),
        (
            "node -e \"signer.sendTransaction({to: '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', value: '0x22b1c8c1227a0000'})\"",
            eth("2500000000000000000e-18"),
        ),
        // A value computed at run time cannot be read.
        (
            "node -e \"signer.sendTransaction({to: '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', value: amount * 2n})\"",
            json!([payment("node", &[PAYEE], None, Value::Null)]),
        ),
    ]);
    let py = |value: &str| {
        json!([payment(
            "python3",
            &[PAYEE],
            Some(("ETH", &[value])),
            Value::Null
        )])
    };
    check_payments(&[
        (
            "python3 -c \"w3.eth.send_transaction({'from': w3.eth.accounts[0], 'to': '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', 'value': w3.to_wei(2.5, 'ether')})\"",
            py("2.5e-0"),
        ),
        (
            "python3 -c \"w3.eth.send_transaction(dict(to='0x8Ba1f109551bD432803012645Ac136ddd64DBA72', value=Web3.to_wei(Decimal('1.25'), 'ether')))\"",
            py("1.25e-0"),
        ),
        (
            "python3 -c \"w3.eth.sendTransaction({'to': '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', 'value': Web3.toWei(3, 'kether')})\"",
            py("3e3"),
        ),
    ]);
}

#[test]
fn payable_calls_and_what_is_not_a_transfer() {
    check_payments(&[
        // A payable contract call's overrides send their value.
        (
            "node -e \"const c = new ethers.Contract(addr, abi, signer); c.deposit({value: ethers.parseEther('5')})\"",
            json!([payment("node", &[], Some(("ETH", &["5e-0"])), Value::Null)]),
        ),
        // No value: a contract call. A conversion never sent: nothing.
        (
            "node -e \"signer.sendTransaction({to: '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', data: '0x1234'})\"",
            json!([]),
        ),
        ("node -e \"console.log(ethers.parseEther('5'))\"", json!([])),
        // Only signed, never broadcast.
        (
            "python3 -c \"tx = {'to': '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', 'value': 10**18}; print(w3.eth.account.sign_transaction(tx, key))\"",
            json!([]),
        ),
    ]);
}

#[test]
fn solana_and_bitcoin_clients_pay_in_their_asset() {
    check_payments(&[
        (
            "node -e \"const t = new Transaction().add(SystemProgram.transfer({fromPubkey: kp.publicKey, toPubkey: new PublicKey('9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin'), lamports: 2 * LAMPORTS_PER_SOL})); sendAndConfirmTransaction(new Connection('https://api.mainnet-beta.solana.com'), t, [kp])\"",
            json!([payment(
                "node",
                &["9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin"],
                Some(("SOL", &["2e-0"])),
                rpc_url("https://api.mainnet-beta.solana.com")
            )]),
        ),
        (
            "python3 -c \"ix = transfer(TransferParams(from_pubkey=kp.pubkey(), to_pubkey=Pubkey.from_string('9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin'), lamports=5000))\"",
            json!([payment(
                "python3",
                &["9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin"],
                Some(("SOL", &["5000e-9"])),
                Value::Null
            )]),
        ),
        (
            "python3 -c \"from bitcoinrpc.authproxy import AuthServiceProxy; r = AuthServiceProxy('http://u:p@btc.acme.internal:8332'); r.sendtoaddress('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 0.5)\"",
            json!([payment(
                "python3",
                &["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
                Some(("BTC", &["0.5e-0"])),
                rpc_url("http://u:p@btc.acme.internal:8332")
            )]),
        ),
        (
            "python3 -c \"r.sendmany('', {'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq': 0.1, '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy': 0.2})\"",
            json!([payment(
                "python3",
                &[
                    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
                    "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"
                ],
                Some(("BTC", &["0.1e-0", "0.2e-0"])),
                Value::Null
            )]),
        ),
        (
            "node -e \"client.command('sendtoaddress', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 0.25)\"",
            json!([payment(
                "node",
                &["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
                Some(("BTC", &["0.25e-0"])),
                Value::Null
            )]),
        ),
    ]);
}

#[test]
fn cast_rpc_send_transaction_reads_its_parameters() {
    let node = || rpc_url("http://signer.acme.internal:8545");
    run_table(&[
        (
            "cast rpc eth_sendTransaction '{\"from\":\"0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984\",\"to\":\"0x8Ba1f109551bD432803012645Ac136ddd64DBA72\",\"value\":\"0x22b1c8c1227a0000\"}' --rpc-url http://signer.acme.internal:8545",
            json!([payment(
                "cast",
                &[PAYEE],
                Some(("ETH", &["2500000000000000000e-18"])),
                node()
            )]),
        ),
        // No value: a contract call, a write to the node.
        (
            "cast rpc eth_sendTransaction --raw '[{\"to\":\"0x8Ba1f109551bD432803012645Ac136ddd64DBA72\",\"data\":\"0x12\"}]' --rpc-url http://signer.acme.internal:8545",
            json!([url_request(
                "cast",
                "http://signer.acme.internal:8545",
                "POST",
                empty()
            )]),
        ),
        // No parameters to read.
        (
            "cast rpc eth_sendTransaction --rpc-url http://signer.acme.internal:8545",
            json!([payment("cast", &[], None, node())]),
        ),
    ]);
}
