//! Value sent from a wallet node is a payment whatever host the node is
//! on: a JSON-RPC `eth_sendTransaction` (or a Bitcoin Core `sendtoaddress`,
//! `sendmany`, `send`) through the gateway or curl, and a wallet library's
//! transfer in inline code, are judged against the payment limit as the
//! same transfer through a payment tool is.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{assert_routes, engine, http_post, shell};
use serde_json::{Value, json};
use writ_core::{Route, Runtime};

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io", "acme.internal"],
    "limits": {"payment_usd": 250},
    "approvers": {"finance": ["cfo@acme.io"]}
}"#;

const SIGNER: &str = "http://signer.acme.internal:8545";
const BITCOIND: &str = "http://btc.acme.internal:8332/";

fn rpc(url: &str, body: &Value) -> (Runtime, Value) {
    http_post(
        url,
        json!({"content-type": "application/json"}),
        &body.to_string(),
    )
}

fn eth_send(value: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "eth_sendTransaction", "params": [{
        "from": "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984",
        "to": "0x8Ba1f109551bD432803012645Ac136ddd64DBA72",
        "value": value
    }]})
}

const ADDRESS: &str = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";

#[test]
fn json_rpc_transfers_through_an_org_node_are_payments() {
    let engine = engine(DEPLOYMENT);
    // 2.5 ETH, 0.01 BTC: over $250 at their highest prices.
    let over = [
        rpc(SIGNER, &eth_send("0x22b1c8c1227a0000")),
        rpc(SIGNER, &eth_send("2500000000000000000")),
        rpc(
            SIGNER,
            &json!({"jsonrpc": "2.0", "id": 1, "method": "personal_sendTransaction",
                    "params": [{"to": "0x8Ba1f109551bD432803012645Ac136ddd64DBA72",
                                "value": "0x22b1c8c1227a0000"}, "passphrase"]}),
        ),
        // A batch pays its total: 2 × 0.03 ETH is $294.
        rpc(
            SIGNER,
            &json!([eth_send("0x6a94d74f430000"), eth_send("0x6a94d74f430000")]),
        ),
        rpc(
            BITCOIND,
            &json!({"jsonrpc": "1.0", "id": "c", "method": "sendtoaddress",
                    "params": [ADDRESS, 0.01]}),
        ),
        rpc(
            BITCOIND,
            &json!({"jsonrpc": "1.0", "id": "c", "method": "sendmany",
                    "params": {"dummy": "", "amounts": {ADDRESS: 0.002, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy": 0.002}}}),
        ),
        rpc(
            BITCOIND,
            &json!({"jsonrpc": "1.0", "id": "c", "method": "send",
                    "params": [[{ADDRESS: 0.01}, {"data": "00"}]]}),
        ),
        // The whole wallet: no amount to read.
        rpc(
            BITCOIND,
            &json!({"jsonrpc": "1.0", "id": "c", "method": "sendall", "params": [[ADDRESS]]}),
        ),
    ];
    assert_routes(
        &engine,
        "over the limit",
        &over,
        Route::RequireApproval,
        &["PAYMENT_OVER_LIMIT"],
    );
    // 0.03 ETH ($147), 0.001 BTC ($120); a contract call with no value; a
    // signed transaction (unreadable, left as a request); a read; another
    // API's `send`.
    let within = [
        rpc(SIGNER, &eth_send("0x6a94d74f430000")),
        rpc(
            BITCOIND,
            &json!({"jsonrpc": "1.0", "id": "c", "method": "sendtoaddress",
                    "params": {"address": ADDRESS, "amount": 0.001}}),
        ),
        rpc(
            SIGNER,
            &json!({"jsonrpc": "2.0", "id": 1, "method": "eth_sendTransaction",
                    "params": [{"to": "0x8Ba1f109551bD432803012645Ac136ddd64DBA72", "data": "0xa9059cbb"}]}),
        ),
        rpc(
            SIGNER,
            &json!({"jsonrpc": "2.0", "id": 1, "method": "eth_sendRawTransaction", "params": ["0x02f8b00182"]}),
        ),
        rpc(
            SIGNER,
            &json!({"jsonrpc": "2.0", "id": 1, "method": "eth_getBalance", "params": ["0x8Ba1f109551bD432803012645Ac136ddd64DBA72", "latest"]}),
        ),
        rpc(
            "https://rpc.acme.io/",
            &json!({"jsonrpc": "2.0", "id": 1, "method": "send", "params": [{"to": "alice", "text": "hi"}]}),
        ),
    ];
    assert_routes(&engine, "within the limit", &within, Route::Allow, &[]);
}

#[test]
fn curl_and_cast_rpc_calls_are_read_alike() {
    let engine = engine(DEPLOYMENT);
    assert_routes(
        &engine,
        "over the limit",
        &[
            shell(&format!(
                "curl -s -X POST -H 'content-type: application/json' -d '{}' {SIGNER}",
                eth_send("0x22b1c8c1227a0000")
            )),
            shell(&format!(
                "cast rpc eth_sendTransaction '{}' --rpc-url {SIGNER}",
                eth_send("0x22b1c8c1227a0000")["params"][0]
            )),
        ],
        Route::RequireApproval,
        &["PAYMENT_OVER_LIMIT"],
    );
    assert_routes(
        &engine,
        "within the limit",
        &[
            shell(&format!(
                "curl -s -d '{}' {SIGNER}",
                eth_send("0x6a94d74f430000")
            )),
            shell(&format!(
                "cast rpc eth_sendTransaction '{}' --rpc-url {SIGNER}",
                eth_send("0x6a94d74f430000")["params"][0]
            )),
        ],
        Route::Allow,
        &[],
    );
}

#[test]
fn wallet_library_transfers_in_inline_code_are_payments() {
    let engine = engine(DEPLOYMENT);
    assert_routes(
        &engine,
        "over the limit",
        &[
            shell(
                "node -e \"const {ethers}=require('ethers');(async()=>{const p=new ethers.JsonRpcProvider('http://signer.acme.internal:8545');const s=await p.getSigner(0);const tx=await s.sendTransaction({to:'0x8Ba1f109551bD432803012645Ac136ddd64DBA72',value:ethers.parseEther('2.5')});console.log(tx.hash)})()\"",
            ),
            shell(
                "python3 -c \"from web3 import Web3; w3 = Web3(Web3.HTTPProvider('http://signer.acme.internal:8545')); w3.eth.send_transaction({'to': '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', 'value': w3.to_wei(2.5, 'ether')})\"",
            ),
            // An amount computed at run time cannot be read.
            shell(
                "node -e \"signer.sendTransaction({to: '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', value: balance / 2n})\"",
            ),
        ],
        Route::RequireApproval,
        &["PAYMENT_OVER_LIMIT"],
    );
    assert_routes(
        &engine,
        "within the limit",
        &[
            shell(
                "node -e \"const {ethers}=require('ethers');(async()=>{const p=new ethers.JsonRpcProvider('http://signer.acme.internal:8545');const s=await p.getSigner(0);await s.sendTransaction({to:'0x8Ba1f109551bD432803012645Ac136ddd64DBA72',value:ethers.parseEther('0.01')})})()\"",
            ),
            shell(
                "node -e \"web3.eth.sendTransaction({to: '0x8Ba1f109551bD432803012645Ac136ddd64DBA72', value: web3.utils.toWei('20', 'gwei')})\"",
            ),
        ],
        Route::Allow,
        &[],
    );
}
