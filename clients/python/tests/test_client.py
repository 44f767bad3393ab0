"""WritClient against a real writ serve: decisions, approvals, outcomes, proofs, errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import Server, writ_binary
from events import EMAIL, PASTE, READ, function_call

from writ_client import WritClient, WritError, WritUnavailable
from writ_client.gate import check


def test_allow_outcome_proof_round_trip(
    server: Server, agent: WritClient, auditor: WritClient, tmp_path: Path
) -> None:
    decision = agent.guard("openai-agents", function_call(*READ), session_id="s-round-trip")
    assert (decision.route, decision.status, decision.released) == ("allow", "released", True)
    assert decision.permits and decision.action_id and decision.action_id.startswith("act_")
    assert decision.raw["release_token"]

    closed = agent.outcome(decision.action_id, "completed", result={"bytes": 12}, output="# writ")
    assert closed["status"] == "closed" and closed["certified"] is True

    bundle = tmp_path / "proof.json"
    bundle.write_text(json.dumps(auditor.proof(decision.action_id)))
    key = server.data_dir / "ledger.vkey"
    verify = [str(writ_binary()), "verify", str(bundle), "--key", str(key)]
    checked = subprocess.run(verify, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr  # verifies offline with the public key
    assert auditor.checkpoint().strip()
    assert auditor.action(decision.action_id).status == "closed"


def test_require_approval_granted_by_approver(agent: WritClient, approver: WritClient) -> None:
    decision = agent.guard("openai-agents", function_call(*EMAIL))
    assert decision.route == "require_approval" and decision.pending and not decision.permits
    assert "EXTERNAL_MESSAGE" in decision.reasons
    assert "EXTERNAL_MESSAGE" in decision.explanation

    approver.review(decision.action_id, grant=True, comment="customer asked for it")
    after = agent.wait_decided(decision.action_id, timeout=5)
    assert (after.status, after.enforced_route, after.permits) == ("released", "allow", True)


def test_denied_stays_refused(agent: WritClient, approver: WritClient) -> None:
    decision = agent.guard("openai-agents", function_call(*EMAIL))
    approver.review(decision.action_id, grant=False, comment="no")
    after = agent.action(decision.action_id, wait=1)
    assert (after.status, after.enforced_route, after.permits) == ("denied", "block", False)


def test_block(agent: WritClient) -> None:
    decision = agent.guard("openai-agents", function_call(*PASTE))
    assert (decision.route, decision.status, decision.permits) == ("block", "blocked", False)
    assert "EXFIL_SECRET" in decision.reasons


def test_bad_token_is_401(server) -> None:
    with pytest.raises(WritError) as e:
        WritClient(server.url, "not-a-token").guard("openai-agents", function_call(*READ))
    assert (e.value.status, e.value.code) == (401, "unauthorized")
    assert e.value.detail and not isinstance(e.value, WritUnavailable)


def test_bad_body_is_400(agent: WritClient) -> None:
    with pytest.raises(WritError) as e:
        agent.guard("no-such-runtime", {"hello": 1})
    assert (e.value.status, e.value.code) == (400, "bad_request")
    assert e.value.problem["detail"] == e.value.detail


def test_wrong_role_is_403(auditor: WritClient) -> None:
    with pytest.raises(WritError) as e:
        auditor.guard("openai-agents", function_call(*READ))
    assert e.value.status == 403


def test_unreachable_server_refuses(server) -> None:
    from conftest import free_port

    down = WritClient(f"http://127.0.0.1:{free_port()}", server.agent, timeout=2)
    with pytest.raises(WritUnavailable) as e:
        down.guard("openai-agents", function_call(*READ))
    assert e.value.status is None and e.value.code == "unavailable"

    verdict = check(down, "openai-agents", function_call(*READ), tool="read_file")
    assert not verdict.run and isinstance(verdict.error, WritUnavailable)
    assert "could not decide" in verdict.message


def test_defaults_from_environment(monkeypatch: pytest.MonkeyPatch, server) -> None:
    monkeypatch.setenv("WRIT_SERVER", server.url + "/")
    monkeypatch.setenv("WRIT_TOKEN", server.agent)
    client = WritClient()
    assert client.base_url == server.url
    assert client.whoami()["role"] == "agent"
