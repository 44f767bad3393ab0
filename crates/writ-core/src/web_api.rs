//! What a request to a well-known web API does besides sending its body:
//! a repository or a bucket made public, access granted, a bucket deleted,
//! a branch moved. The shell analysis knows these as commands (`gh api`,
//! `aws s3 rb`, `aws iam attach-user-policy`); a curl or an HTTP gateway
//! request to the same API means the same, so it routes the same.

use std::borrow::Cow;

use serde_json::Value;
use writ_shell::{Effect, Resource, Target};

/// The effects of `method` on `url` beyond the request itself, from the
/// request's texts: JSON bodies, form pairs, the query and `Name: value`
/// header lines.
pub(crate) fn api_effects(method: &str, url: &str, texts: &[String]) -> Vec<Effect> {
    let Some(request) = Request::parse(method, url) else {
        return Vec::new();
    };
    let Request {
        host,
        path,
        gitlab,
        bitbucket,
    } = request;
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut fields = fields(texts);
    fields.extend(query.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k.to_owned(), v.to_owned())
    }));
    let pairs: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if host == "api.github.com" {
        return writ_shell::github_access_changes(path, method, &pairs);
    }
    if let Some(api_path) = gitlab {
        return writ_shell::gitlab_access_changes(&host, api_path, method, &pairs);
    }
    if let Some(api_path) = bitbucket {
        let api_path = api_path.split('?').next().unwrap_or_default();
        return bitbucket_access_changes(&host, api_path, method, &fields);
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if let Some(effect) = directory(&segments, method, &fields) {
        return vec![effect];
    }
    let everyone_named = texts.iter().any(|t| writ_shell::grants_everyone(t));
    if let Some(effects) = storage(url, method, &segments, &fields, everyone_named) {
        return effects;
    }
    match host.as_str() {
        "www.googleapis.com" | "content.googleapis.com" | "admin.googleapis.com"
            if segments.first() == Some(&"admin") =>
        {
            google_admin(&segments, method, &fields)
        }
        "www.googleapis.com" | "content.googleapis.com" => drive(&segments, &fields),
        "cloudidentity.googleapis.com" => cloud_identity(&segments, method, &fields),
        "api.dropboxapi.com" => dropbox(&segments, &fields),
        "graph.microsoft.com" => graph(&segments, method, &fields, texts),
        "iam.amazonaws.com" => iam(&fields),
        "huggingface.co" => hub(&segments, &fields),
        _ => Vec::new(),
    }
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
        paths: &[
            "v1/refunds/**",
            "v1/payouts/**",
            "v1/transfers/**",
            "v1/charges/**",
            "v1/payment_intents/**",
            "v1/topups/**",
            "v1/credit_notes/**",
            "v1/treasury/outbound_payments/**",
            "v1/treasury/outbound_transfers/**",
        ],
        amounts: &[amount_at("", "amount", "currency")],
        unit: Unit::Minor,
        default_currency: Some("usd"),
        payees: &[("", "destination")],
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
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
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

/// A state-changing request to one of the APIs this module knows.
struct Request<'u> {
    host: String,
    /// The path after the authority, with its query.
    path: &'u str,
    /// GitLab's API path after `/api/v4/`.
    gitlab: Option<&'u str>,
    /// Bitbucket's API path: Cloud's after `api.bitbucket.org/2.0/`,
    /// Server's and Data Center's after `/rest/api/1.0/`.
    bitbucket: Option<&'u str>,
}

impl<'u> Request<'u> {
    /// `None` for a read, or a URL of no API known here: most requests,
    /// answered before any body is read.
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
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
        let gitlab = rest
            .split_once("/api/v4/")
            .filter(|(before, _)| !before.contains('/'))
            .map(|(_, api_path)| api_path);
        let bitbucket = if host == "api.bitbucket.org" {
            path.strip_prefix("2.0/")
        } else {
            path.strip_prefix("rest/api/1.0/")
        };
        let known = host == "api.github.com"
            || gitlab.is_some()
            || bitbucket.is_some()
            || is_storage_host(&host)
            || is_directory_path(method, path)
            || matches!(
                host.as_str(),
                "www.googleapis.com"
                    | "content.googleapis.com"
                    | "admin.googleapis.com"
                    | "cloudidentity.googleapis.com"
                    | "api.dropboxapi.com"
                    | "graph.microsoft.com"
                    | "iam.amazonaws.com"
                    | "huggingface.co"
            );
        known.then_some(Self {
            host,
            path,
            gitlab,
            bitbucket,
        })
    }
}

/// True when a request of `method` to `url` may mean more than a send
/// ([`api_effects`] has something to read).
pub(crate) fn may_change(method: &str, url: &str) -> bool {
    Request::parse(method, url).is_some()
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
/// `predefinedAcl`, a grant or policy naming everyone) makes the bucket
/// public; `DELETE` of the bucket itself deletes it and its contents.
/// `None` when `url` names no bucket.
fn storage(
    url: &str,
    method: &str,
    segments: &[&str],
    fields: &[(String, String)],
    everyone_named: bool,
) -> Option<Vec<Effect>> {
    let bucket = writ_detect::destination::parse_destination(url)?.bucket?;
    let resource = Resource::Bucket {
        scheme: bucket.scheme.clone(),
        name: bucket.name.clone(),
    };
    // What follows the bucket in the path: the object key, or the JSON
    // API's `o/OBJECT`, `acl`, `iam`.
    let after: &[&str] = match segments
        .iter()
        .position(|s| s.eq_ignore_ascii_case(&bucket.name))
    {
        Some(at) => &segments[at + 1..],
        None => segments,
    };
    let acl_public = ["x-amz-acl", "x-goog-acl", "predefinedAcl", "acl", "entity"]
        .iter()
        .any(|key| field(fields, key).is_some_and(is_public_acl));
    // A request that sets an ACL or a policy (`?acl`, `?policy`, the JSON
    // API's `acl`, `iam`): a grant in its body that names everyone counts.
    let sets_access = ["acl", "policy"]
        .iter()
        .any(|key| field(fields, key).is_some())
        || after
            .last()
            .is_some_and(|s| matches!(*s, "acl" | "iam" | "defaultObjectAcl"));
    let mut effects = Vec::new();
    if method == "DELETE" {
        let whole = after.is_empty();
        let target = if whole {
            format!("{}://{}", bucket.scheme, bucket.name)
        } else {
            format!("{}://{}/{}", bucket.scheme, bucket.name, after.join("/"))
        };
        effects.push(Effect::RemoteDelete {
            target: Target::Url { url: target },
            recursive: whole,
        });
    } else if acl_public || (sets_access && everyone_named) {
        effects.push(Effect::MakePublic { resource });
    }
    Some(effects)
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
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(hex) = segment.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
/// drive item public; `invite` shares it with the people named.
fn graph(
    segments: &[&str],
    method: &str,
    fields: &[(String, String)],
    texts: &[String],
) -> Vec<Effect> {
    if let Some(effect) = graph_directory(segments, method, fields) {
        return vec![effect];
    }
    let Some(at) = segments.iter().position(|s| *s == "items") else {
        return Vec::new();
    };
    let resource = Resource::Other {
        name: format!("drive item {}", segments.get(at + 1).unwrap_or(&"")),
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
        Some(&"invite") => vec![Effect::GrantAccess {
            resource,
            grantee: None,
        }],
        _ => Vec::new(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    /// The amount a request pays, when it is a payment.
    fn payment(method: &str, url: &str, texts: &[String]) -> Option<Option<i64>> {
        super::payment(method, url, texts).map(|p| p.amount_cents)
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
            Some(Vec::new())
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
    fn currency_table_is_well_formed() {
        for (at, (code, exponent, micro_usd)) in CURRENCIES.iter().enumerate() {
            assert!(
                code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()),
                "{code}"
            );
            assert!(*exponent <= 3 && *micro_usd > 0, "{code}");
            assert!(
                CURRENCIES[..at].iter().all(|(other, _, _)| other != code),
                "{code} twice"
            );
        }
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
        // Reads, and other APIs' paths of other shapes, are no grant.
        for (method, url) in [
            ("GET", format!("{okta}/users/00u1/roles")),
            ("GET", format!("{okta}/groups/00g1/users/00u1")),
            ("POST", format!("{okta}/groups/00g1/users/00u1")),
            (
                "POST",
                "https://api.example.com/api/v1/users/42/profile".to_owned(),
            ),
            (
                "PATCH",
                "https://api.example.com/api/v1/users/42".to_owned(),
            ),
            ("POST", "https://api.example.com/api/v1/users".to_owned()),
            (
                "POST",
                "https://api.example.com/v1/users/42/roles".to_owned(),
            ),
            (
                "POST",
                "https://api.example.com/x/api/v1/users/42/roles".to_owned(),
            ),
            ("GET", format!("{auth0}/users/u1/roles")),
            ("POST", format!("{auth0}/users/u1")),
        ] {
            assert!(!may_change(method, &url), "{method} {url}");
            assert_eq!(api_effects(method, &url, &[]), Vec::new(), "{method} {url}");
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
}
