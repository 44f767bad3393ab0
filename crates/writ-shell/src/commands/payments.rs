//! Payment commands of CLIs writ has no handler for, read by the
//! convention such CLIs share: a payment resource and a verb that makes
//! one (`fundsctl payouts create`, `acme-pay transfers send`, `billing
//! refund`) with an amount option (`--amount 120`, `--amount-usd 3150`,
//! `--value=$40`). Without an amount option nothing is assumed.

use super::Invocation;
use crate::{Amount, Payment};

/// Resources whose creation moves money.
const PAYMENT_NOUNS: &[&str] = &[
    "payment",
    "payments",
    "payout",
    "payouts",
    "transfer",
    "transfers",
    "refund",
    "refunds",
    "remittance",
    "remittances",
    "disbursement",
    "disbursements",
    "wire",
    "wires",
    "charge",
    "charges",
];

/// Verbs that make one.
const MAKING_VERBS: &[&str] = &[
    "create", "new", "send", "issue", "initiate", "submit", "make", "execute", "add", "post",
];

/// Subcommands that are themselves the payment.
const PAYING_VERBS: &[&str] = &[
    "pay", "payout", "refund", "transfer", "remit", "disburse", "wire",
];

/// Options naming who is paid.
const PAYEE_OPTIONS: &[&str] = &[
    "to",
    "destination",
    "dest",
    "recipient",
    "payee",
    "beneficiary",
    "account",
    "customer",
];

/// Currencies an option name or amount may carry.
const CURRENCIES: &[&str] = &[
    "usd", "eur", "gbp", "jpy", "chf", "cad", "aud", "inr", "sek", "nok", "dkk",
];

/// The payment an unknown program's command makes, when its words say so.
pub(super) fn generic(inv: &Invocation<'_>) -> Option<Payment> {
    let words: Vec<String> = inv
        .args
        .iter()
        .take_while(|a| !a.text.starts_with('-'))
        .map(|a| a.text.to_ascii_lowercase())
        .collect();
    let pays = words.iter().any(|w| PAYING_VERBS.contains(&w.as_str()))
        || (words.iter().any(|w| PAYMENT_NOUNS.contains(&w.as_str()))
            && words.iter().any(|w| MAKING_VERBS.contains(&w.as_str())));
    if !pays {
        return None;
    }
    let options = options(inv);
    let mut currency = options
        .iter()
        .find(|(name, _)| name == "currency")
        .map(|(_, value)| value.to_ascii_uppercase());
    let mut amount = None;
    for (name, value) in &options {
        let Some(rest) = ["amount", "value", "sum", "total"]
            .iter()
            .find_map(|stem| name.strip_prefix(stem))
        else {
            continue;
        };
        let unit = rest.trim_start_matches(['-', '_']);
        if matches!(unit, "cents" | "minor") {
            // Minor units are a hundredth of the major one for the
            // currencies named here; writ-core reads majors.
            amount = Some(format!("{value}e-2"));
        } else {
            if CURRENCIES.contains(&unit) {
                currency = Some(unit.to_ascii_uppercase());
            }
            let (value, marked) = strip_currency(value);
            currency = currency.or(marked);
            amount = Some(value);
        }
    }
    let amount = amount?;
    let payees = options
        .iter()
        .filter(|(name, _)| PAYEE_OPTIONS.contains(&name.as_str()))
        .map(|(_, value)| value.clone())
        .collect();
    Some(Payment {
        program: inv.program.to_owned(),
        payees,
        amount: Some(Amount {
            currency: currency.unwrap_or_default(),
            values: vec![amount],
        }),
        rpc: None,
    })
}

/// `--name value` and `--name=value` options, names lower-case without
/// dashes.
fn options(inv: &Invocation<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut words = inv.args.iter().peekable();
    while let Some(word) = words.next() {
        let Some(name) = word.text.strip_prefix("--") else {
            continue;
        };
        let (name, value) = match name.split_once('=') {
            Some((name, value)) => (name, value.to_owned()),
            None => match words.peek() {
                Some(next) if !next.text.starts_with('-') => {
                    let value = next.text.clone();
                    words.next();
                    (name, value)
                }
                _ => continue,
            },
        };
        out.push((name.to_ascii_lowercase(), value));
    }
    out
}

/// `$40`, `40 USD`, `40usd`: the number and the currency it is marked in.
fn strip_currency(value: &str) -> (String, Option<String>) {
    let value = value.trim().replace(',', "");
    if let Some(number) = value.strip_prefix('$') {
        return (number.to_owned(), Some("USD".to_owned()));
    }
    if let Some(number) = value.strip_prefix('€') {
        return (number.to_owned(), Some("EUR".to_owned()));
    }
    if let Some(number) = value.strip_prefix('£') {
        return (number.to_owned(), Some("GBP".to_owned()));
    }
    let lower = value.to_ascii_lowercase();
    for code in CURRENCIES {
        if let Some(number) = lower.strip_suffix(code) {
            return (number.trim().to_owned(), Some(code.to_ascii_uppercase()));
        }
    }
    (value, None)
}
