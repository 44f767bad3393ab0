//! What a request to a well-known web API does besides sending its body:
//! a repository or a bucket made public, access granted, a bucket deleted,
//! a branch moved. The shell analysis knows these as commands (`gh api`,
//! `aws s3 rb`, `aws iam attach-user-policy`); a curl or an HTTP gateway
//! request to the same API means the same, so it routes the same.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use serde_json::Value;
use writ_shell::{Effect, Resource, Target};

use crate::effects::Channel;

mod devenv;
mod exposure;

/// The effects of `method` on `url` beyond the request itself, from the
/// request's texts: JSON bodies, form pairs, the query and `Name: value`
/// header lines. A catalogued API's own reading comes first; a request it
/// says nothing of is read by its shape ([`general_effects`]).
pub(crate) fn api_effects(method: &str, url: &str, texts: &[String]) -> Vec<Effect> {
    let Some(request) = Request::parse(method, url) else {
        return Vec::new();
    };
    if request.catalogued {
        let (effects, settled) = catalogued_effects(method, url, &request, texts);
        if settled || !effects.is_empty() {
            return effects;
        }
    } else if let Some(effect) = storage_protocol(method, url, request.path, texts)
        .or_else(|| devenv::public_port(method, url, request.path, texts))
    {
        return vec![effect];
    }
    general_effects(method, &request.host, request.path, texts)
}

/// A storage protocol's access change on a host not catalogued as
/// storage ([`exposure`]: an S3-compatible endpoint, an Azure storage
/// account): the resource is the URL without its query.
fn storage_protocol(method: &str, url: &str, path: &str, texts: &[String]) -> Option<Effect> {
    if !exposure::may_be_storage(path, texts) {
        return None;
    }
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let parts = exposure::Parts::new(method, &segments, query, texts);
    let name = url.split(['?', '#']).next().unwrap_or(url).to_owned();
    exposure::protocol_effect(&parts, Resource::Other { name })
}

/// What a request does that a forge CLI's own reading of its API call
/// (`gh api`, `glab api`: the catalogued GitHub and GitLab readings) leaves
/// out: a GraphQL mutation, a workflow dispatch, a change read from the
/// request's shape. Empty when the catalogued reading says something.
pub(crate) fn general_api_effects(method: &str, url: &str, texts: &[String]) -> Vec<Effect> {
    let Some(request) = Request::parse(method, url) else {
        return Vec::new();
    };
    if request.catalogued {
        let (effects, settled) = catalogued_effects(method, url, &request, texts);
        if settled || !effects.is_empty() {
            return Vec::new();
        }
    }
    general_effects(method, &request.host, request.path, texts)
}

/// The catalogued APIs' reading of a request, and whether it is the whole
/// story (a bucket's request is read by [`storage`] alone, whatever it
/// finds).
fn catalogued_effects(
    method: &str,
    url: &str,
    request: &Request<'_>,
    texts: &[String],
) -> (Vec<Effect>, bool) {
    let Request {
        host,
        path,
        gitlab,
        bitbucket,
        ..
    } = request;
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let fields = fields_and_query(texts, query);
    let pairs: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if host == "api.github.com" {
        return (
            writ_shell::github_access_changes(path, method, &pairs),
            false,
        );
    }
    if let Some(api_path) = gitlab {
        return (
            writ_shell::gitlab_access_changes(host, api_path, method, &pairs),
            false,
        );
    }
    if let Some(api_path) = bitbucket {
        let api_path = api_path.split('?').next().unwrap_or_default();
        return (
            bitbucket_access_changes(host, api_path, method, &fields),
            false,
        );
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if let Some(effect) = directory(&segments, method, &fields) {
        return (vec![effect], true);
    }
    if let Some(effects) = storage(url, method, &segments, query, texts) {
        return (effects, true);
    }
    let effects = match host.as_str() {
        "www.googleapis.com" | "content.googleapis.com" | "admin.googleapis.com"
            if segments.first() == Some(&"admin") =>
        {
            google_admin(&segments, method, &fields)
        }
        "www.googleapis.com" | "content.googleapis.com" => drive(&segments, &fields),
        "cloudidentity.googleapis.com" => cloud_identity(&segments, method, &fields),
        "api.dropboxapi.com" => dropbox(&segments, &fields),
        other if GRAPH_HOSTS.contains(&other) => graph(&segments, method, &fields, texts),
        "iam.amazonaws.com" => iam(&fields),
        "huggingface.co" => hub(&segments, &fields),
        _ => Vec::new(),
    };
    (effects, false)
}

/// A payment provider's API: the requests whose `POST` moves money, and
/// where their bodies write the amount.
struct PaymentApi {
    /// Host names; `.example.com` matches every host under it.
    hosts: &'static [&'static str],
    /// Paths after the authority, by segment: `*` is any one segment,
    /// `**` any run of them (none included). Compared ignoring case.
    paths: &'static [&'static str],
    /// Where the amount is, first found wins.
    amounts: &'static [AmountAt],
    /// Whether amounts count minor units (cents) or major ones (dollars).
    unit: Unit,
    /// The currency of an amount whose request names none; `None` leaves
    /// such an amount unreadable.
    default_currency: Option<&'static str>,
    /// Where the request names who is paid (an account, an IBAN, an
    /// address), as (object path, member) in [`AmountAt::at`]'s form.
    payees: &'static [(&'static str, &'static str)],
}

/// A payment an API request makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiPayment {
    /// The amount in US cents; `None` when it cannot be read.
    pub amount_cents: Option<i64>,
    /// Who is paid, as the request names them.
    pub payees: Vec<String>,
}

/// Where a request body writes an amount: the object holding it (a dotted
/// path from the top, `""` for the top itself; `items[]` is every element
/// of `items`, and the payment is their total), and the members of that
/// object holding the amount and its currency.
struct AmountAt {
    at: &'static str,
    amount: &'static str,
    currency: &'static str,
}

const fn amount_at(at: &'static str, amount: &'static str, currency: &'static str) -> AmountAt {
    AmountAt {
        at,
        amount,
        currency,
    }
}

/// Payment providers' APIs, from their API references: the requests that
/// create a payment, payout, transfer, refund or capture.
const PAYMENT_APIS: &[PaymentApi] = &[
    // Stripe: form-encoded, minor units, `currency` lower-case; a refund
    // takes the currency of its charge, which is not on the request.
    PaymentApi {
        hosts: &["api.stripe.com"],
        // The creates and the verbs that move money; an update of an
        // object's metadata, a cancel or a read moves none.
        paths: &[
            "v1/refunds",
            "v1/payouts",
            "v1/payouts/*/reverse",
            "v1/transfers",
            "v1/transfers/*/reversals",
            "v1/charges",
            "v1/charges/*/capture",
            "v1/charges/*/refunds",
            "v1/payment_intents",
            "v1/payment_intents/*/confirm",
            "v1/payment_intents/*/capture",
            "v1/payment_intents/*/increment_authorization",
            "v1/invoices/*/pay",
            "v1/topups",
            "v1/credit_notes",
            "v1/treasury/outbound_payments",
            "v1/treasury/outbound_transfers",
        ],
        amounts: &[
            amount_at("", "amount", "currency"),
            amount_at("", "amount_to_capture", "currency"),
        ],
        unit: Unit::Minor,
        default_currency: Some("usd"),
        // A refund goes back to whoever paid the charge or payment intent
        // it names, as the stripe CLI's refund does.
        payees: &[("", "destination"), ("", "charge"), ("", "payment_intent")],
    },
    // Adyen: `amount: {value, currency}` in minor units (the classic
    // API's modifications: `modificationAmount`), on the classic
    // Payment and Payout endpoints, Checkout's payments, captures and
    // refunds, and the balance platform's transfers.
    PaymentApi {
        hosts: &[".adyen.com", ".adyenpayments.com"],
        paths: &[
            "pal/servlet/Payout/*/payout",
            "pal/servlet/Payout/*/submitThirdParty",
            "pal/servlet/Payout/*/storeDetailAndSubmitThirdParty",
            "pal/servlet/Payment/*/authorise",
            "pal/servlet/Payment/*/capture",
            "pal/servlet/Payment/*/refund",
            "**/payments",
            "**/payments/*/captures",
            "**/payments/*/refunds",
            "btl/*/transfers",
        ],
        amounts: &[
            amount_at("amount", "value", "currency"),
            amount_at("modificationAmount", "value", "currency"),
        ],
        unit: Unit::Minor,
        default_currency: None,
        payees: &[
            ("bank", "iban"),
            ("bank", "bankAccountNumber"),
            ("counterparty.bankAccount.accountIdentification", "iban"),
            (
                "counterparty.bankAccount.accountIdentification",
                "accountNumber",
            ),
        ],
    },
    // PayPal: decimal strings; a payout batch's items, v2 captures and
    // refunds (`currency_code`), v1 refunds of sales and captures.
    PaymentApi {
        hosts: &[".paypal.com"],
        paths: &[
            "v1/payments/payouts",
            "v2/payments/captures/*/refund",
            "v2/payments/authorizations/*/capture",
            "v2/checkout/orders/*/capture",
            "v1/payments/sale/*/refund",
            "v1/payments/capture/*/refund",
        ],
        amounts: &[
            amount_at("items[].amount", "value", "currency"),
            amount_at("amount", "value", "currency_code"),
            amount_at("amount", "total", "currency"),
        ],
        unit: Unit::Major,
        default_currency: None,
        payees: &[("items[]", "receiver")],
    },
    // Wise: a transfer spends a quote made earlier (its amount is not on
    // the request) and funding it pays it out; decimal amounts.
    PaymentApi {
        hosts: &[
            "api.wise.com",
            "api.transferwise.com",
            "api.sandbox.transferwise.tech",
        ],
        paths: &[
            "v1/transfers",
            "v3/profiles/*/transfers",
            "v3/profiles/*/transfers/*/payments",
        ],
        amounts: &[
            amount_at("", "sourceAmount", "sourceCurrency"),
            amount_at("", "targetAmount", "targetCurrency"),
        ],
        unit: Unit::Major,
        default_currency: None,
        payees: &[("", "targetAccount")],
    },
    // Modern Treasury: payment orders, `amount` in minor units; with no
    // `currency` the originating account's, unknown here.
    PaymentApi {
        hosts: &["app.moderntreasury.com"],
        paths: &["api/payment_orders", "api/payment_orders/create_async"],
        amounts: &[amount_at("", "amount", "currency")],
        unit: Unit::Minor,
        default_currency: None,
        payees: &[("", "receiving_account_id")],
    },
    // GoCardless: `{"payments": {amount, currency}}` in minor units; a
    // refund is in its payment's currency, not on the request.
    PaymentApi {
        hosts: &["api.gocardless.com", "api-sandbox.gocardless.com"],
        paths: &["payments", "refunds"],
        amounts: &[
            amount_at("payments", "amount", "currency"),
            amount_at("refunds", "amount", "currency"),
        ],
        unit: Unit::Minor,
        default_currency: None,
        payees: &[],
    },
];

/// A request that makes a payment or refund through a payment provider's
/// API ([`PAYMENT_APIS`]; `POST https://api.stripe.com/v1/refunds` with
/// `amount=4000`): its amount in US cents ([`usd_cents`]), `None` when the
/// request does not say it or says it in a way not read here, and who it
/// pays when the request names them.
pub(crate) fn payment(method: &str, url: &str, texts: &[String]) -> Option<ApiPayment> {
    if method != "POST" {
        return None;
    }
    if let Some(payment) = node_payment(texts) {
        return Some(payment);
    }
    let (host, path) = http_host_and_path(url)?;
    if !is_one_of(host, PAYMENT_DOMAINS) {
        return None;
    }
    let host = host.to_ascii_lowercase();
    let api = PAYMENT_APIS.iter().find(|api| {
        api.hosts.iter().any(|h| match h.strip_prefix('.') {
            Some(domain) => host
                .strip_suffix(domain)
                .is_some_and(|sub| sub.is_empty() || sub.ends_with('.')),
            None => host == *h,
        })
    })?;
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    api.paths
        .iter()
        .any(|pattern| path_matches(pattern, &segments))
        .then_some(())?;
    let body = request_body(texts);
    let payees = api
        .payees
        .iter()
        .flat_map(|(at, member)| {
            objects_at(&body, at)
                .into_iter()
                .filter_map(|o| o.get(*member))
        })
        .filter_map(|v| scalar_text(v).map(Cow::into_owned))
        .filter(|payee| !payee.is_empty())
        .collect();
    Some(ApiPayment {
        amount_cents: payment_amount(api, &body),
        payees,
    })
}

/// A wallet node's JSON-RPC call that sends value from the node's own
/// wallet, whatever host the node is on (an organisation's own signer
/// pays out as much as a provider's): Ethereum's `eth_sendTransaction`
/// and `personal_sendTransaction` (and EIP-5792's `wallet_sendCalls`)
/// with a `value` in wei, counted as ether, the dearest EVM native asset;
/// Bitcoin Core's `sendtoaddress`, `sendfrom`, `sendmany` and `send` in
/// BTC, by position or by name, and `sendall`, whose amount is the whole
/// wallet. A batch (a JSON array of calls) pays their total. An already
/// signed transaction (`eth_sendRawTransaction`, `sendrawtransaction`)
/// says nothing readable and is not read here; a transaction with no
/// value is a contract call, not a payment.
fn node_payment(texts: &[String]) -> Option<ApiPayment> {
    let mut found = false;
    let mut total: Option<i64> = Some(0);
    let mut payees = Vec::new();
    for text in texts {
        let Ok(body) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        let calls = match &body {
            Value::Array(calls) => calls.iter().collect(),
            call => vec![call],
        };
        for call in calls {
            let Some(method) = call.get("method").and_then(Value::as_str) else {
                continue;
            };
            let params = call.get("params").unwrap_or(&Value::Null);
            let Some((cents, paid)) = node_call(method, params) else {
                continue;
            };
            found = true;
            total = total.zip(cents).and_then(|(t, c)| t.checked_add(c));
            for payee in paid {
                if !payees.contains(&payee) {
                    payees.push(payee);
                }
            }
        }
    }
    found.then_some(ApiPayment {
        amount_cents: total,
        payees,
    })
}

/// One JSON-RPC call's payment ([`node_payment`]): its amount in US cents
/// (`None` when unreadable) and its payees; `None` when it pays nothing.
fn node_call(method: &str, params: &Value) -> Option<(Option<i64>, Vec<String>)> {
    // A parameter by position, or by name when `params` is an object.
    let param = |at: usize, name: &str| match params {
        Value::Array(items) => items.get(at),
        Value::Object(members) => members.get(name),
        _ => None,
    };
    match method {
        "eth_sendTransaction" | "personal_sendTransaction" | "personal_signAndSendTransaction" => {
            ether_transfers(std::slice::from_ref(param(0, "transaction")?))
        }
        "wallet_sendCalls" => {
            let calls = param(0, "calls")?.get("calls")?.as_array()?;
            ether_transfers(calls)
        }
        "sendtoaddress" => {
            let payee = param(0, "address").and_then(scalar_text)?;
            let amount = param(1, "amount").and_then(scalar_text);
            let cents = amount.and_then(|a| usd_cents(&a, Unit::Major, "BTC"));
            Some((cents, vec![payee.into_owned()]))
        }
        "sendfrom" => {
            let payee = param(1, "toaddress").and_then(scalar_text)?;
            let amount = param(2, "amount").and_then(scalar_text);
            let cents = amount.and_then(|a| usd_cents(&a, Unit::Major, "BTC"));
            Some((cents, vec![payee.into_owned()]))
        }
        "sendmany" => bitcoin_outputs(param(1, "amounts")?),
        "send" => bitcoin_outputs(param(0, "outputs")?),
        "sendall" => {
            let (_, payees) = bitcoin_outputs(param(0, "recipients")?)?;
            Some((None, payees))
        }
        _ => None,
    }
}

/// Ethereum transactions (`{"to": ..., "value": "0x..."}`): the ether
/// their `value`s (wei, hex or decimal) send, and their `to`s; `None`
/// when none sends any value.
fn ether_transfers(transactions: &[Value]) -> Option<(Option<i64>, Vec<String>)> {
    let mut total = Some(0i64);
    let mut payees = Vec::new();
    let mut paying = false;
    for transaction in transactions {
        let Some(value) = transaction.get("value") else {
            continue;
        };
        paying = true;
        let cents = scalar_text(value)
            .and_then(|v| wei_digits(&v))
            .and_then(|digits| usd_cents(&digits, Unit::Minor, "ETH"));
        total = total.zip(cents).and_then(|(t, c)| t.checked_add(c));
        if let Some(to) = transaction.get("to").and_then(scalar_text) {
            payees.push(to.into_owned());
        }
    }
    paying.then_some((total, payees))
}

/// An amount of wei as Ethereum's JSON-RPC writes it (`0x` hexadecimal,
/// or decimal digits), as decimal digits.
fn wei_digits(text: &str) -> Option<String> {
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some("") => Some("0".to_owned()),
        Some(hex) => u128::from_str_radix(hex, 16).ok().map(|n| n.to_string()),
        None => {
            (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.to_owned())
        }
    }
}

/// Bitcoin Core's outputs (`{"ADDR": 0.1}`, `[{"ADDR": 0.1}, {"data":
/// "00"}]`, `["ADDR"]` for `sendall`): their BTC total in US cents and
/// the addresses paid; an address without an amount leaves it unread.
fn bitcoin_outputs(outputs: &Value) -> Option<(Option<i64>, Vec<String>)> {
    let items = match outputs {
        Value::Object(_) => std::slice::from_ref(outputs),
        Value::Array(items) => items.as_slice(),
        _ => return None,
    };
    let mut pairs: Vec<(String, Option<&Value>)> = Vec::new();
    for item in items {
        match item {
            Value::Object(object) => pairs.extend(
                object
                    .iter()
                    .filter(|(address, _)| *address != "data")
                    .map(|(address, amount)| (address.clone(), Some(amount))),
            ),
            Value::String(address) => pairs.push((address.clone(), None)),
            _ => {}
        }
    }
    // Another API's `send` (`{"to": ..., "text": ...}`) names no address.
    if pairs.is_empty() || !pairs.iter().all(|(address, _)| is_coin_address(address)) {
        return None;
    }
    let mut total = Some(0i64);
    for (_, amount) in &pairs {
        let cents = amount
            .and_then(scalar_text)
            .and_then(|a| usd_cents(&a, Unit::Major, "BTC"));
        total = total.zip(cents).and_then(|(t, c)| t.checked_add(c));
    }
    Some((
        total,
        pairs.into_iter().map(|(address, _)| address).collect(),
    ))
}

/// A coin address's shape: base58 (`1...`, `3...`) or bech32 (`bc1...`)
/// text, 26 to 90 letters and digits.
fn is_coin_address(text: &str) -> bool {
    (26..=90).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A custody or exchange API's withdrawal: the request that sends an
/// asset out to an address, and where its body names the beneficiary.
struct WithdrawalApi {
    /// Host names, as [`host_matches`] reads them.
    hosts: &'static [&'static str],
    /// Paths after the authority, as [`PaymentApi::paths`].
    paths: &'static [&'static str],
    /// Where the beneficiary is, as [`PaymentApi::payees`].
    payees: &'static [(&'static str, &'static str)],
}

/// Custody and exchange APIs, from their API references: Fireblocks'
/// transactions to a one-time address, Coinbase's sends (`{"to": ...}`)
/// and Exchange and Prime crypto withdrawals, Kraken's `Withdraw` (to a
/// saved withdrawal `key`, or an `address`).
const WITHDRAWAL_APIS: &[WithdrawalApi] = &[
    WithdrawalApi {
        hosts: &["api.fireblocks.io", "sandbox-api.fireblocks.io"],
        paths: &["v1/transactions"],
        payees: &[
            ("destination.oneTimeAddress", "address"),
            ("destinations[].destination.oneTimeAddress", "address"),
        ],
    },
    WithdrawalApi {
        hosts: &[
            "api.coinbase.com",
            "api.exchange.coinbase.com",
            "api.prime.coinbase.com",
        ],
        paths: &[
            "v2/accounts/*/transactions",
            "withdrawals/crypto",
            "v1/portfolios/*/wallets/*/withdrawals",
        ],
        payees: &[
            ("", "to"),
            ("", "crypto_address"),
            ("blockchain_address", "address"),
        ],
    },
    WithdrawalApi {
        hosts: &["api.kraken.com"],
        paths: &["0/private/Withdraw"],
        payees: &[("", "address"), ("", "key")],
    },
];

/// The second-level labels of [`WITHDRAWAL_APIS`]' hosts.
const WITHDRAWAL_DOMAINS: &[&str] = &["fireblocks", "coinbase", "kraken"];

/// Who a custody or exchange withdrawal ([`WITHDRAWAL_APIS`]) sends an
/// asset to, as its body names them: each is paid, as a payment tool's
/// recipient is (so text that alone names one directs the request). The
/// request itself stays a write to the provider: the asset moves out of
/// the organisation's own account there.
pub(crate) fn withdrawal_payees(method: &str, url: &str, texts: &[String]) -> Vec<String> {
    if method != "POST" {
        return Vec::new();
    }
    let Some((host, path)) = http_host_and_path(url) else {
        return Vec::new();
    };
    if !is_one_of(host, WITHDRAWAL_DOMAINS) {
        return Vec::new();
    }
    let Some(api) = WITHDRAWAL_APIS
        .iter()
        .find(|api| api.hosts.iter().any(|h| host_matches(h, host)))
    else {
        return Vec::new();
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if !api.paths.iter().any(|p| path_matches(p, &segments)) {
        return Vec::new();
    }
    let body = request_body(texts);
    api.payees
        .iter()
        .flat_map(|(at, member)| {
            objects_at(&body, at)
                .into_iter()
                .filter_map(|o| o.get(*member))
        })
        .filter_map(|v| scalar_text(v).map(Cow::into_owned))
        .filter(|payee| !payee.is_empty())
        .collect()
}

/// True when `segments` match `pattern` ([`PaymentApi::paths`]).
fn path_matches(pattern: &str, segments: &[&str]) -> bool {
    fn matches(pattern: &[&str], segments: &[&str]) -> bool {
        match (pattern.split_first(), segments.split_first()) {
            (Some((&"**", rest)), _) => {
                (0..=segments.len()).any(|skip| matches(rest, &segments[skip..]))
            }
            (Some((p, rest)), Some((s, tail))) => {
                (*p == "*" || p.eq_ignore_ascii_case(s)) && matches(rest, tail)
            }
            (None, None) => true,
            _ => false,
        }
    }
    let pattern: Vec<&str> = pattern.split('/').collect();
    matches(&pattern, segments)
}

/// How a message API names a recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Addressee {
    /// E-mail addresses: a string may list several (`a@x.com, B <b@y.org>`).
    Address,
    /// A telephone number, bare or as a URI (`+14155550142`,
    /// `whatsapp:+4915...`): someone outside, whatever reaches them.
    Phone,
    /// A chat on the provider's own network (Telegram's `chat_id`): a
    /// number shaped like a telephone one stays as written; any other id
    /// (`@ops_channel`, `12345`) is written `ID@NETWORK`, a chat hosted on
    /// that network's domain, a third party unless the deployment says
    /// otherwise.
    ChatOn(&'static str),
}

/// A message provider's API: the requests that send a message, and where
/// their bodies name its recipients.
struct MessageApi {
    /// Host names, as [`host_matches`] reads them.
    hosts: &'static [&'static str],
    /// Paths after the authority, as [`PaymentApi::paths`].
    paths: &'static [&'static str],
    /// Whether a `GET` sends too (its query is the message).
    get: bool,
    channel: Channel,
    addressee: Addressee,
    /// Where the recipients are: (object path, member) in
    /// [`AmountAt::at`]'s form; the member holds a string (a list of
    /// addresses), a number, or an array of them.
    recipients: &'static [(&'static str, &'static str)],
    /// Where a whole RFC 822 message is, base64-encoded (standard or URL
    /// alphabet): its `To`, `Cc` and `Bcc` headers name the recipients,
    /// and the decoded message is part of what is sent.
    raw: &'static [(&'static str, &'static str)],
}

/// Message providers' APIs, from their API references. Slack's
/// `chat.postMessage`, and Slack, Teams and Discord incoming webhooks,
/// are not here: they name a channel, not a person, and a bare channel
/// is the organisation's (as a `message_send` tool's is), which the
/// provider's host does not show; they stay requests to that host.
const MESSAGE_APIS: &[MessageApi] = &[
    // Gmail: `{"raw": base64url(RFC 822)}`; the media upload's body is
    // the message itself.
    MessageApi {
        hosts: &["gmail.googleapis.com", "www.googleapis.com"],
        paths: &[
            "gmail/v1/users/*/messages/send",
            "upload/gmail/v1/users/*/messages/send",
        ],
        get: false,
        channel: Channel::Email,
        addressee: Addressee::Address,
        recipients: &[],
        raw: &[("", "raw"), ("message", "raw")],
    },
    // Microsoft Graph: `sendMail` of a message object. Sending a draft
    // (`/me/messages/{id}/send`) names no recipients: not here.
    MessageApi {
        hosts: GRAPH_HOSTS,
        paths: &["*/me/sendMail", "*/users/*/sendMail"],
        get: false,
        channel: Channel::Email,
        addressee: Addressee::Address,
        recipients: &[
            ("message.toRecipients[].emailAddress", "address"),
            ("message.ccRecipients[].emailAddress", "address"),
            ("message.bccRecipients[].emailAddress", "address"),
        ],
        raw: &[],
    },
    // SendGrid v3: each personalization's `to`, `cc` and `bcc`.
    MessageApi {
        hosts: &["api.sendgrid.com"],
        paths: &["v3/mail/send"],
        get: false,
        channel: Channel::Email,
        addressee: Addressee::Address,
        recipients: &[
            ("personalizations[].to[]", "email"),
            ("personalizations[].cc[]", "email"),
            ("personalizations[].bcc[]", "email"),
        ],
        raw: &[],
    },
    // Mailgun: form fields, each a list (`Name <addr>, addr`).
    MessageApi {
        hosts: &["api.mailgun.net", "api.eu.mailgun.net"],
        paths: &["v3/*/messages", "v3/*/messages.mime"],
        get: false,
        channel: Channel::Email,
        addressee: Addressee::Address,
        recipients: &[("", "to"), ("", "cc"), ("", "bcc")],
        raw: &[],
    },
    // Postmark: `To`, `Cc`, `Bcc` comma lists; a batch is an array of
    // such messages (with templates: under `Messages`).
    MessageApi {
        hosts: &["api.postmarkapp.com"],
        paths: &[
            "email",
            "email/batch",
            "email/withTemplate",
            "email/batchWithTemplates",
        ],
        get: false,
        channel: Channel::Email,
        addressee: Addressee::Address,
        recipients: &[
            ("", "To"),
            ("", "Cc"),
            ("", "Bcc"),
            ("Messages[]", "To"),
            ("Messages[]", "Cc"),
            ("Messages[]", "Bcc"),
        ],
        raw: &[],
    },
    // Amazon SES v2: `Destination`, or a raw message's headers.
    MessageApi {
        hosts: &["email.*.amazonaws.com"],
        paths: &["v2/email/outbound-emails"],
        get: false,
        channel: Channel::Email,
        addressee: Addressee::Address,
        recipients: &[
            ("Destination", "ToAddresses"),
            ("Destination", "CcAddresses"),
            ("Destination", "BccAddresses"),
        ],
        raw: &[("Content.Raw", "Data")],
    },
    // Twilio Programmable Messaging: SMS, MMS and WhatsApp to `To`.
    MessageApi {
        hosts: &["api.twilio.com"],
        paths: &[
            "2010-04-01/Accounts/*/Messages.json",
            "2010-04-01/Accounts/*/Messages",
        ],
        get: false,
        channel: Channel::Chat,
        addressee: Addressee::Phone,
        recipients: &[("", "To")],
        raw: &[],
    },
    // Telegram's Bot API (`/bot{token}/{method}`), by GET or POST.
    MessageApi {
        hosts: &["api.telegram.org"],
        paths: &[
            "*/sendMessage",
            "*/sendDocument",
            "*/sendPhoto",
            "*/sendVideo",
            "*/sendAudio",
            "*/sendVoice",
            "*/sendAnimation",
            "*/sendMediaGroup",
            "*/sendLocation",
            "*/sendContact",
            "*/sendPoll",
            "*/forwardMessage",
            "*/copyMessage",
        ],
        get: true,
        channel: Channel::Chat,
        addressee: Addressee::ChatOn("telegram.org"),
        recipients: &[("", "chat_id")],
        raw: &[],
    },
];

/// A message an API request sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiMessage {
    /// E-mail or chat.
    pub channel: Channel,
    /// Who it is sent to, as the request names them; empty when the
    /// request names none that can be read (a raw message built in a
    /// variable, a body read from a file).
    pub recipients: Vec<String>,
    /// Text the request carries encoded: a raw message, decoded.
    pub decoded: Vec<String>,
    /// The recipients were read from a message text the request was
    /// built from (`printf 'To: ...' | base64`), not from the request's
    /// own body: what else went into that message is not known.
    pub from_source_text: bool,
}

/// A request that sends an e-mail or chat message through a provider's
/// API ([`MESSAGE_APIS`]; `POST https://api.sendgrid.com/v3/mail/send`):
/// its channel and recipients. `None` for any other request, answered
/// from the method and host without allocating.
pub(crate) fn message(method: &str, url: &str, texts: &[String]) -> Option<ApiMessage> {
    let get = match method {
        "POST" => false,
        "GET" => true,
        _ => return None,
    };
    let (host, path) = http_host_and_path(url)?;
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let path = path.split('#').next().unwrap_or_default();
    let query = query.split('#').next().unwrap_or_default();
    let catalogued = || {
        if !is_one_of(host, MESSAGE_DOMAINS) {
            return None;
        }
        let api = MESSAGE_APIS
            .iter()
            .find(|api| (!get || api.get) && api.hosts.iter().any(|h| host_matches(h, host)))?;
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        api.paths
            .iter()
            .any(|pattern| path_matches(pattern, &segments))
            .then_some(api)
    };
    let Some(api) = catalogued() else {
        return if get {
            None
        } else {
            general_message(url, host, path, query, texts)
        };
    };
    let bodies = message_bodies(texts, query);
    let mut recipients = Vec::new();
    for body in &bodies {
        for (at, member) in api.recipients {
            for value in objects_at(body, at)
                .into_iter()
                .filter_map(|o| o.get(*member))
            {
                push_recipients(value, api.addressee, &mut recipients);
            }
        }
    }
    let mut decoded = Vec::new();
    for body in &bodies {
        for (at, member) in api.raw {
            for value in objects_at(body, at)
                .into_iter()
                .filter_map(|o| o.get(*member))
            {
                let Some(text) = value.as_str().and_then(decode_base64) else {
                    continue;
                };
                recipients.extend(header_recipients(&text));
                decoded.push(text);
            }
        }
    }
    // A raw message the request does not carry readably (`"$raw"`, a
    // body read from a file): the message text it was built from, when
    // the shell analysis saw one flow into the request (Gmail's media
    // upload sends that text as it is).
    let mut from_source_text = false;
    if recipients.is_empty() && !api.raw.is_empty() {
        for text in texts {
            let found = header_recipients(text);
            from_source_text |= !found.is_empty();
            recipients.extend(found);
        }
    }
    let mut unique: Vec<String> = Vec::with_capacity(recipients.len());
    for recipient in recipients {
        if !unique.contains(&recipient) {
            unique.push(recipient);
        }
    }
    Some(ApiMessage {
        channel: api.channel,
        recipients: unique,
        decoded,
        from_source_text,
    })
}

/// Path segments that say a request sends (`/send`, `/sendMail`,
/// `/messages`, `/notifications/email`): compared [`normalized`], and any
/// segment starting `send` (not `sender`).
const SEND_SEGMENTS: &[&str] = &[
    "messages",
    "message",
    "notifications",
    "notification",
    "mail",
    "email",
    "emails",
    "sms",
];
/// The channel a sending collection's last segment names
/// (`notifications/sms`): its body may name the recipient plainly.
const CHANNEL_SEGMENTS: &[&str] = &["email", "sms", "text"];
/// Members that name a message's recipients, at any depth
/// (`message.toRecipients`, `Messages[].To`), as [`key_word`] reads them.
const RECIPIENT_KEYS: &[&str] = &[
    "to",
    "cc",
    "bcc",
    "recipient",
    "recipients",
    "torecipients",
    "ccrecipients",
    "bccrecipients",
    "toaddresses",
    "ccaddresses",
    "bccaddresses",
];
/// Members of a recipient object, or of a channel path's body
/// (notify.gov's `email_address`, `phone_number`), that hold its address.
const ADDRESS_KEYS: &[&str] = &[
    "email",
    "emailaddress",
    "address",
    "phone",
    "phonenumber",
    "number",
];

/// A message a `POST` to a path that says it sends ([`SEND_SEGMENTS`])
/// addresses by its body's conventional members ([`RECIPIENT_KEYS`];
/// [`ADDRESS_KEYS`] at the top of a `notifications/email` body): each an
/// e-mail address or a telephone number, the only values read, so a body
/// naming a channel or an id is no message here. `None` for any other
/// request, answered from its path without allocating.
fn general_message(
    url: &str,
    host: &str,
    path: &str,
    query: &str,
    texts: &[String],
) -> Option<ApiMessage> {
    let (mut sends, mut channel_path, mut after_collection) = (false, false, false);
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        // Each segment normalised once; most paths fail on the first bytes.
        let word: String = normalized(segment).collect();
        let starts_send = word.starts_with("send") && !word.starts_with("sender");
        sends |= starts_send || SEND_SEGMENTS.contains(&word.as_str());
        channel_path = after_collection && CHANNEL_SEGMENTS.contains(&word.as_str());
        after_collection = matches!(
            word.as_str(),
            "messages" | "message" | "notifications" | "notification"
        );
    }
    if !sends || is_one_of(host, PAYMENT_DOMAINS) {
        return None;
    }
    let mut recipients = Vec::new();
    for body in message_bodies(texts, query) {
        if channel_path && let Value::Object(map) = &body {
            for (key, value) in map {
                if ADDRESS_KEYS.contains(&form_base(key).as_str()) {
                    push_addresses(value, &mut recipients);
                }
            }
        }
        push_named_recipients(&body, 0, &mut recipients);
    }
    if recipients.is_empty() {
        return None;
    }
    let mut unique: Vec<String> = Vec::with_capacity(recipients.len());
    for recipient in recipients {
        if !unique.contains(&recipient) {
            unique.push(recipient);
        }
    }
    let channel = if unique.iter().any(|r| r.contains('@')) {
        Channel::Email
    } else {
        Channel::Chat
    };
    // The host is no provider known to deliver and keep nothing: it reads
    // the whole message too, as one of its recipients.
    unique.push(url.split(['?', '#']).next().unwrap_or(url).to_owned());
    Some(ApiMessage {
        channel,
        recipients: unique,
        decoded: Vec::new(),
        from_source_text: false,
    })
}

/// A body member's key as [`key_word`] reads it, without a form's `[...]`
/// subkeys (`recipients[0][email]` is `recipients`).
fn form_base(key: &str) -> String {
    key_word(key.split('[').next().unwrap_or(key))
}

/// The recipients [`RECIPIENT_KEYS`] members name in `value`, at any depth
/// to four.
fn push_named_recipients(value: &Value, depth: usize, out: &mut Vec<String>) {
    if depth > 4 {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                if RECIPIENT_KEYS.contains(&form_base(key).as_str()) {
                    push_addresses(value, out);
                } else {
                    push_named_recipients(value, depth + 1, out);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                push_named_recipients(item, depth + 1, out);
            }
        }
        _ => {}
    }
}

/// The e-mail addresses and telephone numbers a recipient member holds: a
/// string (an address list, a number), an object's [`ADDRESS_KEYS`]
/// member (Graph's `emailAddress.address`), or an array of those.
fn push_addresses(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) => {
            for item in address_list(text) {
                if is_email_address(&item) {
                    out.push(item);
                } else if is_phone_number(&item) {
                    out.push(item.chars().filter(|c| !c.is_whitespace()).collect());
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                push_addresses(item, out);
            }
        }
        Value::Object(map) => {
            for (key, value) in map {
                if ADDRESS_KEYS.contains(&key_word(key).as_str()) {
                    push_addresses(value, out);
                }
            }
        }
        _ => {}
    }
}

/// `local@domain.tld`, nothing else.
fn is_email_address(text: &str) -> bool {
    text.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !text.contains(char::is_whitespace)
            && !domain.contains('@')
    })
}

/// A telephone number as messages are addressed: digits, perhaps spaced
/// or dashed, at least seven after a `+` (E.164) and ten without (a
/// national number with its area code).
fn is_phone_number(text: &str) -> bool {
    let text = text.trim();
    let (plus, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let digits = rest.bytes().filter(u8::is_ascii_digit).count();
    digits >= if plus { 7 } else { 10 }
        && rest
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || b == b'(')
        && rest
            .bytes()
            .all(|b| b.is_ascii_digit() || b" -().".contains(&b))
}

/// Whether a request text belongs to the request rather than to the
/// message it sends: an HTTP header line (`Authorization: Bearer ...`),
/// `user:password` credentials, a header's bare value (`Bearer $TOKEN`).
/// Bodies (JSON, form pairs) and whole messages are the message's.
pub(crate) fn is_request_text(text: &str) -> bool {
    let text = text.trim();
    if text.starts_with(['{', '[']) && serde_json::from_str::<Value>(text).is_ok() {
        return false;
    }
    if text.contains('\n') || text.contains("\\n") {
        // Several lines: a body or a message, not one header.
        return header_recipients(text).is_empty() && !text.contains('=');
    }
    match text.split_once(": ") {
        Some((name, _)) if is_header_name(name) => true,
        _ => !text.contains('='),
    }
}

/// `name` of a `Name: value` header line: a token of letters, digits and
/// dashes.
fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// True when `host` is named by `pattern`: equal (ignoring case), under a
/// `.domain` pattern, or matching a pattern's `*` label
/// (`email.*.amazonaws.com`).
/// An `http(s)://` URL's host (without user information or port) and what
/// follows the authority's `/`; `None` for any other scheme.
fn http_host_and_path(url: &str) -> Option<(&str, &str)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    Some((host.split(':').next().unwrap_or(host), path))
}

/// Microsoft Graph's hosts: the global service and the national clouds
/// (US Government L4 and L5, China), one API.
const GRAPH_HOSTS: &[&str] = &[
    "graph.microsoft.com",
    "graph.microsoft.us",
    "dod-graph.microsoft.us",
    "microsoftgraph.chinacloudapi.cn",
];

/// The second-level labels of [`PAYMENT_APIS`]' hosts, and of
/// [`MESSAGE_APIS`]': most requests are to neither, and are told so from
/// one label before the tables are searched.
const PAYMENT_DOMAINS: &[&str] = &[
    "stripe",
    "adyen",
    "adyenpayments",
    "paypal",
    "wise",
    "transferwise",
    "moderntreasury",
    "gocardless",
];
const MESSAGE_DOMAINS: &[&str] = &[
    "googleapis",
    "microsoft",
    "chinacloudapi",
    "sendgrid",
    "mailgun",
    "postmarkapp",
    "amazonaws",
    "twilio",
    "telegram",
];

/// True when `host`'s second-level label (`stripe` of `api.stripe.com`)
/// is one of `labels`.
fn is_one_of(host: &str, labels: &[&str]) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let Some(end) = host.rfind('.') else {
        return false;
    };
    let start = host[..end].rfind('.').map_or(0, |dot| dot + 1);
    let label = &host[start..end];
    labels.iter().any(|l| l.eq_ignore_ascii_case(label))
}

fn host_matches(pattern: &str, host: &str) -> bool {
    if let Some(domain) = pattern.strip_prefix('.') {
        let split = host.len().saturating_sub(domain.len());
        return host
            .get(split..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(domain))
            && host
                .get(..split)
                .is_some_and(|sub| sub.is_empty() || sub.ends_with('.'));
    }
    if !pattern.contains('*') {
        return pattern.eq_ignore_ascii_case(host);
    }
    let mut labels = host.split('.');
    pattern.split('.').all(|p| {
        labels
            .next()
            .is_some_and(|l| !l.is_empty() && (p == "*" || p.eq_ignore_ascii_case(l)))
    }) && labels.next().is_none()
}

/// A message request's bodies: each JSON object (each element of a JSON
/// array: a batch), and the form pairs of the other texts and of the
/// URL's `query` as one object whose members hold every value given.
fn message_bodies(texts: &[String], query: &str) -> Vec<Value> {
    let mut bodies = Vec::new();
    let mut form = serde_json::Map::new();
    let mut pair = |key: &str, value: &str| {
        let value = Value::String(percent_decode(value).into_owned());
        let slot = form
            .entry(percent_decode(key).into_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(values) = slot {
            values.push(value);
        }
    };
    for text in texts {
        match serde_json::from_str::<Value>(text.trim()) {
            Ok(Value::Array(items)) => bodies.extend(items),
            Ok(object @ Value::Object(_)) => bodies.push(object),
            _ if is_request_text(text) => {}
            _ => {
                for line in text.lines() {
                    for (key, value) in line.split('&').filter_map(|p| p.split_once('=')) {
                        pair(key, value);
                    }
                }
            }
        }
    }
    for (key, value) in query.split('&').filter_map(|p| p.split_once('=')) {
        pair(key, value);
    }
    if !form.is_empty() {
        bodies.push(Value::Object(form));
    }
    bodies
}

/// The recipients a body member names: a string (for addresses, a list
/// of them), a number (a chat id), or an array of those.
fn push_recipients(value: &Value, addressee: Addressee, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => {
            for item in items {
                push_recipients(item, addressee, out);
            }
        }
        Value::String(text) => match addressee {
            Addressee::Address => out.extend(address_list(text)),
            Addressee::Phone => out.extend(
                Some(text.trim())
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned),
            ),
            Addressee::ChatOn(network) => out.extend(chat_recipient(text, network)),
        },
        Value::Number(n) => match addressee {
            Addressee::ChatOn(network) => out.extend(chat_recipient(&n.to_string(), network)),
            _ => out.push(n.to_string()),
        },
        _ => {}
    }
}

/// A chat id on `network` as a recipient ([`Addressee::ChatOn`]).
fn chat_recipient(id: &str, network: &str) -> Option<String> {
    let id = id.trim();
    if id.is_empty() {
        return None;
    }
    let digits = id.bytes().filter(u8::is_ascii_digit).count();
    if digits >= 7
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'-' || b == b'+')
    {
        return Some(id.to_owned());
    }
    Some(format!("{}@{network}", id.trim_start_matches('@')))
}

/// The addresses of an address list (`a@x.com, "Doe, J" <j@y.org>`,
/// `mailto:` prefixes allowed): each item's `<addr>` if it has one, else
/// the item itself. A comma inside quotes or angle brackets does not
/// separate.
fn address_list(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let (mut start, mut quoted, mut angle) = (0, false, false);
    for (at, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' | ';' if !quoted && !angle => {
                items.push(&text[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(&text[start..]);
    items
        .into_iter()
        .filter_map(|item| {
            let item = item.trim();
            let address = match (item.rfind('<'), item.rfind('>')) {
                (Some(open), Some(close)) if open < close => &item[open + 1..close],
                _ => item,
            };
            let address = address.trim();
            let address = address
                .get(..7)
                .filter(|p| p.eq_ignore_ascii_case("mailto:"))
                .map_or(address, |_| &address[7..]);
            (!address.is_empty()).then(|| address.to_owned())
        })
        .collect()
}

/// The recipients an RFC 822 message names in its `To`, `Cc` and `Bcc`
/// headers (folded lines unfolded); none when `text` does not start with
/// a header block. Line ends may be CRLF, LF, or still written as the
/// `\r\n` escapes of the `printf` that builds the message.
fn header_recipients(text: &str) -> Vec<String> {
    let text: Cow<'_, str> = if text.contains("\\n") || text.contains("\\r") {
        Cow::Owned(
            text.replace("\\r\\n", "\n")
                .replace("\\n", "\n")
                .replace("\\r", ""),
        )
    } else {
        Cow::Borrowed(text)
    };
    // Unfolded header lines, up to the blank line that ends them.
    let mut headers: Vec<String> = Vec::new();
    for line in text.split('\n').map(|l| l.trim_end_matches('\r')) {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            match headers.last_mut() {
                Some(last) => {
                    last.push(' ');
                    last.push_str(line.trim());
                }
                None => return Vec::new(),
            }
            continue;
        }
        match line.split_once(':') {
            Some((name, _)) if is_header_name(name) => headers.push(line.to_owned()),
            _ => return Vec::new(),
        }
    }
    headers
        .iter()
        .filter_map(|h| h.split_once(':'))
        .filter(|(name, _)| {
            ["to", "cc", "bcc"]
                .iter()
                .any(|n| name.trim().eq_ignore_ascii_case(n))
        })
        .flat_map(|(_, value)| address_list(value))
        .collect()
}

/// Base64 in either alphabet (`+/` or the URL's `-_`), padded or not,
/// line breaks ignored; `None` for anything else (`$raw`), or bytes that
/// are not text.
fn decode_base64(text: &str) -> Option<String> {
    writ_shell::decode_base64_text(text, true).filter(|t| !t.is_empty())
}

/// `%XX` escapes decoded; text with none, or a bad one, as it is.
fn percent_decode(text: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .unwrap_or(Cow::Borrowed(text))
}

/// A request's body as one JSON object: the members of JSON texts, and
/// form pairs and header lines ([`fields`]) as strings. A form key given
/// different values holds them all, as an array: no one amount.
fn request_body(texts: &[String]) -> Value {
    let mut body = serde_json::Map::new();
    for text in texts {
        if let Ok(Value::Object(object)) = serde_json::from_str::<Value>(text) {
            for (key, value) in object {
                body.entry(key).or_insert(value);
            }
            continue;
        }
        for (key, value) in fields(std::slice::from_ref(text)) {
            let value = Value::String(value);
            match body.entry(key) {
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                serde_json::map::Entry::Occupied(mut slot) => match slot.get_mut() {
                    Value::Array(values) if !values.contains(&value) => values.push(value),
                    Value::Array(_) => {}
                    existing if *existing != value => {
                        let first = existing.take();
                        *existing = Value::Array(vec![first, value]);
                    }
                    _ => {}
                },
            }
        }
    }
    Value::Object(body)
}

/// The amount `api` reads from `body`, in US cents: the first of its
/// [`PaymentApi::amounts`] the body has, summed over the objects holding
/// it; `None` when there is none, or one is unreadable.
fn payment_amount(api: &PaymentApi, body: &Value) -> Option<i64> {
    for place in api.amounts {
        let holders: Vec<&Value> = objects_at(body, place.at)
            .into_iter()
            .filter(|holder| holder.get(place.amount).is_some())
            .collect();
        if holders.is_empty() {
            continue;
        }
        let mut total: i64 = 0;
        for holder in holders {
            let amount = scalar_text(holder.get(place.amount)?)?;
            let currency = match holder.get(place.currency) {
                Some(value) => scalar_text(value)?,
                None => Cow::Borrowed(api.default_currency?),
            };
            total = total.checked_add(usd_cents(&amount, api.unit, &currency)?)?;
        }
        return Some(total);
    }
    None
}

/// The objects at a dotted `path` of `value` ([`AmountAt::at`]).
fn objects_at<'v>(value: &'v Value, path: &str) -> Vec<&'v Value> {
    let mut found = vec![value];
    for step in path.split('.').filter(|s| !s.is_empty()) {
        let (key, each) = match step.strip_suffix("[]") {
            Some(key) => (key, true),
            None => (step, false),
        };
        found = found
            .into_iter()
            .filter_map(|v| v.get(key))
            .flat_map(|v| match v {
                Value::Array(items) if each => items.iter().collect(),
                _ if each => Vec::new(),
                other => vec![other],
            })
            .collect();
    }
    found
}

/// A string's text or a number's digits; `None` for anything else.
fn scalar_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(s) => Some(Cow::Borrowed(s.trim())),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// Whether an amount counts a currency's major units (`4.50` dollars) or
/// its minor units (`450` cents; for a zero-decimal currency such as JPY
/// the two are the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Major,
    Minor,
}

/// Currencies an amount is converted from: ISO 4217 code, the decimal
/// digits of its minor unit, and the most one unit was worth in US
/// dollars, in millionths of a dollar.
///
/// The worth is the highest daily USD rate from January 2015 to June 2025,
/// rounded up to two significant figures (table made 2025-07), so a
/// conversion never puts an amount under the limit it is really over; a
/// pegged currency's is its peg's. Review it yearly, and raise a rate
/// whenever a currency trades above it. Where ISO 4217 and providers
/// disagree on the minor unit (Stripe pays HUF and TWD out in whole units,
/// ISK and IDR have none at some providers), the table takes the fewer
/// digits, so that an amount is never read as smaller than it is. A
/// currency not listed is not converted: its amounts are unreadable.
const CURRENCIES: &[(&str, u32, u128)] = &[
    ("USD", 2, 1_000_000),
    ("EUR", 2, 1_260_000),
    ("GBP", 2, 1_600_000),
    ("CHF", 2, 1_300_000),
    ("JPY", 0, 11_000),
    ("CAD", 2, 870_000),
    ("AUD", 2, 830_000),
    ("NZD", 2, 790_000),
    ("SEK", 2, 130_000),
    ("NOK", 2, 140_000),
    ("DKK", 2, 170_000),
    ("PLN", 2, 310_000),
    ("CZK", 2, 51_000),
    ("HUF", 0, 4_200),
    ("RON", 2, 280_000),
    ("BGN", 2, 650_000),
    ("ISK", 0, 11_000),
    ("TRY", 2, 430_000),
    ("ILS", 2, 340_000),
    ("AED", 2, 280_000),
    ("SAR", 2, 270_000),
    ("QAR", 2, 280_000),
    ("BHD", 3, 2_700_000),
    ("KWD", 3, 3_500_000),
    ("OMR", 3, 2_700_000),
    ("JOD", 3, 1_500_000),
    ("TND", 3, 550_000),
    ("INR", 2, 17_000),
    ("CNY", 2, 170_000),
    ("HKD", 2, 130_000),
    ("SGD", 2, 800_000),
    ("KRW", 0, 960),
    ("TWD", 0, 37_000),
    ("THB", 2, 34_000),
    ("MYR", 2, 290_000),
    ("IDR", 0, 81),
    ("PHP", 2, 23_000),
    ("VND", 0, 47),
    ("MXN", 2, 69_000),
    ("BRL", 2, 390_000),
    ("CLP", 0, 1_700),
    ("COP", 2, 430),
    ("ZAR", 2, 90_000),
    ("NGN", 2, 5_500),
    ("KES", 2, 12_000),
    ("EGP", 2, 140_000),
    ("XOF", 0, 2_000),
    ("XAF", 0, 2_000),
    // Crypto assets, by ticker, with the decimals of their base unit
    // (satoshi, wei, lamport, yoctoNEAR) as the minor unit, at their
    // highest daily USD price from January 2015 to June 2025, rounded up:
    // BTC $111,970 (2025-05), ETH $4,878 (2021-11), SOL $294 (2025-01),
    // NEAR $20.44 (2022-01). Dollar stablecoins are worth their peg.
    ("BTC", 8, 120_000_000_000),
    ("ETH", 18, 4_900_000_000),
    ("SOL", 9, 300_000_000),
    ("NEAR", 24, 21_000_000),
    ("USDC", 6, 1_000_000),
    ("USDT", 6, 1_000_000),
    ("DAI", 18, 1_000_000),
];

/// `amount` (decimal digits, `4.50`, `450`, `4.5e2`) of `currency` (an
/// ISO 4217 code, any case) counted in `unit`s, as whole US cents rounded
/// up, converted at [`CURRENCIES`]' rates. `None` for a negative or
/// malformed amount, an unknown currency, or an amount too large to count.
pub(crate) fn usd_cents(amount: &str, unit: Unit, currency: &str) -> Option<i64> {
    let (_, exponent, micro_usd) = CURRENCIES
        .iter()
        .find(|(code, _, _)| code.eq_ignore_ascii_case(currency.trim()))?;
    let (digits, mut scale) = decimal(amount)?;
    if unit == Unit::Minor {
        scale = scale.checked_add(i64::from(*exponent))?;
    }
    // cents = digits / 10^scale units × micro_usd / 10^6 × 100.
    let numerator = digits.checked_mul(*micro_usd)?;
    let shift = scale.checked_add(4)?;
    let cents = if shift >= 0 {
        let divisor = 10u128.checked_pow(u32::try_from(shift).ok()?)?;
        numerator.div_ceil(divisor)
    } else {
        numerator.checked_mul(10u128.checked_pow(u32::try_from(-shift).ok()?)?)?
    };
    i64::try_from(cents).ok()
}

/// A non-negative decimal (`1250.50`, `+3`, `4.5e2`) as its digits and the
/// power of ten they are divided by; `None` for anything else.
fn decimal(text: &str) -> Option<(u128, i64)> {
    let text = text.trim();
    let text = text.strip_prefix('+').unwrap_or(text);
    let (number, exponent) = match text.split_once(['e', 'E']) {
        Some((number, exponent)) => (number, exponent.parse::<i64>().ok()?),
        None => (text, 0),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut digits: u128 = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        digits = digits.checked_mul(10)?.checked_add(u128::from(b - b'0'))?;
    }
    let scale = i64::try_from(fraction.len()).ok()?.checked_sub(exponent)?;
    Some((digits, scale))
}

/// A state-changing request.
struct Request<'u> {
    host: String,
    /// The path after the authority, with its query.
    path: &'u str,
    /// GitLab's API path after `/api/v4/`.
    gitlab: Option<&'u str>,
    /// Bitbucket's API path: Cloud's after `api.bitbucket.org/2.0/`,
    /// Server's and Data Center's after `/rest/api/1.0/`.
    bitbucket: Option<&'u str>,
    /// One of the APIs catalogued here ([`catalogued_effects`]).
    catalogued: bool,
}

impl<'u> Request<'u> {
    /// `None` for a read, or a URL that is not `http(s)`: answered before
    /// any body is read.
    fn parse(method: &str, url: &'u str) -> Option<Self> {
        if matches!(
            method,
            "GET" | "HEAD" | "OPTIONS" | "DOWNLOAD" | "LOOKUP" | "CONNECT"
        ) {
            return None;
        }
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        let (host, path) = http_host_and_path(url)?;
        let host = host.to_ascii_lowercase();
        let gitlab = rest
            .split_once("/api/v4/")
            .filter(|(before, _)| !before.contains('/'))
            .map(|(_, api_path)| api_path);
        let bitbucket = if host == "api.bitbucket.org" {
            path.strip_prefix("2.0/")
        } else {
            path.strip_prefix("rest/api/1.0/")
        };
        let catalogued = host == "api.github.com"
            || gitlab.is_some()
            || bitbucket.is_some()
            || is_storage_host(&host)
            || is_directory_path(method, path)
            || GRAPH_HOSTS.contains(&host.as_str())
            || matches!(
                host.as_str(),
                "www.googleapis.com"
                    | "content.googleapis.com"
                    | "admin.googleapis.com"
                    | "cloudidentity.googleapis.com"
                    | "api.dropboxapi.com"
                    | "iam.amazonaws.com"
                    | "huggingface.co"
            );
        Some(Self {
            host,
            path,
            gitlab,
            bitbucket,
            catalogued,
        })
    }
}

/// True when a request of `method` to `url` may mean more than a send
/// ([`api_effects`] has something to read): any write over HTTP(S).
pub(crate) fn may_change(method: &str, url: &str) -> bool {
    Request::parse(method, url).is_some()
}

/// True when a request whose [`api_effects`] are `effects` is made to share
/// and for nothing else: it grants access or makes a resource public (a
/// Drive permission, a Dropbox shared link, a Graph `invite`, a collaborator
/// added), as a share tool's call does. The request is then a share, which
/// has its own rules instead of `EXTERNAL_WRITE`, while still an external
/// write for the others. An upload stays an upload whatever access it
/// sets (`curl -T`, an object `PUT` with `x-amz-acl: public-read`): what it
/// sends is content; only a bucket's or object's ACL, policy or IAM
/// request is a share.
pub(crate) fn is_share(method: &str, url: &str, texts: &[String], effects: &[Effect]) -> bool {
    if method == "UPLOAD"
        || effects.is_empty()
        || !effects
            .iter()
            .all(|e| matches!(e, Effect::GrantAccess { .. } | Effect::MakePublic { .. }))
    {
        return false;
    }
    let Some((_, path)) = http_host_and_path(url) else {
        return true;
    };
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let parts = exposure::Parts::new(method, &segments, query, texts);
    match bucket_and_rest(url, &segments) {
        Some((_, after)) => exposure::sets_access(&parts, after),
        // A storage protocol's request on another host: as a bucket's.
        None if exposure::opens_to_everyone(&parts) => exposure::sets_access(&parts, &segments),
        None => true,
    }
}

/// A request's [`fields`] and its query's `k=v` pairs (`?acl` is `acl`
/// with an empty value).
fn fields_and_query(texts: &[String], query: &str) -> Vec<(String, String)> {
    let mut fields = fields(texts);
    fields.extend(query.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k.to_owned(), v.to_owned())
    }));
    fields
}

/// Hosts of S3 and GCS (`BUCKET.s3.REGION.amazonaws.com`,
/// `storage.googleapis.com`, `BUCKET.storage.googleapis.com`).
fn is_storage_host(host: &str) -> bool {
    (host.ends_with(".amazonaws.com")
        && host
            .split('.')
            .any(|label| label == "s3" || label.starts_with("s3-")))
        || host == "storage.googleapis.com"
        || host == "storage.cloud.google.com"
        || host.ends_with(".storage.googleapis.com")
}

/// A body's fields as `(key, value)`: members of a JSON object (nested
/// objects too), `k=v` form pairs, and `Name: value` header lines (the
/// name lower-cased).
fn fields(texts: &[String]) -> Vec<(String, String)> {
    fn members(value: &Value, out: &mut Vec<(String, String)>) {
        if let Value::Object(map) = value {
            for (key, value) in map {
                match value {
                    Value::String(s) => out.push((key.clone(), s.clone())),
                    Value::Object(_) => {
                        out.push((key.clone(), value.to_string()));
                        members(value, out);
                    }
                    other => out.push((key.clone(), other.to_string())),
                }
            }
        }
    }
    let mut out = Vec::new();
    for text in texts {
        match serde_json::from_str::<Value>(text) {
            Ok(value @ Value::Object(_)) => members(&value, &mut out),
            _ => {
                for line in text.lines() {
                    if let Some((name, value)) = line.split_once(": ")
                        && !name.contains(['=', '&', ' '])
                    {
                        out.push((name.to_ascii_lowercase(), value.trim().to_owned()));
                        continue;
                    }
                    out.extend(line.split('&').filter_map(|pair| {
                        let (k, v) = pair.split_once('=')?;
                        Some((k.to_owned(), v.to_owned()))
                    }));
                }
            }
        }
    }
    out
}

fn field<'f>(fields: &'f [(String, String)], key: &str) -> Option<&'f str> {
    fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// Canned ACLs ([`writ_shell::is_public_acl`]) and GCS grantees that open
/// a resource to anyone.
fn is_public_acl(value: &str) -> bool {
    writ_shell::is_public_acl(value) || matches!(value, "allUsers" | "allAuthenticatedUsers")
}

/// S3 and GCS over HTTP: a public ACL (`x-amz-acl`/`x-goog-acl` header,
/// `predefinedAcl`, a grant, ACL or policy admitting everyone, the public
/// access block lifted: [`exposure`]) makes the bucket public, a policy or
/// `?acl` grant naming accounts gives them access; `DELETE` of the bucket
/// itself deletes it and its contents, of an object the object, of a
/// configuration ([`exposure::deletes_configuration`]) no data. `None`
/// when `url` names no bucket.
fn storage(
    url: &str,
    method: &str,
    segments: &[&str],
    query: &str,
    texts: &[String],
) -> Option<Vec<Effect>> {
    let (bucket, after) = bucket_and_rest(url, segments)?;
    let parts = &exposure::Parts::new(method, segments, query, texts);
    let resource = Resource::Bucket {
        scheme: bucket.scheme.clone(),
        name: bucket.name.clone(),
    };
    if method == "DELETE" && !exposure::deletes_configuration(parts, after) {
        let whole = after.is_empty();
        let target = if whole {
            format!("{}://{}", bucket.scheme, bucket.name)
        } else {
            format!("{}://{}/{}", bucket.scheme, bucket.name, after.join("/"))
        };
        return Some(vec![Effect::RemoteDelete {
            target: Target::Url { url: target },
            recursive: whole,
        }]);
    }
    if google_public(parts, after) {
        return Some(vec![Effect::MakePublic { resource }]);
    }
    Some(
        exposure::protocol_effect(parts, resource)
            .into_iter()
            .collect(),
    )
}

/// GCS's own readings of a public grant: a predefined ACL
/// (`predefinedAcl`, `predefinedDefaultObjectAcl`), an ACL entry's or a
/// form's public value (`entity`, `acl`), or an ACL or IAM request
/// (`acl`, `defaultObjectAcl`, `iam`) naming everyone (`allUsers`). A
/// bucket policy is its document's to decide ([`exposure`]).
fn google_public(parts: &exposure::Parts<'_>, after: &[&str]) -> bool {
    let fields = parts.fields();
    [
        "predefinedAcl",
        "predefinedDefaultObjectAcl",
        "acl",
        "entity",
    ]
    .iter()
    .any(|key| field(fields, key).is_some_and(is_public_acl))
        || (!parts.puts_policy()
            && exposure::sets_access(parts, after)
            && parts.texts().iter().any(|t| writ_shell::grants_everyone(t)))
}

/// The bucket `url` names, and what follows it in the path (`segments`):
/// the object key, or the JSON API's `o/OBJECT`, `acl`, `iam`. `None`
/// when `url` names no bucket.
fn bucket_and_rest<'s>(
    url: &str,
    segments: &'s [&'s str],
) -> Option<(writ_detect::destination::Bucket, &'s [&'s str])> {
    let bucket = writ_detect::destination::parse_destination(url)?.bucket?;
    let after = match segments
        .iter()
        .position(|s| s.eq_ignore_ascii_case(&bucket.name))
    {
        Some(at) => &segments[at + 1..],
        None => segments,
    };
    Some((bucket, after))
}

/// Google Drive: `POST drive/v3/files/ID/permissions` shares the file, with
/// `type=anyone` with anyone.
fn drive(segments: &[&str], fields: &[(String, String)]) -> Vec<Effect> {
    let ["drive", _, "files", id, "permissions", ..] = segments else {
        return Vec::new();
    };
    let resource = Resource::Other {
        name: format!("drive file {id}"),
    };
    match field(fields, "type") {
        Some("anyone") => vec![Effect::MakePublic { resource }],
        kind => vec![Effect::GrantAccess {
            resource,
            grantee: field(fields, "emailAddress")
                .or_else(|| field(fields, "domain"))
                .or(kind)
                .map(str::to_owned),
        }],
    }
}

/// The Hugging Face Hub: `PUT api/KIND/OWNER/NAME/settings` with
/// `private: false` makes the repository public.
fn hub(segments: &[&str], fields: &[(String, String)]) -> Vec<Effect> {
    let [
        "api",
        "models" | "datasets" | "spaces",
        owner,
        name,
        "settings",
    ] = segments
    else {
        return Vec::new();
    };
    let public = field(fields, "private").is_some_and(|v| v.eq_ignore_ascii_case("false"))
        || field(fields, "visibility").is_some_and(|v| v.eq_ignore_ascii_case("public"));
    if !public {
        return Vec::new();
    }
    vec![Effect::MakePublic {
        resource: Resource::Repo {
            host: "huggingface.co".to_owned(),
            slug: Some(format!("{owner}/{name}")),
        },
    }]
}

/// Dropbox: a shared link is public unless its settings say otherwise;
/// adding members to a file or folder grants them access.
fn dropbox(segments: &[&str], fields: &[(String, String)]) -> Vec<Effect> {
    let path = field(fields, "path").unwrap_or("dropbox file").to_owned();
    match segments {
        [
            "2",
            "sharing",
            "create_shared_link_with_settings" | "create_shared_link",
        ] => {
            let restricted = ["requested_visibility", "audience", "access"]
                .iter()
                .filter_map(|key| field(fields, key))
                .any(|v| v.contains("team") || v.contains("password") || v.contains("no_one"));
            if restricted {
                Vec::new()
            } else {
                vec![Effect::MakePublic {
                    resource: Resource::Other { name: path },
                }]
            }
        }
        [
            "2",
            "sharing",
            "add_file_member" | "add_folder_member" | "share_folder",
        ] => {
            vec![Effect::GrantAccess {
                resource: Resource::Other { name: path },
                grantee: field(fields, "email").map(str::to_owned),
            }]
        }
        _ => Vec::new(),
    }
}

/// True when a `method` request to `path` (after the authority, query
/// included) has the shape of an identity provider's admin API that
/// [`directory`] reads, on any host (Okta tenants and Auth0 custom domains
/// live on the customer's own domain). Checked on every request: the
/// prefix first.
fn is_directory_path(method: &str, path: &str) -> bool {
    if !(path.starts_with("api/v1/") || path.starts_with("api/v2/")) {
        return false;
    }
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    directory(&segments, method, &[]).is_some()
}

/// A grant of `resource` (as written) to `grantee`.
fn grant(resource: String, grantee: Option<String>) -> Effect {
    Effect::GrantAccess {
        resource: Resource::Other { name: resource },
        grantee,
    }
}

/// The first of `keys` that `fields` has, owned.
fn first_field(fields: &[(String, String)], keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|key| field(fields, key))
        .map(str::to_owned)
}

/// Identity providers' admin APIs, on whatever host serves them, by the
/// exact shape of their paths:
/// - Okta (`/api/v1/`): `PUT|DELETE groups/G/users/U` (group membership),
///   `POST users/U/roles` and `groups/G/roles` (admin roles, and their
///   removal or targets), `POST apps/A/users`, `apps/A/users/U`,
///   `apps/A/groups/G` (app assignments), and `groups/rules[/...]` (rules
///   that put users in groups);
/// - Auth0's Management API (`/api/v2/`): `users/U/roles|permissions`,
///   `roles/R/users|permissions`, `organizations/O/members[/U/roles]`.
///
/// Each changes someone's access, named in the path or the body. `None`
/// for any other path and for reads.
fn directory(segments: &[&str], method: &str, fields: &[(String, String)]) -> Option<Effect> {
    if !matches!(method, "POST" | "PUT" | "PATCH" | "DELETE") {
        return None;
    }
    let body = |keys: &[&str]| first_field(fields, keys);
    let owned = |s: &str| Some(s.to_owned());
    Some(match segments {
        // Okta.
        ["api", "v1", rest @ ..] => match rest {
            ["groups", "rules", ..] => grant(
                "okta group rules".to_owned(),
                body(&["groupIds", "name"]).or_else(|| rest.get(2).and_then(|r| owned(r))),
            ),
            ["groups", group, "users", user] if matches!(method, "PUT" | "DELETE") => {
                grant(format!("okta group {group}"), owned(user))
            }
            ["users" | "groups", who, "roles", rest @ ..] => {
                let role = body(&["type", "role"])
                    .or_else(|| rest.first().map(|r| (*r).to_owned()))
                    .map_or_else(String::new, |r| format!(" {r}"));
                let who = if segments.get(2) == Some(&"groups") {
                    format!("group {who}")
                } else {
                    (*who).to_owned()
                };
                grant(format!("okta admin role{role}"), Some(who))
            }
            ["apps", app, "users"] if method == "POST" => grant(
                format!("okta app {app}"),
                body(&["id", "userName", "email"]),
            ),
            ["apps", app, "users", user] => grant(format!("okta app {app}"), owned(user)),
            ["apps", app, "groups", group] => {
                grant(format!("okta app {app}"), Some(format!("group {group}")))
            }
            _ => return None,
        },
        // Auth0.
        ["api", "v2", rest @ ..] => match rest {
            ["users", user, "roles" | "permissions"] => grant(
                body(&["roles", "permissions"])
                    .map_or_else(|| "auth0 roles".to_owned(), |r| format!("auth0 roles {r}")),
                owned(user),
            ),
            ["roles", role, "users" | "permissions"] => grant(
                format!("auth0 role {role}"),
                body(&["users", "permissions"]),
            ),
            ["organizations", org, "members"] => {
                grant(format!("auth0 organization {org}"), body(&["members"]))
            }
            ["organizations", org, "members", user, "roles"] => {
                grant(format!("auth0 organization {org}"), owned(user))
            }
            _ => return None,
        },
        _ => return None,
    })
}

/// A path segment with its `%40` (and other `%XX`) escapes undone.
fn unescape(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

/// Google's Admin SDK Directory API (`admin/directory/v1/`): a group's
/// members added, changed or removed (`groups/G/members[/M]`), a user
/// made an administrator (`users/U/makeAdmin`), an admin role assigned or
/// unassigned (`customer/C/roleassignments[/ID]`).
fn google_admin(segments: &[&str], method: &str, fields: &[(String, String)]) -> Vec<Effect> {
    let ["admin", "directory", "v1", rest @ ..] = segments else {
        return Vec::new();
    };
    let effect = match rest {
        ["groups", group, "members"] if method == "POST" => grant(
            format!("google group {}", unescape(group)),
            first_field(fields, &["email", "id"]),
        ),
        ["groups", group, "members", member] => grant(
            format!("google group {}", unescape(group)),
            Some(unescape(member)),
        ),
        ["users", user, "makeAdmin"] if method == "POST" => grant(
            "google workspace administrators".to_owned(),
            Some(unescape(user)),
        ),
        ["customer", _, "roleassignments", ..] => grant(
            first_field(fields, &["roleId"]).map_or_else(
                || "google workspace admin role".to_owned(),
                |r| format!("google workspace admin role {r}"),
            ),
            first_field(fields, &["assignedTo"]),
        ),
        _ => return Vec::new(),
    };
    vec![effect]
}

/// Cloud Identity: `POST v1/groups/G/memberships` adds a member to a group;
/// a change (`:modifyMembershipRoles`) or removal of a membership changes
/// access as well.
fn cloud_identity(segments: &[&str], method: &str, fields: &[(String, String)]) -> Vec<Effect> {
    let [_, "groups", group, "memberships", rest @ ..] = segments else {
        return Vec::new();
    };
    if rest.is_empty() && method != "POST" {
        return Vec::new();
    }
    let member = rest
        .first()
        .map(|m| unescape(m.split(':').next().unwrap_or(m)))
        .or_else(|| first_field(fields, &["id", "preferredMemberKey"]));
    vec![grant(format!("google group {}", unescape(group)), member)]
}

/// Microsoft Graph's directory: members and owners of a group (`POST
/// groups/G/members/$ref`, `DELETE groups/G/members/M/$ref`, `PATCH
/// groups/G` binding `members@odata.bind`), of a directory role
/// (`directoryRoles/R/members/$ref`), role assignments
/// (`roleManagement/directory/roleAssignments` and its schedule
/// requests), app role assignments (`servicePrincipals/S/appRoleAssignedTo`,
/// `users/U/appRoleAssignments`), delegated permission grants
/// (`oauth2PermissionGrants`) and guest invitations (`invitations`).
fn graph_directory(segments: &[&str], method: &str, fields: &[(String, String)]) -> Option<Effect> {
    // `$ref` may arrive escaped, or expanded away by a shell.
    let segments: Vec<&str> = segments
        .iter()
        .copied()
        .filter(|s| !s.eq_ignore_ascii_case("$ref") && !s.eq_ignore_ascii_case("%24ref"))
        .collect();
    let ["v1.0" | "beta", rest @ ..] = segments.as_slice() else {
        return None;
    };
    let adds = method == "POST";
    let removes = method == "DELETE";
    // The object an `@odata.id` reference names: its last segment.
    let referenced = || {
        field(fields, "@odata.id").map(|r| {
            r.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or(r)
                .to_owned()
        })
    };
    Some(match rest {
        ["groups", group, "members" | "owners"] if adds => {
            grant(format!("azure ad group {group}"), referenced())
        }
        ["groups", group, "members" | "owners", member] if removes => grant(
            format!("azure ad group {group}"),
            Some((*member).to_owned()),
        ),
        ["groups", group]
            if method == "PATCH"
                && (field(fields, "members@odata.bind").is_some()
                    || field(fields, "owners@odata.bind").is_some()) =>
        {
            grant(
                format!("azure ad group {group}"),
                first_field(fields, &["members@odata.bind", "owners@odata.bind"]),
            )
        }
        ["directoryRoles", role, "members"] if adds => {
            grant(format!("azure ad directory role {role}"), referenced())
        }
        ["directoryRoles", role, "members", member] if removes => grant(
            format!("azure ad directory role {role}"),
            Some((*member).to_owned()),
        ),
        [
            "roleManagement",
            _,
            "roleAssignments"
            | "roleAssignmentScheduleRequests"
            | "roleEligibilityScheduleRequests",
            rest @ ..,
        ] if (adds && rest.is_empty()) || (removes && rest.len() == 1) => grant(
            first_field(fields, &["roleDefinitionId"]).map_or_else(
                || "azure ad role".to_owned(),
                |r| format!("azure ad role {r}"),
            ),
            first_field(fields, &["principalId"]),
        ),
        [
            "servicePrincipals" | "users" | "groups",
            id,
            "appRoleAssignedTo" | "appRoleAssignments",
            rest @ ..,
        ] if (adds && rest.is_empty()) || (removes && rest.len() == 1) => grant(
            format!("azure ad app {}", field(fields, "resourceId").unwrap_or(id)),
            first_field(fields, &["principalId"]).or_else(|| Some((*id).to_owned())),
        ),
        ["oauth2PermissionGrants", ..] if adds || removes || method == "PATCH" => grant(
            format!(
                "azure ad app {}",
                field(fields, "resourceId").unwrap_or("permissions")
            ),
            first_field(fields, &["clientId", "principalId"]),
        ),
        ["invitations"] if adds => grant(
            "azure ad tenant".to_owned(),
            first_field(fields, &["invitedUserEmailAddress"]),
        ),
        _ => return None,
    })
}

/// Microsoft Graph: changes of directory membership and roles
/// ([`graph_directory`]); `createLink` with `scope: anonymous` makes a
/// drive item public, any other link (the organisation, named users, the
/// tenant's default) and `invite` share it.
fn graph(
    segments: &[&str],
    method: &str,
    fields: &[(String, String)],
    texts: &[String],
) -> Vec<Effect> {
    if let Some(effect) = graph_directory(segments, method, fields) {
        return vec![effect];
    }
    let Some(item) = drive_item(segments) else {
        return Vec::new();
    };
    let resource = Resource::Other {
        name: format!("drive item {item}"),
    };
    let compact: String = texts
        .join(" ")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    match segments.last() {
        Some(&"createLink") if compact.contains("\"scope\":\"anonymous\"") => {
            vec![Effect::MakePublic { resource }]
        }
        // An invitation names whom it shares with (`recipients: [{email:
        // ...}]`); a link is for whoever gets it.
        Some(&"invite") => vec![Effect::GrantAccess {
            resource,
            grantee: invite_recipient(texts),
        }],
        Some(&"createLink") => vec![Effect::GrantAccess {
            resource,
            grantee: None,
        }],
        _ => Vec::new(),
    }
}

/// The drive item a Graph path names: by id (`.../items/ID/...`) or by
/// its path (`.../root:/Folder/file.xlsx:/createLink`).
fn drive_item(segments: &[&str]) -> Option<String> {
    if let Some(at) = segments.iter().position(|s| *s == "items") {
        return Some(segments.get(at + 1).unwrap_or(&"").to_string());
    }
    let start = segments.iter().position(|s| s.starts_with("root:"))?;
    let mut path = Vec::new();
    for segment in &segments[start..] {
        let segment = segment.strip_prefix("root:").unwrap_or(segment);
        match segment.strip_suffix(':') {
            Some(last) => {
                path.push(last);
                return Some(path.join("/").trim_start_matches('/').to_owned());
            }
            None => path.push(segment),
        }
    }
    None
}

/// The first address a Graph `invite` body names (`{"recipients":
/// [{"email": "x@y"}]}`).
fn invite_recipient(texts: &[String]) -> Option<String> {
    texts.iter().find_map(|text| {
        let body: Value = serde_json::from_str(text).ok()?;
        body.get("recipients")?
            .as_array()?
            .iter()
            .find_map(|r| r.get("email")?.as_str().map(str::to_owned))
    })
}

/// Bitbucket's repository permissions and visibility, Cloud
/// (`repositories/WS/REPO`, `.../permissions-config/users|groups/WHO`,
/// `{"is_private": false}`) and Server (`projects/P/repos/R`,
/// `.../permissions/users|groups?name=WHO&permission=P`, `{"public":
/// true}`; a project's permissions cover its repositories).
fn bitbucket_access_changes(
    host: &str,
    api_path: &str,
    method: &str,
    fields: &[(String, String)],
) -> Vec<Effect> {
    let segments: Vec<&str> = api_path.split('/').filter(|s| !s.is_empty()).collect();
    let cloud = host == "api.bitbucket.org";
    let repo = |owner: &str, name: &str| Resource::Repo {
        host: if cloud { "bitbucket.org" } else { host }.to_owned(),
        slug: Some(format!("{owner}/{name}")),
    };
    let (resource, rest) = match segments.as_slice() {
        ["repositories", owner, name, rest @ ..] if cloud => (repo(owner, name), rest),
        ["projects", project, "repos", name, rest @ ..] if !cloud => (repo(project, name), rest),
        ["projects", project, rest @ ..] if !cloud => (repo(project, "*"), rest),
        _ => return Vec::new(),
    };
    let changes = matches!(method, "PUT" | "POST" | "PATCH");
    let is =
        |key: &str, value: &str| field(fields, key).is_some_and(|v| v.eq_ignore_ascii_case(value));
    match rest {
        [] if changes && (is("is_private", "false") || is("public", "true")) => {
            vec![Effect::MakePublic { resource }]
        }
        ["permissions-config", "users" | "groups", who] if changes => vec![Effect::GrantAccess {
            resource,
            grantee: Some((*who).to_owned()),
        }],
        ["permissions", "users" | "groups"] if changes => vec![Effect::GrantAccess {
            resource,
            grantee: field(fields, "name").map(str::to_owned),
        }],
        ["permissions", _, "all"] if changes && is("allow", "true") => vec![Effect::GrantAccess {
            resource,
            grantee: Some("all users".to_owned()),
        }],
        _ => Vec::new(),
    }
}

/// AWS IAM's query API (`Action=AttachUserPolicy&UserName=...`): the same
/// grants as `aws iam attach-user-policy` and its kin.
fn iam(fields: &[(String, String)]) -> Vec<Effect> {
    field(fields, "Action")
        .and_then(|action| writ_shell::iam_grant(action, |key| field(fields, key)))
        .into_iter()
        .collect()
}

// What any write request does, read from its own shape: the access it
// grants, the resource it makes public, the deploy it starts. These are
// the conventions APIs share (REST paths that name a principal's roles,
// bodies that set a role or a visibility, GraphQL mutations), not any
// one vendor's catalogue, so they apply on every host.

/// Path segments naming the access principals have to a resource: a write
/// to them grants, changes or removes it (`/files/F/permissions`,
/// `/users/U/role-mappings/realm`, `/repos/R/collaborators`, Kubernetes'
/// `rolebindings`, Elasticsearch's `_security/role_mapping/M` and
/// OpenSearch's `_plugins/_security/api/rolesmapping/R`). Compared as
/// [`normalized`] reads them.
const ACCESS_SEGMENTS: &[&str] = &[
    "permission",
    "permissions",
    "collaborators",
    "collaborations",
    "acl",
    "acls",
    "grants",
    "memberships",
    "rolemapping",
    "rolemappings",
    "rolesmapping",
    "roleassignments",
    "rolebindings",
    "clusterrolebindings",
];

/// Segments naming roles: a grant when the path also names a principal
/// (`/users/42/roles`) or an assignment (`/roles/assign`); alone
/// (`/realms/R/roles`) they define a role, which grants no one anything.
const ROLE_SEGMENTS: &[&str] = &["role", "roles"];

/// Collections of principals: who a role or membership is given to.
const PRINCIPAL_SEGMENTS: &[&str] = &[
    "user",
    "users",
    "member",
    "members",
    "group",
    "groups",
    "team",
    "teams",
    "principal",
    "principals",
    "serviceaccount",
    "serviceaccounts",
    "account",
    "accounts",
    "people",
    "admins",
    "administrators",
    "owners",
    "collaborator",
    "collaborators",
    "identity",
    "identities",
    "subject",
    "subjects",
];

/// A resource's members and invitations: `/groups/G/members`,
/// `/projects/P/invitations`.
/// A course's enrolments and its teachers' and students' rosters
/// (Canvas' `courses/C/enrollments`, Google Classroom's
/// `courses/C/teachers`) are memberships: each gives access to the
/// course, whatever its role.
const MEMBERSHIP_SEGMENTS: &[&str] = &[
    "member",
    "members",
    "admins",
    "owners",
    "invitation",
    "invitations",
    "invite",
    "invites",
    "enrollment",
    "enrollments",
    "enrolment",
    "enrolments",
    "teachers",
    "students",
    "instructors",
];

/// Collections of resources that people are members of.
const HOLDER_SEGMENTS: &[&str] = &[
    "group",
    "groups",
    "team",
    "teams",
    "space",
    "spaces",
    "project",
    "projects",
    "org",
    "orgs",
    "organization",
    "organizations",
    "organisation",
    "organisations",
    "workspace",
    "workspaces",
    "repo",
    "repos",
    "repository",
    "repositories",
    "channel",
    "channels",
    "room",
    "rooms",
    "conversation",
    "conversations",
    "namespace",
    "namespaces",
    "realm",
    "realms",
    "tenant",
    "tenants",
    "folder",
    "folders",
    "drive",
    "drives",
    "site",
    "sites",
    "board",
    "boards",
    "vault",
    "vaults",
    "app",
    "apps",
    "application",
    "applications",
    "account",
    "accounts",
    "document",
    "documents",
    "file",
    "files",
    "dashboard",
    "dashboards",
    "database",
    "databases",
    "course",
    "courses",
];

/// Segments after a role segment that assign it (`/user/roles/assign`).
const ASSIGN_SEGMENTS: &[&str] = &[
    "assign", "unassign", "grant", "revoke", "add", "remove", "set", "attach", "detach", "bind",
    "promote", "demote",
];

/// Segments and custom methods that make a write a read of access (`POST
/// /permissions/check`, `:testIamPermissions`).
const READ_SEGMENTS: &[&str] = &[
    "check",
    "checks",
    "batchcheck",
    "evaluate",
    "test",
    "verify",
    "validate",
    "query",
    "lookup",
    "search",
    "list",
    "simulate",
    "explain",
    "preview",
    "expand",
    "testiampermissions",
    "getiampolicy",
];

/// Custom methods that replace a resource's access policy (Google APIs'
/// `RESOURCE:setIamPolicy`).
const POLICY_METHODS: &[&str] = &["setiampolicy"];

/// Segments that make the resource before them public (Metabase's `POST
/// /api/dashboard/ID/public_link`).
const PUBLIC_SEGMENTS: &[&str] = &["publiclink", "makepublic"];

/// Segments of a resource's settings, sharing or visibility: a `POST` to
/// them changes the resource rather than creating another.
const SETTINGS_SEGMENTS: &[&str] = &[
    "settings",
    "setting",
    "sharing",
    "share",
    "visibility",
    "privacy",
    "permission",
    "permissions",
    "access",
    "sharedlink",
];

/// Body members that set a role, a permission or an access level.
const ROLE_KEYS: &[&str] = &[
    "role",
    "roles",
    "roleid",
    "roleids",
    "rolename",
    "rolenames",
    "permission",
    "permissions",
    "permissionlevel",
    "accesslevel",
    "accessrole",
    "access",
    "privilege",
    "privileges",
    "privilegeset",
];

/// Body members that make a principal an administrator when `true`.
const ADMIN_FLAGS: &[&str] = &[
    "admin",
    "isadmin",
    "superuser",
    "issuperuser",
    "siteadmin",
    "issiteadmin",
    "isstaff",
];

/// Body members that name who is given access; an object is read by its
/// [`IDENTIFYING_KEYS`].
const PRINCIPAL_KEYS: &[&str] = &[
    "email",
    "emailaddress",
    "user",
    "username",
    "userid",
    "userlogin",
    "login",
    "member",
    "memberid",
    "principal",
    "principalid",
    "identifier",
    "invitee",
    "inviteeemail",
    "assignee",
    "grantee",
    "accessibleby",
    "subject",
    "userprincipalname",
    "users",
    "userids",
    "members",
    "memberids",
    "principals",
    "invites",
    "invitees",
    "emails",
];

const IDENTIFYING_KEYS: &[&str] = &["identifier", "email", "login", "username", "id", "name"];

/// Objects a role may be set inside (`{"user": {"role": ...}}`, JSON:API's
/// `attributes`, a GraphQL `input`, Hasura's `_set`), besides the body
/// itself; and JSON:API's `data` when it is a resource object (it has a
/// `type`: a map of other data holds anything).
const ROLE_WRAPPERS: &[&str] = &[
    "user",
    "member",
    "membership",
    "invitation",
    "invite",
    "collaborator",
    "grant",
    "assignment",
    "roleassignment",
    "subject",
    "principal",
    "attributes",
    "input",
    "params",
    "set",
    "enrollment",
    "enrolment",
];

/// Body members that set who can see a resource, and the values that mean
/// anyone.
const VISIBILITY_KEYS: &[&str] = &[
    "visibility",
    "privacy",
    "access",
    "audience",
    "sharing",
    "linksharing",
    "linkaccess",
    "generalaccess",
    "shareaccess",
    "requestedvisibility",
];
const PUBLIC_VALUES: &[&str] = &[
    "public",
    "publicly",
    "anyone",
    "anyonewithlink",
    "anyonewiththelink",
    "anonymous",
    "everyone",
    "anybody",
];
/// `type` says who a permission is for: only these values mean anyone
/// (`{"type": "public"}` is as often an address's or a channel's kind).
const ANYONE_VALUES: &[&str] = &["anyone", "anyonewithlink", "anonymous", "everyone"];

/// Objects describing a link or a resource's sharing, whose `access`,
/// `view` or `audience` may be `open` (Box's `shared_link`, Vimeo's
/// `privacy.view: anybody`).
const LINK_OBJECTS: &[&str] = &[
    "sharedlink",
    "sharinglink",
    "link",
    "linksettings",
    "sharing",
    "sharingsettings",
    "privacy",
];
const LINK_KEYS: &[&str] = &[
    "access",
    "audience",
    "visibility",
    "view",
    "level",
    "scope",
    "type",
];

/// Boolean members that make a resource public when `true` ...
const PUBLIC_FLAGS: &[&str] = &[
    "public",
    "ispublic",
    "publiclyaccessible",
    "publiclyvisible",
];
/// ... and when `false`.
const PRIVATE_FLAGS: &[&str] = &["private", "isprivate"];

/// Text that any body this reading acts on contains (compared ignoring
/// ASCII case): a request with none of it, on a path naming nothing, is
/// answered without parsing its body.
const BODY_NEEDLES: &[&str] = &[
    "role",
    "permission",
    "access",
    "privilege",
    "admin",
    "superuser",
    "staff",
    "visib",
    "privacy",
    "public",
    "private",
    "audience",
    "shar",
    "anyone",
    "mutation",
    "enrol",
    "forward",
    "redirect",
];

/// A path segment's words: an RPC-style method (Slack's
/// `conversations.invite`, `admin.users.assign`) is its dot-separated
/// words, as a REST path's segments would be; any other segment (one
/// with a `.json` or `.xml` extension too) is itself.
fn method_words(segment: &str) -> Vec<&str> {
    let parts: Vec<&str> = segment.split('.').collect();
    let rpc = parts.len() > 1
        && !matches!(parts.last(), Some(&("json" | "xml")))
        && parts.iter().all(|p| {
            p.starts_with(|c: char| c.is_ascii_alphabetic())
                && p.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if rpc {
        parts
    } else {
        vec![segment]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// `segment` as this reading compares it: lower case, without `-` and
/// `_`, without a file extension (`graphql.json`) or a custom method
/// (`P:setIamPolicy` is `p`; [`custom_method_in`] reads the rest).
fn normalized(segment: &str) -> impl Iterator<Item = char> + '_ {
    let segment = segment.split(':').next().unwrap_or_default();
    let segment = segment
        .rsplit_once('.')
        .filter(|(_, ext)| matches!(*ext, "json" | "xml"))
        .map_or(segment, |(stem, _)| stem);
    segment
        .chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .map(|c| c.to_ascii_lowercase())
}

/// True when `segment`, [`normalized`], is one of `table`'s words.
fn word_in(segment: &str, table: &[&str]) -> bool {
    let word: String = normalized(segment).collect();
    table.contains(&word.as_str())
}

/// A key or value as [`normalized`] compares a segment, spaces dropped as
/// well (and nothing else cut).
fn key_word(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// True when a Google-style segment's custom method (`P:setIamPolicy`) is
/// one of `table`'s words.
fn custom_method_in(segment: &str, table: &[&str]) -> bool {
    segment
        .split_once(':')
        .is_some_and(|(_, method)| word_in(method, table))
}

/// True when `text` holds one of [`BODY_NEEDLES`], ignoring ASCII case:
/// one pass of an Aho-Corasick automaton built once.
fn has_body_needle(text: &str) -> bool {
    static NEEDLES: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(BODY_NEEDLES)
            .ok()
    });
    match NEEDLES.as_ref() {
        Some(automaton) => automaton.is_match(text),
        // Not built (it always is for these needles): read every body.
        None => true,
    }
}

/// Group and team collections: `groups/G/users/U` and `users/U/groups/G`
/// are memberships.
const GROUP_SEGMENTS: &[&str] = &["group", "groups", "team", "teams"];
const USER_SEGMENTS: &[&str] = &["user", "users"];

/// What a write request's path says, segment by segment.
#[derive(Debug, Default)]
struct PathShape {
    /// A segment of [`ACCESS_SEGMENTS`], or a [`POLICY_METHODS`] call.
    access: bool,
    /// A segment of [`ROLE_SEGMENTS`].
    role: bool,
    /// An [`ASSIGN_SEGMENTS`] segment after the role segment.
    assigns: bool,
    /// Where the path names who: the segment after the last principal
    /// collection (`users/42`).
    principal: Option<usize>,
    /// A collection of principals.
    names_principal: bool,
    /// `HOLDER/ID/members`, `HOLDER/ID/invitations`, `groups/G/users`,
    /// `users/U/groups`.
    membership: bool,
    /// Anything access is about: principals, holders, memberships, roles.
    access_context: bool,
    /// A segment of [`READ_SEGMENTS`] after an access, role or membership
    /// segment, or a reading custom method.
    reads: bool,
    /// A segment of [`SETTINGS_SEGMENTS`].
    settings: bool,
    /// A segment of [`PUBLIC_SEGMENTS`].
    makes_public: bool,
    /// A `graphql` endpoint.
    graphql: bool,
}

impl PathShape {
    fn read(segments: &[&str]) -> Self {
        let mut shape = Self::default();
        let mut role_at = None;
        let mut about_access_at = None;
        let mut group_principal = None;
        for (at, segment) in segments.iter().enumerate() {
            let is = |table: &[&str]| word_in(segment, table);
            let before = |back: usize, table: &[&str]| {
                at.checked_sub(back)
                    .is_some_and(|b| word_in(segments[b], table))
            };
            if is(ACCESS_SEGMENTS) || custom_method_in(segment, POLICY_METHODS) {
                shape.access = true;
                about_access_at.get_or_insert(at);
            }
            shape.reads |= custom_method_in(segment, READ_SEGMENTS);
            if is(ROLE_SEGMENTS) {
                shape.role = true;
                role_at.get_or_insert(at);
                about_access_at.get_or_insert(at);
            }
            if role_at.is_some_and(|r| r < at) && is(ASSIGN_SEGMENTS) {
                shape.assigns = true;
            }
            if is(PRINCIPAL_SEGMENTS) {
                shape.names_principal = true;
                // `users/search` with `{"role": "customer"}` filters by it.
                about_access_at.get_or_insert(at);
                let next = Some(at + 1).filter(|next| *next < segments.len());
                // A group is who only when no person is named
                // (`users/U/groups/G` gives `U` a group).
                if !is(GROUP_SEGMENTS) {
                    shape.principal = next;
                } else {
                    group_principal = next;
                }
            }
            // `HOLDER/ID/members`, and an RPC method's `HOLDER.invite`.
            if (is(MEMBERSHIP_SEGMENTS)
                && (before(2, HOLDER_SEGMENTS) || before(1, HOLDER_SEGMENTS)))
                || (is(USER_SEGMENTS) && before(2, GROUP_SEGMENTS))
                || (is(GROUP_SEGMENTS) && before(2, USER_SEGMENTS))
            {
                shape.membership = true;
                about_access_at.get_or_insert(at);
            }
            if is(MEMBERSHIP_SEGMENTS) {
                about_access_at.get_or_insert(at);
            }
            if is(PRINCIPAL_SEGMENTS)
                || is(HOLDER_SEGMENTS)
                || is(MEMBERSHIP_SEGMENTS)
                || is(ROLE_SEGMENTS)
                || is(ACCESS_SEGMENTS)
            {
                shape.access_context = true;
            }
            if is(READ_SEGMENTS) && about_access_at.is_some_and(|r| r < at) {
                shape.reads = true;
            }
            shape.settings |= is(SETTINGS_SEGMENTS);
            shape.makes_public |= is(PUBLIC_SEGMENTS);
            shape.graphql |= is(&["graphql", "gql"]);
        }
        shape.principal = shape.principal.or(group_principal);
        // The segment after a principal collection is who, unless it is a
        // word of the path's own vocabulary (`user/roles`).
        if let Some(next) = shape.principal {
            let vocabulary = [
                ACCESS_SEGMENTS,
                ROLE_SEGMENTS,
                MEMBERSHIP_SEGMENTS,
                ASSIGN_SEGMENTS,
                READ_SEGMENTS,
                GROUP_SEGMENTS,
            ];
            if vocabulary.iter().any(|t| word_in(segments[next], t)) {
                shape.principal = None;
            }
        }
        shape
    }

    /// The path alone grants or changes access.
    fn grants(&self) -> bool {
        !self.reads
            && (self.access
                || self.membership
                || (self.role && (self.names_principal || self.assigns)))
    }
}

/// What a write request to `host` does to access, visibility or deploys,
/// read from its own shape (module section above): `path` is what follows
/// the authority, query included; `texts` the request's texts as
/// [`api_effects`] takes them. Payment and message providers' requests are
/// theirs to read. Answered without allocating for a request whose path
/// and texts hold nothing this reading looks for.
fn general_effects(method: &str, host: &str, path: &str, texts: &[String]) -> Vec<Effect> {
    if !matches!(method, "POST" | "PUT" | "PATCH" | "DELETE") || is_one_of(host, PAYMENT_DOMAINS) {
        return Vec::new();
    }
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let path = path.split('#').next().unwrap_or_default();
    let query = query.split('#').next().unwrap_or_default();
    let body_signal = texts.iter().any(|t| has_body_needle(t)) || has_body_needle(query);
    let path_signal = path.split('/').flat_map(method_words).any(|s| {
        let word: String = normalized(s).collect();
        [
            ACCESS_SEGMENTS,
            ROLE_SEGMENTS,
            MEMBERSHIP_SEGMENTS,
            PUBLIC_SEGMENTS,
            GROUP_SEGMENTS,
        ]
        .iter()
        .any(|t| t.contains(&word.as_str()))
            || custom_method_in(s, POLICY_METHODS)
    });
    let github = host == "api.github.com" || path.starts_with("api/v3/");
    let pipeline = path.split('/').any(|s| PIPELINE_SEGMENTS.contains(&s));
    if !body_signal && !path_signal && !github && !pipeline {
        return Vec::new();
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if message_api_path(host, &segments) {
        return Vec::new();
    }
    let bodies = request_bodies(texts, query);
    let url = format!("https://{host}/{}", segments.join("/"));
    if let Some(rest) = github_rest_path(host, &segments) {
        let deploys = github_deploys(method, rest, &bodies);
        if !deploys.is_empty() {
            return deploys;
        }
    }
    if pipeline {
        let deploys = pipeline_deploys(method, host, &segments, &bodies);
        if !deploys.is_empty() {
            return deploys;
        }
    }
    let words: Vec<&str> = segments.iter().flat_map(|s| method_words(s)).collect();
    let shape = PathShape::read(&words);
    if shape.graphql {
        return graphql_effects(&url, &bodies);
    }
    let mut effects = Vec::new();
    // Visibility: a change of an existing resource (`PATCH`, `PUT`, or a
    // `POST` to its settings), not the creation of a new one.
    let changes_resource = matches!(method, "PATCH" | "PUT")
        || (method == "POST"
            && (shape.settings || segments.last().is_some_and(|s| names_update(s))));
    let everyone = shape.access && texts.iter().any(|t| writ_shell::grants_everyone(t));
    // A package published is a write, as `npm publish` is, whatever
    // access its document asks for.
    let publishes = bodies.iter().any(is_package_document);
    if (method != "DELETE" && shape.makes_public)
        || (changes_resource && !publishes && bodies.iter().any(makes_public))
        || everyone
    {
        effects.push(Effect::MakePublic {
            resource: Resource::Other { name: url.clone() },
        });
    }
    // An RPC body names its operation (`wsfunction=core_role_assign_roles`)
    // and lists what it acts on (`assignments[0][roleid]=3`).
    let rpc = bodies.iter().any(rpc_grants);
    let items = || {
        bodies.iter().flat_map(|b| {
            std::iter::once(b).chain(rpc.then(|| listed_objects(b)).into_iter().flatten())
        })
    };
    let role = items().find_map(|b| set_role(b, 0));
    let body_grants = role.is_some() && shape.access_context && !shape.reads;
    let redefines_role =
        method != "DELETE" && names_role(&words) && bodies.iter().any(|b| defines_privileges(b, 0));
    if shape.grants() || body_grants || rpc || redefines_role {
        let grantee = items()
            .find_map(|b| named_principal(b, 0))
            .or_else(|| shape.principal.map(|at| unescape(segments[at])));
        let resource = match role {
            Some(role) if !role.is_empty() => format!("{url} (role {role})"),
            _ => url.clone(),
        };
        effects.push(grant(resource, grantee));
    }
    // A rule or setting that forwards the mailbox's mail writes to each
    // recipient from then on: the request's recipients too.
    for recipient in bodies.iter().flat_map(|b| forwarding_recipients(b, 0)) {
        effects.push(Effect::Request(writ_shell::Request {
            program: "http".to_owned(),
            target: Target::Url { url: recipient },
            method: method.to_owned(),
            payload: writ_shell::Payload::default(),
            public: false,
        }));
    }
    effects
}

/// Body keys whose addresses receive a mailbox's mail: Graph message
/// rules' `forwardTo`, `redirectTo` and `forwardAsAttachmentTo`, Gmail's
/// filter action `forward` and forwarding address `forwardingEmail`,
/// Exchange's `ForwardingSmtpAddress`.
const FORWARD_KEYS: &[&str] = &[
    "forwardto",
    "redirectto",
    "forwardasattachmentto",
    "forward",
    "forwardingemail",
    "forwardingsmtpaddress",
];

/// The e-mail addresses under a [`FORWARD_KEYS`] key of `value`, at any
/// depth: a plain address, or one inside the key's objects and lists
/// (Graph's `{"emailAddress": {"address": A}}`).
fn forwarding_recipients(value: &Value, depth: usize) -> Vec<String> {
    fn addresses(value: &Value, out: &mut Vec<String>, depth: usize) {
        match value {
            Value::String(text) if is_email_address(text) => out.push(text.clone()),
            Value::Array(items) if depth < 4 => {
                items
                    .iter()
                    .for_each(|item| addresses(item, out, depth + 1));
            }
            Value::Object(map) if depth < 4 => {
                map.values()
                    .for_each(|item| addresses(item, out, depth + 1));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    match value {
        Value::Object(map) if depth < 6 => {
            for (key, item) in map {
                if FORWARD_KEYS.contains(&key_word(key).as_str()) {
                    addresses(item, &mut out, 0);
                } else {
                    out.extend(forwarding_recipients(item, depth + 1));
                }
            }
        }
        Value::Array(items) if depth < 6 => {
            for item in items {
                out.extend(forwarding_recipients(item, depth + 1));
            }
        }
        _ => {}
    }
    out
}

/// Body members that say what a role may do: Elasticsearch's `cluster`,
/// `indices` (with their `privileges`) and `run_as`, OpenSearch's
/// `cluster_permissions`, `index_permissions` and `allowed_actions`,
/// Keycloak's `composites`.
const PRIVILEGE_KEYS: &[&str] = &[
    "privileges",
    "permissions",
    "cluster",
    "indices",
    "runas",
    "clusterpermissions",
    "indexpermissions",
    "tenantpermissions",
    "allowedactions",
    "composites",
];

/// True when the path names one role (`_security/role/NAME`,
/// `roles/NAME`), not the collection of them or an action on it.
fn names_role(words: &[&str]) -> bool {
    let Some(at) = words.iter().rposition(|w| word_in(w, ROLE_SEGMENTS)) else {
        return false;
    };
    let vocabulary = [
        ACCESS_SEGMENTS,
        ASSIGN_SEGMENTS,
        READ_SEGMENTS,
        PRINCIPAL_SEGMENTS,
    ];
    words.len() == at + 2
        && words
            .get(at + 1)
            .is_some_and(|next| !vocabulary.iter().any(|t| word_in(next, t)))
}

/// True when a body sets what a role may do ([`PRIVILEGE_KEYS`], in it or
/// in the objects and lists it holds): writing that to a role changes
/// the access of everyone who holds it.
fn defines_privileges(value: &Value, depth: usize) -> bool {
    if depth > 3 {
        return false;
    }
    match value {
        Value::Object(map) => map.iter().any(|(key, value)| {
            (PRIVILEGE_KEYS.contains(&key_word(key).as_str())
                && !matches!(value, Value::Null | Value::Bool(false)))
                || defines_privileges(value, depth + 1)
        }),
        Value::Array(items) => items.iter().any(|item| defines_privileges(item, depth + 1)),
        _ => false,
    }
}

/// Words of a segment or an operation's name (`package_patch`,
/// `updateVideo`, `core_role_assign_roles`), lower case: split at every
/// other character and where a lower-case letter meets a capital.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut after_lower = false;
    for c in name.chars() {
        let boundary = !c.is_ascii_alphanumeric() || (c.is_ascii_uppercase() && after_lower);
        if boundary && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        after_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Verbs that, first or last in an action's name, change something that
/// exists (CKAN's `POST /api/3/action/package_patch`).
const UPDATE_VERBS: &[&str] = &["update", "patch", "edit", "modify"];

/// True when a `POST` to `segment` updates what it names rather than
/// creating something ([`UPDATE_VERBS`]; `dispatch` is not `patch`).
fn names_update(segment: &str) -> bool {
    let segment = segment.split(':').next().unwrap_or_default();
    let words = name_words(segment);
    [words.first(), words.last()]
        .into_iter()
        .flatten()
        .any(|w| UPDATE_VERBS.contains(&w.as_str()))
}

/// Body members naming the operation of an RPC-style API (Moodle's
/// `wsfunction`, JSON-RPC's `method`).
const FUNCTION_KEYS: &[&str] = &["wsfunction", "function", "method", "action"];
/// Words of an operation that enrols someone in a course or space.
const ENROL_WORDS: &[&str] = &["enrol", "enroll", "unenrol", "unenroll"];
/// Words of an operation that only reads.
const QUERY_WORDS: &[&str] = &[
    "get", "list", "search", "check", "query", "view", "fetch", "count", "find", "is", "has",
    "can", "read",
];

/// True when a body names an operation ([`FUNCTION_KEYS`]) that grants or
/// changes roles or access: a role word with an [`ASSIGN_SEGMENTS`] verb
/// (`core_role_assign_roles`, `user.addRole`) or an enrolment
/// (`enrol_manual_enrol_users`), and no reading word
/// (`core_enrol_get_enrolled_users`).
fn rpc_grants(body: &Value) -> bool {
    let Value::Object(map) = body else {
        return false;
    };
    map.iter().any(|(key, value)| {
        FUNCTION_KEYS.contains(&key_word(key).as_str())
            && value.as_str().is_some_and(|name| {
                let words = name_words(name);
                let has = |table: &[&str]| words.iter().any(|w| table.contains(&w.as_str()));
                !has(QUERY_WORDS)
                    && ((has(ROLE_SEGMENTS) && has(ASSIGN_SEGMENTS)) || has(ENROL_WORDS))
            })
    })
}

/// The objects a body lists: the elements of its arrays and of its
/// index-keyed objects (a form's `assignments[0][roleid]`), one level
/// down.
fn listed_objects(body: &Value) -> impl Iterator<Item = &Value> {
    body.as_object()
        .into_iter()
        .flat_map(|map| map.values())
        .flat_map(|value| -> Box<dyn Iterator<Item = &Value> + '_> {
            match value {
                Value::Array(items) => Box::new(items.iter()),
                Value::Object(map) if map.keys().all(|k| k.bytes().all(|b| b.is_ascii_digit())) => {
                    Box::new(map.values())
                }
                _ => Box::new(std::iter::empty()),
            }
        })
        .filter(|value| value.is_object())
}

/// A request's bodies: each JSON object or array text, and the form pairs
/// of the other texts and of the `query` as one object, `a[b]=c` nested as
/// PHP and Rails write it (and `gh api -f` reads it). Header lines and bare
/// header values are not bodies.
fn request_bodies(texts: &[String], query: &str) -> Vec<Value> {
    let mut bodies = Vec::new();
    let mut form = serde_json::Map::new();
    for text in texts {
        let trimmed = text.trim();
        if trimmed.starts_with(['{', '['])
            && let Ok(value) = serde_json::from_str::<Value>(trimmed)
        {
            bodies.push(value);
            continue;
        }
        if trimmed.starts_with('<')
            && let Some(value) = xml_body(trimmed)
        {
            bodies.push(value);
            continue;
        }
        form_pairs(trimmed, &mut form);
    }
    form_pairs(query, &mut form);
    if !form.is_empty() {
        bodies.push(Value::Object(form));
    }
    bodies
}

/// An XML body as the JSON a body reader reads (Jamf's Classic API, SOAP):
/// the document element as the body object (a lone text element as an
/// object of its name), each element with child elements as an object of
/// them (a name given twice as a list), each other element as its text.
/// `None` when the text is not XML.
fn xml_body(text: &str) -> Option<Value> {
    fn element(node: roxmltree::Node<'_, '_>) -> Value {
        let children: Vec<_> = node.children().filter(|c| c.is_element()).collect();
        if children.is_empty() {
            return Value::String(node.text().unwrap_or_default().trim().to_owned());
        }
        let mut map = serde_json::Map::new();
        for child in children {
            let name = child.tag_name().name().to_owned();
            let value = element(child);
            match map.get_mut(&name) {
                Some(Value::Array(items)) => items.push(value),
                Some(existing) => *existing = Value::Array(vec![existing.take(), value]),
                None => {
                    map.insert(name, value);
                }
            }
        }
        Value::Object(map)
    }
    let document = roxmltree::Document::parse(text).ok()?;
    let root = document.root_element();
    Some(match element(root) {
        object @ Value::Object(_) => object,
        leaf => {
            let mut map = serde_json::Map::new();
            map.insert(root.tag_name().name().to_owned(), leaf);
            Value::Object(map)
        }
    })
}

/// A form key: a plain name, perhaps with `[sub]` keys (not `Name: value`,
/// not `Bearer x=`).
fn is_form_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.[]%$@".contains(&b))
}

/// The `k=v&k2=v2` pairs of `text` into `form`, when `text` is a form: a
/// form encodes its spaces, so text holding any is prose (an issue's title
/// `role=admin please`), not a form. A GraphQL `query` (or its
/// `variables`) and Jenkins' `json` (a build's parameters) are one value,
/// whatever spaces and `&` it holds.
fn form_pairs(text: &str, form: &mut serde_json::Map<String, Value>) {
    let Some((first, rest)) = text.split_once('=') else {
        return;
    };
    if !is_form_key(first) {
        return;
    }
    if first == "query" || first == "variables" || first == "json" {
        let value = percent_decode(rest).into_owned();
        let value = match first {
            "variables" | "json" => serde_json::from_str(&value).unwrap_or(Value::String(value)),
            _ => Value::String(value),
        };
        form.insert(first.to_owned(), value);
        return;
    }
    if text.contains(char::is_whitespace) {
        return;
    }
    for pair in text.split('&') {
        let Some((key, value)) = pair.split_once('=') else {
            continue;
        };
        let key = percent_decode(key);
        if !is_form_key(&key) {
            continue;
        }
        let (base, subkeys) = key.split_once('[').unwrap_or((&key, ""));
        let path: Vec<&str> = if subkeys.is_empty() {
            Vec::new()
        } else {
            subkeys.trim_end_matches(']').split("][").collect()
        };
        let slot = form.entry(base.to_owned()).or_insert(Value::Null);
        insert_at(
            slot,
            &path,
            Value::String(percent_decode(value).into_owned()),
        );
    }
}

/// `value` set at `path` under `slot` (`""` appends to an array).
fn insert_at(slot: &mut Value, path: &[&str], value: Value) {
    let Some((step, rest)) = path.split_first() else {
        *slot = value;
        return;
    };
    if step.is_empty() {
        if !slot.is_array() {
            *slot = Value::Array(Vec::new());
        }
        if let Value::Array(items) = slot {
            items.push(Value::Null);
            if let Some(last) = items.last_mut() {
                insert_at(last, rest, value);
            }
        }
        return;
    }
    if !slot.is_object() {
        *slot = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(map) = slot {
        insert_at(
            map.entry((*step).to_owned()).or_insert(Value::Null),
            rest,
            value,
        );
    }
}

/// A boolean member: JSON's, or a form's `true`/`false`.
fn is_bool(value: &Value, wanted: bool) -> bool {
    match value {
        Value::Bool(b) => *b == wanted,
        Value::String(s) => s
            .trim()
            .eq_ignore_ascii_case(if wanted { "true" } else { "false" }),
        _ => false,
    }
}

/// True when `key` ([`key_word`]) sets who can see a resource: one of
/// [`VISIBILITY_KEYS`], or a name saying so (YouTube's `privacyStatus`,
/// Zoom's `share_recording`, `link_visibility`). A default for what is
/// made later (`default_visibility`) exposes nothing that exists.
fn is_visibility_key(key: &str) -> bool {
    VISIBILITY_KEYS.contains(&key)
        || (!key.starts_with("default")
            && (key.contains("privacy")
                || key.contains("visibility")
                || key.contains("sharing")
                || key.starts_with("share")))
}

/// True when a body is an npm registry's publish document (what `npm
/// publish` PUTs to `/PACKAGE`): the versions it adds and their tarballs
/// as `_attachments`. Its `access` is the package's, set by publishing.
fn is_package_document(body: &Value) -> bool {
    body.get("versions").is_some_and(Value::is_object)
        && body.get("_attachments").is_some_and(Value::is_object)
}

/// True when a body sets a resource's visibility to anyone: a
/// [`is_visibility_key`] member `public`/`anyone`, a permission of `type`
/// anyone, a link's `access: open` ([`LINK_OBJECTS`]), a public canned
/// ACL, `public: true` or `private: false`; at any depth of objects (not
/// inside arrays: those are lists of other things).
fn makes_public(body: &Value) -> bool {
    fn within(value: &Value, parent: Option<&str>) -> bool {
        let Value::Object(map) = value else {
            return false;
        };
        map.iter().any(|(key, value)| {
            let key = key_word(key);
            let text = scalar_text(value).map(|t| key_word(&t));
            let is = |set: &[&str]| text.as_deref().is_some_and(|t| set.contains(&t));
            let in_link = parent.is_some_and(|p| LINK_OBJECTS.contains(&p));
            (is_visibility_key(&key) && is(PUBLIC_VALUES))
                || (key == "type" && is(ANYONE_VALUES))
                || (in_link
                    && LINK_KEYS.contains(&key.as_str())
                    && (is(PUBLIC_VALUES) || is(&["open"])))
                || (matches!(key.as_str(), "acl" | "cannedacl")
                    && scalar_text(value).is_some_and(|t| is_public_acl(&t)))
                || (PUBLIC_FLAGS.contains(&key.as_str()) && is_bool(value, true))
                || (PRIVATE_FLAGS.contains(&key.as_str()) && is_bool(value, false))
                || within(value, Some(&key))
        })
    }
    within(body, None)
}

/// The role a body sets ([`ROLE_KEYS`], an [`ADMIN_FLAGS`] flag, an
/// `operation` to administer), in the body itself or inside a
/// [`ROLE_WRAPPERS`] object: its text, `""` when it is not one. A chat
/// message's `role` (beside its `content`) is who wrote it, not a grant.
fn set_role(value: &Value, depth: usize) -> Option<String> {
    let Value::Object(map) = value else {
        return None;
    };
    let message = map.keys().any(|k| {
        matches!(
            key_word(k).as_str(),
            "content" | "message" | "text" | "parts" | "prompt"
        )
    });
    for (key, value) in map {
        let key = key_word(key);
        let text = scalar_text(value).map(|t| key_word(&t));
        if !message
            && ROLE_KEYS.contains(&key.as_str())
            && !matches!(value, Value::Null)
            && text.as_deref() != Some("")
            && !text.as_deref().is_some_and(|t| PUBLIC_VALUES.contains(&t))
        {
            return Some(role_text(value));
        }
        if ADMIN_FLAGS.contains(&key.as_str()) && is_bool(value, true) {
            return Some(key);
        }
        if key == "operation" {
            let operation = value.get("key").unwrap_or(value);
            if scalar_text(operation).is_some_and(|o| key_word(&o) == "administer") {
                return Some("administer".to_owned());
            }
        }
    }
    if depth >= 3 {
        return None;
    }
    map.iter()
        .filter(|(key, value)| is_wrapper(key, value))
        .find_map(|(_, value)| set_role(value, depth + 1))
}

/// True when the member `key` holding `value` is a [`ROLE_WRAPPERS`]
/// object.
fn is_wrapper(key: &str, value: &Value) -> bool {
    let key = key_word(key);
    ROLE_WRAPPERS.contains(&key.as_str()) || (key == "data" && value.get("type").is_some())
}

/// A role member's value as text: a scalar, a list of them, an object's
/// name; `""` for anything else.
fn role_text(value: &Value) -> String {
    match value {
        Value::Array(items) => items
            .iter()
            .map(role_text)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => ["name", "key", "id"]
            .iter()
            .find_map(|k| value.get(*k).and_then(scalar_text))
            .map(Cow::into_owned)
            .unwrap_or_default(),
        other => scalar_text(other).map(Cow::into_owned).unwrap_or_default(),
    }
}

/// Who a body gives access to ([`PRINCIPAL_KEYS`], in the body or a
/// [`ROLE_WRAPPERS`] object): a scalar, or an object's identifying
/// member.
fn named_principal(value: &Value, depth: usize) -> Option<String> {
    let Value::Object(map) = value else {
        return None;
    };
    let identify = |value: &Value| -> Option<String> {
        let value = match value {
            Value::Array(items) => items.first()?,
            other => other,
        };
        let text = match value {
            Value::Object(_) => IDENTIFYING_KEYS
                .iter()
                .find_map(|k| value.get(*k).and_then(scalar_text))?,
            other => scalar_text(other)?,
        };
        Some(text.into_owned()).filter(|t| !t.is_empty())
    };
    map.iter()
        .filter(|(key, _)| PRINCIPAL_KEYS.contains(&key_word(key).as_str()))
        .find_map(|(_, value)| identify(value))
        .or_else(|| {
            (depth < 3)
                .then(|| {
                    map.iter()
                        .filter(|(key, value)| is_wrapper(key, value))
                        .find_map(|(_, value)| named_principal(value, depth + 1))
                })
                .flatten()
        })
}

/// True when `segments` on `host` are a message provider's send
/// ([`MESSAGE_APIS`]): its body is the message, not settings.
fn message_api_path(host: &str, segments: &[&str]) -> bool {
    is_one_of(host, MESSAGE_DOMAINS)
        && MESSAGE_APIS.iter().any(|api| {
            api.hosts.iter().any(|h| host_matches(h, host))
                && api.paths.iter().any(|p| path_matches(p, segments))
        })
}

/// GitHub's REST path (`repos/O/R/...`): on `api.github.com`, or after
/// GitHub Enterprise Server's `/api/v3/`.
fn github_rest_path<'s>(host: &str, segments: &'s [&'s str]) -> Option<&'s [&'s str]> {
    if host == "api.github.com" {
        return Some(segments);
    }
    match segments {
        ["api", "v3", rest @ ..] => Some(rest),
        _ => None,
    }
}

/// Deploys started through GitHub's REST API, as `gh workflow run W -f
/// environment=E` starts them: a workflow dispatch (`POST
/// repos/O/R/actions/workflows/W/dispatches`) whose `inputs` name an
/// environment ([`writ_shell::is_environment_parameter`]), a repository dispatch (`POST
/// repos/O/R/dispatches`) whose `client_payload` does, and a deployment
/// (`POST repos/O/R/deployments`) to its `environment` or, naming none,
/// to GitHub's default, `production`.
fn github_deploys(method: &str, rest: &[&str], bodies: &[Value]) -> Vec<Effect> {
    if method != "POST" {
        return Vec::new();
    }
    // The values of the keys `wanted` says in each body's `container` (the
    // body itself when `None`).
    let matching = |container: Option<&str>, wanted: &dyn Fn(&str) -> bool| -> Vec<String> {
        let mut found = Vec::new();
        for body in bodies {
            let holder = match container {
                Some(c) => body.get(c),
                None => Some(body),
            };
            let Some(Value::Object(map)) = holder else {
                continue;
            };
            found.extend(
                map.iter()
                    .filter(|(k, _)| wanted(k))
                    .filter_map(|(_, v)| scalar_text(v).map(Cow::into_owned))
                    .filter(|v| !v.is_empty()),
            );
        }
        found
    };
    let members = |container: Option<&str>, keys: &[&str]| {
        matching(container, &|k: &str| {
            keys.iter().any(|key| k.eq_ignore_ascii_case(key))
        })
    };
    let deploy = |environment: String, service: Option<String>, production: bool| {
        Effect::Deploy(writ_shell::Deploy {
            program: "github".to_owned(),
            environment,
            service,
            production,
        })
    };
    match rest {
        [
            "repos",
            _,
            _,
            "actions",
            "workflows",
            workflow,
            "dispatches",
        ] => matching(Some("inputs"), &writ_shell::is_environment_parameter)
            .into_iter()
            .map(|environment| deploy(environment, Some((*workflow).to_owned()), false))
            .collect(),
        ["repos", _, _, "dispatches"] => {
            let event = members(None, &["event_type"]).into_iter().next();
            matching(
                Some("client_payload"),
                &writ_shell::is_environment_parameter,
            )
            .into_iter()
            .map(|environment| deploy(environment, event.clone(), false))
            .collect()
        }
        ["repos", _, name, "deployments"] => {
            let service = Some((*name).to_owned());
            let production = members(None, &["production_environment"])
                .iter()
                .any(|p| p.eq_ignore_ascii_case("true"));
            match members(None, &["environment"]).into_iter().next() {
                Some(environment) => vec![deploy(environment, service, production)],
                None => vec![deploy("production".to_owned(), service, true)],
            }
        }
        _ => Vec::new(),
    }
}

/// Path segments that end a CI server's request to start a run
/// ([`pipeline_deploys`]); a request whose path has none is not read for one.
const PIPELINE_SEGMENTS: &[&str] = &["buildWithParameters", "build", "pipeline", "builds", "play"];

/// Runs started through CI servers' REST APIs, as their CLIs start them
/// (`writ_shell`'s reading of `jenkins-cli build -p`, `glab ci run
/// --variables`, ...): a `POST` whose parameters name an environment
/// ([`writ_shell::is_environment_parameter`]) deploys to it.
/// - Jenkins: `.../job/A[/job/B]/buildWithParameters` with the parameters
///   as its query or form (`ENVIRONMENT=production`), or `.../build` with a
///   form's `json` (`{"parameter": [{"name": K, "value": V}]}`).
/// - GitLab (`/api/v4/`): `projects/ID/pipeline` with `variables: [{key,
///   value}]` and `inputs: {K: V}`; the trigger API
///   (`projects/ID[/ref/REF]/trigger/pipeline`) with `variables[K]=V`; a
///   manual job's `projects/ID/jobs/N/play` with `job_variables_attributes`.
/// - CircleCI (`api/v2/project/SLUG/pipeline[/run]`): `parameters: {K: V}`.
/// - Buildkite (`v2/organizations/O/pipelines/P/builds`): `env: {K: V}`.
fn pipeline_deploys(method: &str, host: &str, segments: &[&str], bodies: &[Value]) -> Vec<Effect> {
    if method != "POST" {
        return Vec::new();
    }
    let (program, service, pairs) = if let Some(run) = jenkins_run(segments, bodies) {
        run
    } else if let Some(at) = segments.windows(2).position(|w| w == ["api", "v4"]) {
        let Some(run) = gitlab_run(segments.get(at + 2..).unwrap_or_default(), bodies) else {
            return Vec::new();
        };
        run
    } else {
        match segments {
            ["api", "v2", "project", slug @ .., "pipeline"]
            | ["api", "v2", "project", slug @ .., "pipeline", "run"] => (
                "circleci",
                slug.join("/"),
                member_pairs(bodies, "parameters"),
            ),
            ["v2", "organizations", _, "pipelines", pipeline, "builds"]
                if host == "api.buildkite.com" =>
            {
                (
                    "buildkite",
                    (*pipeline).to_owned(),
                    member_pairs(bodies, "env"),
                )
            }
            _ => return Vec::new(),
        }
    };
    let mut effects: Vec<Effect> = Vec::new();
    for (key, value) in pairs {
        let value = value.trim();
        if value.is_empty() || !writ_shell::is_environment_parameter(&key) {
            continue;
        }
        let effect = Effect::Deploy(writ_shell::Deploy {
            program: program.to_owned(),
            environment: value.to_owned(),
            service: Some(service.clone()),
            production: false,
        });
        if !effects.contains(&effect) {
            effects.push(effect);
        }
    }
    effects
}

/// A CI run read from a request: the CI (the deploy's program), what it
/// runs (a job, a project), and the parameters it is given as `(key,
/// value)`.
type CiRun = (&'static str, String, Vec<(String, String)>);

/// The scalar members of an object, as `(key, value)`.
fn object_pairs(value: &Value) -> Vec<(String, String)> {
    let Value::Object(map) = value else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(k, v)| scalar_text(v).map(|v| (k.clone(), v.into_owned())))
        .collect()
}

/// The scalar members of each body's object `member`.
fn member_pairs(bodies: &[Value], member: &str) -> Vec<(String, String)> {
    bodies
        .iter()
        .filter_map(|b| b.get(member))
        .flat_map(object_pairs)
        .collect()
}

/// A list of `{KEY_FIELD: K, VALUE_FIELD: V}` entries as `(K, V)`; a form's
/// `list[][key]=K&list[][value]=V` puts the two in consecutive entries,
/// which are read as one.
fn listed_pairs(list: &Value, key_field: &str, value_field: &str) -> Vec<(String, String)> {
    let items: Vec<&Value> = match list {
        Value::Array(items) => items.iter().collect(),
        single @ Value::Object(_) => vec![single],
        _ => return Vec::new(),
    };
    let text =
        |item: &Value, field: &str| item.get(field).and_then(scalar_text).map(Cow::into_owned);
    let mut pairs = Vec::new();
    let mut pending: Option<String> = None;
    for item in items {
        match (text(item, key_field), text(item, value_field)) {
            (Some(key), Some(value)) => pairs.push((key, value)),
            (Some(key), None) => pending = Some(key),
            (None, Some(value)) => {
                if let Some(key) = pending.take() {
                    pairs.push((key, value));
                }
            }
            (None, None) => {}
        }
    }
    pairs
}

/// Jenkins' `job/A[/job/B]/buildWithParameters` (or `build`): the job's
/// name and the parameters it is given.
fn jenkins_run(segments: &[&str], bodies: &[Value]) -> Option<CiRun> {
    let (last, before) = segments.split_last()?;
    if !matches!(*last, "buildWithParameters" | "build") {
        return None;
    }
    // The path is `job/NAME` pairs up to the endpoint.
    let start = before.iter().position(|s| *s == "job")?;
    let chain = before.get(start..)?;
    if chain.len() % 2 != 0 || chain.chunks(2).any(|pair| pair.first() != Some(&"job")) {
        return None;
    }
    let job: Vec<String> = chain
        .chunks(2)
        .filter_map(|pair| pair.get(1))
        .map(|name| percent_decode(name).into_owned())
        .collect();
    let mut pairs = Vec::new();
    for body in bodies {
        if *last == "buildWithParameters" {
            pairs.extend(object_pairs(body));
        }
        // `json={"parameter": [...]}`, the form `build` takes.
        let json = body.get("json").and_then(|j| match j {
            Value::String(text) => serde_json::from_str::<Value>(text).ok(),
            other => Some(other.clone()),
        });
        if let Some(parameters) = json.as_ref().and_then(|j| j.get("parameter")) {
            pairs.extend(listed_pairs(parameters, "name", "value"));
        }
    }
    Some(("jenkins", job.join("/"), pairs))
}

/// GitLab's API (after `/api/v4/`): a pipeline created, triggered or a
/// manual job played, with the variables and inputs it is given.
fn gitlab_run(rest: &[&str], bodies: &[Value]) -> Option<CiRun> {
    let (project, pairs) = match rest {
        ["projects", id, "pipeline"] => {
            let mut pairs: Vec<(String, String)> = bodies
                .iter()
                .filter_map(|b| b.get("variables"))
                .flat_map(|v| listed_pairs(v, "key", "value"))
                .collect();
            pairs.extend(member_pairs(bodies, "inputs"));
            (id, pairs)
        }
        ["projects", id, "trigger", "pipeline"]
        | ["projects", id, "ref", _, "trigger", "pipeline"] => {
            let mut pairs = member_pairs(bodies, "variables");
            pairs.extend(member_pairs(bodies, "inputs"));
            (id, pairs)
        }
        ["projects", id, "jobs", _, "play"] => (
            id,
            bodies
                .iter()
                .filter_map(|b| b.get("job_variables_attributes"))
                .flat_map(|v| listed_pairs(v, "key", "value"))
                .collect(),
        ),
        _ => return None,
    };
    Some(("gitlab", percent_decode(project).into_owned(), pairs))
}

/// A GraphQL request's mutations ([`graphql_mutations`]), each read as a
/// REST write's body is: one that sets a visibility to anyone makes its
/// resource public (not one that creates a resource: `createRepository`
/// makes a new one, nothing existing is exposed), one that sets a role, or
/// whose name says it changes members, roles or permissions
/// (`updateEnterpriseAdministratorRole`, `teamMembershipCreate`), changes
/// access. A query is a read.
fn graphql_effects(url: &str, bodies: &[Value]) -> Vec<Effect> {
    let mut effects = Vec::new();
    let operations = bodies.iter().flat_map(|body| match body {
        Value::Array(batch) => batch.iter().collect::<Vec<_>>(),
        other => vec![other],
    });
    for operation in operations {
        let Some(query) = operation.get("query").and_then(Value::as_str) else {
            continue;
        };
        // `gh api graphql` sends its other fields as variables.
        let variables = operation.get("variables").unwrap_or(operation);
        for (name, arguments) in graphql_mutations(query, variables) {
            let lower = name.to_ascii_lowercase();
            let resource = format!("{url} {name}");
            if !lower.starts_with("create") && makes_public(&arguments) {
                effects.push(Effect::MakePublic {
                    resource: Resource::Other {
                        name: resource.clone(),
                    },
                });
            }
            let role = set_role(&arguments, 0);
            let named = [
                "member",
                "collaborator",
                "role",
                "permission",
                "invit",
                "admin",
            ]
            .iter()
            .any(|w| lower.contains(w));
            if role.is_some() || named {
                let resource = match role {
                    Some(role) if !role.is_empty() => format!("{resource} (role {role})"),
                    _ => resource,
                };
                effects.push(grant(resource, named_principal(&arguments, 0)));
            }
        }
    }
    effects
}

/// A GraphQL token, as much of the language as reading a mutation's
/// arguments needs (the spec's lexical grammar; `,` is whitespace).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Name(String),
    Variable(String),
    Text(String),
    Number(String),
    Punct(char),
}

fn graphql_tokens(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let name_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut tokens = Vec::new();
    let mut at = 0;
    while let Some(&c) = chars.get(at) {
        let start = at;
        at += 1;
        match c {
            c if c.is_whitespace() || c == ',' || c == '\u{feff}' || c == '.' => {}
            '#' => {
                while chars.get(at).is_some_and(|c| *c != '\n') {
                    at += 1;
                }
            }
            '"' => {
                let block = chars.get(at..at + 2) == Some(&['"', '"']);
                let mut text = String::new();
                if block {
                    at += 2;
                    while at < chars.len() && chars.get(at..at + 3) != Some(&['"', '"', '"']) {
                        text.push(chars[at]);
                        at += 1;
                    }
                    at += 3;
                } else {
                    while let Some(&c) = chars.get(at) {
                        at += 1;
                        match c {
                            '"' | '\n' => break,
                            '\\' => {
                                if let Some(&escaped) = chars.get(at) {
                                    text.push(escaped);
                                    at += 1;
                                }
                            }
                            c => text.push(c),
                        }
                    }
                }
                tokens.push(Token::Text(text));
            }
            '$' => {
                while chars.get(at).is_some_and(|c| name_char(*c)) {
                    at += 1;
                }
                tokens.push(Token::Variable(chars[start + 1..at].iter().collect()));
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                while chars.get(at).is_some_and(|c| name_char(*c)) {
                    at += 1;
                }
                tokens.push(Token::Name(chars[start..at].iter().collect()));
            }
            c if c.is_ascii_digit() || c == '-' => {
                while chars
                    .get(at)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
                {
                    at += 1;
                }
                tokens.push(Token::Number(chars[start..at].iter().collect()));
            }
            c => tokens.push(Token::Punct(c)),
        }
    }
    tokens
}

/// The fields a GraphQL document's first mutation selects, each with its
/// arguments as a JSON object (enums as their names, `$variables` replaced
/// from `variables` where it has them); none when the document has no
/// mutation.
fn graphql_mutations(query: &str, variables: &Value) -> Vec<(String, Value)> {
    let tokens = graphql_tokens(query);
    let mut depth = 0usize;
    let Some(start) = tokens.iter().position(|token| {
        match token {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth == 0 && *token == Token::Name("mutation".to_owned())
    }) else {
        return Vec::new();
    };
    let mut parser = GraphqlParser {
        tokens: &tokens,
        at: start + 1,
        variables,
    };
    if matches!(parser.peek(), Some(Token::Name(_))) {
        parser.at += 1;
    }
    if parser.peek() == Some(&Token::Punct('(')) {
        parser.skip_group();
    }
    parser.skip_directives();
    if !parser.eat('{') {
        return Vec::new();
    }
    let mut fields = Vec::new();
    while let Some(token) = parser.next() {
        match token {
            Token::Punct('}') => break,
            Token::Name(first) => {
                let mut name = first.clone();
                if parser.eat(':')
                    && let Some(Token::Name(field)) = parser.next()
                {
                    name.clone_from(field);
                }
                let arguments = if parser.eat('(') {
                    parser.object(')', 0)
                } else {
                    Value::Object(serde_json::Map::new())
                };
                parser.skip_directives();
                if parser.peek() == Some(&Token::Punct('{')) {
                    parser.skip_group();
                }
                fields.push((name, arguments));
            }
            _ => {}
        }
    }
    fields
}

/// Reads GraphQL values from tokens; nesting deeper than
/// [`GraphqlParser::MAX_DEPTH`] is read as `null`.
struct GraphqlParser<'t> {
    tokens: &'t [Token],
    at: usize,
    variables: &'t Value,
}

impl<'t> GraphqlParser<'t> {
    const MAX_DEPTH: usize = 32;

    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<&'t Token> {
        let token = self.tokens.get(self.at);
        self.at += 1;
        token
    }

    fn eat(&mut self, punct: char) -> bool {
        let found = self.peek() == Some(&Token::Punct(punct));
        if found {
            self.at += 1;
        }
        found
    }

    /// Past a bracketed group (`(...)`, `{...}`, `[...]`) starting here.
    fn skip_group(&mut self) {
        let mut depth = 0usize;
        while let Some(token) = self.next() {
            match token {
                Token::Punct('(' | '{' | '[') => depth += 1,
                Token::Punct(')' | '}' | ']') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// Past `@name(args)` directives.
    fn skip_directives(&mut self) {
        while self.eat('@') {
            self.next();
            if self.peek() == Some(&Token::Punct('(')) {
                self.skip_group();
            }
        }
    }

    /// `name: value` pairs up to `close`, as an object.
    fn object(&mut self, close: char, depth: usize) -> Value {
        let mut map = serde_json::Map::new();
        while let Some(token) = self.next() {
            match token {
                Token::Punct(c) if *c == close => break,
                Token::Name(key) if self.eat(':') => {
                    let value = self.value(depth + 1);
                    map.insert(key.clone(), value);
                }
                _ => {}
            }
        }
        Value::Object(map)
    }

    fn value(&mut self, depth: usize) -> Value {
        let Some(token) = self.next() else {
            return Value::Null;
        };
        match token {
            Token::Variable(name) => self
                .variables
                .get(name)
                .cloned()
                .unwrap_or_else(|| Value::String(format!("${name}"))),
            Token::Text(text) => Value::String(text.clone()),
            Token::Number(number) => Value::String(number.clone()),
            Token::Name(name) => match name.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                _ => Value::String(name.clone()),
            },
            Token::Punct('[' | '{') if depth > Self::MAX_DEPTH => {
                self.at -= 1;
                self.skip_group();
                Value::Null
            }
            Token::Punct('[') => {
                let mut items = Vec::new();
                while self.peek().is_some() && !self.eat(']') {
                    items.push(self.value(depth + 1));
                }
                Value::Array(items)
            }
            Token::Punct('{') => self.object('}', depth),
            Token::Punct(_) => Value::Null,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn texts(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    /// The amount a request pays, when it is a payment.
    fn payment(method: &str, url: &str, texts: &[String]) -> Option<Option<i64>> {
        super::payment(method, url, texts).map(|p| p.amount_cents)
    }

    /// The one-label check lets every host the tables name through.
    #[test]
    fn the_tables_hosts_pass_the_label_check() {
        for host in PAYMENT_APIS.iter().flat_map(|api| api.hosts) {
            let host = host.trim_start_matches('.').replace('*', "x");
            assert!(is_one_of(&host, PAYMENT_DOMAINS), "{host}");
        }
        for host in MESSAGE_APIS.iter().flat_map(|api| api.hosts) {
            let host = host.trim_start_matches('.').replace('*', "x");
            assert!(is_one_of(&host, MESSAGE_DOMAINS), "{host}");
        }
        assert!(!is_one_of("api.example.com", PAYMENT_DOMAINS));
        assert!(!is_one_of("stripe.example.com", PAYMENT_DOMAINS));
    }

    #[test]
    fn payment_requests_name_their_payees() {
        let payees =
            |url: &str, body: &[&str]| super::payment("POST", url, &texts(body)).map(|p| p.payees);
        assert_eq!(
            payees(
                "https://api.stripe.com/v1/transfers",
                &["amount=8800&currency=usd&destination=acct_7Rivet"]
            ),
            Some(vec!["acct_7Rivet".to_owned()])
        );
        assert_eq!(
            payees(
                "https://api.stripe.com/v1/refunds",
                &["charge=ch_1&amount=400"]
            ),
            Some(vec!["ch_1".to_owned()])
        );
        // A cancel, an update or a read moves no money.
        for (method, url) in [
            ("POST", "https://api.stripe.com/v1/payouts/po_1/cancel"),
            ("POST", "https://api.stripe.com/v1/charges/ch_1"),
            ("GET", "https://api.stripe.com/v1/payouts/po_1"),
        ] {
            assert!(
                super::payment(method, url, &texts(&["metadata[k]=v"])).is_none(),
                "{url}"
            );
        }
        assert!(
            super::payment(
                "POST",
                "https://api.stripe.com/v1/payment_intents/pi_1/capture",
                &texts(&["amount_to_capture=90000"])
            )
            .is_some()
        );
        assert_eq!(
            payees(
                "https://api.paypal.com/v1/payments/payouts",
                &[
                    r#"{"items": [{"receiver": "a@x.com", "amount": {"value": "5", "currency": "USD"}},
                               {"receiver": "b@y.com", "amount": {"value": "6", "currency": "USD"}}]}"#
                ]
            ),
            Some(vec!["a@x.com".to_owned(), "b@y.com".to_owned()])
        );
        assert_eq!(
            payees(
                "https://pal-test.adyen.com/pal/servlet/Payout/v68/payout",
                &[
                    r#"{"amount": {"value": 1000, "currency": "EUR"}, "bank": {"iban": "LT601010012345678901"}}"#
                ]
            ),
            Some(vec!["LT601010012345678901".to_owned()])
        );
    }

    #[test]
    fn payment_apis_read_the_amount_in_cents() {
        let url = "https://api.stripe.com/v1/refunds";
        assert_eq!(
            payment("POST", url, &texts(&["charge=ch_1&amount=50000"])),
            Some(Some(50000))
        );
        assert_eq!(
            payment("POST", url, &texts(&[r#"{"charge":"ch_1","amount":700}"#])),
            Some(Some(700))
        );
        // A full refund: the amount is not on the request.
        assert_eq!(payment("POST", url, &texts(&["charge=ch_1"])), Some(None));
        assert_eq!(
            payment(
                "POST",
                "https://api.stripe.com/v1/payment_intents/pi_1/confirm",
                &[]
            ),
            Some(None)
        );
        assert_eq!(payment("GET", url, &[]), None);
        assert_eq!(
            payment("POST", "https://api.stripe.com/v1/customers", &[]),
            None
        );
        assert_eq!(
            payment(
                "POST",
                "https://api.stripe.com.evil.example/v1/refunds",
                &[]
            ),
            None
        );
    }

    #[test]
    fn payment_amounts_carry_their_currency() {
        let url = "https://api.stripe.com/v1/refunds";
        let refund = |body: &str| payment("POST", url, &texts(&[body]));
        // £490.00 at $1.60 a pound; €490.00 at $1.26.
        assert_eq!(refund("amount=49000&currency=gbp"), Some(Some(78400)));
        assert_eq!(refund("amount=49000&currency=EUR"), Some(Some(61740)));
        assert_eq!(refund("amount=450&currency=usd"), Some(Some(450)));
        // Zero-decimal: ¥150,000 is 150000 yen, not 1500.
        assert_eq!(refund("amount=150000&currency=jpy"), Some(Some(165000)));
        // Three-decimal: 100.000 dinars.
        assert_eq!(refund("amount=100000&currency=kwd"), Some(Some(35000)));
        // A currency not in the table, or an amount not a number: unreadable.
        assert_eq!(refund("amount=49000&currency=xts"), Some(None));
        assert_eq!(refund("amount=4%35000"), Some(None));
        // The amount given twice, differently: no one amount.
        assert_eq!(
            payment("POST", url, &texts(&["amount=100", "amount=90000"])),
            Some(None)
        );
        assert_eq!(
            payment("POST", url, &texts(&["amount=450", "amount=450"])),
            Some(Some(450))
        );
    }

    #[test]
    fn payment_providers_by_the_shape_of_their_requests() {
        let pay = |url: &str, body: &str| payment("POST", url, &texts(&[body]));
        // Adyen: minor units in `amount: {value, currency}`.
        let adyen = r#"{"amount":{"currency":"EUR","value":250000},"merchantAccount":"M"}"#;
        assert_eq!(
            pay(
                "https://pal-live.adyen.com/pal/servlet/Payout/v68/payout",
                adyen
            ),
            Some(Some(315000))
        );
        assert_eq!(
            pay(
                "https://1797a841fbb37ca7-AdyenDemo-checkout-live.adyenpayments.com/checkout/v71/payments",
                r#"{"amount":{"currency":"USD","value":4000}}"#
            ),
            Some(Some(4000))
        );
        assert_eq!(
            pay(
                "https://checkout-test.adyen.com/v71/payments/PSP1/refunds",
                r#"{"amount":{"currency":"JPY","value":1000}}"#
            ),
            Some(Some(1100))
        );
        assert_eq!(
            pay(
                "https://pal-test.adyen.com/pal/servlet/Payment/v68/refund",
                r#"{"modificationAmount":{"currency":"GBP","value":1000}}"#
            ),
            Some(Some(1600))
        );
        assert_eq!(
            pay("https://checkout-test.adyen.com/v71/paymentMethods", adyen),
            None
        );
        assert_eq!(
            pay("https://adyen.com.evil.example/v71/payments", adyen),
            None
        );
        // PayPal: decimal strings; a payout batch is its items' total.
        assert_eq!(
            pay(
                "https://api-m.paypal.com/v1/payments/payouts",
                r#"{"items":[{"amount":{"value":"300.00","currency":"USD"}},
                             {"amount":{"value":"250.50","currency":"USD"}}]}"#
            ),
            Some(Some(55050))
        );
        assert_eq!(
            pay(
                "https://api-m.sandbox.paypal.com/v2/payments/captures/2GG/refund",
                r#"{"amount":{"value":"10.99","currency_code":"GBP"}}"#
            ),
            Some(Some(1759))
        );
        // A full refund names no amount.
        assert_eq!(
            pay(
                "https://api-m.paypal.com/v2/payments/captures/2GG/refund",
                "{}"
            ),
            Some(None)
        );
        // Wise: a transfer spends an earlier quote; funding it pays.
        assert_eq!(
            pay(
                "https://api.transferwise.com/v1/transfers",
                r#"{"targetAccount":1,"quoteUuid":"q"}"#
            ),
            Some(None)
        );
        assert_eq!(
            pay(
                "https://api.wise.com/v3/profiles/1/transfers/2/payments",
                r#"{"type":"BALANCE"}"#
            ),
            Some(None)
        );
        assert_eq!(
            pay(
                "https://api.wise.com/v1/transfers",
                r#"{"sourceAmount":100.5,"sourceCurrency":"EUR"}"#
            ),
            Some(Some(12663))
        );
        assert_eq!(pay("https://api.wise.com/v3/profiles/1/quotes", "{}"), None);
        // Modern Treasury: minor units; with no currency, the account's.
        let orders = "https://app.moderntreasury.com/api/payment_orders";
        assert_eq!(
            pay(orders, r#"{"amount":780000,"currency":"USD"}"#),
            Some(Some(780000))
        );
        assert_eq!(pay(orders, r#"{"amount":4500}"#), Some(None));
        // GoCardless: minor units under the resource's name.
        assert_eq!(
            pay(
                "https://api.gocardless.com/payments",
                r#"{"payments":{"amount":45000,"currency":"EUR"}}"#
            ),
            Some(Some(56700))
        );
        assert_eq!(
            pay(
                "https://api.gocardless.com/refunds",
                r#"{"refunds":{"amount":100}}"#
            ),
            Some(None)
        );
        assert_eq!(pay("https://api.gocardless.com/mandates", "{}"), None);
    }

    #[test]
    fn usd_cents_round_up_and_refuse_what_they_cannot_read() {
        assert_eq!(usd_cents("450", Unit::Minor, "usd"), Some(450));
        assert_eq!(usd_cents("4.50", Unit::Major, "USD"), Some(450));
        assert_eq!(usd_cents("4.5e2", Unit::Major, "USD"), Some(45000));
        assert_eq!(usd_cents("+1", Unit::Major, "USD"), Some(100));
        // A fraction of a cent is a cent more, never less.
        assert_eq!(usd_cents("0.001", Unit::Major, "USD"), Some(1));
        assert_eq!(usd_cents("1", Unit::Minor, "KRW"), Some(1));
        assert_eq!(usd_cents("0", Unit::Minor, "EUR"), Some(0));
        for amount in [
            "",
            ".",
            "-1",
            "1,000",
            "1e",
            "abc",
            "1.2.3",
            "99999999999999999999999999999999999999999",
        ] {
            assert_eq!(usd_cents(amount, Unit::Major, "USD"), None, "{amount}");
        }
        assert_eq!(usd_cents("1e40", Unit::Major, "USD"), None);
        assert_eq!(usd_cents("1", Unit::Major, "XYZ"), None);
    }

    #[test]
    fn wallet_node_calls_are_payments_on_any_host() {
        let call = |body: &str| {
            super::payment("POST", "http://10.0.0.5:8545/", &texts(&[body]))
                .map(|p| (p.amount_cents, p.payees))
        };
        let paid = |cents: Option<i64>, payees: &[&str]| {
            Some((cents, payees.iter().map(|p| (*p).to_owned()).collect()))
        };
        // 2.5 ETH at $4,900, in hex wei and in decimal wei.
        assert_eq!(
            call(
                r#"{"method":"eth_sendTransaction","params":[{"to":"0xB0b","value":"0x22b1c8c1227a0000"}]}"#
            ),
            paid(Some(1_225_000), &["0xB0b"])
        );
        assert_eq!(
            call(
                r#"{"method":"eth_sendTransaction","params":[{"to":"0xB0b","value":"2500000000000000000"}]}"#
            ),
            paid(Some(1_225_000), &["0xB0b"])
        );
        // A batch's total, its payees once each.
        assert_eq!(
            call(
                r#"[{"method":"eth_sendTransaction","params":[{"to":"0xB0b","value":"0xde0b6b3a7640000"}]},
                    {"method":"eth_sendTransaction","params":[{"to":"0xB0b","value":"0xde0b6b3a7640000"}]},
                    {"method":"eth_blockNumber","params":[]}]"#
            ),
            paid(Some(980_000), &["0xB0b"])
        );
        // EIP-5792's calls.
        assert_eq!(
            call(
                r#"{"method":"wallet_sendCalls","params":[{"calls":[{"to":"0xB0b","value":"0xde0b6b3a7640000"},{"to":"0xC0c","data":"0x12"}]}]}"#
            ),
            paid(Some(490_000), &["0xB0b"])
        );
        // An unreadable value leaves the amount unread.
        assert_eq!(
            call(r#"{"method":"eth_sendTransaction","params":[{"to":"0xB0b","value":"lots"}]}"#),
            paid(None, &["0xB0b"])
        );
        // Bitcoin Core, by position and by name.
        let address = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
        assert_eq!(
            call(&format!(
                r#"{{"method":"sendtoaddress","params":["{address}",0.5]}}"#
            )),
            paid(Some(6_000_000), &[address])
        );
        assert_eq!(
            call(&format!(
                r#"{{"method":"sendfrom","params":["",  "{address}","0.5"]}}"#
            )),
            paid(Some(6_000_000), &[address])
        );
        assert_eq!(
            call(&format!(
                r#"{{"method":"sendmany","params":{{"amounts":{{"{address}":0.25,"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy":0.25}}}}}}"#
            )),
            paid(
                Some(6_000_000),
                &[address, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"]
            )
        );
        assert_eq!(
            call(&format!(
                r#"{{"method":"sendall","params":[["{address}"]]}}"#
            )),
            paid(None, &[address])
        );
        // Not payments: no value, a signed transaction, a read, another
        // API's `send`, a GET.
        for body in [
            r#"{"method":"eth_sendTransaction","params":[{"to":"0xB0b","data":"0x12"}]}"#,
            r#"{"method":"eth_sendRawTransaction","params":["0x02f8"]}"#,
            r#"{"method":"eth_getBalance","params":["0xB0b","latest"]}"#,
            r#"{"method":"send","params":[{"to":"alice","text":"hi"}]}"#,
        ] {
            assert_eq!(call(body), None, "{body}");
        }
        assert_eq!(
            super::payment(
                "GET",
                "http://10.0.0.5:8545/",
                &texts(&[r#"{"method":"sendtoaddress","params":["x",1]}"#])
            ),
            None
        );
    }

    #[test]
    fn crypto_assets_convert_from_their_base_units() {
        // 40 ether at $4,900.
        assert_eq!(usd_cents("40", Unit::Major, "ETH"), Some(19_600_000));
        assert_eq!(usd_cents("40e-0", Unit::Major, "eth"), Some(19_600_000));
        // One wei is a cent more, never nothing.
        assert_eq!(usd_cents("1e-18", Unit::Major, "ETH"), Some(1));
        assert_eq!(
            usd_cents("1000000000000000000", Unit::Minor, "ETH"),
            Some(490_000)
        );
        // 2.5 BTC, and 2,500 sats.
        assert_eq!(usd_cents("2.5", Unit::Major, "BTC"), Some(30_000_000));
        assert_eq!(usd_cents("2500", Unit::Minor, "BTC"), Some(300));
        assert_eq!(usd_cents("250", Unit::Major, "SOL"), Some(7_500_000));
        assert_eq!(usd_cents("480", Unit::Major, "NEAR"), Some(1_008_000));
        assert_eq!(
            usd_cents("2500000000e-6", Unit::Major, "USDC"),
            Some(250_000)
        );
        assert_eq!(usd_cents("2500", Unit::Major, "USDT"), Some(250_000));
    }

    #[test]
    fn currency_table_is_well_formed() {
        for (at, (code, exponent, micro_usd)) in CURRENCIES.iter().enumerate() {
            // ISO 4217 codes, or a crypto asset's ticker and base unit.
            assert!(
                (3..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase()),
                "{code}"
            );
            assert!(*exponent <= 24 && *micro_usd > 0, "{code}");
            assert!(
                CURRENCIES[..at].iter().all(|(other, _, _)| other != code),
                "{code} twice"
            );
        }
    }

    #[test]
    fn message_table_is_well_formed() {
        for api in MESSAGE_APIS {
            assert!(!api.hosts.is_empty() && !api.paths.is_empty());
            assert!(
                !api.recipients.is_empty() || !api.raw.is_empty(),
                "{:?} names no recipients",
                api.hosts
            );
            for host in api.hosts {
                assert_eq!(*host, host.to_ascii_lowercase());
                // Every host is recognised, whatever its case.
                let sample = host.replace('*', "us-east-1").to_ascii_uppercase();
                assert!(host_matches(host, &sample), "{host}");
            }
            for path in api.paths {
                assert!(!path.starts_with('/') && !path.contains("**"), "{path}");
            }
            assert!(matches!(api.channel, Channel::Email | Channel::Chat));
            assert_eq!(
                api.channel == Channel::Email,
                api.addressee == Addressee::Address
            );
        }
    }

    #[test]
    fn message_requests_by_host_path_and_method() {
        let to = |method: &str, url: &str, body: &[&str]| {
            message(method, url, &texts(body)).map(|m| (m.channel, m.recipients))
        };
        let email = |r: &[&str]| Some((Channel::Email, texts(r)));
        let chat = |r: &[&str]| Some((Channel::Chat, texts(r)));
        let sendgrid = r#"{"personalizations":[{"to":[{"email":"a@x.com"}],"cc":[{"email":"b@y.org"}],"bcc":[{"email":"c@z.net"}]},{"to":[{"email":"d@w.io"}]}]}"#;
        assert_eq!(
            to("POST", "https://api.sendgrid.com/v3/mail/send", &[sendgrid]),
            email(&["a@x.com", "d@w.io", "b@y.org", "c@z.net"])
        );
        // Not a send, not this provider's path, not a method that sends.
        assert_eq!(
            to("GET", "https://api.sendgrid.com/v3/mail/send", &[sendgrid]),
            None
        );
        assert_eq!(
            to("PUT", "https://api.sendgrid.com/v3/mail/send", &[sendgrid]),
            None
        );
        assert_eq!(
            to("POST", "https://api.sendgrid.com/v3/templates", &[sendgrid]),
            None
        );
        // Elsewhere (a look-alike host too), read by its shape
        // ([`general_message`]): the host reads the message as well.
        for url in [
            "https://api.sendgrid.com.evil.io/v3/mail/send",
            "https://example.com/v3/mail/send",
        ] {
            assert_eq!(
                to("POST", url, &[sendgrid]),
                email(&["a@x.com", "b@y.org", "c@z.net", "d@w.io", url])
            );
        }
        assert_eq!(
            to(
                "POST",
                "https://graph.microsoft.com/v1.0/users/u1/sendMail",
                &[
                    r#"{"message":{"toRecipients":[{"emailAddress":{"address":"a@x.com"}}],"bccRecipients":[{"emailAddress":{"name":"B","address":"b@y.org"}}]}}"#
                ]
            ),
            email(&["a@x.com", "b@y.org"])
        );
        assert_eq!(
            to(
                "POST",
                "https://graph.microsoft.com/v1.0/me/messages/AAMk/send",
                &[]
            ),
            None
        );
        // Mailgun's form fields, Name <addr> lists, percent-encoded.
        assert_eq!(
            to(
                "POST",
                "https://api.eu.mailgun.net/v3/mg.acme.io/messages",
                &[
                    "api:$KEY",
                    "from=Ops <ops@acme.io>",
                    "to=A <a@x.com>, b@y.org",
                    "cc=c%40z.net"
                ]
            ),
            email(&["a@x.com", "b@y.org", "c@z.net"])
        );
        assert_eq!(
            to(
                "POST",
                "https://api.postmarkapp.com/email/batch",
                &[r#"[{"To":"a@x.com, b@y.org"},{"To":"c@z.net","Bcc":"d@w.io"}]"#]
            ),
            email(&["a@x.com", "b@y.org", "c@z.net", "d@w.io"])
        );
        assert_eq!(
            to(
                "POST",
                "https://email.eu-central-1.amazonaws.com/v2/email/outbound-emails",
                &[r#"{"Destination":{"ToAddresses":["a@x.com"],"BccAddresses":["b@y.org"]}}"#]
            ),
            email(&["a@x.com", "b@y.org"])
        );
        // SES's raw message: standard base64 of To: a@x.com.
        let ses = message(
            "POST",
            "https://email.us-east-1.amazonaws.com/v2/email/outbound-emails",
            &texts(&[r#"{"Content":{"Raw":{"Data":"VG86IGFAeC5jb20NCg0KaGk="}}}"#]),
        );
        assert_eq!(
            ses.map(|m| (m.recipients, m.decoded)),
            Some((texts(&["a@x.com"]), texts(&["To: a@x.com\r\n\r\nhi"])))
        );
        assert_eq!(
            to(
                "POST",
                "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json",
                &["To=whatsapp:+4915112345678", "Body=hi", "$SID:$TOKEN"]
            ),
            chat(&["whatsapp:+4915112345678"])
        );
        // Telegram by GET or POST, its chat id a number or a name.
        assert_eq!(
            to(
                "GET",
                "https://api.telegram.org/bot1:x/sendMessage?chat_id=-1001822334455&text=hi",
                &[]
            ),
            chat(&["-1001822334455"])
        );
        assert_eq!(
            to(
                "POST",
                "https://api.telegram.org/bot1:x/sendDocument",
                &[r#"{"chat_id": 4242}"#]
            ),
            chat(&["4242@telegram.org"])
        );
        assert_eq!(
            to(
                "POST",
                "https://api.telegram.org/bot1:x/sendMessage",
                &["chat_id=@ops"]
            ),
            chat(&["ops@telegram.org"])
        );
        assert_eq!(
            to("POST", "https://api.telegram.org/bot1:x/getUpdates", &[]),
            None
        );
        // Recipients that cannot be read: none, not a guess.
        assert_eq!(
            to(
                "POST",
                "https://gmail.googleapis.com/gmail/v1/users/me/messages/send",
                &[r#"{"raw": "$raw"}"#]
            ),
            email(&[])
        );
    }

    #[test]
    fn gmail_raw_messages_decode() {
        // "To: A <a@x.com>,\r\n b@y.org\r\nCc: c@z.net\r\nSubject: s\r\n\r\nhi?>" in
        // the URL alphabet, unpadded (the body's `?>` encodes with `_`).
        let raw = "VG86IEEgPGFAeC5jb20-LA0KIGJAeS5vcmcNCkNjOiBjQHoubmV0DQpTdWJqZWN0OiBzDQoNCmhpPz4";
        let sent = message(
            "POST",
            "https://gmail.googleapis.com/upload/gmail/v1/users/me/messages/send",
            &texts(&[&format!(r#"{{"raw": "{raw}"}}"#)]),
        );
        let sent = sent.unwrap();
        assert_eq!(sent.recipients, texts(&["a@x.com", "b@y.org", "c@z.net"]));
        assert!(!sent.from_source_text);
        assert_eq!(
            sent.decoded,
            texts(&["To: A <a@x.com>,\r\n b@y.org\r\nCc: c@z.net\r\nSubject: s\r\n\r\nhi?>"])
        );
        // Built by printf in the shell: the text it was made from.
        let built = message(
            "POST",
            "https://gmail.googleapis.com/gmail/v1/users/me/messages/send",
            &texts(&[
                "Authorization: Bearer $T",
                "To: p@acme.io\\r\nSubject: s\\r\n\\r\nhi\\r\n",
                r#"{"raw": "$raw"}"#,
            ]),
        )
        .unwrap();
        assert_eq!(built.recipients, texts(&["p@acme.io"]));
        assert!(built.from_source_text);
    }

    #[test]
    fn base64_in_both_alphabets() {
        assert_eq!(decode_base64("aGk/Pz4+").as_deref(), Some("hi??>>"));
        assert_eq!(decode_base64("aGk_Pz4-").as_deref(), Some("hi??>>"));
        assert_eq!(decode_base64("aGk=").as_deref(), Some("hi"));
        assert_eq!(decode_base64("aGk").as_deref(), Some("hi"));
        assert_eq!(decode_base64("aG\r\nk=").as_deref(), Some("hi"));
        assert_eq!(decode_base64("$raw"), None);
        assert_eq!(decode_base64(""), None);
        // Bytes that are not text.
        assert_eq!(decode_base64("//79"), None);
    }

    #[test]
    fn headers_and_address_lists() {
        assert_eq!(
            header_recipients(
                "From: o@acme.io\r\nTO: \"Doe, J\" <j@x.com>,\r\n\tk@y.org\r\nbcc: <m@z.net>\r\nSubject: To: n@w.io\r\n\r\nCc: body@v.io\r\n"
            ),
            texts(&["j@x.com", "k@y.org", "m@z.net"])
        );
        // LF line ends, and printf's escapes as written.
        assert_eq!(header_recipients("Cc: a@x.com\n\nhi"), texts(&["a@x.com"]));
        assert_eq!(
            header_recipients("To: a@x.com\\r\\n\\r\\nhi"),
            texts(&["a@x.com"])
        );
        // Not a header block.
        assert!(header_recipients("hello\nTo: a@x.com\n").is_empty());
        assert!(header_recipients(" To: a@x.com\n").is_empty());
        assert!(header_recipients(r#"{"to": "a@x.com"}"#).is_empty());
        assert_eq!(
            address_list("mailto:a@x.com; B <b@y.org>, , \"C, Jr\" <c@z.net>"),
            texts(&["a@x.com", "b@y.org", "c@z.net"])
        );
        assert_eq!(percent_decode("a%40x.com%2C%zz"), "a@x.com,%zz");
        assert_eq!(
            chat_recipient(" -100123456 ", "t.org").as_deref(),
            Some("-100123456")
        );
        assert_eq!(
            chat_recipient("12345", "t.org").as_deref(),
            Some("12345@t.org")
        );
        assert_eq!(chat_recipient("", "t.org"), None);
    }

    #[test]
    fn request_texts_are_not_the_message() {
        for text in [
            "Authorization: Bearer $TOKEN",
            "Authorization: Basic YXBpOmtleQ==",
            "api:$MAILGUN_KEY",
            "Bearer ya29.x",
            "application/json",
        ] {
            assert!(is_request_text(text), "{text}");
        }
        for text in [
            r#"{"raw": "$raw"}"#,
            r#"[{"To": "a@x.com"}]"#,
            "to=a@x.com",
            "chat_id=1&text=hi",
            "To: a@x.com\r\nSubject: s\r\n\r\nhi",
        ] {
            assert!(!is_request_text(text), "{text}");
        }
    }

    #[test]
    fn hosts_match_exactly_under_a_domain_or_by_label() {
        assert!(host_matches(
            "email.*.amazonaws.com",
            "email.us-west-2.amazonaws.com"
        ));
        assert!(!host_matches(
            "email.*.amazonaws.com",
            "email.amazonaws.com"
        ));
        assert!(!host_matches(
            "email.*.amazonaws.com",
            "email.a.b.amazonaws.com"
        ));
        assert!(!host_matches(
            "email.*.amazonaws.com",
            "email.a.amazonaws.com.evil"
        ));
        assert!(host_matches(".mailgun.net", "api.mailgun.net"));
        assert!(host_matches(".mailgun.net", "mailgun.net"));
        assert!(!host_matches(".mailgun.net", "evilmailgun.net"));
        assert!(!host_matches("api.sendgrid.com", "api.sendgrid.co"));
    }

    #[test]
    fn payment_paths_match_by_segment() {
        let segments = |path: &'static str| -> Vec<&'static str> {
            path.split('/').filter(|s| !s.is_empty()).collect()
        };
        assert!(path_matches("v1/refunds/**", &segments("v1/refunds")));
        assert!(path_matches("v1/refunds/**", &segments("v1/refunds/re_1")));
        assert!(!path_matches("v1/refunds/**", &segments("v1/refunds_x")));
        assert!(path_matches(
            "**/payments",
            &segments("checkout/v71/payments")
        ));
        assert!(path_matches("**/payments", &segments("payments")));
        assert!(!path_matches(
            "**/payments",
            &segments("v71/payments/details")
        ));
        assert!(path_matches(
            "pal/servlet/Payout/*/payout",
            &segments("pal/servlet/payout/v68/PAYOUT")
        ));
        assert!(!path_matches(
            "pal/servlet/Payout/*/payout",
            &segments("pal/servlet/Payout/payout")
        ));
    }

    fn other(name: &str) -> Resource {
        Resource::Other {
            name: name.to_owned(),
        }
    }

    fn granted(name: &str, grantee: Option<&str>) -> Vec<Effect> {
        vec![Effect::GrantAccess {
            resource: other(name),
            grantee: grantee.map(str::to_owned),
        }]
    }

    #[test]
    fn identity_providers_on_any_host() {
        let okta = "https://id.globex.io/api/v1";
        assert_eq!(
            api_effects(
                "POST",
                &format!("{okta}/users/00u1/roles"),
                &texts(&[r#"{"type":"SUPER_ADMIN"}"#])
            ),
            granted("okta admin role SUPER_ADMIN", Some("00u1"))
        );
        assert_eq!(
            api_effects("PUT", &format!("{okta}/groups/00g1/users/00u1"), &[]),
            granted("okta group 00g1", Some("00u1"))
        );
        assert_eq!(
            api_effects("DELETE", &format!("{okta}/groups/00g1/users/00u1"), &[]),
            granted("okta group 00g1", Some("00u1"))
        );
        assert_eq!(
            api_effects(
                "POST",
                &format!("{okta}/apps/0oa1/users"),
                &texts(&[r#"{"id":"00u2","scope":"USER"}"#])
            ),
            granted("okta app 0oa1", Some("00u2"))
        );
        assert_eq!(
            api_effects("PUT", &format!("{okta}/apps/0oa1/groups/00g1"), &[]),
            granted("okta app 0oa1", Some("group 00g1"))
        );
        assert_eq!(
            api_effects(
                "POST",
                &format!("{okta}/groups/rules"),
                &texts(&[r#"{"name":"all-admins"}"#])
            ),
            granted("okta group rules", Some("all-admins"))
        );
        let auth0 = "https://acme.us.auth0.com/api/v2";
        assert_eq!(
            api_effects(
                "POST",
                &format!("{auth0}/users/auth0%7Cu1/roles"),
                &texts(&[r#"{"roles":["rol_1"]}"#])
            ),
            granted(r#"auth0 roles ["rol_1"]"#, Some("auth0%7Cu1"))
        );
        assert_eq!(
            api_effects(
                "POST",
                "https://login.acme.io/api/v2/organizations/org_1/members",
                &texts(&[r#"{"members":["u2"]}"#])
            ),
            granted("auth0 organization org_1", Some(r#"["u2"]"#))
        );
        assert_eq!(
            api_effects("DELETE", &format!("{auth0}/roles/rol_1/users"), &[]).len(),
            1
        );
        // Reads are no grant, nor answered beyond the method.
        for url in [
            format!("{okta}/users/00u1/roles"),
            format!("{okta}/groups/00g1/users/00u1"),
            format!("{auth0}/users/u1/roles"),
        ] {
            assert!(!may_change("GET", &url), "{url}");
            assert_eq!(api_effects("GET", &url, &[]), Vec::new(), "{url}");
        }
        // Writes of other shapes name no access.
        for (method, url) in [
            ("POST", "https://api.example.com/api/v1/users/42/profile"),
            ("PATCH", "https://api.example.com/api/v1/users/42"),
            ("POST", "https://api.example.com/api/v1/users"),
            ("POST", "https://acme.us.auth0.com/api/v2/users/u1"),
        ] {
            assert!(may_change(method, url), "{method} {url}");
            assert_eq!(api_effects(method, url, &[]), Vec::new(), "{method} {url}");
        }
        // Outside the identity providers' exact paths, the general reading
        // still knows a principal's roles and a group's members.
        for (method, url) in [
            ("POST", "https://api.example.com/v1/users/42/roles"),
            ("POST", "https://api.example.com/x/api/v1/users/42/roles"),
            ("POST", "https://id.globex.io/api/v1/groups/00g1/users/00u1"),
        ] {
            assert_eq!(api_effects(method, url, &[]).len(), 1, "{method} {url}");
        }
    }

    #[test]
    fn a_mail_rule_that_forwards_writes_to_its_recipients() {
        let rule = texts(&[
            r#"{"displayName":"archive","actions":{"forwardTo":[{"emailAddress":{"address":"a@proton.me"}}],"redirectTo":[{"emailAddress":{"name":"B","address":"b@example.org"}}]}}"#,
        ]);
        let effects = api_effects(
            "POST",
            "https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messageRules",
            &rule,
        );
        let recipients: Vec<&str> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::Request(r) => match &r.target {
                    Target::Url { url } => Some(url.as_str()),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        assert_eq!(recipients, ["a@proton.me", "b@example.org"]);
        // Gmail's filter action and forwarding address.
        let filter =
            texts(&[r#"{"criteria":{"from":"x@y.com"},"action":{"forward":"c@gmail.com"}}"#]);
        let gmail = api_effects(
            "POST",
            "https://gmail.googleapis.com/gmail/v1/users/me/settings/filters",
            &filter,
        );
        assert_eq!(gmail.len(), 1, "{gmail:?}");
        // A word `forward` that holds no address sends nothing.
        let plain = texts(&[r#"{"forward":true,"name":"x"}"#]);
        assert!(api_effects("POST", "https://api.example.net/v1/ports", &plain).is_empty());
    }

    #[test]
    fn an_xml_body_is_read_as_a_json_one_is() {
        let body = texts(&["<account><privilege_set>Administrator</privilege_set></account>"]);
        let effects = api_effects(
            "PUT",
            "https://acme.jamfcloud.com/JSSResource/accounts/username/jo.kim",
            &body,
        );
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::GrantAccess { .. })),
            "{effects:?}"
        );
        assert_eq!(
            xml_body("<a><b>1</b><b>2</b><c><d>x</d></c></a>"),
            Some(serde_json::json!({"b": ["1", "2"], "c": {"d": "x"}}))
        );
        assert_eq!(
            xml_body("<note>hi</note>"),
            Some(serde_json::json!({"note": "hi"}))
        );
        assert_eq!(xml_body("<unclosed>"), None);
    }

    #[test]
    fn a_search_of_principals_filters_by_role_and_grants_nothing() {
        let filter = texts(&[r#"{"q":"e2e+","role":"customer","status":"active"}"#]);
        let search = api_effects("POST", "https://admin.example.net/users/search", &filter);
        assert!(
            !search
                .iter()
                .any(|e| matches!(e, Effect::GrantAccess { .. })),
            "{search:?}"
        );
        let assign = api_effects("POST", "https://admin.example.net/users/42/roles", &filter);
        assert!(
            assign
                .iter()
                .any(|e| matches!(e, Effect::GrantAccess { .. })),
            "{assign:?}"
        );
    }

    #[test]
    fn search_engine_security_apis_on_any_host() {
        let es = "https://es.example.net:9200";
        let mapping = texts(&[
            r#"{"roles":["superuser"],"enabled":true,"rules":{"field":{"groups":"cn=x"}}}"#,
        ]);
        assert_eq!(
            api_effects("PUT", &format!("{es}/_security/role_mapping/m1"), &mapping),
            granted(
                "https://es.example.net/_security/role_mapping/m1 (role superuser)",
                None
            )
        );
        assert_eq!(
            api_effects(
                "PUT",
                "https://os.example.net/_plugins/_security/api/rolesmapping/all_access",
                &texts(&[r#"{"users":["mallory"]}"#])
            ),
            granted(
                "https://os.example.net/_plugins/_security/api/rolesmapping/all_access",
                Some("mallory")
            )
        );
        assert_eq!(
            api_effects(
                "POST",
                &format!("{es}/_security/user/jo"),
                &texts(&[r#"{"password":"x","roles":["kibana_admin"]}"#])
            ),
            granted(
                "https://es.example.net/_security/user/jo (role kibana_admin)",
                Some("jo")
            )
        );
        // Writing a role's privileges changes what its holders may do.
        let role =
            texts(&[r#"{"cluster":["all"],"indices":[{"names":["*"],"privileges":["all"]}]}"#]);
        assert_eq!(
            api_effects("PUT", &format!("{es}/_security/role/ops"), &role),
            granted("https://es.example.net/_security/role/ops", None)
        );
        assert_eq!(
            api_effects(
                "PUT",
                "https://os.example.net/_plugins/_security/api/roles/ops",
                &texts(&[
                    r#"{"index_permissions":[{"index_patterns":["*"],"allowed_actions":["read"]}]}"#
                ])
            )
            .len(),
            1
        );
        // An API key, a password, a role's description, a read: no grant.
        for (method, url, body) in [
            (
                "POST",
                format!("{es}/_security/api_key"),
                r#"{"name":"k","role_descriptors":{"r":{"cluster":["all"]}}}"#,
            ),
            (
                "POST",
                format!("{es}/_security/user/jo/_password"),
                r#"{"password":"x"}"#,
            ),
            (
                "PUT",
                "https://kc.example.net/admin/realms/r/roles/ops".to_owned(),
                r#"{"description":"operators"}"#,
            ),
            ("GET", format!("{es}/_security/role_mapping/m1"), ""),
            ("POST", format!("{es}/_security/role/ops/_clear_cache"), ""),
        ] {
            assert_eq!(
                api_effects(method, &url, &texts(&[body])),
                Vec::new(),
                "{method} {url}"
            );
        }
    }

    #[test]
    fn directory_membership_in_graph_and_google_admin() {
        let graph = "https://graph.microsoft.com/v1.0";
        let member =
            texts(&[r#"{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/u1"}"#]);
        assert_eq!(
            api_effects("POST", &format!("{graph}/groups/g1/members/$ref"), &member),
            granted("azure ad group g1", Some("u1"))
        );
        assert_eq!(
            api_effects("POST", &format!("{graph}/groups/g1/owners/%24ref"), &member),
            granted("azure ad group g1", Some("u1"))
        );
        assert_eq!(
            api_effects("DELETE", &format!("{graph}/groups/g1/members/u1/$ref"), &[]),
            granted("azure ad group g1", Some("u1"))
        );
        assert_eq!(
            api_effects(
                "POST",
                "https://graph.microsoft.com/beta/directoryRoles/r1/members/$ref",
                &member
            ),
            granted("azure ad directory role r1", Some("u1"))
        );
        assert_eq!(
            api_effects(
                "POST",
                &format!("{graph}/roleManagement/directory/roleAssignments"),
                &texts(&[
                    r#"{"principalId":"u1","roleDefinitionId":"62e90394","directoryScopeId":"/"}"#
                ])
            ),
            granted("azure ad role 62e90394", Some("u1"))
        );
        assert_eq!(
            api_effects(
                "POST",
                &format!("{graph}/servicePrincipals/sp1/appRoleAssignedTo"),
                &texts(&[r#"{"principalId":"u1","resourceId":"sp1","appRoleId":"a1"}"#])
            ),
            granted("azure ad app sp1", Some("u1"))
        );
        for (method, url) in [
            ("GET", format!("{graph}/groups/g1/members")),
            ("PATCH", format!("{graph}/groups/g1")),
            ("POST", format!("{graph}/groups")),
        ] {
            assert_eq!(
                api_effects(method, &url, &member),
                Vec::new(),
                "{method} {url}"
            );
        }
        let admin = "https://admin.googleapis.com/admin/directory/v1";
        assert_eq!(
            api_effects(
                "POST",
                &format!("{admin}/groups/admins%40acme.com/members"),
                &texts(&[r#"{"email":"bob@gmail.com","role":"OWNER"}"#])
            ),
            granted("google group admins@acme.com", Some("bob@gmail.com"))
        );
        assert_eq!(
            api_effects(
                "DELETE",
                &format!("{admin}/groups/admins@acme.com/members/bob@acme.com"),
                &[]
            ),
            granted("google group admins@acme.com", Some("bob@acme.com"))
        );
        assert_eq!(
            api_effects(
                "POST",
                "https://www.googleapis.com/admin/directory/v1/users/bob@acme.com/makeAdmin",
                &texts(&[r#"{"status":true}"#])
            ),
            granted("google workspace administrators", Some("bob@acme.com"))
        );
        assert_eq!(
            api_effects(
                "POST",
                &format!("{admin}/customer/my_customer/roleassignments"),
                &texts(&[r#"{"roleId":"9","assignedTo":"u7","scopeType":"CUSTOMER"}"#])
            ),
            granted("google workspace admin role 9", Some("u7"))
        );
        assert_eq!(
            api_effects(
                "POST",
                "https://cloudidentity.googleapis.com/v1/groups/g9/memberships",
                &texts(&[
                    r#"{"preferredMemberKey":{"id":"bob@gmail.com"},"roles":[{"name":"MEMBER"}]}"#
                ])
            ),
            granted("google group g9", Some("bob@gmail.com"))
        );
        assert_eq!(
            api_effects("GET", &format!("{admin}/groups/g/members"), &[]),
            Vec::new()
        );
        assert_eq!(
            api_effects("POST", &format!("{admin}/users"), &texts(&[r#"{"x":1}"#])),
            Vec::new()
        );
    }

    #[test]
    fn graphql_mutations_and_their_arguments() {
        let none = Value::Null;
        assert_eq!(
            graphql_mutations(
                r#"# open it
                mutation Open { done: updateRepository(input: {repositoryId: "R_\"1", visibility: PUBLIC, topics: ["a", "b"], n: -1.5e3}) @client { repository { url } }
                  other(flag: true, gone: null) }"#,
                &none
            ),
            vec![
                (
                    "updateRepository".to_owned(),
                    json!({"input": {"repositoryId": "R_\"1", "visibility": "PUBLIC",
                                     "topics": ["a", "b"], "n": "-1.5e3"}})
                ),
                ("other".to_owned(), json!({"flag": true, "gone": null})),
            ]
        );
        // Variables, defined and not; block strings.
        assert_eq!(
            graphql_mutations(
                r#"mutation ($input: In!, $x: Int = 3) { set(input: $input, y: $missing, note: """a "b" c""") }"#,
                &json!({"input": {"visibility": "PUBLIC"}})
            ),
            vec![(
                "set".to_owned(),
                json!({"input": {"visibility": "PUBLIC"}, "y": "$missing", "note": "a \"b\" c"})
            )]
        );
        // Queries, subscriptions and fragments are no mutation.
        for query in [
            "query { viewer { login } }",
            "{ repository(name: \"mutation\") { id } }",
            "subscription { x }",
            "fragment F on Repository { mutation }",
            "",
            "mutation",
            "mutation {",
        ] {
            assert_eq!(graphql_mutations(query, &none), Vec::new(), "{query}");
        }
        // Nesting past the limit reads as null, without recursing further.
        let deep = format!(
            "mutation {{ f(a: {}1{}) }}",
            "[".repeat(500),
            "]".repeat(500)
        );
        assert_eq!(graphql_mutations(&deep, &none).len(), 1);
    }

    #[test]
    fn operation_names_split_into_words() {
        assert_eq!(
            name_words("core_role_assign_roles"),
            ["core", "role", "assign", "roles"]
        );
        assert_eq!(name_words("user.assignRole"), ["user", "assign", "role"]);
        assert_eq!(name_words("package_patch"), ["package", "patch"]);
        assert!(names_update("package_patch") && names_update("updateVideo"));
        assert!(!names_update("dispatch") && !names_update("package_create"));
        let function = |name: &str| rpc_grants(&json!({ "wsfunction": name }));
        assert!(function("core_role_assign_roles") && function("core_role_unassign_roles"));
        assert!(function("enrol_manual_enrol_users"));
        assert!(
            !function("core_enrol_get_enrolled_users") && !function("core_course_create_courses")
        );
        assert!(!rpc_grants(&json!({"method": "POST", "role": "admin"})));
    }

    #[test]
    fn message_addresses_and_numbers() {
        assert!(is_email_address("maria.ortiz@gmail.com"));
        assert!(
            !is_email_address("release-42")
                && !is_email_address("a@b")
                && !is_email_address("@x.org")
        );
        assert!(is_phone_number("+1 202-555-0143") && is_phone_number("(202) 555-0143"));
        assert!(
            !is_phone_number("12345")
                && !is_phone_number("+12ab345678")
                && !is_phone_number("C01234567")
        );
        assert!(is_visibility_key("privacystatus") && is_visibility_key("sharerecording"));
        assert!(!is_visibility_key("defaultsharing") && !is_visibility_key("status"));
    }

    #[test]
    fn form_bodies_nest_as_rails_and_gh_write_them() {
        let bodies = request_bodies(
            &texts(&[
                "Authorization: Bearer x=y",
                "ref=main&inputs[environment]=production&inputs[tags][]=a&inputs[tags][]=b",
                "user=sam%40gmail.com",
                "shared_link[access]=open",
                "query=mutation { a(x: \"1&2\") }",
                "api:key",
                "role=admin please",
                r#"{"a": 1}"#,
            ]),
            "role=admin",
        );
        assert_eq!(
            bodies,
            vec![
                json!({"a": 1}),
                json!({
                    "ref": "main",
                    "inputs": {"environment": "production", "tags": ["a", "b"]},
                    "user": "sam@gmail.com",
                    "shared_link": {"access": "open"},
                    "query": "mutation { a(x: \"1&2\") }",
                    "role": "admin",
                }),
            ]
        );
    }

    #[test]
    fn path_shapes() {
        fn shape(path: &str) -> (bool, Option<&str>) {
            let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            let shape = PathShape::read(&segments);
            (shape.grants(), shape.principal.map(|at| segments[at]))
        }
        assert_eq!(shape("/v1/users/42/roles"), (true, Some("42")));
        assert_eq!(shape("/admin/user/roles/assign"), (true, None));
        assert_eq!(
            shape("/admin/realms/r/users/u1/role-mappings/realm"),
            (true, Some("u1"))
        );
        assert_eq!(shape("/v1/Files/F/Permissions.json"), (true, None));
        // An RPC method's words read as a REST path's segments would.
        let method = |path: &str| {
            let words: Vec<&str> = path.split('/').flat_map(method_words).collect();
            PathShape::read(&words).grants()
        };
        assert!(method("/api/conversations.invite"));
        assert!(method("/api/admin.conversations.invite"));
        assert!(!method("/api/conversations.history"));
        assert!(!method("/api/chat.postMessage"));
        assert_eq!(method_words("report.json"), vec!["report.json"]);
        assert_eq!(
            shape("/apis/rbac/v1/namespaces/n/rolebindings"),
            (true, None)
        );
        assert_eq!(shape("/v1/projects/p:setIamPolicy"), (true, None));
        assert_eq!(shape("/groups/g/members/u"), (true, Some("u")));
        assert_eq!(shape("/groups/g/roles"), (true, Some("g")));
        assert_eq!(shape("/users/u/groups/g"), (true, Some("u")));
        assert_eq!(shape("/v1/projects/p:testIamPermissions"), (false, None));
        assert_eq!(shape("/v1/permissions/check"), (false, None));
        assert_eq!(shape("/groups/g/members/search"), (false, None));
        assert_eq!(shape("/realms/r/roles"), (false, None));
        assert_eq!(shape("/lists/l/members"), (false, None));
        assert_eq!(shape("/users/42/profile"), (false, Some("42")));
    }

    #[test]
    fn bodies_that_set_roles_and_visibility() {
        let role = |body: Value| set_role(&body, 0);
        assert_eq!(role(json!({"role": "admin"})), Some("admin".to_owned()));
        assert_eq!(role(json!({"Access_Level": 40})), Some("40".to_owned()));
        assert_eq!(
            role(json!({"roles": [{"name": "MEMBER"}, "OWNER"]})),
            Some("MEMBER,OWNER".to_owned())
        );
        assert_eq!(
            role(json!({"data": {"type": "users", "attributes": {"role": "admin"}}})),
            Some("admin".to_owned())
        );
        assert_eq!(role(json!({"isAdmin": "true"})), Some("isadmin".to_owned()));
        assert_eq!(role(json!({"isAdmin": false})), None);
        assert_eq!(role(json!({"data": {"role": "primary"}})), None);
        assert_eq!(role(json!({"messages": [{"role": "user"}]})), None);
        assert_eq!(role(json!({"role": "user", "content": "hi"})), None);
        assert_eq!(role(json!({"role": "", "access": "public"})), None);
        assert_eq!(
            role(json!({"a": {"b": {"c": {"user": {"role": "x"}}}}})),
            None
        );
        let public = |body: Value| makes_public(&body);
        assert!(public(json!({"visibility": "Public"})));
        assert!(public(
            json!({"settings": {"general_access": "anyone-with-link"}})
        ));
        assert!(public(json!({"type": "anyone", "role": "reader"})));
        assert!(public(json!({"shared_link": {"access": "open"}})));
        assert!(public(json!({"acl": "public-read"})));
        assert!(public(json!({"private": "false"})));
        assert!(!public(json!({"access": "open"})));
        assert!(!public(json!({"type": "public"})));
        assert!(!public(json!({"private": true, "visibility": "private"})));
        assert!(!public(json!({"items": [{"visibility": "public"}]})));
        assert!(!public(json!({"text": "visibility: public"})));
    }

    #[test]
    fn gh_api_calls_are_read_by_their_shape_where_gh_says_nothing() {
        let url = "https://api.github.com/graphql";
        let query = texts(&[
            "query=mutation { updateRepository(input: {repositoryId: \"R_1\", visibility: PUBLIC}) { repository { url } } }",
        ]);
        assert_eq!(
            general_api_effects("POST", url, &query),
            vec![Effect::MakePublic {
                resource: other("https://api.github.com/graphql updateRepository"),
            }]
        );
        // `gh api graphql -F id=R_1 -f query='mutation($id: ID!) {...}'`:
        // the other fields are the variables.
        let with_variables = texts(&[
            "id=R_1",
            "v=PUBLIC",
            "query=mutation($id: ID!, $v: RepositoryVisibility!) { updateRepository(input: {repositoryId: $id, visibility: $v}) { repository { url } } }",
        ]);
        assert_eq!(general_api_effects("POST", url, &with_variables).len(), 1);
        let dispatch =
            "https://api.github.com/repos/acme/api/actions/workflows/deploy.yml/dispatches";
        assert_eq!(
            general_api_effects(
                "POST",
                dispatch,
                &texts(&["ref=main", "inputs[environment]=production"])
            ),
            vec![Effect::Deploy(writ_shell::Deploy {
                program: "github".to_owned(),
                environment: "production".to_owned(),
                service: Some("deploy.yml".to_owned()),
                production: false,
            })]
        );
        // What gh reads itself is not read twice.
        assert_eq!(
            general_api_effects(
                "PUT",
                "https://api.github.com/repos/acme/api/collaborators/bob",
                &texts(&["permission=admin"])
            ),
            Vec::new()
        );
        assert_eq!(
            api_effects(
                "PUT",
                "https://api.github.com/repos/acme/api/collaborators/bob",
                &texts(&["permission=admin"])
            )
            .len(),
            1
        );
    }

    #[test]
    fn github_org_settings() {
        assert_eq!(
            api_effects(
                "PATCH",
                "https://api.github.com/orgs/acme",
                &texts(&[r#"{"default_repository_permission":"write"}"#])
            ),
            granted(
                "github.com/acme",
                Some("all members (default_repository_permission=write)")
            )
        );
        assert_eq!(
            api_effects(
                "PATCH",
                "https://api.github.com/orgs/acme",
                &texts(&[r#"{"billing_email":"x@acme.com"}"#])
            ),
            Vec::new()
        );
    }

    #[test]
    fn shares_are_requests_that_only_change_access() {
        let share = |method: &str, url: &str, body: &[&str]| {
            let texts = texts(body);
            is_share(method, url, &texts, &api_effects(method, url, &texts))
        };
        let drive = "https://www.googleapis.com/drive/v3/files/F1/permissions";
        assert!(share(
            "POST",
            drive,
            &[r#"{"type":"user","emailAddress":"a@b.com"}"#]
        ));
        assert!(share("POST", drive, &[r#"{"type":"anyone"}"#]));
        let object = "https://media-drop.s3.amazonaws.com/q3.csv";
        assert!(share(
            "PUT",
            &format!("{object}?acl"),
            &["x-amz-acl: public-read"]
        ));
        // Content written with an ACL, a file uploaded, a bucket deleted,
        // a plain write.
        assert!(!share("PUT", object, &["x-amz-acl: public-read", "a,b"]));
        assert!(!share("UPLOAD", drive, &[r#"{"type":"anyone"}"#]));
        assert!(!share(
            "DELETE",
            "https://media-drop.s3.amazonaws.com/",
            &[]
        ));
        assert!(!share(
            "POST",
            "https://api.example.com/v1/notes",
            &["hello"]
        ));
    }
}
