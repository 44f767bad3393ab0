//! A client of `writ serve`'s HTTP API.
//!
//! Every adapter that is a long-running process (the MCP proxy, the HTTP
//! egress proxy, OTel ingest) decides through the control plane with this
//! client, so that one policy, one approval queue and one ledger serve every
//! runtime. The adapter lowers nothing itself: it sends the runtime's native
//! event and applies the answer in its own terms.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Environment variable naming the control plane's base URL.
pub const SERVER_ENV: &str = "WRIT_SERVER";
/// Environment variable holding the bearer token.
pub const TOKEN_ENV: &str = "WRIT_TOKEN";
/// Longest single long-poll the server honours, in seconds.
const MAX_POLL: u64 = 60;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached or did not answer.
    #[error("writ serve at {url} is unreachable: {message}")]
    Unreachable { url: String, message: String },
    /// The server answered with a problem document.
    #[error("writ serve refused ({status} {code}): {detail}")]
    Problem {
        status: u16,
        code: String,
        detail: String,
    },
    /// The server answered something that is not the API's JSON.
    #[error("writ serve answered something unexpected: {0}")]
    BadResponse(String),
    /// Configuration is missing or malformed.
    #[error("{0}")]
    Config(String),
}

/// One guarded action, as `POST /v1/guard` answers it.
#[derive(Debug, Clone)]
pub struct Guarded(pub Value);

impl Guarded {
    fn text(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }
    /// The action id (absent for a post-call event that closed a step).
    pub fn action_id(&self) -> Option<&str> {
        self.text("action_id")
    }
    /// The policy's route.
    pub fn route(&self) -> &str {
        self.text("route").unwrap_or("block")
    }
    /// What the caller must do now, given the deployment mode.
    pub fn enforced_route(&self) -> &str {
        self.text("enforced_route")
            .or_else(|| self.text("route"))
            .unwrap_or("block")
    }
    /// True when the action may run now.
    pub fn released(&self) -> bool {
        self.0.get("released").and_then(Value::as_bool) == Some(true)
    }
    /// True while the action waits for review.
    pub fn pending(&self) -> bool {
        self.text("status") == Some("pending")
    }
    /// The reason codes, strongest first.
    pub fn reason_codes(&self) -> Vec<String> {
        self.0
            .get("reasons")
            .and_then(Value::as_array)
            .map(|rs| {
                rs.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The reasons in words, for a person or an agent to read: each fired
    /// rule's code and description.
    pub fn explanation(&self) -> String {
        let rules: Vec<String> = self
            .0
            .get("rules")
            .or_else(|| self.0.get("decision").and_then(|d| d.get("rules")))
            .and_then(Value::as_array)
            .map(|rs| {
                rs.iter()
                    .map(|r| {
                        let code = r.get("reason").and_then(Value::as_str).unwrap_or("?");
                        match r.get("description").and_then(Value::as_str) {
                            Some(d) if !d.is_empty() => format!("{code}: {d}"),
                            _ => code.to_owned(),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        if rules.is_empty() {
            let codes = self.reason_codes();
            if codes.is_empty() {
                format!("route {}", self.enforced_route())
            } else {
                codes.join(", ")
            }
        } else {
            rules.join("; ")
        }
    }
}

/// A connection to one `writ serve`.
#[derive(Debug, Clone)]
pub struct Client {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl Client {
    /// A client of the server at `base` (e.g. `http://127.0.0.1:7766`).
    pub fn new(base: &str, token: &str) -> Result<Client, ClientError> {
        let (base, token) = endpoint(base, token)?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| ClientError::Config(format!("cannot build an HTTP client: {e}")))?;
        Ok(Client { base, token, http })
    }

    /// A client of `server` (or `$WRIT_SERVER`) with the token in `$WRIT_TOKEN`.
    pub fn from_env(server: Option<&str>) -> Result<Client, ClientError> {
        let (base, token) = endpoint_from_env(server)?;
        Client::new(&base, &token)
    }

    /// The server's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Value, ClientError> {
        let response = request.bearer_auth(&self.token).send().await.map_err(|e| {
            ClientError::Unreachable {
                url: self.base.clone(),
                message: e.to_string(),
            }
        })?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| ClientError::Unreachable {
                url: self.base.clone(),
                message: e.to_string(),
            })?;
        answer(status.as_u16(), &bytes)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `POST /v1/guard`: decides one native event of `runtime`.
    pub async fn guard(
        &self,
        runtime: &str,
        event: &Value,
        session_id: Option<&str>,
        user: Option<&str>,
    ) -> Result<Guarded, ClientError> {
        let body = guard_body(runtime, event, session_id, user);
        self.send(self.http.post(self.url("/v1/guard")).json(&body))
            .await
            .map(Guarded)
    }

    /// `GET /v1/actions/{id}`, long-polling up to `wait` seconds while it is pending.
    pub async fn action(&self, id: &str, wait: Option<u64>) -> Result<Value, ClientError> {
        let mut request = self.http.get(self.url(&format!("/v1/actions/{id}")));
        if let Some(w) = wait {
            request = request
                .query(&[("wait", w.min(MAX_POLL))])
                .timeout(Duration::from_secs(w.min(MAX_POLL) + 10));
        }
        self.send(request).await
    }

    /// Waits until a pending action is decided (approved, denied or
    /// expired) or `timeout` passes; returns the action's last view.
    pub async fn wait_decided(&self, id: &str, timeout: Duration) -> Result<Guarded, ClientError> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now()).as_secs();
            let view = Guarded(self.action(id, Some(left.clamp(1, MAX_POLL))).await?);
            if !view.pending() || Instant::now() >= deadline {
                return Ok(view);
            }
        }
    }

    /// `POST /v1/actions/{id}/outcome`: `closure` is `completed`, `failed` or `not_run`.
    pub async fn outcome(
        &self,
        id: &str,
        closure: &str,
        result: Value,
        output: Option<&str>,
    ) -> Result<Value, ClientError> {
        let mut body = json!({"closure": closure, "result": result});
        if let Some(o) = output {
            body["output"] = json!(o);
        }
        self.send(
            self.http
                .post(self.url(&format!("/v1/actions/{id}/outcome")))
                .json(&body),
        )
        .await
    }

    /// `POST /v1/actions/{id}/approvals`: an approver's grant or denial.
    pub async fn review(&self, id: &str, grant: bool, comment: &str) -> Result<Value, ClientError> {
        let body = json!({"decision": if grant { "grant" } else { "deny" }, "comment": comment});
        self.send(
            self.http
                .post(self.url(&format!("/v1/actions/{id}/approvals")))
                .json(&body),
        )
        .await
    }

    /// `GET /v1/approvals`: the pending queue.
    pub async fn pending(&self) -> Result<Value, ClientError> {
        self.send(self.http.get(self.url("/v1/approvals"))).await
    }

    /// `GET /v1/actions/{id}/proof`: the proof bundle of a certified action.
    pub async fn proof(&self, id: &str) -> Result<Value, ClientError> {
        self.send(self.http.get(self.url(&format!("/v1/actions/{id}/proof"))))
            .await
    }
}

/// The base URL (without a trailing `/`) and token of a server, checked.
fn endpoint(base: &str, token: &str) -> Result<(String, String), ClientError> {
    let base = base.trim_end_matches('/').to_owned();
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        return Err(ClientError::Config(format!(
            "the server URL `{base}` must start with http:// or https://"
        )));
    }
    if token.trim().is_empty() {
        return Err(ClientError::Config(format!(
            "no token for {base}: set {TOKEN_ENV} (see `writ tokens create --role agent`)"
        )));
    }
    Ok((base, token.trim().to_owned()))
}

/// [`endpoint`] of `server` (or `$WRIT_SERVER`) with the token in `$WRIT_TOKEN`.
fn endpoint_from_env(server: Option<&str>) -> Result<(String, String), ClientError> {
    let base = match server {
        Some(s) => s.to_owned(),
        None => std::env::var(SERVER_ENV).map_err(|_| {
            ClientError::Config(format!("no server: pass --server URL or set {SERVER_ENV}"))
        })?,
    };
    endpoint(&base, &std::env::var(TOKEN_ENV).unwrap_or_default())
}

/// The body of `POST /v1/guard`.
fn guard_body(runtime: &str, event: &Value, session_id: Option<&str>, user: Option<&str>) -> Value {
    let mut body = json!({"runtime": runtime, "event": event});
    if let Some(s) = session_id {
        body["session_id"] = json!(s);
    }
    if let Some(u) = user {
        body["user"] = json!(u);
    }
    body
}

/// The API's answer: the JSON body of a 2xx, or the problem document of
/// anything else.
fn answer(status: u16, bytes: &[u8]) -> Result<Value, ClientError> {
    let body: Value = serde_json::from_slice(bytes).map_err(|e| {
        ClientError::BadResponse(format!(
            "HTTP {status}, body is not JSON ({e}): {}",
            String::from_utf8_lossy(bytes)
                .chars()
                .take(200)
                .collect::<String>()
        ))
    })?;
    if (200..300).contains(&status) {
        return Ok(body);
    }
    let field = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    Err(ClientError::Problem {
        status,
        code: field("code"),
        detail: field("detail"),
    })
}

/// A blocking client for one-shot processes (the coding agents' hooks),
/// which start a new process per call: no async runtime to build, and a
/// small HTTP stack, so a call costs little more than its round trip.
pub mod blocking {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
    use std::time::Duration;

    use serde_json::Value;
    use ureq::config::Config;
    use ureq::http::Uri;
    use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
    use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

    use super::{ClientError, Guarded};

    /// How long a call may take in all, unless `$WRIT_TIMEOUT` (seconds)
    /// says otherwise. An agent that times a hook out may let the call run
    /// (Claude Code does, after 60 s by default), so the hook gives up first
    /// and refuses.
    pub const CALL_TIMEOUT: Duration = Duration::from_secs(20);
    /// Environment variable overriding [`CALL_TIMEOUT`], in seconds.
    pub const TIMEOUT_ENV: &str = "WRIT_TIMEOUT";
    /// The size of each of a connection's two buffers, and the largest
    /// head of an answer: the server's are a few hundred bytes.
    const BUFFER_BYTES: usize = 16 << 10;

    /// A connection to one `writ serve`, for a few calls.
    pub struct Client {
        base: String,
        token: String,
        http: ureq::Agent,
    }

    impl Client {
        /// A client of `server` (or `$WRIT_SERVER`) with the token in `$WRIT_TOKEN`.
        pub fn from_env(server: Option<&str>) -> Result<Client, ClientError> {
            let (base, token) = super::endpoint_from_env(server)?;
            Client::with_endpoint(base, token)
        }

        /// A client of the server at `base` with `token` (the call timeout
        /// from `$WRIT_TIMEOUT`, as for [`Client::from_env`]).
        pub fn new(base: &str, token: &str) -> Result<Client, ClientError> {
            let (base, token) = super::endpoint(base, token)?;
            Client::with_endpoint(base, token)
        }

        fn with_endpoint(base: String, token: String) -> Result<Client, ClientError> {
            let timeout = match std::env::var(TIMEOUT_ENV) {
                Err(_) => CALL_TIMEOUT,
                Ok(text) => match text.trim().parse::<u64>() {
                    Ok(seconds) if seconds > 0 => Duration::from_secs(seconds),
                    _ => {
                        return Err(ClientError::Config(format!(
                            "{TIMEOUT_ENV}=`{text}` is not a whole number of seconds above 0"
                        )));
                    }
                },
            };
            let config = ureq::Agent::config_builder()
                .timeout_connect(Some(Duration::from_secs(5).min(timeout)))
                .timeout_global(Some(timeout))
                .http_status_as_error(false)
                // ureq's buffers default to 128 KiB each, zeroed when the
                // connection opens: 64 page faults for a hook process
                // whose request and answer are a few KiB. Bodies stream
                // through the buffers; only the answer's head must fit.
                .input_buffer_size(BUFFER_BYTES)
                .output_buffer_size(BUFFER_BYTES)
                .max_response_header_size(BUFFER_BYTES)
                .build();
            let http = ureq::Agent::with_parts(
                config,
                DefaultConnector::default(),
                LiteralResolver::default(),
            );
            Ok(Client { base, token, http })
        }

        /// The server's base URL.
        pub fn base(&self) -> &str {
            &self.base
        }

        /// `POST /v1/guard`: decides one native event of `runtime`.
        pub fn guard(
            &self,
            runtime: &str,
            event: &Value,
            session_id: Option<&str>,
            user: Option<&str>,
        ) -> Result<Guarded, ClientError> {
            let body = super::guard_body(runtime, event, session_id, user).to_string();
            let unreachable = |e: ureq::Error| ClientError::Unreachable {
                url: self.base.clone(),
                message: e.to_string(),
            };
            let mut response = self
                .http
                .post(format!("{}/v1/guard", self.base))
                .header("authorization", format!("Bearer {}", self.token))
                .content_type("application/json")
                .send(body)
                .map_err(unreachable)?;
            let status = response.status().as_u16();
            let bytes = response.body_mut().read_to_vec().map_err(unreachable)?;
            super::answer(status, &bytes).map(Guarded)
        }
    }

    /// Resolves an IP address or `localhost` (loopback, RFC 6761) without a
    /// lookup, and other names as ureq does. ureq's own resolver hands every
    /// name, literals too, to `getaddrinfo` (which reads the NSS
    /// configuration and loads its modules), on a thread of its own when a
    /// timeout is set: for a hook process, started afresh for each call, a
    /// thread and a library load before the first byte is sent.
    #[derive(Debug, Default)]
    struct LiteralResolver(DefaultResolver);

    impl Resolver for LiteralResolver {
        fn resolve(
            &self,
            uri: &Uri,
            config: &Config,
            timeout: NextTimeout,
        ) -> Result<ResolvedSocketAddrs, ureq::Error> {
            match literal_addrs(uri) {
                Some(addrs) => {
                    let mut resolved = self.empty();
                    for addr in config.ip_family().keep_wanted(addrs.into_iter()) {
                        resolved.push(addr);
                    }
                    if resolved.is_empty() {
                        return Err(ureq::Error::HostNotFound);
                    }
                    Ok(resolved)
                }
                None => self.0.resolve(uri, config, timeout),
            }
        }
    }

    /// The addresses of `uri`'s host when it is an IP address or
    /// `localhost`, at its port (or its scheme's); `None` for other names.
    fn literal_addrs(uri: &Uri) -> Option<Vec<SocketAddr>> {
        let authority = uri.authority()?;
        let port = authority.port_u16().or(match uri.scheme_str()? {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        })?;
        let host = authority.host();
        let bare = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        let ips = if let Ok(ip) = bare.parse::<IpAddr>() {
            vec![ip]
        } else if bare.eq_ignore_ascii_case("localhost") {
            vec![
                IpAddr::V4(Ipv4Addr::LOCALHOST),
                IpAddr::V6(Ipv6Addr::LOCALHOST),
            ]
        } else {
            return None;
        };
        Some(
            ips.into_iter()
                .map(|ip| SocketAddr::new(ip, port))
                .collect(),
        )
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn addrs(url: &str) -> Option<Vec<String>> {
            let uri: Uri = url.parse().unwrap();
            literal_addrs(&uri).map(|a| a.iter().map(ToString::to_string).collect())
        }

        #[test]
        fn ip_literals_and_localhost_need_no_lookup() {
            assert_eq!(
                addrs("http://127.0.0.1:7788/v1/guard"),
                Some(vec!["127.0.0.1:7788".into()])
            );
            assert_eq!(addrs("http://[::1]:9/x"), Some(vec!["[::1]:9".into()]));
            assert_eq!(
                addrs("https://10.0.0.2/"),
                Some(vec!["10.0.0.2:443".into()])
            );
            assert_eq!(addrs("http://10.0.0.2/"), Some(vec!["10.0.0.2:80".into()]));
            assert_eq!(
                addrs("http://LocalHost:8080/"),
                Some(vec!["127.0.0.1:8080".into(), "[::1]:8080".into()])
            );
        }

        #[test]
        fn other_names_are_left_to_the_system_resolver() {
            assert_eq!(addrs("http://writ.internal:7788/"), None);
            assert_eq!(addrs("http://localhost.example:1/"), None);
            assert_eq!(addrs("http://127.0.0.1.nip.io:1/"), None);
        }

        /// Answers one request on `listener` with a guard answer, and
        /// returns the request's head and the length of its body.
        fn answer_once(
            listener: std::net::TcpListener,
        ) -> std::thread::JoinHandle<(String, usize)> {
            use std::io::{Read, Write};
            std::thread::spawn(move || {
                let (mut stream, _) = listener.accept().unwrap();
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                let head_end = loop {
                    let n = stream.read(&mut buf).unwrap();
                    request.extend_from_slice(&buf[..n]);
                    if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                        break at + 4;
                    }
                };
                let head = String::from_utf8_lossy(&request[..head_end]).into_owned();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length: "))
                    .unwrap()
                    .trim()
                    .parse()
                    .unwrap();
                while request.len() < head_end + length {
                    let n = stream.read(&mut buf).unwrap();
                    assert!(n > 0, "the body ended early");
                    request.extend_from_slice(&buf[..n]);
                }
                let body = br#"{"route":"allow","enforced_route":"allow"}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                stream.write_all(answer.as_bytes()).unwrap();
                stream.write_all(body).unwrap();
                (head, request.len() - head_end)
            })
        }

        #[test]
        fn a_client_reaches_a_server_named_by_its_address() {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            let server = answer_once(listener);
            let client = Client::new(&format!("http://127.0.0.1:{port}"), "t0ken").unwrap();
            let guarded = client
                .guard("claude-code", &serde_json::json!({}), None, None)
                .unwrap();
            assert_eq!(guarded.route(), "allow");
            let (head, _) = server.join().unwrap();
            assert!(head.starts_with("POST /v1/guard HTTP/1.1"), "{head}");
            assert!(head.contains("Bearer t0ken"), "{head}");
        }

        #[test]
        fn a_request_larger_than_the_buffers_is_sent_whole() {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            let server = answer_once(listener);
            let client = Client::new(&format!("http://localhost:{port}"), "t0ken").unwrap();
            let content = "x".repeat(20 * BUFFER_BYTES);
            let event = serde_json::json!({"tool_input": {"content": content}});
            let guarded = client.guard("claude-code", &event, None, None).unwrap();
            assert_eq!(guarded.route(), "allow");
            let (_, length) = server.join().unwrap();
            let sent = super::super::guard_body("claude-code", &event, None, None).to_string();
            assert_eq!(length, sent.len());
            assert!(length > 20 * BUFFER_BYTES);
        }
    }
}
