//! SaaS vendors' CLIs: the stripe CLI's resource commands, whose verb
//! says whether they read, change or move money (and to whom), and the
//! Salesforce CLI's permission set assignments, new users, password resets
//! and records that hold access.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

/// The payments `command` makes.
fn payments(command: &str) -> Vec<Value> {
    effects(command)
        .into_iter()
        .filter(|e| e["effect"] == "payment")
        .collect()
}

/// A payment by the stripe CLI to `payees` of `values` in `currency`.
fn stripe_payment(payees: &[&str], currency: &str, values: &[&str]) -> Value {
    json!({
        "effect": "payment",
        "program": "stripe",
        "payees": payees,
        "amount": {"currency": currency, "values": values},
        "rpc": null,
    })
}

#[test]
fn stripe_reads_change_nothing_whatever_resource_they_name() {
    for command in [
        "stripe payouts retrieve po_1QmT4kLkdIwHu7ixV2c9HsLp --live",
        "stripe payouts list --limit 3 --live",
        "stripe --live refunds retrieve re_1Q2",
        "stripe transfers list --destination acct_1X",
        "stripe charges search --query \"amount>999\"",
        "stripe customers list_payment_methods cus_1Q",
        "stripe invoices upcoming --customer cus_1Q",
        "stripe get /v1/payouts -d limit=3 -d status=paid --live",
    ] {
        let found = effects(command);
        assert!(
            !found
                .iter()
                .any(|e| e["effect"] == "payment" || e["effect"] == "request"),
            "{command}: {found:?}"
        );
    }
}

#[test]
fn stripe_changes_call_the_object_and_operation_they_name() {
    for (command, line) in [
        (
            "stripe payouts cancel po_1QmT4k",
            "POST https://api.stripe.com/v1/payouts/po_1QmT4k/cancel",
        ),
        (
            "stripe customers update cus_1Q --email a@example.com",
            "POST https://api.stripe.com/v1/customers/cus_1Q",
        ),
        (
            "stripe customers delete cus_1Q",
            "DELETE https://api.stripe.com/v1/customers/cus_1Q",
        ),
        (
            "stripe refunds create --charge ch_1Q --amount 400",
            "POST https://api.stripe.com/v1/refunds",
        ),
        (
            "stripe post /v1/payouts/po_1Q/cancel",
            "POST https://api.stripe.com/v1/payouts/po_1Q/cancel",
        ),
    ] {
        assert_eq!(request_lines(&effects(command)), vec![line], "{command}");
    }
}

#[test]
fn only_stripe_money_movements_are_payments() {
    for command in [
        "stripe payouts cancel po_1QmT4k",
        "stripe refunds update re_1Q --metadata[reason]=dup",
        "stripe charges update ch_1Q --description x",
        "stripe customers create --email a@example.com",
        "stripe payment_intents cancel pi_1Q",
        "stripe post /v1/payouts/po_1Q/cancel",
    ] {
        assert_eq!(payments(command), Vec::<Value>::new(), "{command}");
    }
}

#[test]
fn stripe_payments_carry_their_amount_and_payee() {
    let cases = [
        // A refund repays the charge or payment it names, however the
        // parameter is written.
        (
            "stripe refunds create --charge ch_3QpX7e --amount 7500 --reason duplicate",
            stripe_payment(&["ch_3QpX7e"], "USD", &["7500e-2"]),
        ),
        (
            "stripe refunds create --charge=ch_3QpX7e --amount=7500",
            stripe_payment(&["ch_3QpX7e"], "USD", &["7500e-2"]),
        ),
        (
            "stripe refunds create -d charge=ch_3QpX7e -d amount=7500",
            stripe_payment(&["ch_3QpX7e"], "USD", &["7500e-2"]),
        ),
        (
            "stripe refunds create --payment-intent pi_3Q --amount 1200",
            stripe_payment(&["pi_3Q"], "USD", &["1200e-2"]),
        ),
        (
            "stripe transfers create --amount=8800 --currency=eur --destination=acct_1R",
            stripe_payment(&["acct_1R"], "EUR", &["8800e-2"]),
        ),
        // Zero-decimal currencies count whole units.
        (
            "stripe payouts create --amount 50000 --currency jpy",
            stripe_payment(&[], "JPY", &["50000"]),
        ),
        (
            "stripe payment_intents capture pi_1Q --amount_to_capture 2500",
            stripe_payment(&[], "USD", &["2500e-2"]),
        ),
        (
            "stripe post /v1/transfers -d amount=300 -d destination=acct_9",
            stripe_payment(&["acct_9"], "USD", &["300e-2"]),
        ),
        (
            "stripe treasury outbound_payments create --amount 100 --destination-payment-method pm_1",
            stripe_payment(&["pm_1"], "USD", &["100e-2"]),
        ),
    ];
    for (command, expected) in cases {
        assert_eq!(payments(command), vec![expected], "{command}");
    }
    // An amount not written (a full refund, an invoice paid) is unknown.
    for command in [
        "stripe refunds create --charge ch_1Q",
        "stripe invoices pay in_1Q",
    ] {
        let found = payments(command);
        assert_eq!(found.len(), 1, "{command}: {found:?}");
        assert_eq!(found[0]["amount"], Value::Null, "{command}");
    }
}

#[test]
fn salesforce_permission_set_assignments_are_grants() {
    access_table(&[
        (
            "sf org assign permset --name Billing_Refund_Admin --on-behalf-of maya@example.com --target-org qm-prod",
            json!([grant_named(
                "salesforce org qm-prod permission set Billing_Refund_Admin",
                Some("maya@example.com")
            )]),
        ),
        (
            "sf org assign permset -n Billing_Refund_Admin -b maya@example.com -o qm-prod --json",
            json!([grant_named(
                "salesforce org qm-prod permission set Billing_Refund_Admin",
                Some("maya@example.com")
            )]),
        ),
        (
            "sf org assign permset --name A --name B",
            json!([grant_named(
                "salesforce default org permission set A, B",
                Some("the org's signed-in user")
            )]),
        ),
        (
            "sf org assign permsetlicense --name SalesConsoleUser --on-behalf-of a@example.com,b@example.com",
            json!([grant_named(
                "salesforce default org permission set license SalesConsoleUser",
                Some("a@example.com, b@example.com")
            )]),
        ),
        (
            "sfdx force:user:permset:assign --permsetname Admin_Tools --onbehalfof ravi@example.com -u prod",
            json!([grant_named(
                "salesforce org prod permission set Admin_Tools",
                Some("ravi@example.com")
            )]),
        ),
    ]);
}

#[test]
fn salesforce_users_passwords_and_access_records_are_grants() {
    access_table(&[
        (
            "sf org create user --target-org prod username=contractor@example.com profileName='System Administrator'",
            json!([grant_named(
                "salesforce org prod users",
                Some("contractor@example.com (profileName System Administrator)")
            )]),
        ),
        (
            "sf org generate password --on-behalf-of ops@example.com -o prod",
            json!([grant_named(
                "salesforce org prod user password",
                Some("ops@example.com")
            )]),
        ),
        (
            "sf data create record --sobject PermissionSetAssignment --values \"AssigneeId=0055e00000CzQm PermissionSetId=0PS5e0000\" --target-org qm-prod",
            json!([grant_named(
                "salesforce org qm-prod permissionsetassignment",
                Some("0055e00000CzQm")
            )]),
        ),
        (
            "sf data delete record -s GroupMember -i 011xx000001 -o prod",
            json!([grant_named("salesforce org prod groupmember", None)]),
        ),
        (
            "sf data create record -s Invoice__Share -v \"ParentId=a01 UserOrGroupId=005x AccessLevel=Edit\"",
            json!([grant_named(
                "salesforce default org invoice__share",
                Some("005x")
            )]),
        ),
        (
            "sf data update record -s User -w \"Username=maya@example.com\" -v \"ProfileId=00e5e000\"",
            json!([grant_named(
                "salesforce default org user",
                Some("Username=maya@example.com")
            )]),
        ),
    ]);
    no_access_changes(&[
        "sf data create record -s Account -v \"Name=Acme\"",
        "sf data update record -s User -w \"Username=maya@example.com\" -v \"Title=Lead\"",
        "sf org list users --target-org prod",
        "sf org display user -o prod",
        "sf project deploy start --target-org prod",
    ]);
}
