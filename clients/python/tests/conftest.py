"""A real `writ serve` on loopback for the whole test session, with its tokens."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from writ_client import WritClient

REPO = Path(__file__).resolve().parents[3]
DEPLOYMENT = Path(__file__).with_name("deployment.json")


@dataclass(frozen=True)
class Server:
    """A running writ serve and one token per role."""

    url: str
    data_dir: Path
    agent: str
    approver: str
    auditor: str

    def client(self, token: str) -> WritClient:
        return WritClient(self.url, token, timeout=15.0)


def writ_binary() -> Path:
    """`$WRIT_BIN`, else the workspace's debug build (built when missing)."""
    if os.environ.get("WRIT_BIN"):
        path = Path(os.environ["WRIT_BIN"])
        if not path.is_file():
            raise RuntimeError(f"WRIT_BIN `{path}` is not a file")
        return path
    path = REPO / "target" / "debug" / "writ"
    if not path.is_file():
        subprocess.run(["cargo", "build", "-p", "writ"], cwd=REPO, check=True)
    return path


def jurisdictions() -> list[str]:
    """Every jurisdiction the shipped policy pack names, so the approver can grant any rule."""
    found = set()
    for file in (REPO / "policy").rglob("*.cedar"):
        found.update(re.findall(r'@jurisdiction\("([a-z_]+)"\)', file.read_text()))
    if not found:
        raise RuntimeError(f"no @jurisdiction annotations under {REPO / 'policy'}")
    return sorted(found)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def create_token(writ: Path, data_dir: Path, role: str, name: str, *extra: str) -> str:
    args = [str(writ), "tokens", "create", "--role", role, "--name", name, "--data-dir", str(data_dir)]
    out = subprocess.run([*args, *extra], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def wait_healthy(url: str, process: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"writ serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"writ serve did not answer {url}/healthz within {seconds:.0f} s")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    writ = writ_binary()
    data_dir = tmp_path_factory.mktemp("writ")
    scopes = [a for j in jurisdictions() for a in ("--jurisdiction", j)]
    agent = create_token(writ, data_dir, "agent", "py-agent")
    approver = create_token(writ, data_dir, "approver", "reviewer@example.com", *scopes)
    auditor = create_token(writ, data_dir, "auditor", "py-audit")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (data_dir / "serve.log").open("wb")
    cmd = [str(writ), "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", str(data_dir),
           "--deployment", str(DEPLOYMENT)]
    process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=data_dir)
    try:
        wait_healthy(url, process)
        yield Server(url, data_dir, agent, approver, auditor)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture()
def agent(server: Server) -> WritClient:
    return server.client(server.agent)


@pytest.fixture()
def approver(server: Server) -> WritClient:
    return server.client(server.approver)


@pytest.fixture()
def auditor(server: Server) -> WritClient:
    return server.client(server.auditor)
