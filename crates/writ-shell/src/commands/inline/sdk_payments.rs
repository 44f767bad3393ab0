//! Money moved through Stripe's SDKs: Python's `stripe.Refund.create(charge=
//! "ch_1", amount=2500)` (and a `StripeClient`'s `client.refunds.create(
//! params={...})`), Node's `stripe.refunds.create({ amount, charge })`,
//! Ruby's `Stripe::Refund.create(...)` and PHP's
//! `$stripe->refunds->create([...])`.
//!
//! Such a call makes the same request of Stripe's API as the stripe CLI's
//! resource command does (`stripe refunds create -d charge=ch_1 -d
//! amount=2500`), so it is read as that command: a request to Stripe and,
//! for an operation that moves money, the payment of its amount (in the
//! currency's minor unit, as both take it) to whom its parameters name
//! (`super::super::platforms`). Parameters whose value is not known
//! (a value read at run time) are left out, as the CLI leaves out those
//! not given: a payment whose amount is unknown is one of an amount that
//! cannot be read.

use super::sdk_values::{Value, Values, item_key};
use super::storage::{arguments, is_ident};
use super::{Invocation, Literal, Nested, Outcome};
use crate::args::Arg;

/// What code that uses a Stripe SDK writes: its imports, its Ruby and PHP
/// namespaces, its client class.
const STRIPE_MARKS: &[&str] = &[
    "import stripe",
    "from stripe",
    "require('stripe')",
    "require(\"stripe\")",
    "from 'stripe'",
    "from \"stripe\"",
    "require 'stripe'",
    "require \"stripe\"",
    "Stripe::",
    "\\Stripe\\",
    "StripeClient",
];

/// Resources an operation on which may move money (the CLI's resource
/// names; which operations do is the CLI's reading).
const MONEY_RESOURCES: &[&str] = &[
    "refunds",
    "payouts",
    "transfers",
    "charges",
    "payment_intents",
    "invoices",
    "topups",
    "outbound_payments",
    "outbound_transfers",
];

/// Operations that may move money.
const MOVING_VERBS: &[&str] = &["create", "capture", "confirm", "pay"];

/// How an SDK call is chained onto its resource (`stripe.Refund.create`,
/// `Stripe::Refund.create`, `$stripe->refunds->create`, `\Stripe\Refund::create`).
const SEPARATORS: &[&str] = &[".", "::", "->"];

/// A call's keywords that are the SDK's request options, not parameters.
const REQUEST_OPTIONS: &[&str] = &[
    "api_key",
    "apiKey",
    "stripe_account",
    "stripeAccount",
    "stripe_version",
    "apiVersion",
    "idempotency_key",
    "idempotencyKey",
    "expand",
    "params",
    "options",
];

/// Adds the stripe CLI command each of `code`'s money-moving Stripe calls
/// is, to be read as that command.
pub(super) fn report(
    inv: &Invocation<'_>,
    original: &str,
    code: &str,
    literals: &[Literal],
    outcome: &mut Outcome,
) {
    if !STRIPE_MARKS.iter().any(|mark| code.contains(mark)) {
        return;
    }
    let values = Values::new(inv, original, code, literals);
    for argv in calls(code, literals, &values) {
        outcome.nested.push(Nested::Argv {
            argv: argv.iter().map(|word| Arg::literal(word)).collect(),
            env: Vec::new(),
            cwd: None,
        });
    }
}

/// The CLI command (`stripe refunds create -d k=v ...`) of each
/// money-moving call in `code`.
fn calls(code: &str, literals: &[Literal], values: &Values<'_>) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    for verb in MOVING_VERBS {
        let pattern = format!("{verb}(");
        for (at, _) in code.match_indices(&pattern) {
            let inside_literal = literals.iter().any(|l| l.start <= at && at < l.end);
            if inside_literal {
                continue;
            }
            let Some(resource) = resource_before(code, at) else {
                continue;
            };
            let open = at + verb.len();
            let Some((items, _)) = arguments(code, literals, open) else {
                continue;
            };
            let mut argv = vec!["stripe".to_owned()];
            argv.extend(resource);
            argv.push((*verb).to_owned());
            let mut params = Vec::new();
            let mut id = None;
            for item in &items {
                let key = item_key(code, literals, open, item);
                match (key, values.of(item.start, item.end)) {
                    (Some(key), Some(Value::Text(value)))
                        if !REQUEST_OPTIONS.contains(&key.as_str()) =>
                    {
                        params.push(format!("{key}={value}"));
                    }
                    // PHP's `create(['amount' => 100])`, a parameters
                    // object bound to a name (`create(params)`).
                    (None, Some(Value::Map(entries))) => {
                        for (key, value) in entries {
                            if let Value::Text(value) = value
                                && !REQUEST_OPTIONS.contains(&key.as_str())
                            {
                                params.push(format!("{key}={value}"));
                            }
                        }
                    }
                    (None, Some(Value::Text(value))) if id.is_none() && *verb != "create" => {
                        id = Some(value);
                    }
                    _ => {}
                }
            }
            argv.extend(id);
            for param in params {
                argv.push("-d".to_owned());
                argv.push(param);
            }
            commands.push(argv);
        }
    }
    commands
}

/// The CLI's resource path of the call whose verb starts at `at`, when
/// it is a Stripe resource that may move money: its last name
/// (`Refund`, `refunds`, `paymentIntents`, `PaymentIntent`: `refunds`,
/// `payment_intents`), after `treasury` when the call goes through it.
fn resource_before(code: &str, at: usize) -> Option<Vec<String>> {
    let head = code.get(..at)?;
    let head = SEPARATORS.iter().find_map(|s| head.strip_suffix(s))?;
    let name: String = head
        .chars()
        .rev()
        .take_while(|c| is_ident(*c) && *c != '$')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let resource = api_name(&name)?;
    if !MONEY_RESOURCES.contains(&resource.as_str()) {
        return None;
    }
    let before = head.get(..head.len() - name.len())?;
    let parent = SEPARATORS
        .iter()
        .find_map(|s| before.strip_suffix(s))
        .map(|p| {
            let start = p
                .char_indices()
                .rev()
                .take_while(|(_, c)| is_ident(*c))
                .last()
                .map_or(p.len(), |(at, _)| at);
            p.get(start..).unwrap_or_default().to_owned()
        })
        .unwrap_or_default();
    let mut path = Vec::new();
    if parent.eq_ignore_ascii_case("treasury") {
        path.push("treasury".to_owned());
    }
    path.push(resource);
    Some(path)
}

/// The API's name of a resource as an SDK spells it: snake case, plural
/// (`PaymentIntent`, `paymentIntents`, `payment_intents`:
/// `payment_intents`).
fn api_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return None;
    }
    let mut snake = String::new();
    for (index, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if index > 0 {
                snake.push('_');
            }
            snake.push(c.to_ascii_lowercase());
        } else {
            snake.push(c);
        }
    }
    if !snake.ends_with('s') {
        snake.push('s');
    }
    Some(snake)
}

#[cfg(test)]
mod tests {
    use super::super::literals;
    use super::*;
    use crate::Payload;

    fn commands(code: &str, words: &[&str]) -> Vec<String> {
        let literals = literals(code);
        let mut args = vec![Arg::literal(code)];
        args.extend(words.iter().map(|w| Arg::literal(w)));
        let empty = Payload::default();
        let inv = Invocation {
            program: "python3",
            args: &args,
            cwd: "/w",
            home: "/h",
            env: &[],
            stdin: &empty,
            has_stdin: false,
        };
        let values = Values::new(&inv, code, code, &literals);
        calls(code, &literals, &values)
            .into_iter()
            .map(|argv| argv.join(" "))
            .collect()
    }

    #[test]
    fn sdk_calls_are_the_cli_commands() {
        assert_eq!(
            commands(
                "import stripe\nstripe.Refund.create(charge='ch_1', amount='2500', api_key=k)",
                &[]
            ),
            ["stripe refunds create -d charge=ch_1 -d amount=2500"]
        );
        assert_eq!(
            commands(
                "const [, , pi, cents] = process.argv;\nconst amount = Number.parseInt(cents, 10);\nawait stripe.paymentIntents.capture(pi, { amount_to_capture: amount });",
                &["pi_3Q1", "900"]
            ),
            ["stripe payment_intents capture pi_3Q1 -d amount_to_capture=900"]
        );
        assert_eq!(
            commands(
                "$stripe->treasury->outboundPayments->create(['amount' => 100]);",
                &[]
            ),
            ["stripe treasury outbound_payments create -d amount=100"]
        );
    }

    #[test]
    fn reads_and_other_resources_are_no_commands() {
        assert!(commands("stripe.Refund.list(limit=3)", &[]).is_empty());
        assert!(commands("stripe.Customer.create(email='a@b.co')", &[]).is_empty());
    }
}
