"""A standard-library HTTP client of `writ serve`'s API."""

from __future__ import annotations

import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from .decision import Decision
from .errors import WritError, WritProtocolError, WritUnavailable

DEFAULT_SERVER = "http://127.0.0.1:7766"
MAX_WAIT = 60.0
"""The longest `?wait=` writ serve honours, in seconds."""

CLOSURES = ("completed", "failed", "not_run")


class WritClient:
    """Talks to one writ control plane with one bearer token.

    `base_url` defaults to `$WRIT_SERVER` (else http://127.0.0.1:7766), `token`
    to `$WRIT_TOKEN`. `timeout` bounds each request in seconds (a long poll adds
    its wait to it). Every failure raises WritError; an unreachable server raises
    its subclass WritUnavailable.
    """

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        url = base_url or os.environ.get("WRIT_SERVER") or DEFAULT_SERVER
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"writ server URL `{url}` must start with http:// or https://")
        self.base_url = url.rstrip("/")
        self.token = token if token is not None else os.environ.get("WRIT_TOKEN")
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"WritClient({self.base_url!r})"

    # -- the API -----------------------------------------------------------

    def guard(
        self,
        runtime: str,
        event: dict[str, Any],
        session_id: str | None = None,
        user: str | None = None,
    ) -> Decision:
        """Asks writ to decide one native event (`POST /v1/guard`)."""
        body: dict[str, Any] = {"runtime": runtime, "event": event}
        if session_id is not None:
            body["session_id"] = session_id
        if user is not None:
            body["user"] = user
        return Decision.from_json(self._request("POST", "/v1/guard", body))

    def action(self, action_id: str, wait: float | None = None) -> Decision:
        """The action's current state; `wait` long-polls up to 60 s while it is pending."""
        path = f"/v1/actions/{_quote(action_id)}"
        if wait is None:
            return Decision.from_json(self._request("GET", path))
        wait = min(max(wait, 0.0), MAX_WAIT)
        body = self._request("GET", f"{path}?wait={wait:g}", timeout=self.timeout + wait)
        return Decision.from_json(body)

    def wait_decided(self, action_id: str, timeout: float) -> Decision:
        """Long-polls until the action is no longer pending or `timeout` seconds passed."""
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            left = deadline - time.monotonic()
            decision = self.action(action_id, wait=max(left, 0.0))
            if not decision.pending or left <= 0:
                return decision

    def outcome(
        self,
        action_id: str,
        closure: str,
        result: dict[str, Any] | None = None,
        output: str | None = None,
    ) -> dict[str, Any]:
        """Records how the action ended (`completed`, `failed`, `not_run`) and certifies it."""
        if closure not in CLOSURES:
            raise ValueError(f"closure `{closure}` is not one of {', '.join(CLOSURES)}")
        body: dict[str, Any] = {"closure": closure, "result": result or {}}
        if output is not None:
            body["output"] = output
        return _object(self._request("POST", f"/v1/actions/{_quote(action_id)}/outcome", body))

    def review(self, action_id: str, grant: bool, comment: str = "") -> Decision:
        """An approver grants or denies a pending action."""
        body = {"decision": "grant" if grant else "deny", "comment": comment}
        path = f"/v1/actions/{_quote(action_id)}/approvals"
        return Decision.from_json(self._request("POST", path, body))

    def proof(self, action_id: str) -> dict[str, Any]:
        """The action's proof bundle, verifiable offline with `writ verify`."""
        return _object(self._request("GET", f"/v1/actions/{_quote(action_id)}/proof"))

    def checkpoint(self) -> str:
        """The log's latest signed checkpoint (C2SP text)."""
        text = self._request("GET", "/v1/log/checkpoint")
        if not isinstance(text, str):
            raise WritProtocolError("the checkpoint is not text")
        return text

    def whoami(self) -> dict[str, Any]:
        """The token's name, role and jurisdictions."""
        return _object(self._request("GET", "/v1/whoami"))

    def approvals_url(self, action_id: str | None = None) -> str:
        """The page where an approver reviews pending actions; with an
        action id, a link straight to that action's card."""
        if action_id:
            return f"{self.base_url}/approvals#action-{_quote(action_id)}"
        return f"{self.base_url}/approvals"

    # -- transport ---------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Sends one request; returns parsed JSON (or text for text/plain)."""
        request = self._build(method, path, body)
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                return _read(response.status, response.headers.get_content_type(), response.read())
        except urllib.error.HTTPError as e:
            raise _http_error(e) from None
        except (urllib.error.URLError, OSError, socket.timeout) as e:
            reason = getattr(e, "reason", e)
            raise WritUnavailable(f"cannot reach {self.base_url}: {reason}") from e

    def _build(self, method: str, path: str, body: dict[str, Any] | None) -> urllib.request.Request:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        return urllib.request.Request(self.base_url + path, data, headers, method=method)


def _quote(action_id: str) -> str:
    if not isinstance(action_id, str) or not action_id:
        raise ValueError("an action id is a non-empty string (`act_...`)")
    return urllib.parse.quote(action_id, safe="")


def _read(status: int, content_type: str, raw: bytes) -> Any:
    text = raw.decode("utf-8", errors="replace")
    if content_type == "text/plain":
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise WritProtocolError(f"response is not JSON: {text[:200]!r}", status=status) from None


def _http_error(e: urllib.error.HTTPError) -> WritError:
    raw = e.read() if e.fp is not None else b""
    try:
        body: Any = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = raw.decode("utf-8", errors="replace") or e.reason
    return WritError.from_problem(e.code, body)


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise WritProtocolError(f"expected a JSON object, got {type(body).__name__}")
    return body
