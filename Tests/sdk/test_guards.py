"""Budgets with the official SDKs as clients of a running `sluice serve` (issue: guards).

Each test starts its own gateway on a policy of its own (Tests/sdk/policy.yaml plus a
`budgets:` section), so that it can edit the policy while the gateway runs or restart the
gateway on the same ledger. The clients keep the SDKs' default retries: a refusal they retried
would show as extra refused turns in the ledger.

What is checked:
  * the hard limit reaches the SDK as a proper API error (status 400, the message naming the
    cap, the spend and how to raise it), is not retried, and is in the ledger with its guard;
  * past the soft limit the turn goes to the cheap model and the answer says so in
    `x-sluice-guard`;
  * raising the cap in the policy file while the gateway runs resumes the paused session;
  * spend survives a restart: a new gateway on the same ledger still refuses the session;
  * an alert is POSTed to the webhook once per threshold crossing.
"""
from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import anthropic
import openai
import pytest

from test_sdk import (  # noqa: F401  (mock is a fixture)
    POLICY, GatewayHandle, first_request, http_get, mock, start_gateway, stop,
)

WAIT_S = 10.0


def policy_with(budgets: str) -> str:
    return POLICY.read_text() + "\n" + budgets.strip() + "\n"


class Served:
    """A gateway of this test's own, on `policy_path`, writing `ledger`."""

    def __init__(self, mock, tmp: Path, policy: str):
        self.mock, self.tmp = mock, tmp
        self.policy_path = tmp / "guarded.yaml"
        self.policy_path.write_text(policy)
        self.handle: GatewayHandle | None = None
        self.start()

    def start(self):
        self.handle = GatewayHandle()
        start_gateway(self.mock, self.tmp, self.handle, policy=self.policy_path)
        self.gw = self.handle.ready()

    def stop(self):
        if self.handle and self.handle.proc:
            stop(self.handle.proc)

    def turns(self, session: str, count: int) -> list[dict]:
        deadline = time.monotonic() + WAIT_S
        while True:
            code, out, err = self.gw.report("--session", session)
            turns = json.loads(out).get("turns", []) if code == 0 and out.strip() else []
            if len(turns) >= count or time.monotonic() > deadline:
                return turns
            time.sleep(0.2)


@pytest.fixture
def served(mock, tmp_path):
    made: list[Served] = []

    def make(budgets: str) -> Served:
        s = Served(mock, tmp_path, policy_with(budgets))
        made.append(s)
        return s

    yield make
    for s in made:
        s.stop()


def anthropic_client(gw, session: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="sk-ant-test", base_url=gw.url, default_headers={"x-sluice-session": session},
                               http_client=anthropic.DefaultHttpxClient(trust_env=False), timeout=30)


def openai_client(gw, session: str) -> openai.OpenAI:
    return openai.OpenAI(api_key="sk-test", base_url=gw.url + "/v1", default_headers={"x-sluice-session": session},
                         http_client=openai.DefaultHttpxClient(trust_env=False), timeout=30)


def ask(dialect: str, gw, session: str, stream: bool = False):
    """One user turn through the SDK of `dialect`; returns the raw response (headers and parsed)."""
    req = first_request(dialect, session)
    if dialect == "anthropic":
        client = anthropic_client(gw, session)
        if stream:
            with client.messages.stream(model="claude-sonnet-5-5", **req) as s:
                return s.get_final_message()
        return client.messages.with_raw_response.create(model="claude-sonnet-5-5", **req)
    client = openai_client(gw, session)
    if dialect == "openai-chat":
        if stream:
            return list(client.chat.completions.create(model="gpt-5.5", stream=True, **req))
        return client.chat.completions.with_raw_response.create(model="gpt-5.5", **req)
    if stream:
        return list(client.responses.create(model="gpt-5.5", stream=True, **req))
    return client.responses.with_raw_response.create(model="gpt-5.5", **req)


HARD = """
budgets:
  caps:
    - {name: tiny-session, per: session, cap: 0.000001}
"""


@pytest.mark.parametrize("dialect", ["anthropic", "openai-chat", "openai-responses"])
@pytest.mark.parametrize("stream", [False, True], ids=["nonstream", "stream"])
def test_hard_limit_is_an_api_error_the_sdk_shows_and_does_not_retry(served, dialect, stream):
    s = served(HARD)
    session = f"hard-{dialect}-{uuid.uuid4().hex[:8]}"
    ask(dialect, s.gw, session)               # the first turn runs: nothing spent yet
    sdk = anthropic if dialect == "anthropic" else openai
    with pytest.raises(sdk.APIStatusError) as raised:
        ask(dialect, s.gw, session, stream=stream)
    error = raised.value
    assert error.status_code == 400
    if dialect != "anthropic":
        assert error.code == "budget_exceeded", error.body
    assert error.response.headers.get("x-should-retry") == "false"
    message = str(error)
    assert 'cap "tiny-session"' in message and "per session" in message, message
    assert "this session has spent $" in message and "raise the cap" in message, message
    turns = s.turns(session, 2)
    time.sleep(0.5)                            # a retry would land by now
    turns = s.turns(session, 3)
    assert [t["status"] for t in turns] == ["ok", "refused"], f"the SDK retried or a turn is missing: {turns}"
    assert turns[1].get("guard") == "budget-hard:tiny-session"
    assert turns[1]["actual_usd"] in (0, "0", "0.00") or float(turns[1]["actual_usd"]) == 0


SOFT = """
budgets:
  caps:
    - {name: session, per: session, cap: 5.00, soft: {at: 0.000001, route: {anthropic: haiku, openai: mini}}}
"""


@pytest.mark.parametrize("dialect", ["anthropic", "openai-chat", "openai-responses"])
def test_past_the_soft_limit_the_turn_goes_to_the_cheap_model_and_says_so(served, dialect):
    s = served(SOFT)
    session = f"soft-{dialect}-{uuid.uuid4().hex[:8]}"
    first = ask(dialect, s.gw, session)
    assert "x-sluice-guard" not in first.headers
    second = ask(dialect, s.gw, session)
    cheap = "haiku" if dialect == "anthropic" else "mini"
    assert second.headers.get("x-sluice-guard") == "budget-soft:session"
    assert second.headers.get("x-sluice-model") == cheap
    second.parse()                              # the SDK reads the answer as usual
    turns = s.turns(session, 2)
    assert [t["model"] for t in turns][1] == cheap
    assert turns[1].get("guard") == "budget-soft:session"


def test_raising_the_cap_while_the_gateway_runs_resumes_the_session(served):
    s = served(HARD)
    session = f"resume-{uuid.uuid4().hex[:8]}"
    ask("anthropic", s.gw, session)
    with pytest.raises(anthropic.APIStatusError):
        ask("anthropic", s.gw, session)
    s.policy_path.write_text(s.policy_path.read_text().replace("cap: 0.000001", "cap: 5.00"))
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            reply = ask("anthropic", s.gw, session)
            break
        except anthropic.APIStatusError as error:
            assert error.status_code == 400
            assert time.monotonic() < deadline, "the raised cap was not picked up"
            time.sleep(0.3)
    assert reply.http_response.status_code == 200


def test_spend_comes_back_from_the_ledger_after_a_restart(served):
    s = served(HARD)
    session = f"restart-{uuid.uuid4().hex[:8]}"
    ask("openai-chat", s.gw, session)
    s.turns(session, 1)
    s.stop()
    s.start()                                   # a new process, the same ledger
    with pytest.raises(openai.APIStatusError) as raised:
        ask("openai-chat", s.gw, session)
    assert raised.value.status_code == 400


def test_an_alert_is_posted_once_per_threshold_crossing(served, mock):
    s = served("""
budgets:
  webhook: %s/__hooks/budget
  caps:
    - {name: watched, per: session, cap: 0.10, alert: 10%%}
""" % mock.url)
    session = f"alert-{uuid.uuid4().hex[:8]}"
    for _ in range(3):
        ask("anthropic", s.gw, session)
    s.turns(session, 3)
    deadline = time.monotonic() + WAIT_S
    while True:
        status, data = http_get(mock.url + "/__requests")
        hooks = [r for r in json.loads(data) if r["path"] == "/__hooks/budget" and session in r["raw"]]
        if hooks or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    time.sleep(0.5)
    status, data = http_get(mock.url + "/__requests")
    hooks = [r for r in json.loads(data) if r["path"] == "/__hooks/budget" and session in r["raw"]]
    assert len(hooks) == 1, f"expected one alert, got {len(hooks)}"
    alert = hooks[0]["body"]
    assert alert["type"] == "budget_alert" and alert["cap"] == "watched" and alert["session"] == session
    assert alert["percent"] == 10 and alert["limit"] == 0.1 and alert["spent"] >= 0.01
