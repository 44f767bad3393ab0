"""writ in front of tool calls made inside LangGraph nodes, with human-in-the-loop.

`WritGuard.call(tool, arguments, fn)` (or the `WritGuard.tool(name)` decorator)
asks writ before running `fn(**arguments)`:

- `allow`/`warn`: runs it and records the outcome;
- `require_approval`: calls `langgraph.types.interrupt(...)` with the action
  id, the reasons and the approvals page URL. When the graph resumes
  (`Command(resume=...)`), the node runs again and the guard asks writ whether
  an approver released the action (the resume value is not an approval); it
  runs the tool only if writ did, otherwise raises `WritRefused`;
- `block`/`simulate_first`, or writ unreachable: raises `WritRefused`
  without running the tool.

LangGraph re-executes a node from its start on resume; the guard keeps the
action of each pending call (by thread, node task, tool and arguments) in
this process so the resumed node reuses the action the approver saw.

Importing this module imports `langgraph` (`pip install 'writ-client[langgraph]'`).
"""

from __future__ import annotations

import functools
import json
import threading
import uuid
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from langgraph.config import get_config
from langgraph.types import interrupt

from . import gate
from .client import WritClient
from .gate import Verdict

RUNTIME = "openai-agents"
"""Plain function name + JSON arguments: the format of a framework tool call."""

P = ParamSpec("P")
T = TypeVar("T")


class WritRefused(Exception):
    """writ did not release the call; `message` is what to tell the model."""

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        self.message = verdict.message
        super().__init__(verdict.message)


class WritGuard:
    """Guards tool calls in LangGraph nodes with one writ client.

    `approval_wait` is how long (seconds) a resumed node long-polls writ for the
    approver's decision before refusing.
    """

    def __init__(
        self,
        client: WritClient | None = None,
        *,
        session_id: str | None = None,
        user: str | None = None,
        approval_wait: float = 10.0,
    ) -> None:
        self.client = client or WritClient()
        self.session_id = session_id
        self.user = user
        self.approval_wait = approval_wait
        self._held: dict[tuple[str, ...], Verdict] = {}
        self._lock = threading.Lock()

    def call(self, tool: str, arguments: dict[str, Any], fn: Callable[..., T]) -> T:
        """Runs `fn(**arguments)` if writ releases it; interrupts for approval; else raises."""
        key = _call_key(tool, arguments)
        verdict = self._verdict(key, tool, arguments)
        if verdict.pending and verdict.decision is not None:
            interrupt(self._approval_request(tool, arguments, verdict))
            verdict = gate.recheck(self.client, tool, verdict.decision, self.approval_wait)
        with self._lock:
            self._held.pop(key, None)
        if not verdict.run:
            if not verdict.pending:
                gate.record(self.client, verdict.action_id, "not_run")
            raise WritRefused(verdict)
        return self._run(verdict, fn, arguments)

    def tool(self, name: str | None = None) -> Callable[[Callable[P, T]], Callable[P, T]]:
        """Decorator: every call of the function (keyword arguments) goes through `call`."""

        def decorate(fn: Callable[P, T]) -> Callable[P, T]:
            tool_name = name or fn.__name__

            @functools.wraps(fn)
            def guarded(*args: P.args, **kwargs: P.kwargs) -> T:
                if args:
                    raise TypeError(f"call `{tool_name}` with keyword arguments only")
                return self.call(tool_name, dict(kwargs), fn)

            return guarded

        return decorate

    def _verdict(self, key: tuple[str, ...], tool: str, arguments: dict[str, Any]) -> Verdict:
        """The held verdict of a resumed call, else a new guard."""
        with self._lock:
            held = self._held.get(key)
        if held is not None:
            return held
        event = {
            "type": "function_call",
            "call_id": f"call_{uuid.uuid4().hex[:16]}",
            "name": tool,
            "arguments": json.dumps(arguments),
        }
        verdict = gate.check(self.client, RUNTIME, event, tool, self.session_id, self.user)
        if verdict.pending:
            with self._lock:
                self._held[key] = verdict
        return verdict

    def _approval_request(self, tool: str, arguments: dict[str, Any], verdict: Verdict) -> dict[str, Any]:
        """The interrupt's value: what a person needs to find and review the action."""
        decision = verdict.decision
        assert decision is not None
        return {
            "writ": {
                "action_id": decision.action_id,
                "tool": tool,
                "arguments": arguments,
                "route": decision.route,
                "reasons": list(decision.reasons),
                "explanation": decision.explanation,
                "required_jurisdictions": decision.raw.get("required_jurisdictions") or [],
                "approvals_url": self.client.approvals_url(decision.action_id),
                "message": verdict.message,
            }
        }

    def _run(self, verdict: Verdict, fn: Callable[..., T], arguments: dict[str, Any]) -> T:
        try:
            output = fn(**arguments)
        except Exception as e:
            gate.record(self.client, verdict.action_id, "failed", f"{type(e).__name__}: {e}")
            raise
        gate.record(self.client, verdict.action_id, "completed", _text(output))
        return output


def _call_key(tool: str, arguments: dict[str, Any]) -> tuple[str, ...]:
    """Identifies one call across a node's re-executions: thread, node task, tool, arguments."""
    configurable = get_config().get("configurable", {})
    thread = str(configurable.get("thread_id", ""))
    task = str(configurable.get("checkpoint_ns", ""))
    return (thread, task, tool, json.dumps(arguments, sort_keys=True))


def _text(output: Any) -> str:
    return output if isinstance(output, str) else json.dumps(output, default=str)
