"""`sluice policy explain --requests` decides every turn as `sluice serve` does.

Recorded-style sessions (several turns each, in all three dialects, interleaved) go through a running
gateway, one request at a time, as the agents would send them; the same requests, in the same order,
go through `sluice policy explain --requests`. For every turn the rule and the model must be the same.
The sessions are built so that what needs a session's history is in play: stickiness inside a tool
loop, `new_prompt_tokens` (growth since the session's previous turn), a conversation that starts
again (a new session for an agent that sends no session id), and an error that must pull the session
back to the frontier model.
"""
from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest

from test_sdk import NO_PROXY, SLUICE_BIN, GatewayHandle, mock, start_gateway, stop  # noqa: F401  (mock: fixture)

HERE = Path(__file__).resolve().parent
POLICY = HERE / "explain_policy.yaml"

SYSTEM = "You are a careful software engineer working in a git repository."
TASK = "The test test_add in test_calc.py fails. Fix calc.py so that it passes."
# (shell command, Anthropic tool, Anthropic input, output, failed): read, a failing test, an edit,
# a passing test, a small search.
STEPS = [
    ("cat calc.py", "Read", {"file_path": "calc.py"},
     "def add(a, b):\n    return a - b\n\n" + "# helper\n" * 60, False),
    ("python -m pytest -q test_calc.py", "Bash", {"command": "python -m pytest -q test_calc.py"},
     "F\n=== FAILURES ===\nE   assert -1 == 3\n1 failed, 0 passed in 0.02s\nExit code: 1", True),
    ("sed -i 's/a - b/a + b/' calc.py", "Edit", {"file_path": "calc.py", "old_string": "a - b", "new_string": "a + b"},
     "", False),
    ("python -m pytest -q test_calc.py", "Bash", {"command": "python -m pytest -q test_calc.py"},
     "1 passed in 0.01s", False),
    ("grep -n 'def ' calc.py", "Grep", {"pattern": "def ", "path": "calc.py"}, "1:def add(a, b):", False),
]


# A subagent's look around: a long read, then a small search, a failing test, another search.
SUBAGENT_STEPS = [STEPS[0], STEPS[4], STEPS[1], STEPS[4]]


def body(dialect: str, turn: int, model: str, metadata: dict | None = None, steps: list = STEPS) -> dict:
    """The request of `turn` (0: the task; n: carries the result of step n)."""
    done = steps[:turn]
    if dialect == "anthropic":
        messages: list = [{"role": "user", "content": TASK}]
        for i, (_, tool, tool_input, output, failed) in enumerate(done):
            messages.append({"role": "assistant", "content": [
                {"type": "tool_use", "id": f"toolu_{i}", "name": tool, "input": tool_input}]})
            messages.append({"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": f"toolu_{i}", "content": output, "is_error": failed}]})
        out = {"model": model, "max_tokens": 32000, "system": SYSTEM, "messages": messages,
               "tools": [{"name": "Bash", "input_schema": {}}, {"name": "Read", "input_schema": {}}]}
        if metadata:
            out["metadata"] = metadata
        return out
    if dialect == "openai-chat":
        messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": TASK}]
        for i, (command, _, _, output, _) in enumerate(done):
            messages.append({"role": "assistant", "content": None, "tool_calls": [
                {"id": f"call_{i}", "type": "function",
                 "function": {"name": "bash", "arguments": json.dumps({"command": command})}}]})
            messages.append({"role": "tool", "tool_call_id": f"call_{i}", "content": output})
        return {"model": model, "messages": messages,
                "tools": [{"type": "function", "function": {"name": "bash", "parameters": {}}}]}
    items: list = [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": TASK}]}]
    for i, (command, _, _, output, _) in enumerate(done):
        items.append({"type": "function_call", "call_id": f"call_{i}", "name": "shell",
                      "arguments": json.dumps({"command": ["bash", "-lc", command]})})
        items.append({"type": "function_call_output", "call_id": f"call_{i}", "output": output})
    return {"model": model, "instructions": SYSTEM, "input": items,
            "tools": [{"type": "function", "name": "shell", "parameters": {}}]}


PATH = {"anthropic": "/v1/messages", "openai-chat": "/v1/chat/completions", "openai-responses": "/v1/responses"}


def sessions() -> list[list[tuple[str, dict, dict]]]:
    """Each session: its requests in order, as (dialect, body, headers)."""
    key = {"x-api-key": "sk-explain-test", "content-type": "application/json"}
    bearer = {"authorization": "Bearer sk-explain-test", "content-type": "application/json"}
    claude = {"user_id": json.dumps({"device_id": "d", "account_uuid": "", "session_id": "7d3e-explain"})}
    return [
        # Claude Code: the whole story, its session named in metadata.user_id.
        [("anthropic", body("anthropic", t, "claude-opus-5-5", claude), key) for t in range(len(STEPS) + 1)],
        # A subagent that starts in the middle of a tool loop: cheap while it reads and searches in
        # small steps, then the error pulls it to Opus, and stickiness keeps it there for the loop.
        [("anthropic", body("anthropic", t, "claude-opus-5-5", steps=SUBAGENT_STEPS),
          {**key, "x-claude-code-session-id": "sub-1"}) for t in range(1, len(SUBAGENT_STEPS) + 1)],
        # An agent with no session id (litellm-based): two runs of the same task.
        [("openai-chat", body("openai-chat", t, "gpt-5.5"), bearer) for t in range(4)]
        + [("openai-chat", body("openai-chat", t, "gpt-5.5"), bearer) for t in range(3)],
        # Codex: the whole story, its session in the session_id header.
        [("openai-responses", body("openai-responses", t, "gpt-5.5"), {**bearer, "session_id": "codex-explain"})
         for t in range(len(STEPS) + 1)],
    ]


def interleaved() -> list[tuple[str, dict, dict]]:
    """The sessions' requests round-robin, as several agents running at once would send them."""
    queues = [list(s) for s in sessions()]
    out = []
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    return out


@pytest.fixture(scope="module")
def gateway(mock, tmp_path_factory):  # noqa: F811  (mock: the fixture imported above)
    handle = GatewayHandle()
    start_gateway(mock, tmp_path_factory.mktemp("explain"), handle, policy=POLICY)
    yield handle
    if handle.proc is not None:
        stop(handle.proc)


def send(url: str, dialect: str, payload: dict, headers: dict) -> dict:
    request = urllib.request.Request(url + PATH[dialect], data=json.dumps(payload).encode(), method="POST")
    for name, value in headers.items():
        request.add_header(name, value)
    with NO_PROXY.open(request, timeout=30) as response:
        response.read()
        return {k.lower(): v for k, v in response.headers.items()}


def test_explain_decides_every_turn_as_serve_does(gateway, tmp_path):
    gw = gateway.ready()
    turns = interleaved()
    served = [send(gw.url, dialect, payload, headers) for dialect, payload, headers in turns]

    log = tmp_path / "requests.jsonl"
    with open(log, "w") as f:
        for dialect, payload, headers in turns:
            f.write(json.dumps({"protocol": dialect, "body": payload, "headers": headers}) + "\n")
    result = subprocess.run(
        [str(SLUICE_BIN), "policy", "explain", str(POLICY), "--requests", str(log), "--format", "json"],
        capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    explained = json.loads(result.stdout)["requests"]
    assert len(explained) == len(turns)

    mismatches = []
    for i, (served_turn, explained_turn) in enumerate(zip(served, explained)):
        serve = (served_turn.get("x-sluice-rule"), served_turn.get("x-sluice-model"))
        explain = (explained_turn.get("rule"), explained_turn.get("model"))
        if serve != explain:
            mismatches.append(f"turn {i} ({turns[i][0]}): serve {serve}, explain {explain}")
    assert not mismatches, "\n".join(mismatches)

    # The sessions put every decision that needs history to work, so the equality above means something.
    rules = [t["rule"] for t in explained]
    assert "stickiness" in rules
    assert any(r.startswith("small-step") for r in rules)
    assert any(r.startswith("after-error") for r in rules)
    # Named sessions keep their names in both; the second run of the anonymous agent is a new
    # session in both.
    keys = [t["x-sluice-session"] for t in served]
    assert keys[0] == explained[0]["session"] == "cc:7d3e-explain"
    chat = [i for i, (dialect, _, _) in enumerate(turns) if dialect == "openai-chat"]
    first_run, second_run = chat[:4], chat[4:]
    assert len({keys[i] for i in first_run}) == 1 and len({keys[i] for i in second_run}) == 1
    assert keys[first_run[0]] != keys[second_run[0]]
    assert [explained[i]["session_starts"] for i in chat] == [True, False, False, False, True, False, False]
    assert len({explained[i]["session"] for i in second_run}) == 1
    assert explained[second_run[0]]["session"] != explained[first_run[0]]["session"]
