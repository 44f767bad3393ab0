"""Errors the client raises: one base class carrying writ's problem details."""

from __future__ import annotations

from typing import Any


class WritError(Exception):
    """A request to writ failed; `problem` is the RFC 9457 body when writ sent one.

    `status` is the HTTP status (None when no response came back), `code` writ's
    stable machine-readable code (`unauthorized`, `bad_request`, ...), `detail`
    the human-readable explanation.
    """

    def __init__(
        self,
        detail: str,
        *,
        status: int | None = None,
        code: str = "error",
        problem: dict[str, Any] | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.detail = detail
        self.problem: dict[str, Any] = problem or {}
        where = f"{status} {code}" if status is not None else code
        super().__init__(f"writ: {where}: {detail}")

    @classmethod
    def from_problem(cls, status: int, body: Any) -> WritError:
        """Builds the error from a problem+json body (or whatever came back)."""
        if isinstance(body, dict):
            code = str(body.get("code") or body.get("title") or "error")
            detail = str(body.get("detail") or body.get("title") or f"HTTP {status}")
            return cls(detail, status=status, code=code, problem=body)
        return cls(f"HTTP {status}: {str(body)[:200]}", status=status, code="http_error")


class WritUnavailable(WritError):
    """writ could not be reached (refused, timed out, DNS): nothing was decided."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, code="unavailable")


class WritProtocolError(WritError):
    """writ answered with something this client cannot read as a decision."""

    def __init__(self, detail: str, *, status: int | None = None) -> None:
        super().__init__(detail, status=status, code="bad_response")
