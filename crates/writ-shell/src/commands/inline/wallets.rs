//! Wallet libraries' transfers in inline code: the value a script sends
//! on a chain is a [`Payment`], as `cast send --value` is.
//!
//! - Ethereum: a transaction object with a `value` given to a call that
//!   sends it (ethers v5/v6 `signer.sendTransaction({to, value})`, web3.js
//!   `web3.eth.sendTransaction`, viem `walletClient.sendTransaction`,
//!   web3.py `w3.eth.send_transaction`, `transact`, `writeContract`, and a
//!   transaction signed by `signTransaction`/`sign_transaction` when the
//!   code broadcasts a signed one), directly or through the name it is
//!   assigned to; and any object whose `value` is built by a unit
//!   conversion (`parseEther('2.5')`, `parseUnits('3', 'gwei')`,
//!   `web3.utils.toWei('1', 'ether')`, `w3.to_wei(2.5, 'ether')`) in code
//!   that sends transactions or calls contracts (a payable call's
//!   overrides, `contract.deposit({value: parseEther('1')})`). The value
//!   is in wei unless a conversion says otherwise, and counts as ether,
//!   the dearest EVM native asset.
//! - Solana: `SystemProgram.transfer({toPubkey, lamports})` (and solders'
//!   `TransferParams(to_pubkey=..., lamports=...)`), with `N *
//!   LAMPORTS_PER_SOL` read as N SOL.
//! - Bitcoin Core RPC clients: `sendtoaddress(ADDR, BTC)` and
//!   `sendmany('', {ADDR: BTC})` (also as `call('sendtoaddress', ...)`).
//!
//! The payees are the `to` addresses written out, and the node is the URL
//! given to the provider (`new ethers.JsonRpcProvider(URL)`,
//! `Web3.HTTPProvider(URL)`, viem's `http(URL)`). An amount computed at
//! run time is unreadable, so the payment's amount is unknown. One script
//! is one action: its transfers of one asset are one payment of their
//! total.

use super::Literal;
use super::argv::split_args;
use super::storage::is_ident;
use crate::commands::chain;
use crate::{Amount, Payment};

/// Calls whose first argument is a transaction they send.
const SEND_CALLS: &[&str] = &[
    "sendTransaction",
    "send_transaction",
    "sendUncheckedTransaction",
    "writeContract",
    "transact",
];

/// Calls that sign the transaction their first argument describes; it is
/// sent when the code also broadcasts a signed one ([`BROADCASTS`]).
const SIGN_CALLS: &[&str] = &["signTransaction", "sign_transaction"];

/// Calls that broadcast a signed transaction.
const BROADCASTS: &[&str] = &[
    "sendRawTransaction",
    "send_raw_transaction",
    "sendSignedTransaction",
    "broadcastTransaction",
];

/// Code that sends transactions or calls contracts: with one of these, an
/// object whose `value` is converted from ether units is a transaction.
const SENDING_MARKERS: &[&str] = &[
    "sendTransaction",
    "send_transaction",
    "writeContract",
    "transact(",
    "Contract(",
    ".send(",
    "sendRawTransaction",
    "send_raw_transaction",
    "sendSignedTransaction",
    "broadcastTransaction",
];

/// Words without which code sends nothing on a chain (checked first, so
/// that other code is not read further).
const CHAIN_MARKERS: &[&str] = &[
    "ransact",
    "writeContract",
    "sendtoaddress",
    "sendToAddress",
    "sendmany",
    "sendMany",
    "lamports",
    "Contract(",
    ".send(",
];

/// Constructors and calls whose URL argument is the node transactions go
/// through, besides every `...Provider(URL)`.
const NODE_CALLS: &[&str] = &[
    "Web3",
    "http",
    "webSocket",
    "Connection",
    "AuthServiceProxy",
    "RawProxy",
];

/// How far a value is followed through the names it is assigned to.
const DEPTH: usize = 4;

/// How deep the brackets whose contents are read may nest.
const NESTING: usize = 12;

/// Code longer than this is not read.
const MAX_CODE: usize = 64 * 1024;

/// An object literal (`{to: ..., value: ...}`, a dict) or a keyword
/// argument list (`dict(value=...)`, `TransferParams(lamports=...)`): where
/// it opens and its members, as (key, expression).
struct Object<'c> {
    open: usize,
    members: Vec<(String, &'c str)>,
}

impl<'c> Object<'c> {
    fn get(&self, key: &str) -> Option<&'c str> {
        self.members
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, expr)| *expr)
    }
}

/// What one script's transfers of one asset add up to.
struct Total {
    currency: &'static str,
    payees: Vec<String>,
    /// `None` once a transfer's amount is unreadable.
    values: Option<Vec<String>>,
}

/// The payments `code` makes.
pub(super) fn payments(program: &str, code: &str) -> Vec<Payment> {
    if code.len() > MAX_CODE || !CHAIN_MARKERS.iter().any(|m| code.contains(m)) {
        return Vec::new();
    }
    let literals = super::literals(code);
    let reader = Reader {
        code,
        literals: &literals,
    };
    let openings = reader.openings();
    let objects = reader.objects(&openings);
    let mut totals: Vec<Total> = Vec::new();
    let mut add = |currency: &'static str, payees: Vec<String>, amount: Option<Amount>| {
        let at = match totals.iter().position(|t| t.currency == currency) {
            Some(at) => at,
            None => {
                totals.push(Total {
                    currency,
                    payees: Vec::new(),
                    values: Some(Vec::new()),
                });
                totals.len() - 1
            }
        };
        let Some(total) = totals.get_mut(at) else {
            return;
        };
        for payee in payees {
            if !total.payees.contains(&payee) {
                total.payees.push(payee);
            }
        }
        match (amount, total.values.as_mut()) {
            (Some(amount), Some(values)) => values.extend(amount.values),
            _ => total.values = None,
        }
    };
    // Transactions given to a call that sends them.
    let broadcasts = BROADCASTS.iter().any(|b| code.contains(b));
    let mut sent = Vec::new();
    for (name, args) in reader.calls(&openings) {
        let method = last_segment(name);
        let sends = SEND_CALLS.contains(&method) || (broadcasts && SIGN_CALLS.contains(&method));
        if sends
            && let Some(first) = args.first()
            && let Some(open) = reader.object_of(first, 0)
        {
            sent.push(open);
        }
        if let Some((payees, amount)) = reader.bitcoin(method, &args, &objects) {
            add("BTC", payees, amount);
        }
    }
    let sending = SENDING_MARKERS.iter().any(|m| code.contains(m));
    for object in &objects {
        if let Some(value) = object.get("value")
            && (sent.contains(&object.open) || (sending && reader.converted(value, 0)))
        {
            let to = object.get("to").and_then(|to| reader.address(to, 0));
            add("ETH", to.into_iter().collect(), reader.ether(value, 0));
        }
        if let Some(lamports) = object.get("lamports")
            && let Some(to) = object.get("toPubkey").or_else(|| object.get("to_pubkey"))
        {
            let to = reader.address(to, 0);
            add("SOL", to.into_iter().collect(), reader.sol(lamports));
        }
    }
    if totals.is_empty() {
        return Vec::new();
    }
    let rpc = reader.node();
    totals
        .into_iter()
        .map(|total| Payment {
            program: program.to_owned(),
            payees: total.payees,
            amount: total.values.map(|values| Amount {
                currency: total.currency.to_owned(),
                values,
            }),
            rpc: rpc.as_deref().map(crate::commands::url),
        })
        .collect()
}

/// The code and its string literals, read together.
struct Reader<'c> {
    code: &'c str,
    literals: &'c [Literal],
}

impl<'c> Reader<'c> {
    /// Where `piece`, a slice of the code, starts in it.
    fn offset(&self, piece: &str) -> usize {
        (piece.as_ptr() as usize).saturating_sub(self.code.as_ptr() as usize)
    }

    /// The literal that `at` falls inside, if any.
    fn literal_around(&self, at: usize) -> Option<&Literal> {
        let after = self.literals.partition_point(|literal| literal.start <= at);
        after
            .checked_sub(1)
            .and_then(|last| self.literals.get(last))
            .filter(|literal| at < literal.end)
    }

    /// The brackets `(` and `{` outside literals, nested at most
    /// [`NESTING`] deep (so that reading each one's contents stays linear
    /// in the code), with the byte that opens them.
    fn openings(&self) -> Vec<(usize, u8)> {
        let mut found = Vec::new();
        let mut depth = 0usize;
        let mut next = self.literals.iter().peekable();
        for (at, byte) in self.code.bytes().enumerate() {
            while next.peek().is_some_and(|literal| literal.end <= at) {
                next.next();
            }
            if next.peek().is_some_and(|literal| literal.start <= at) {
                continue;
            }
            match byte {
                b'(' | b'{' | b'[' => {
                    if byte != b'[' && depth < NESTING {
                        found.push((at, byte));
                    }
                    depth += 1;
                }
                b')' | b'}' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        found
    }

    /// Every object literal and keyword argument list in the code.
    fn objects(&self, openings: &[(usize, u8)]) -> Vec<Object<'c>> {
        let code = self.code;
        let mut found = Vec::new();
        for &(open, byte) in openings {
            let close = if byte == b'{' { b'}' } else { b')' };
            let Some((pieces, _)) = split_args(code, open + 1, Some(close)) else {
                continue;
            };
            let members: Vec<(String, &str)> = pieces
                .into_iter()
                .filter_map(|piece| member(piece, byte == b'('))
                .collect();
            if !members.is_empty() {
                found.push(Object { open, members });
            }
        }
        found
    }

    /// Every call in the code, as its dotted name and its arguments.
    fn calls(&self, openings: &[(usize, u8)]) -> Vec<(&'c str, Vec<&'c str>)> {
        let code = self.code;
        let mut found = Vec::new();
        for &(open, byte) in openings {
            if byte != b'(' {
                continue;
            }
            let name = callee(code, open);
            if name.is_empty() {
                continue;
            }
            if let Some((args, _)) = split_args(code, open + 1, Some(b')')) {
                found.push((name, args.into_iter().map(str::trim).collect()));
            }
        }
        found
    }

    /// The object an argument is: written there, or assigned to the name
    /// written there; as where it opens.
    fn object_of(&self, expr: &str, depth: usize) -> Option<usize> {
        let expr = expr.trim();
        let start = self.offset(expr);
        if expr.starts_with('{') {
            return Some(start);
        }
        if is_name(expr) {
            if depth >= DEPTH {
                return None;
            }
            return self.object_of(self.assigned(expr, start)?, depth + 1);
        }
        // `dict(to=..., value=...)`.
        let open = expr.find('(')?;
        is_name(expr.get(..open)?.trim()).then_some(start + open)
    }

    /// The expression last assigned to `name` before `before` (else the
    /// first after it): `const x = ...`, `x = ...`.
    fn assigned(&self, name: &str, before: usize) -> Option<&'c str> {
        let code = self.code;
        let mut found = None;
        for (at, _) in code.match_indices(name) {
            let whole = code
                .get(..at)
                .and_then(|head| head.chars().next_back())
                .is_none_or(|c| !(is_ident(c) || c == '.'))
                && code
                    .get(at + name.len()..)
                    .and_then(|tail| tail.chars().next())
                    .is_none_or(|c| !is_ident(c));
            if !whole || self.literal_around(at).is_some() {
                continue;
            }
            let rest = code.get(at + name.len()..).unwrap_or_default().trim_start();
            let Some(expr) = rest.strip_prefix('=') else {
                continue;
            };
            if expr.starts_with(['=', '>']) {
                continue;
            }
            let start = code.len() - expr.len();
            let Some(value) = split_args(code, start, None)
                .and_then(|(pieces, _)| pieces.into_iter().next())
                .map(str::trim)
            else {
                continue;
            };
            if at < before || found.is_none() {
                found = Some(value);
            }
        }
        found
    }

    /// The ether a transaction's `value` expression sends: wei written out
    /// (`2500000000000000000n`, `'0x22b1c8c1227a0000'`), or a unit
    /// conversion of a number. `None` when it cannot be read.
    fn ether(&self, expr: &str, depth: usize) -> Option<Amount> {
        let expr = expr.trim();
        if depth > DEPTH {
            return None;
        }
        if let Some((name, args)) = whole_call(expr) {
            let number = || self.number(args.first()?, depth + 1);
            return match last_segment(name) {
                "parseEther" | "parse_ether" => chain::scaled("ETH", &number()?, 0),
                "parseGwei" => chain::scaled("ETH", &number()?, 9),
                "parseUnits" | "parse_units" | "toWei" | "to_wei" => {
                    let decimals = match args.get(1) {
                        None => 0,
                        Some(unit) => self.unit(unit)?,
                    };
                    chain::scaled("ETH", &number()?, decimals)
                }
                // Wei in another type.
                "BigInt" | "from" | "toBigInt" | "getBigInt" | "BigNumber" | "int" | "Number"
                | "toHex" | "numberToHex" | "toBeHex" => self.ether(args.first()?, depth + 1),
                _ => None,
            };
        }
        if is_name(expr) {
            return self.ether(self.assigned(expr, self.offset(expr))?, depth + 1);
        }
        let text = number_text(expr);
        match chain::integer_text(&text) {
            Some(digits) if text.starts_with("0x") || text.starts_with("0X") => {
                chain::base_units("ETH", 18, &digits)
            }
            _ => chain::scaled("ETH", &text, 18),
        }
    }

    /// Whether a `value` expression is a unit conversion
    /// (`parseEther(...)`, `toWei(...)`), here or where its name is set.
    fn converted(&self, expr: &str, depth: usize) -> bool {
        let expr = expr.trim();
        if let Some((name, _)) = whole_call(expr) {
            return matches!(
                last_segment(name),
                "parseEther" | "parse_ether" | "parseGwei" | "parseUnits" | "toWei" | "to_wei"
            );
        }
        depth < DEPTH
            && is_name(expr)
            && self
                .assigned(expr, self.offset(expr))
                .is_some_and(|value| self.converted(value, depth + 1))
    }

    /// A conversion's unit: an ether unit's name (`'gwei'`), or a number
    /// of decimals of wei (`18` is the ether), as the decimals of ether.
    fn unit(&self, expr: &str) -> Option<i64> {
        let expr = expr.trim();
        let text = unquoted(expr);
        if let Ok(decimals) = text.parse::<i64>() {
            return 18i64.checked_sub(decimals);
        }
        if text.len() < expr.len() {
            return chain::ether_unit(text);
        }
        is_name(expr)
            .then(|| self.assigned(expr, self.offset(expr)))
            .flatten()
            .and_then(|value| unquoted(value.trim()).parse::<i64>().ok())
            .and_then(|decimals| 18i64.checked_sub(decimals))
    }

    /// A number as written (`'2.5'`, `2.5`, `Decimal('2.5')`, `2n`), or
    /// the one its name is set to.
    fn number(&self, expr: &str, depth: usize) -> Option<String> {
        let expr = expr.trim();
        if depth > DEPTH {
            return None;
        }
        if let Some((name, args)) = whole_call(expr) {
            return match last_segment(name) {
                "Decimal" | "str" | "String" | "float" | "Number" | "parseFloat" | "BigInt"
                | "int" => self.number(args.first()?, depth + 1),
                _ => None,
            };
        }
        if is_name(expr) {
            return self.number(self.assigned(expr, self.offset(expr))?, depth + 1);
        }
        Some(number_text(expr))
    }

    /// Solana lamports: `N * LAMPORTS_PER_SOL` is N SOL, a bare number is
    /// lamports.
    fn sol(&self, expr: &str) -> Option<Amount> {
        let expr = expr.trim();
        if let Some((left, right)) = expr.split_once('*') {
            let (left, right) = (left.trim(), right.trim());
            let number = if left.ends_with("LAMPORTS_PER_SOL") {
                right
            } else if right.ends_with("LAMPORTS_PER_SOL") {
                left
            } else {
                return None;
            };
            return chain::scaled("SOL", &self.number(number, 0)?, 0);
        }
        if let Some((name, args)) = whole_call(expr)
            && last_segment(name) == "sol_to_lamports"
        {
            return chain::scaled("SOL", &self.number(args.first()?, 0)?, 0);
        }
        chain::scaled("SOL", &self.number(expr, 0)?, 9)
    }

    /// An address written out (`'0x8Ba1...'`, `new PublicKey('...')`,
    /// `Pubkey.from_string('...')`), or the one its name is set to.
    fn address(&self, expr: &str, depth: usize) -> Option<String> {
        let expr = expr.trim();
        if depth > DEPTH {
            return None;
        }
        let text = unquoted(expr);
        if text.len() < expr.len() {
            return (!text.is_empty()).then(|| text.to_owned());
        }
        if let Some((_, args)) = whole_call(expr.strip_prefix("new ").unwrap_or(expr)) {
            return self.address(args.first()?, depth + 1);
        }
        is_name(expr)
            .then(|| self.address(self.assigned(expr, self.offset(expr))?, depth + 1))
            .flatten()
    }

    /// A Bitcoin RPC client's payment: `sendtoaddress(ADDR, BTC)`,
    /// `sendmany('', {ADDR: BTC})`, or either through a generic call
    /// (`call('sendtoaddress', ...)`): its payees and its amount.
    fn bitcoin(
        &self,
        method: &str,
        args: &[&'c str],
        objects: &[Object<'c>],
    ) -> Option<(Vec<String>, Option<Amount>)> {
        let (method, args) = match args.split_first() {
            Some((first, rest))
                if matches!(
                    unquoted(first).to_ascii_lowercase().as_str(),
                    "sendtoaddress" | "sendmany"
                ) && unquoted(first).len() < first.len() =>
            {
                (unquoted(first), rest)
            }
            _ => (method, args),
        };
        match method.to_ascii_lowercase().as_str() {
            "sendtoaddress" => {
                let (to, amount) = (args.first()?, args.get(1)?);
                let btc = self
                    .number(amount, 0)
                    .and_then(|n| chain::scaled("BTC", &n, 0));
                Some((self.address(to, 0).into_iter().collect(), btc))
            }
            "sendmany" => {
                let outputs = args.get(1)?;
                let open = self.object_of(outputs, 0)?;
                let object = objects.iter().find(|o| o.open == open)?;
                let mut values = Vec::new();
                let mut readable = true;
                for (_, amount) in &object.members {
                    match self
                        .number(amount, 0)
                        .and_then(|n| chain::scaled("BTC", &n, 0))
                    {
                        Some(amount) => values.extend(amount.values),
                        None => readable = false,
                    }
                }
                let payees = object
                    .members
                    .iter()
                    .map(|(address, _)| address.clone())
                    .collect();
                let amount = readable.then(|| Amount {
                    currency: "BTC".to_owned(),
                    values,
                });
                Some((payees, amount))
            }
            _ => None,
        }
    }

    /// The node the code's provider is given (`JsonRpcProvider(URL)`,
    /// `Web3(URL)`, `http(URL)`): the first such URL.
    fn node(&self) -> Option<String> {
        self.literals.iter().find_map(|literal| {
            let text = literal.text.as_str();
            let scheme = ["http://", "https://", "ws://", "wss://"]
                .iter()
                .any(|s| text.starts_with(s));
            let head = self.code.get(..literal.start)?.trim_end();
            let open = head.len().checked_sub(1)?;
            if !scheme || !head.ends_with('(') {
                return None;
            }
            let name = last_segment(callee(self.code, open));
            (name.contains("Provider") || NODE_CALLS.contains(&name)).then(|| text.to_owned())
        })
    }
}

/// One member of an object or keyword list: `key: expr`, `'key': expr`,
/// the shorthand `key` (JavaScript's `{to, value}`), or (in a keyword list
/// only) `key=expr`.
fn member(piece: &str, keywords: bool) -> Option<(String, &str)> {
    let text = piece.trim();
    if let Some(quote) = text.chars().next().filter(|c| matches!(c, '\'' | '"')) {
        if keywords {
            return None;
        }
        let rest = text.get(1..)?;
        let end = rest.find(quote)?;
        let expr = rest.get(end + 1..)?.trim_start().strip_prefix(':')?;
        return Some((rest.get(..end)?.to_owned(), expr.trim()));
    }
    let length = text.find(|c: char| !is_ident(c)).unwrap_or(text.len());
    let key = text.get(..length).filter(|k| !k.is_empty())?;
    let after = text.get(length..)?.trim_start();
    if keywords {
        let expr = after.strip_prefix('=')?;
        return (!expr.starts_with('=')).then(|| (key.to_owned(), expr.trim()));
    }
    if let Some(expr) = after.strip_prefix(':') {
        return (!expr.starts_with(':')).then(|| (key.to_owned(), expr.trim()));
    }
    after.is_empty().then(|| (key.to_owned(), text))
}

/// The dotted name called by the `(` at `open` (`ethers.parseEther`,
/// `w3.eth.send_transaction`).
fn callee(code: &str, open: usize) -> &str {
    let head = code.get(..open).unwrap_or_default().trim_end();
    let start = head
        .rfind(|c: char| !(is_ident(c) || c == '.'))
        .map_or(0, |at| at + 1);
    head.get(start..).unwrap_or_default().trim_matches('.')
}

/// The method of a dotted name (`parseEther` of `ethers.utils.parseEther`).
fn last_segment(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// `expr` when it is one whole call (`ethers.parseEther('2.5')`, `new
/// BigNumber(x)`): its name and arguments; `None` for anything else
/// (`parseEther('1') * 2n`).
fn whole_call(expr: &str) -> Option<(&str, Vec<&str>)> {
    let expr = expr.strip_prefix("new ").unwrap_or(expr).trim();
    let open = expr.find('(')?;
    let name = expr.get(..open)?.trim();
    if !is_name(name) {
        return None;
    }
    let (args, close) = split_args(expr, open + 1, Some(b')'))?;
    if close + 1 != expr.len() {
        return None;
    }
    let args: Vec<&str> = args
        .into_iter()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    Some((name, args))
}

/// A name or a dotted path (`amount`, `cfg.amount`).
fn is_name(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && text.chars().all(|c| is_ident(c) || c == '.')
}

/// A string literal's text, or `text` itself when it is not one.
fn unquoted(text: &str) -> &str {
    let text = text.trim();
    for quote in ['\'', '"', '`'] {
        if let Some(inner) = text
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    text
}

/// A number literal's text as a decimal: quotes, digit separators (`_`)
/// and a BigInt's `n` dropped.
fn number_text(expr: &str) -> String {
    let text: String = unquoted(expr).chars().filter(|c| *c != '_').collect();
    match text.strip_suffix('n') {
        Some(digits) if !digits.is_empty() => digits.to_owned(),
        _ => text,
    }
}
