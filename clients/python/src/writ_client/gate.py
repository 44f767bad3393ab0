"""Run-or-refuse verdicts for integrations: every error means "do not run"."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from .client import WritClient
from .decision import Decision
from .errors import WritError

log = logging.getLogger("writ_client")


@dataclass(frozen=True)
class Verdict:
    """Whether a tool call may run now, and what the agent is told when it may not."""

    run: bool
    decision: Decision | None
    message: str
    error: WritError | None = None

    @property
    def pending(self) -> bool:
        """True while writ holds the call for an approver."""
        return self.decision is not None and self.decision.pending

    @property
    def action_id(self) -> str | None:
        return self.decision.action_id if self.decision else None


def check(
    client: WritClient,
    runtime: str,
    event: dict[str, Any],
    tool: str,
    session_id: str | None = None,
    user: str | None = None,
) -> Verdict:
    """Guards one event; never raises: a failure is a refusal naming the failure."""
    try:
        decision = client.guard(runtime, event, session_id=session_id, user=user)
    except WritError as e:
        return failed(tool, e)
    return judge(client, tool, decision)


def recheck(client: WritClient, tool: str, decision: Decision, wait: float = 0.0) -> Verdict:
    """Reads a held action again (long-polling `wait` seconds); never raises."""
    if decision.permits or decision.action_id is None:
        return judge(client, tool, decision)
    try:
        current = client.wait_decided(decision.action_id, wait)
    except WritError as e:
        return failed(tool, e)
    return judge(client, tool, current)


def judge(client: WritClient, tool: str, decision: Decision) -> Verdict:
    """The verdict for a decision: run only what writ released."""
    if decision.permits:
        return Verdict(True, decision, "")
    return Verdict(False, decision, refusal(client, tool, decision))


def failed(tool: str, error: WritError) -> Verdict:
    """Fail closed: writ could not decide, so the call is refused."""
    message = (
        f"writ could not decide whether `{tool}` may run ({error}); "
        "the call was refused and did not run."
    )
    return Verdict(False, None, message, error)


def refusal(client: WritClient, tool: str, decision: Decision) -> str:
    """The text an agent sees for a call writ did not release."""
    why = decision.explanation
    ref = f"action {decision.action_id}" if decision.action_id else "this call"
    if decision.pending:
        return (
            f"writ is holding `{tool}` for human approval ({ref}): {why}. It did not run; "
            f"an approver must grant it at {client.approvals_url(decision.action_id)}."
        )
    if decision.status in ("denied", "expired"):
        return f"writ refused `{tool}`: its approval was {decision.status} ({ref}: {why}). It did not run."
    if decision.enforced_route == "simulate_first":
        return (
            f"writ requires a dry run before `{tool}` ({ref}): {why}. It did not run; "
            "simulate or plan the change first, then call again."
        )
    return f"writ blocked `{tool}` ({ref}): {why}. It did not run; do not retry it in another form."


def record(
    client: WritClient,
    action_id: str | None,
    closure: str,
    output: str | None = None,
    result: dict[str, Any] | None = None,
) -> None:
    """Records an outcome; a failure is logged, since the tool has already run (or not)."""
    if action_id is None:
        return
    try:
        client.outcome(action_id, closure, result=result, output=output)
    except WritError as e:
        log.warning("writ: cannot record the outcome of %s: %s", action_id, e)
