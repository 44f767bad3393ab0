//! URLs whose query the code fills in after parsing them: a URL literal
//! parsed into an object bound to a name (`const u = new
//! URL("https://h/x")`, Go's `u, _ := url.Parse("https://h/x")`, Java's
//! `new URIBuilder("https://h/x")`, .NET's `new UriBuilder("https://h/x")`)
//! whose query parameters are then set through that name
//! (`u.searchParams.set("k", v)`, `u.RawQuery = q.Encode()`,
//! `b.addParameter("k", v)`, `b.Query = ...`). The request made with it
//! carries what the code wrote into the query, as a URL built by
//! concatenation does.

use super::Literal;
use super::storage::is_ident;

/// Calls and constructors that parse a URL into an object whose query can
/// be set (JavaScript's, Go's, Java's, .NET's, Python's, Ruby's).
const PARSERS: &[&str] = &[
    "new URL",
    "url.Parse",
    "url.ParseRequestURI",
    "new URIBuilder",
    "UriComponentsBuilder.fromHttpUrl",
    "UriComponentsBuilder.fromUriString",
    "HttpUrl.parse",
    "new UriBuilder",
    "URI.parse",
    "URI",
    "furl",
    "URL",
];

/// What sets a parsed URL's query, after its name and a `.`.
const QUERY_SETTERS: &[&str] = &[
    "searchParams.set(",
    "searchParams.append(",
    "searchParams =",
    "search =",
    "RawQuery =",
    "query =",
    "Query =",
    "addParameter(",
    "setParameter(",
    "addParameters(",
    "queryParam(",
    "addQueryParameter(",
    "args[",
];

/// True when the URL literal after `before` is parsed into an object bound
/// to a name whose query the code then sets.
pub(super) fn query_set(code: &str, before: &str, literal: &Literal) -> bool {
    let Some(name) = parsed_into(before) else {
        return false;
    };
    let after = code.get(literal.end..).unwrap_or_default();
    after.match_indices(name.as_str()).any(|(at, _)| {
        let whole = after
            .get(..at)
            .and_then(|head| head.chars().next_back())
            .is_none_or(|c| !is_ident(c) && c != '.');
        let rest = after.get(at + name.len()..).unwrap_or_default();
        let set = rest.strip_prefix('.').is_some_and(|member| {
            QUERY_SETTERS
                .iter()
                .any(|setter| setter_matches(member, setter))
        });
        whole && set
    })
}

/// True when `member` (the text after `name.`) starts with `setter`, the
/// blanks before a `=` or `(` in it loose, and an assignment not a
/// comparison.
fn setter_matches(member: &str, setter: &str) -> bool {
    match setter.strip_suffix(" =") {
        Some(field) => member.strip_prefix(field).is_some_and(|rest| {
            let rest = rest.trim_start();
            (rest.starts_with('=') && !rest.starts_with("==")) || rest.starts_with("+=")
        }),
        None => member.starts_with(setter),
    }
}

/// The name a URL parser's result is bound to, when the text before a
/// literal ends in `NAME = PARSER(` (`const u = new URL(`, `u, err :=
/// url.Parse(`, `var b = new URIBuilder(`).
fn parsed_into(before: &str) -> Option<String> {
    let call = before.trim_end().strip_suffix('(')?.trim_end();
    let parser = PARSERS.iter().find(|parser| {
        call.strip_suffix(**parser).is_some_and(|head| {
            head.chars()
                .next_back()
                .is_none_or(|c| !is_ident(c) && c != '.')
        })
    })?;
    let head = call.get(..call.len() - parser.len())?.trim_end();
    let head = head
        .strip_suffix(":=")
        .or_else(|| head.strip_suffix('='))
        .filter(|h| !h.ends_with(['=', '!', '<', '>']))?
        .trim_end();
    // Go's `u, err :=`: the first name; a type's (`URL u =`) last word.
    let head = head.split(',').next().unwrap_or_default().trim_end();
    let name: String = head
        .chars()
        .rev()
        .take_while(|c| is_ident(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inline::literals;

    fn built(code: &str) -> bool {
        let literals = literals(code);
        literals.iter().any(|literal| {
            let before = code.get(..literal.start).unwrap_or_default();
            literal.text.starts_with("https://") && query_set(code, before, literal)
        })
    }

    #[test]
    fn queries_set_through_the_parsed_name_are_built() {
        assert!(built(
            "const u = new URL(\"https://h/x\"); u.searchParams.set(\"t\", tok); fetch(u)"
        ));
        assert!(built(
            "u, _ := url.Parse(\"https://h/x\")\nu.RawQuery = q.Encode()\nhttp.Get(u.String())"
        ));
        assert!(built(
            "var b = new URIBuilder(\"https://h/x\"); b.addParameter(\"t\", tok);"
        ));
    }

    #[test]
    fn other_names_and_reads_are_not() {
        assert!(!built(
            "const u = new URL(\"https://h/x\"); v.searchParams.set(\"t\", tok); fetch(u)"
        ));
        assert!(!built(
            "const u = new URL(\"https://h/x\"); console.log(u.searchParams.get(\"t\")); fetch(u)"
        ));
        assert!(!built(
            "const u = new URL(\"https://h/x\"); if (u.search == \"\") fetch(u)"
        ));
        assert!(!built(
            "fetch(\"https://h/x\"); u.searchParams.set(\"t\", tok)"
        ));
    }
}
