"""A LangGraph graph whose node calls tools through WritGuard, against a real writ serve."""

from __future__ import annotations

import uuid
from typing import Any, TypedDict

import pytest
from conftest import Server, free_port
from events import EMAIL, PASTE, READ
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command

from writ_client import WritClient
from writ_client.langgraph import WritGuard, WritRefused


class State(TypedDict, total=False):
    tool: str
    arguments: dict[str, Any]
    result: str
    refused: str


def build(guard: WritGuard, ran: list[str]) -> Any:
    """One node that calls the requested tool through the guard; refusals go to `refused`."""

    def perform(tool: str, arguments: dict[str, Any]) -> str:
        ran.append(tool)
        return f"{tool} done"

    def act(state: State) -> State:
        tool, arguments = state["tool"], state["arguments"]
        try:
            return {"result": guard.call(tool, arguments, lambda **a: perform(tool, a))}
        except WritRefused as e:
            return {"refused": e.message}

    graph = StateGraph(State)
    graph.add_node("act", act)
    graph.add_edge(START, "act")
    graph.add_edge("act", END)
    return graph.compile(checkpointer=InMemorySaver())


def thread() -> dict[str, Any]:
    return {"configurable": {"thread_id": uuid.uuid4().hex}}


def test_allow_runs(agent: WritClient) -> None:
    ran: list[str] = []
    out = build(WritGuard(agent), ran).invoke({"tool": READ[0], "arguments": READ[1]}, thread())
    assert ran == ["read_file"] and out["result"] == "read_file done"


def test_interrupt_approve_in_writ_resume_runs(
    agent: WritClient, approver: WritClient, auditor: WritClient
) -> None:
    ran: list[str] = []
    graph, config = build(WritGuard(agent, approval_wait=5), ran), thread()

    first = graph.invoke({"tool": EMAIL[0], "arguments": EMAIL[1]}, config)
    [pending] = first["__interrupt__"]
    request = pending.value["writ"]
    assert ran == [] and request["route"] == "require_approval"
    assert "EXTERNAL_MESSAGE" in request["reasons"]
    assert request["approvals_url"].endswith(f"/approvals#action-{request['action_id']}")
    assert "external_comms" in request["required_jurisdictions"]

    approver.review(request["action_id"], grant=True, comment="fine")
    done = graph.invoke(Command(resume="approved"), config)

    assert ran == ["send_email"] and done["result"] == "send_email done"
    action = auditor.action(request["action_id"])
    assert (action.status, action.raw["certified"]) == ("closed", True)


def test_resume_without_writ_approval_refuses(agent: WritClient) -> None:
    ran: list[str] = []
    graph, config = build(WritGuard(agent, approval_wait=0), ran), thread()
    first = graph.invoke({"tool": EMAIL[0], "arguments": EMAIL[1]}, config)
    action_id = first["__interrupt__"][0].value["writ"]["action_id"]

    done = graph.invoke(Command(resume={"approved": True}), config)

    assert ran == [] and "holding `send_email` for human approval" in done["refused"]
    assert agent.action(action_id).pending  # the resume did not create or approve anything


def test_denied_refuses(agent: WritClient, approver: WritClient) -> None:
    ran: list[str] = []
    graph, config = build(WritGuard(agent, approval_wait=5), ran), thread()
    first = graph.invoke({"tool": EMAIL[0], "arguments": EMAIL[1]}, config)
    approver.review(first["__interrupt__"][0].value["writ"]["action_id"], grant=False)
    done = graph.invoke(Command(resume="go"), config)
    assert ran == [] and "approval was denied" in done["refused"]


def test_block_never_runs(agent: WritClient) -> None:
    ran: list[str] = []
    out = build(WritGuard(agent), ran).invoke({"tool": PASTE[0], "arguments": PASTE[1]}, thread())
    assert ran == [] and "__interrupt__" not in out
    assert out["refused"].startswith("writ blocked `create_paste`") and "EXFIL_SECRET" in out["refused"]


def test_unreachable_writ_refuses(server: Server) -> None:
    ran: list[str] = []
    down = WritClient(f"http://127.0.0.1:{free_port()}", server.agent, timeout=2)
    out = build(WritGuard(down), ran).invoke({"tool": READ[0], "arguments": READ[1]}, thread())
    assert ran == [] and "could not decide" in out["refused"]


def test_decorator(agent: WritClient) -> None:
    guard = WritGuard(agent)
    ran: list[str] = []

    @guard.tool()
    def read_file(path: str) -> str:
        ran.append(path)
        return "text"

    @guard.tool("create_paste")
    def paste(text: str) -> str:
        ran.append(text)
        return "url"

    def act(state: State) -> State:
        try:
            return {"result": read_file(path="README.md") + paste(text=PASTE[1]["text"])}
        except WritRefused as e:
            return {"refused": e.message}

    graph = StateGraph(State)
    graph.add_node("act", act)
    graph.add_edge(START, "act")
    out = graph.compile(checkpointer=InMemorySaver()).invoke({}, thread())
    assert ran == ["README.md"] and "EXFIL_SECRET" in out["refused"]
    with pytest.raises(TypeError, match="keyword arguments"):
        read_file("README.md")
