//! What a proxied request asks for, the headers the proxy strips, and the
//! `http` runtime event writ decides. Pure: no IO.

use std::collections::BTreeMap;

use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, Uri};
use serde_json::{Map, Value, json};

/// Where a proxy request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A plain HTTP request in absolute form (`GET http://host/path`):
    /// inspected in full and forwarded.
    Forward {
        /// The absolute URL.
        url: String,
        /// `host[:port]`, the value of the forwarded `Host` header.
        authority: String,
    },
    /// `CONNECT host:port`: a tunnel whose content writ cannot see.
    Tunnel {
        /// `host:port`, where the tunnel connects.
        authority: String,
        /// `https://host:port/`, the URL writ decides.
        url: String,
    },
}

/// Reads the target of a proxy request, or says why it is not one.
pub fn target(method: &Method, uri: &Uri) -> Result<Target, String> {
    if method == Method::CONNECT {
        return tunnel(uri);
    }
    let authority = uri.authority().map(|a| a.as_str().to_owned());
    match (uri.scheme_str(), authority) {
        (Some("http"), Some(authority)) if !authority.contains('@') => Ok(Target::Forward {
            url: uri.to_string(),
            authority,
        }),
        (Some("http"), Some(_)) => Err(format!(
            "`{uri}` carries credentials in its authority; put them in a header"
        )),
        (Some("https"), _) => Err(format!(
            "`{method} {uri}`: HTTPS goes through a CONNECT tunnel (set HTTPS_PROXY), \
             the proxy does not open TLS connections itself"
        )),
        (Some(scheme), _) => Err(format!(
            "`{uri}`: the scheme `{scheme}` is not proxied, only http:// and CONNECT"
        )),
        (None, _) => Err(format!(
            "`{method} {uri}` is not a proxy request: send absolute URIs \
             (`GET http://host/path`) by configuring this address as HTTP_PROXY/HTTPS_PROXY"
        )),
    }
}

fn tunnel(uri: &Uri) -> Result<Target, String> {
    let authority = match uri.authority() {
        Some(a) if uri.scheme().is_none() && a.port_u16().is_some() && !a.host().is_empty() => a,
        _ => {
            return Err(format!("`CONNECT {uri}`: a CONNECT target is `host:port`"));
        }
    };
    if authority.as_str().contains('@') {
        return Err(format!("`CONNECT {uri}`: a CONNECT target is `host:port`"));
    }
    Ok(Target::Tunnel {
        authority: authority.as_str().to_owned(),
        url: format!("https://{authority}/"),
    })
}

/// Headers that belong to one connection (RFC 9110 §7.6.1), plus the
/// agent's credentials for this proxy: never forwarded, never sent to writ.
const HOP_BY_HOP: [HeaderName; 9] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    HeaderName::from_static("proxy-connection"),
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
];

/// Removes hop-by-hop headers: the fixed list and every header the
/// `Connection` header names.
pub fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in named.iter().chain(HOP_BY_HOP.iter()) {
        headers.remove(name);
    }
}

/// The headers to send upstream: the agent's, without hop-by-hop headers,
/// with `Host` set to the URL's authority (the host writ decided on, whatever
/// `Host` the agent sent).
pub fn forwarded_headers(mut headers: HeaderMap, authority: &str) -> Result<HeaderMap, String> {
    strip_hop_by_hop(&mut headers);
    let host = HeaderValue::from_str(authority)
        .map_err(|_| format!("`{authority}` is not a valid Host header"))?;
    headers.insert(header::HOST, host);
    Ok(headers)
}

/// A `Content-Encoding` other than `identity`: the body is compressed or
/// otherwise encoded, so writ could not read what it carries.
pub fn opaque_encoding(headers: &HeaderMap) -> Option<String> {
    let encodings: Vec<String> = headers
        .get_all(header::CONTENT_ENCODING)
        .iter()
        .map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|v| !v.is_empty() && v != "identity")
        .collect();
    (!encodings.is_empty()).then(|| encodings.join(", "))
}

/// The body as text for the detectors. Invalid UTF-8 sequences become
/// U+FFFD, so readable text inside a binary body (a key in a multipart
/// upload) still reaches them; what is not text is not inspected.
pub fn body_text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

/// Headers as a JSON object sorted by name (the order of RFC 8785, so a
/// proof's replay of the canonical event sees them in the same order);
/// repeated headers are joined with `, `.
pub fn headers_json(headers: &HeaderMap) -> Value {
    let mut sorted: BTreeMap<&str, String> = BTreeMap::new();
    for (name, value) in headers {
        let text = String::from_utf8_lossy(value.as_bytes());
        sorted
            .entry(name.as_str())
            .and_modify(|existing| {
                existing.push_str(", ");
                existing.push_str(&text);
            })
            .or_insert_with(|| text.into_owned());
    }
    Value::Object(
        sorted
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::String(v)))
            .collect::<Map<String, Value>>(),
    )
}

/// The `http` runtime event (FORMAT.md): exactly what the proxy would send.
pub fn http_event(method: &Method, url: &str, headers: &HeaderMap, body: &str) -> Value {
    json!({
        "method": method.as_str(),
        "url": url,
        "headers": headers_json(headers),
        "body": body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_target(method: &str, uri: &str, want: Result<Target, &str>) {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let uri: Uri = uri.parse().unwrap();
        match (target(&method, &uri), want) {
            (Ok(got), Ok(want)) => assert_eq!(got, want),
            (Err(got), Err(want)) => assert!(got.contains(want), "{got}"),
            (got, want) => panic!("{method} {uri}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn targets() {
        check_target(
            "GET",
            "http://example.com:8080/a?b=1",
            Ok(Target::Forward {
                url: "http://example.com:8080/a?b=1".into(),
                authority: "example.com:8080".into(),
            }),
        );
        check_target(
            "CONNECT",
            "example.com:443",
            Ok(Target::Tunnel {
                authority: "example.com:443".into(),
                url: "https://example.com:443/".into(),
            }),
        );
        check_target(
            "CONNECT",
            "[::1]:8443",
            Ok(Target::Tunnel {
                authority: "[::1]:8443".into(),
                url: "https://[::1]:8443/".into(),
            }),
        );
        check_target("GET", "/path", Err("is not a proxy request"));
        check_target("GET", "https://example.com/", Err("CONNECT tunnel"));
        check_target("GET", "ftp://example.com/", Err("not proxied"));
        check_target("GET", "http://u:p@example.com/", Err("credentials"));
        check_target("CONNECT", "example.com", Err("host:port"));
    }

    #[test]
    fn hop_by_hop_and_proxy_credentials_are_stripped_and_host_is_the_urls() {
        let mut h = HeaderMap::new();
        h.insert(
            "connection",
            HeaderValue::from_static("keep-alive, x-trace"),
        );
        h.insert("x-trace", HeaderValue::from_static("1"));
        h.insert("keep-alive", HeaderValue::from_static("timeout=5"));
        h.insert(
            "proxy-authorization",
            HeaderValue::from_static("Basic c2VjcmV0"),
        );
        h.insert("host", HeaderValue::from_static("fronted.example"));
        h.insert("authorization", HeaderValue::from_static("Bearer t"));
        h.append("accept", HeaderValue::from_static("text/html"));
        h.append("accept", HeaderValue::from_static("*/*"));
        let out = forwarded_headers(h, "api.example.com").unwrap();
        assert_eq!(
            headers_json(&out),
            json!({"authorization": "Bearer t", "accept": "text/html, */*", "host": "api.example.com"})
        );
    }

    #[test]
    fn encodings() {
        let mut h = HeaderMap::new();
        assert_eq!(opaque_encoding(&h), None);
        h.insert("content-encoding", HeaderValue::from_static("identity"));
        assert_eq!(opaque_encoding(&h), None);
        h.insert("content-encoding", HeaderValue::from_static("gzip"));
        assert_eq!(opaque_encoding(&h).as_deref(), Some("gzip"));
    }

    #[test]
    fn binary_bodies_keep_their_text() {
        let body = [b"key=AKIA".as_slice(), &[0xff, 0xfe], b"IOSFODNN7EXAMPLE"].concat();
        assert_eq!(body_text(&body), "key=AKIA\u{fffd}\u{fffd}IOSFODNN7EXAMPLE");
    }
}
