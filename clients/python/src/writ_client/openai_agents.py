"""writ in front of OpenAI Agents SDK function tools.

`protect(tool)` installs three SDK hooks on a `FunctionTool`:

- `needs_approval`: asks writ (`openai-agents` runtime, the call's
  `function_call` item); `require_approval` interrupts the run for approval,
  `allow`/`warn` let it through;
- a tool input guardrail named `writ`: refuses, with writ's reasons as the text
  the model sees, every call writ did not release (`block`, `simulate_first`,
  an approval still pending, denied or expired, or writ unreachable); after an
  SDK approval it re-reads the action, since only a writ approver releases it;
- a wrapper around `on_invoke_tool`: runs the tool only when writ released the
  call, then records the outcome (`completed` or `failed`) so writ certifies it.

Importing this module imports `agents` (`pip install 'writ-client[openai-agents]'`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from agents import FunctionTool, RunContextWrapper
from agents.tool_context import ToolContext
from agents.tool_guardrails import (
    ToolGuardrailFunctionOutput,
    ToolInputGuardrail,
    ToolInputGuardrailData,
)

from . import gate
from .client import WritClient
from .gate import Verdict

RUNTIME = "openai-agents"

Invoker = Callable[[ToolContext[Any], str], Awaitable[Any]]


def function_call_event(name: str, call_id: str, arguments: str) -> dict[str, Any]:
    """The Responses API `function_call` item writ's `openai-agents` runtime reads."""
    return {"type": "function_call", "call_id": call_id, "name": name, "arguments": arguments}


class WritToolGuard:
    """Guards the calls of one function tool with writ.

    `approval_wait` is how long (seconds) the guardrail long-polls writ for an
    approver's decision when the run resumes on a call writ still holds.
    `installed` says the guardrail and wrapper of `install` are in place: without
    them `needs_approval` answers True for anything writ did not release, so a
    human is asked rather than the call running (fail closed).
    """

    def __init__(
        self,
        tool_name: str,
        client: WritClient | None = None,
        *,
        session_id: str | None = None,
        user: str | None = None,
        approval_wait: float = 0.0,
    ) -> None:
        self.tool_name = tool_name
        self.client = client or WritClient()
        self.session_id = session_id
        self.user = user
        self.approval_wait = approval_wait
        self.installed = False
        self.guardrail: ToolInputGuardrail[Any] = ToolInputGuardrail(
            guardrail_function=self._input_guardrail, name="writ"
        )
        self._verdicts: dict[str, Verdict] = {}
        self.actions: dict[str, str] = {}
        """The writ action id of each call guarded so far, by call id."""

    def verdict(self, call_id: str) -> Verdict | None:
        """The latest verdict for a call, while the call is in flight."""
        return self._verdicts.get(call_id)

    async def needs_approval(
        self, context: RunContextWrapper[Any], params: dict[str, Any], call_id: str
    ) -> bool:
        """The SDK's `needs_approval` callable: True when writ holds the call for approval."""
        verdict = await self._check(call_id, json.dumps(params))
        if verdict.run:
            return False
        if verdict.pending:
            return True
        return not self.installed

    def install(self, tool: FunctionTool) -> FunctionTool:
        """Puts `needs_approval`, the `writ` input guardrail and the outcome wrapper on `tool`."""
        if tool.name != self.tool_name:
            raise ValueError(f"this guard is for `{self.tool_name}`, not `{tool.name}`")
        tool.needs_approval = self.needs_approval
        tool.tool_input_guardrails = [*(tool.tool_input_guardrails or []), self.guardrail]
        tool.on_invoke_tool = self.wrap(tool.on_invoke_tool)
        self.installed = True
        return tool

    def wrap(self, invoke: Invoker) -> Invoker:
        """Runs `invoke` only for a released call and records its outcome."""

        async def guarded(ctx: ToolContext[Any], arguments: str) -> Any:
            verdict = self._verdicts.pop(ctx.tool_call_id, None)
            if verdict is None or not verdict.run:
                verdict = await self._check(ctx.tool_call_id, arguments)
                self._verdicts.pop(ctx.tool_call_id, None)
                if not verdict.run:
                    return verdict.message
            try:
                output = await invoke(ctx, arguments)
            except Exception as e:
                await self._record(verdict, "failed", f"{type(e).__name__}: {e}")
                raise
            await self._record(verdict, "completed", _text(output))
            return output

        return guarded

    async def _input_guardrail(self, data: ToolInputGuardrailData) -> ToolGuardrailFunctionOutput:
        ctx = data.context
        verdict = self._verdicts.get(ctx.tool_call_id)
        if verdict is None or verdict.error is not None:
            verdict = await self._check(ctx.tool_call_id, ctx.tool_arguments)
        elif not verdict.run and verdict.pending and verdict.decision is not None:
            verdict = await asyncio.to_thread(
                gate.recheck, self.client, self.tool_name, verdict.decision, self.approval_wait
            )
            self._verdicts[ctx.tool_call_id] = verdict
        info = {"action_id": verdict.action_id, "route": _route(verdict)}
        if verdict.run:
            return ToolGuardrailFunctionOutput.allow(output_info=info)
        self._verdicts.pop(ctx.tool_call_id, None)
        if not verdict.pending:
            await self._record(verdict, "not_run")
        return ToolGuardrailFunctionOutput.reject_content(verdict.message, output_info=info)

    async def _check(self, call_id: str, arguments: str) -> Verdict:
        event = function_call_event(self.tool_name, call_id, arguments)
        verdict = await asyncio.to_thread(
            gate.check, self.client, RUNTIME, event, self.tool_name, self.session_id, self.user
        )
        self._verdicts[call_id] = verdict
        if verdict.action_id:
            self.actions[call_id] = verdict.action_id
        return verdict

    async def _record(self, verdict: Verdict, closure: str, output: str | None = None) -> None:
        await asyncio.to_thread(gate.record, self.client, verdict.action_id, closure, output)


def protect(
    tool: FunctionTool,
    client: WritClient | None = None,
    *,
    session_id: str | None = None,
    user: str | None = None,
    approval_wait: float = 0.0,
) -> FunctionTool:
    """Guards `tool` with writ (see the module docstring); returns the same tool."""
    guard = WritToolGuard(
        tool.name, client, session_id=session_id, user=user, approval_wait=approval_wait
    )
    return guard.install(tool)


def _route(verdict: Verdict) -> str | None:
    return verdict.decision.enforced_route if verdict.decision else None


def _text(output: Any) -> str:
    return output if isinstance(output, str) else str(output)
