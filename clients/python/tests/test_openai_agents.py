"""The Agents SDK guard through the SDK's own Runner, with a scripted model and a real writ serve."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from agents import Agent, FunctionTool, RunContextWrapper, Runner, function_tool, set_tracing_disabled
from agents.items import ToolCallOutputItem
from agents.testing import ScriptedModel, assistant_message
from agents.testing import function_call as model_function_call
from conftest import Server, free_port
from events import EMAIL, PASTE, READ, call_id

from writ_client import WritClient
from writ_client.openai_agents import WritToolGuard, protect

set_tracing_disabled(True)  # no model provider here: nothing to export traces to


class Tools:
    """Real function tools that note every run, so a test sees what actually ran."""

    def __init__(self) -> None:
        self.ran: list[tuple[str, dict[str, Any]]] = []

        @function_tool
        def read_file(path: str) -> str:
            """Read a file of the workspace."""
            self.ran.append(("read_file", {"path": path}))
            return f"contents of {path}"

        @function_tool
        def send_email(to: str, subject: str, body: str) -> str:
            """Send an e-mail."""
            self.ran.append(("send_email", {"to": to}))
            return f"sent to {to}"

        @function_tool
        def create_paste(text: str) -> str:
            """Publish a public paste."""
            self.ran.append(("create_paste", {"text": text}))
            return "https://pastebin.com/abc"

        self.all: dict[str, FunctionTool] = {
            t.name: t for t in (read_file, send_email, create_paste)
        }


def agent_calling(tool: FunctionTool, arguments: dict[str, Any], cid: str) -> Agent[Any]:
    """An agent whose scripted model calls `tool` once, then answers."""
    model = ScriptedModel(
        [[model_function_call(tool.name, arguments, call_id=cid)], [assistant_message("done")]]
    )
    return Agent(name="assistant", model=model, tools=[tool])


def tool_outputs(result: Any) -> list[str]:
    """What the model was told each tool call returned."""
    return [str(i.output) for i in result.new_items if isinstance(i, ToolCallOutputItem)]


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_allow_runs_and_certifies(server: Server, agent: WritClient, auditor: WritClient) -> None:
    tools = Tools()
    tool = protect(tools.all["read_file"], agent)
    cid = call_id()
    result = run(Runner.run(agent_calling(tool, READ[1], cid), "read the README"))

    assert tools.ran == [READ]
    assert result.final_output == "done" and result.interruptions == []
    action = auditor.action(tool.needs_approval.__self__.actions[cid])
    assert (action.route, action.status, action.raw["certified"]) == ("allow", "closed", True)


def test_require_approval_interrupts_then_runs_once_writ_releases(
    agent: WritClient, approver: WritClient, auditor: WritClient
) -> None:
    tools = Tools()
    tool = protect(tools.all["send_email"], agent, approval_wait=5)
    cid = call_id()
    sdk_agent = agent_calling(tool, EMAIL[1], cid)

    first = run(Runner.run(sdk_agent, "tell Lee"))
    assert tools.ran == [] and len(first.interruptions) == 1
    action_id = tool.needs_approval.__self__.actions[cid]
    assert agent.action(action_id).pending

    approver.review(action_id, grant=True, comment="the customer asked")
    state = first.to_state()
    state.approve(first.interruptions[0])
    second = run(Runner.run(sdk_agent, state))

    assert tools.ran == [("send_email", {"to": EMAIL[1]["to"]})]
    assert second.final_output == "done"
    assert auditor.action(action_id).status == "closed"


def test_sdk_approval_alone_does_not_release(agent: WritClient) -> None:
    tools = Tools()
    tool = protect(tools.all["send_email"], agent, approval_wait=0)
    cid = call_id()
    sdk_agent = agent_calling(tool, EMAIL[1], cid)

    first = run(Runner.run(sdk_agent, "tell Lee"))
    state = first.to_state()
    state.approve(first.interruptions[0])
    second = run(Runner.run(sdk_agent, state))

    assert tools.ran == []
    [told] = tool_outputs(second)
    assert "holding `send_email` for human approval" in told and "EXTERNAL_MESSAGE" in told


def test_denied_approval_refuses(agent: WritClient, approver: WritClient) -> None:
    tools = Tools()
    tool = protect(tools.all["send_email"], agent, approval_wait=5)
    cid = call_id()
    sdk_agent = agent_calling(tool, EMAIL[1], cid)
    first = run(Runner.run(sdk_agent, "tell Lee"))
    approver.review(tool.needs_approval.__self__.actions[cid], grant=False, comment="no")
    state = first.to_state()
    state.approve(first.interruptions[0])
    second = run(Runner.run(sdk_agent, state))

    assert tools.ran == []
    assert "approval was denied" in tool_outputs(second)[0]


def test_block_never_runs_and_model_sees_why(agent: WritClient, auditor: WritClient) -> None:
    tools = Tools()
    tool = protect(tools.all["create_paste"], agent)
    cid = call_id()
    result = run(Runner.run(agent_calling(tool, PASTE[1], cid), "share the config"))

    assert tools.ran == [] and result.interruptions == []
    [told] = tool_outputs(result)
    assert told.startswith("writ blocked `create_paste`") and "EXFIL_SECRET" in told
    action = auditor.action(tool.needs_approval.__self__.actions[cid])
    # Refused and closed as `not_run`: writ certifies that the tool never ran.
    assert (action.route, action.enforced_route, action.status) == ("block", "block", "closed")
    assert action.raw["certified"] is True


def test_unreachable_writ_refuses(server: Server) -> None:
    tools = Tools()
    down = WritClient(f"http://127.0.0.1:{free_port()}", server.agent, timeout=2)
    tool = protect(tools.all["read_file"], down)
    result = run(Runner.run(agent_calling(tool, READ[1], call_id()), "read the README"))

    assert tools.ran == []
    [told] = tool_outputs(result)
    assert "could not decide" in told and "unavailable" in told


@pytest.mark.parametrize(
    ("case", "installed", "expected"),
    [(READ, False, False), (EMAIL, False, True), (PASTE, False, True), (PASTE, True, False)],
)
def test_needs_approval_callable(
    agent: WritClient, case: tuple[str, dict[str, Any]], installed: bool, expected: bool
) -> None:
    """Called as the SDK calls it: (run context, parsed params, call id)."""
    guard = WritToolGuard(case[0], agent)
    guard.installed = installed
    answer = run(guard.needs_approval(RunContextWrapper(context=None), case[1], call_id()))
    assert answer is expected


def test_install_checks_the_tool_name(agent: WritClient) -> None:
    with pytest.raises(ValueError, match="not `read_file`"):
        WritToolGuard("send_email", agent).install(Tools().all["read_file"])


def test_event_carries_arguments_as_json_text(agent: WritClient) -> None:
    guard = WritToolGuard("read_file", agent)
    cid = call_id()
    run(guard.needs_approval(RunContextWrapper(context=None), READ[1], cid))
    action = agent.action(guard.actions[cid])
    assert action.raw["arguments"] == json.loads(json.dumps(READ[1]))
