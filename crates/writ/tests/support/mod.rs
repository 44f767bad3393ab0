//! A real `writ serve` child process on a loopback port, with tokens, for
//! tests that drive the adapters against the control plane.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub fn writ() -> Command {
    Command::new(env!("CARGO_BIN_EXE_writ"))
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The corpus's `acme` deployment (a copy kept with the tests).
pub fn acme() -> PathBuf {
    repo_root().join("tests/fixtures/bench-deployment.json")
}

/// A free loopback port (bound, then released for the child to take).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `writ serve` on a temporary data directory; killed on drop.
pub struct Server {
    pub url: String,
    pub dir: PathBuf,
    child: Child,
    http: reqwest::blocking::Client,
}

impl Server {
    pub fn start(dir: &Path, deployment: Option<&Path>) -> Server {
        let port = free_port();
        let mut cmd = writ();
        cmd.args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        if let Some(d) = deployment {
            cmd.arg("--deployment").arg(d);
        }
        let child = cmd.spawn().unwrap();
        let server = Server {
            url: format!("http://127.0.0.1:{port}"),
            dir: dir.to_owned(),
            child,
            http: reqwest::blocking::Client::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while server.http.get(server.url("/healthz")).send().is_err() {
            assert!(Instant::now() < deadline, "writ serve did not come up");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// `writ tokens create`: a token for a new principal.
    pub fn token(&self, role: &str, name: &str, jurisdictions: &[&str]) -> String {
        let mut cmd = writ();
        cmd.args([
            "tokens",
            "create",
            "--role",
            role,
            "--name",
            name,
            "--data-dir",
        ])
        .arg(&self.dir);
        for j in jurisdictions {
            cmd.args(["--jurisdiction", j]);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    pub fn get(&self, token: &str, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().unwrap_or(Value::Null))
    }

    pub fn get_text(&self, path: &str) -> String {
        self.http
            .get(self.url(path))
            .send()
            .unwrap()
            .text()
            .unwrap()
    }

    pub fn post(&self, token: &str, path: &str, body: &Value) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().unwrap_or(Value::Null))
    }
}

impl Server {
    /// Writes a proof bundle into the data directory and checks it with
    /// `writ verify` against the server's log key, offline.
    pub fn verify_offline(&self, bundle: &Value, name: &str) {
        let file = self.dir.join(name);
        std::fs::write(&file, bundle.to_string()).unwrap();
        let out = writ()
            .arg("verify")
            .arg(&file)
            .arg("--key")
            .arg(self.dir.join("ledger.vkey"))
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// SIGKILL: the server gets no chance to flush or clean up.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
