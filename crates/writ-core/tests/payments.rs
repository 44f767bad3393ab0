//! A payment's amount reads the same, in US dollars, whichever way it
//! comes: curl or the stripe CLI in a shell hook, a request through the
//! egress gateway, a payment tool's manifest. An amount in another
//! currency converts; one that cannot be read needs approval.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{decide, function_call, http_post, shell};
use serde_json::{Value, json};
use writ_core::{Route, Runtime};

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io"],
    "limits": {"payment_usd": 500},
    "approvers": {"finance": ["cfo@acme.io"]},
    "tools": {
        "refund_charge": {"kind": "payment",
                          "args": {"amount_usd": "amount", "recipient": "customer"}}
    }
}"#;

fn engine() -> writ_core::Engine {
    common::engine(DEPLOYMENT)
}

fn http(url: &str, content_type: &str, body: &str) -> (Runtime, Value) {
    http_post(url, json!({"content-type": content_type}), body)
}

fn tool(arguments: Value) -> (Runtime, Value) {
    function_call("refund_charge", arguments)
}

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

#[test]
fn amounts_read_alike_in_every_runtime_and_currency() {
    let engine = engine();
    let refunds = "https://api.stripe.com/v1/refunds";
    // (event, the amount in US cents, its route)
    let cases = [
        // $4.50, in every form the stripe CLI and curl take it.
        (
            shell("stripe refunds create --charge=ch_1 --amount=450"),
            Some(450),
        ),
        (
            shell("stripe refunds create --charge ch_1 --amount 450"),
            Some(450),
        ),
        (
            shell("stripe refunds create -d charge=ch_1 -d amount=450"),
            Some(450),
        ),
        (
            shell("stripe post /v1/refunds --data charge=ch_1 --data amount=450"),
            Some(450),
        ),
        (
            shell("curl https://api.stripe.com/v1/refunds -d charge=ch_1 -d amount=450"),
            Some(450),
        ),
        (http(refunds, FORM, "charge=ch_1&amount=450"), Some(450)),
        (
            tool(json!({"amount": 4.5, "customer": "c@x.io"})),
            Some(450),
        ),
        // £490 is over $500 (at $1.60 a pound).
        (
            shell("stripe refunds create --charge=ch_1 --amount=49000 --currency=gbp"),
            Some(78400),
        ),
        (
            shell("curl https://api.stripe.com/v1/refunds -d amount=49000 -d currency=gbp"),
            Some(78400),
        ),
        (
            http(refunds, FORM, "charge=ch_1&amount=49000&currency=gbp"),
            Some(78400),
        ),
        (
            tool(json!({"amount": 490, "currency": "GBP", "customer": "c@x.io"})),
            Some(78400),
        ),
        (
            tool(json!({"amount": "£490.00", "customer": "c@x.io"})),
            Some(78400),
        ),
        // A money object: its value in its own currency.
        (
            tool(json!({"amount": {"value": "212.40", "currency": "USD"}, "customer": "c@x.io"})),
            Some(21240),
        ),
        (
            tool(json!({"amount": {"value": "490", "currency": "GBP"}, "customer": "c@x.io"})),
            Some(78400),
        ),
        // Yen have no minor unit: 40000 is ¥40,000, about $440 at most.
        (
            http(refunds, FORM, "amount=40000&currency=jpy"),
            Some(44000),
        ),
        // Other providers.
        (
            http(
                "https://pal-live.adyen.com/pal/servlet/Payout/v68/payout",
                JSON,
                r#"{"amount":{"currency":"EUR","value":4000},"merchantAccount":"M"}"#,
            ),
            Some(5040),
        ),
        (
            http(
                "https://api-m.paypal.com/v1/payments/payouts",
                JSON,
                r#"{"items":[{"amount":{"value":"1250.00","currency":"USD"},"receiver":"a@b.nl"}]}"#,
            ),
            Some(125_000),
        ),
        // Unreadable: an unknown currency, an amount the request omits.
        (http(refunds, FORM, "amount=100&currency=xts"), None),
        (
            tool(json!({"amount": 100, "currency": "XTS", "customer": "c@x.io"})),
            None,
        ),
        (
            http(
                "https://api.transferwise.com/v1/transfers",
                JSON,
                r#"{"targetAccount":1,"quoteUuid":"q"}"#,
            ),
            None,
        ),
    ];
    for (call, cents) in cases {
        let decision = decide(&engine, &call);
        let (_, event) = call;
        let over = cents.is_none_or(|c| c > 50_000);
        assert_eq!(
            decision.facts.payment_max_cents,
            Some(cents.unwrap_or(0)),
            "{event}"
        );
        assert_eq!(
            decision.facts.payment_unreadable,
            cents.is_none(),
            "{event}"
        );
        let expected = if over {
            Route::RequireApproval
        } else {
            Route::Allow
        };
        assert_eq!(decision.route, expected, "{event}: {:?}", decision.reasons);
        assert_eq!(
            decision.reasons,
            if over {
                vec!["PAYMENT_OVER_LIMIT".to_owned()]
            } else {
                Vec::new()
            },
            "{event}"
        );
    }
}
