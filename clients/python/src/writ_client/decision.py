"""The decision writ returns for an action, as a small typed value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import WritProtocolError

ROUTES = ("allow", "warn", "simulate_first", "require_approval", "block")
"""writ's routes, weakest first."""


@dataclass(frozen=True)
class Decision:
    """writ's answer for one action: a `POST /v1/guard` or `GET /v1/actions/{id}` body.

    `route` is what the policy decided; `enforced_route` what the caller must do
    now (after approvals and the deployment mode); `released` whether the action
    may run. `raw` is the whole JSON body.
    """

    action_id: str | None
    route: str
    enforced_route: str
    released: bool
    status: str
    reasons: tuple[str, ...]
    explanation: str
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def permits(self) -> bool:
        """True only when writ released the action: the one case a caller may run it."""
        return self.released is True and self.enforced_route in ("allow", "warn")

    @property
    def pending(self) -> bool:
        """True while the action waits on an approver."""
        return self.status == "pending"

    @property
    def rules(self) -> list[dict[str, Any]]:
        """The rules that fired, each with `reason`, `route`, `jurisdiction`, `description`."""
        return _rules(self.raw)

    @classmethod
    def from_json(cls, body: Any) -> Decision:
        """Reads a guard or action body; raises WritProtocolError when it is not one."""
        if not isinstance(body, dict):
            raise WritProtocolError(f"expected a JSON object, got {type(body).__name__}")
        route = _route(body, "route")
        enforced = _route(body, "enforced_route") if "enforced_route" in body else route
        released = body.get("released", False)
        if not isinstance(released, bool):
            raise WritProtocolError("`released` is not a boolean")
        reasons = body.get("reasons") or []
        if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
            raise WritProtocolError("`reasons` is not a list of reason codes")
        action_id = body.get("action_id")
        return cls(
            action_id=action_id if isinstance(action_id, str) else None,
            route=route,
            enforced_route=enforced,
            released=released,
            status=str(body.get("status") or ""),
            reasons=tuple(reasons),
            explanation=explain(_rules(body)),
            raw=body,
        )


def _route(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if value not in ROUTES:
        raise WritProtocolError(f"`{key}` is {value!r}, not one of {', '.join(ROUTES)}")
    return str(value)


def _rules(body: dict[str, Any]) -> list[dict[str, Any]]:
    rules = body.get("rules")
    if rules is None and isinstance(body.get("decision"), dict):
        rules = body["decision"].get("rules")
    return [r for r in rules or [] if isinstance(r, dict)]


def explain(rules: list[dict[str, Any]]) -> str:
    """One line per fired rule: `REASON (route): description`."""
    lines = [
        f"{r.get('reason', '?')} ({r.get('route', '?')}): {r.get('description', '')}".rstrip(": ")
        for r in rules
    ]
    return "; ".join(lines) if lines else "no rule fired"
