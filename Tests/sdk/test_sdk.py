"""The official Python SDKs (`anthropic`, `openai`) drive a running `sluice serve` in front of the
scripted upstream in mock_upstream.py, for each client dialect, streaming and not, with a tool
call; then the ledger is read through `sluice report --format json` and its tokens and dollars
are checked exactly (Decimal, nanodollar rounding half-up per line item).

Each case is a two-turn session:
  1. a first user turn with a tool offered     -> the dialect's frontier (baseline) model, savings 0
  2. a follow-up carrying a search tool result -> the dialect's cheap model, positive savings
The search tool is `Grep` (input {"pattern": "TODO"}) for Anthropic, and for both OpenAI dialects a
Codex-style `shell` function called with {"command": ["rg", "TODO"]} (`rg` in a shell = search).

Binary: $SLUICE_BIN, default <repo>/.build/debug/sluice. Missing binary = failure, not skip.
`test_mock_speaks_each_dialect` needs no gateway: it points the SDKs straight at the mock.
"""
from __future__ import annotations

import copy
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, NamedTuple

import anthropic
import openai
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import mock_upstream as M  # noqa: E402  (the script: texts, tool calls, usage)

REPO = HERE.parents[1]
POLICY = HERE / "policy.yaml"
SLUICE_BIN = Path(os.environ.get("SLUICE_BIN") or REPO / ".build" / "debug" / "sluice")

DIALECTS = ["anthropic", "openai-chat", "openai-responses"]
MODES = [(d, s) for d in DIALECTS for s in (False, True)]
MODE_IDS = [f"{d}-{'stream' if s else 'nonstream'}" for d, s in MODES]
# What the clients ask for: neither model of the policy, so every forwarded body shows the rewrite.
REQUESTED = {"anthropic": "claude-sonnet-5-5", "openai-chat": "gpt-5.5", "openai-responses": "gpt-5.5"}
FRONTIER = {"anthropic": "opus", "openai-chat": "gpt", "openai-responses": "gpt"}   # = policy baseline
CHEAP = {"anthropic": "haiku", "openai-chat": "mini", "openai-responses": "mini"}
RULE = {
    ("anthropic", "first"): "default-anthropic",
    ("anthropic", "followup"): "grep-shaped-anthropic",
    ("openai-chat", "first"): "default-openai",
    ("openai-chat", "followup"): "grep-shaped-openai",
    ("openai-responses", "first"): "default-openai",
    ("openai-responses", "followup"): "grep-shaped-openai",
}
UPSTREAM_PATH = {"anthropic": "/v1/messages", "openai-chat": "/v1/chat/completions",
                 "openai-responses": "/v1/responses"}
SYSTEM = "You are a coding agent working in a Swift repository."
TOOL_RESULT = "src/main.swift:12:    // TODO: handle the error\n"
LEDGER_WAIT_S = 10.0
HEALTH_WAIT_S = 30.0


# ------------------------------------------------------------------------------------ money

class Model(NamedTuple):
    name: str
    upstream: str
    id: str
    prices: dict[str, Decimal]          # dollars per million tokens


def load_models() -> dict[str, Model]:
    """The prices come from policy.yaml itself (one flow-style line per model)."""
    text = POLICY.read_text()
    models = {}
    for m in re.finditer(r"^\s+(\w+):\s*\{upstream: (\w+), id: ([\w.\-]+),.*?price: \{([^}]*)\}\}\s*$", text, re.M):
        prices = {}
        for kv in m.group(4).split(","):
            k, v = kv.split(":")
            prices[k.strip()] = Decimal(v.strip())
        models[m.group(1)] = Model(m.group(1), m.group(2), m.group(3), prices)
    assert set(models) == {"opus", "haiku", "gpt", "mini"}, f"could not read models from {POLICY}: {models}"
    return models


MODELS = load_models()
USAGE_KEYS = ("input", "cache_read", "cache_write_5m", "cache_write_1h", "output")


def normalized(dialect: str, u: dict) -> dict[str, int]:
    """Wire usage (mock_upstream.USAGE) -> the ledger's normalized usage."""
    if dialect == "anthropic":
        split = u.get("cache_creation")
        if split:
            w5, w1 = split["ephemeral_5m_input_tokens"], split["ephemeral_1h_input_tokens"]
        else:  # no split: all writes are 5-minute writes
            w5, w1 = u["cache_creation_input_tokens"], 0
        return {"input": u["input_tokens"], "cache_read": u["cache_read_input_tokens"],
                "cache_write_5m": w5, "cache_write_1h": w1, "output": u["output_tokens"], "reasoning": 0}
    prompt = u["prompt_tokens"] if dialect == "openai-chat" else u["input_tokens"]
    output = u["completion_tokens"] if dialect == "openai-chat" else u["output_tokens"]
    return {"input": prompt - u["cached_tokens"], "cache_read": u["cached_tokens"],
            "cache_write_5m": 0, "cache_write_1h": 0, "output": output, "reasoning": u["reasoning_tokens"]}


def item_nanos(tokens: int, price_per_mtok: Decimal) -> int:
    """round_half_up(tokens * price_nanos_per_1000_tokens / 1000)."""
    price_nanos_per_1000 = price_per_mtok * 1_000_000
    return int((Decimal(tokens) * price_nanos_per_1000 / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cost_nanos(usage: dict[str, int], model: Model) -> int:
    total = 0
    for key in USAGE_KEYS:
        if usage[key]:
            assert key in model.prices, f"model {model.name} has no {key} price but usage has {key} tokens"
            total += item_nanos(usage[key], model.prices[key])
    return total


def list_baseline_nanos(usage: dict[str, int], model: Model) -> int:
    """Every prompt token at the baseline's uncached input price, output at its output price."""
    prompt = usage["input"] + usage["cache_read"] + usage["cache_write_5m"] + usage["cache_write_1h"]
    return item_nanos(prompt, model.prices["input"]) + item_nanos(usage["output"], model.prices["output"])


def simulated_baseline_nanos(dialect: str, first: dict[str, int], follow: dict[str, int], baseline: Model) -> int:
    """The follow-up on the baseline model with its simulated prompt cache: the first turn was the
    baseline's own, so its cache holds what that turn really read and wrote (Anthropic) or its whole
    prompt (OpenAI's automatic cache, read in steps of 128 tokens from 1,024 on)."""
    def prompt(u):
        return u["input"] + u["cache_read"] + u["cache_write_5m"] + u["cache_write_1h"]
    p1, p2 = prompt(first), prompt(follow)
    shared = min(p2, p1 + first["output"])
    if dialect == "anthropic":
        held = min(first["cache_read"] + first["cache_write_5m"] + first["cache_write_1h"], shared)
        tail = follow["input"]  # what follows the last breakpoint is never cached
        read = min(held, p2 - tail)
        write = p2 - tail - read
        long = follow["cache_write_1h"] > 0 or (follow["cache_write_5m"] == 0 and first["cache_write_1h"] > 0)
        usage = {"input": tail, "cache_read": read, "cache_write_5m": 0 if long else write,
                 "cache_write_1h": write if long else 0, "output": follow["output"], "reasoning": 0}
    else:
        read = min(p1, p2) // 128 * 128
        read = read if read >= 1024 else 0
        usage = {"input": p2 - read, "cache_read": read, "cache_write_5m": 0, "cache_write_1h": 0,
                 "output": follow["output"], "reasoning": 0}
    return cost_nanos(usage, baseline)


def usd(nanos: int) -> Decimal:
    return Decimal(nanos) / Decimal(1_000_000_000)


def expected_turns(dialect: str, stream: bool) -> list[dict[str, Any]]:
    """The ledger rows a two-turn case must produce, in order."""
    rows = []
    baseline = MODELS[FRONTIER[dialect]]
    first = normalized(dialect, M.USAGE[(dialect, stream, "first")])
    for index, (kind, model_name) in enumerate((("first", FRONTIER[dialect]), ("followup", CHEAP[dialect])), 1):
        u = normalized(dialect, M.USAGE[(dialect, stream, kind)])
        model = MODELS[model_name]
        actual = cost_nanos(u, model)
        # The first turn is the baseline's own (exact); the routed one is simulated on its cache.
        base = actual if kind == "first" else simulated_baseline_nanos(dialect, first, u, baseline)
        rows.append({
            "index": index, "model": model_name, "model_id": model.id, "rule": RULE[(dialect, kind)],
            "shape": "user_turn" if kind == "first" else "tool_followup", "status": "ok", "stream": stream,
            "input_tokens": u["input"], "cache_read_tokens": u["cache_read"],
            "cache_write_5m_tokens": u["cache_write_5m"], "cache_write_1h_tokens": u["cache_write_1h"],
            "output_tokens": u["output"], "reasoning_tokens": u["reasoning"],
            "actual_usd": usd(actual), "baseline_usd": usd(base), "savings_usd": usd(base - actual),
            "_list_baseline_nanos": list_baseline_nanos(u, baseline),
        })
    return rows


def expected_session(session: str, turns: list[dict[str, Any]]) -> dict[str, Any]:
    def total(key):
        return sum(t[key] for t in turns)
    return {
        "session": session, "tag": None, "turns": len(turns), "routed_turns": 1, "failed_turns": 0,
        "estimated_turns": 0,
        "input_tokens": total("input_tokens"), "cache_read_tokens": total("cache_read_tokens"),
        "cache_write_tokens": total("cache_write_5m_tokens") + total("cache_write_1h_tokens"),
        "output_tokens": total("output_tokens"), "reasoning_tokens": total("reasoning_tokens"),
        "actual_usd": total("actual_usd"), "baseline_usd": total("baseline_usd"),
        "savings_usd": total("savings_usd"), "baseline_list_usd": usd(total("_list_baseline_nanos")),
    }


# ------------------------------------------------------------------------ processes and HTTP

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with NO_PROXY.open(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


class MockUpstream:
    def __init__(self, proc: subprocess.Popen, port: int):
        self.proc, self.port = proc, port
        self.url = f"http://127.0.0.1:{port}"

    def requests_with(self, marker: str) -> list[dict]:
        """Recorded requests whose body contains `marker` (each case puts its key in the prompt)."""
        status, data = http_get(self.url + "/__requests")
        assert status == 200, data
        return [r for r in json.loads(data) if marker in r["raw"]]


@pytest.fixture(scope="session")
def mock(tmp_path_factory):
    err = open(tmp_path_factory.mktemp("mock") / "mock.stderr", "w+")
    proc = subprocess.Popen([sys.executable, str(HERE / "mock_upstream.py"), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=err, text=True)
    line = proc.stdout.readline().strip()
    if not line.isdigit():
        stop(proc)
        err.seek(0)
        pytest.fail(f"mock upstream did not start (printed {line!r}):\n{err.read()}", pytrace=False)
    yield MockUpstream(proc, int(line))
    stop(proc)
    err.close()


class Gateway:
    def __init__(self, proc, port, ledger: Path, stderr_path: Path):
        self.proc, self.port, self.ledger, self.stderr_path = proc, port, ledger, stderr_path
        self.url = f"http://127.0.0.1:{port}"

    def stderr_tail(self, lines: int = 60) -> str:
        try:
            text = self.stderr_path.read_text(errors="replace")
        except OSError:
            return "(no stderr captured)"
        return "\n".join(text.splitlines()[-lines:]) or "(sluice wrote nothing to stderr)"

    def report(self, *args: str) -> tuple[int, str, str]:
        r = subprocess.run([str(SLUICE_BIN), "report", "--ledger", str(self.ledger), "--format", "json", *args],
                           capture_output=True, text=True, timeout=30)
        return r.returncode, r.stdout, r.stderr

    def report_json(self, *args: str) -> dict:
        code, out, err = self.report(*args)
        assert code == 0, f"sluice report {' '.join(args)} exited {code}:\n{err}\n{out}"
        return json.loads(out, parse_float=Decimal)

    def wait_for_session(self, session: str, turns: int) -> dict:
        """Poll `report --session` until the session has `turns` turns (the ledger is async)."""
        deadline = time.monotonic() + LEDGER_WAIT_S
        last = ""
        while True:
            code, out, err = self.report("--session", session)
            if code == 0:
                try:
                    data = json.loads(out, parse_float=Decimal)
                    if len(data.get("turns") or []) >= turns:
                        return data
                    last = f"only {len(data.get('turns') or [])} turns so far:\n{out}"
                except ValueError:
                    last = f"report printed no JSON:\n{out}\n{err}"
            else:
                last = f"report exited {code}:\n{err}\n{out}"
            if time.monotonic() > deadline:
                pytest.fail(f"session {session} did not reach {turns} turns in the ledger within "
                            f"{LEDGER_WAIT_S:.0f} s; last `sluice report`: {last}\n"
                            f"--- sluice serve stderr ---\n{self.stderr_tail()}", pytrace=False)
            time.sleep(0.2)


class GatewayHandle:
    """What the session fixture hands out; a gateway that could not start fails each test that
    asks for it (a FAILED test, not a setup error or a skip)."""

    def __init__(self):
        self.gw: Gateway | None = None
        self.problem: str | None = None
        self.proc: subprocess.Popen | None = None

    def ready(self) -> Gateway:
        if self.gw is None:
            pytest.fail(self.problem or "sluice gateway not started", pytrace=False)
        return self.gw


def start_gateway(mock: MockUpstream, tmp: Path, handle: GatewayHandle, policy: Path = POLICY,
                  ledger: Path | str | None = None, env: dict[str, str] | None = None) -> None:
    """Starts `sluice serve` writing `tmp/ledger.sqlite`, or `ledger` (a path or postgres:// URL),
    with `env` added to this process's environment."""
    if not (SLUICE_BIN.is_file() and os.access(SLUICE_BIN, os.X_OK)):
        handle.problem = (f"sluice binary not found or not executable at {SLUICE_BIN}: run `swift build` "
                          f"in {REPO} or set SLUICE_BIN to the binary")
        return
    ledger, stderr_path = tmp / "ledger.sqlite" if ledger is None else ledger, tmp / "sluice.stderr"
    port = free_port()
    env = {**os.environ, "SLUICE_ANTHROPIC_BASE_URL": mock.url, "SLUICE_OPENAI_BASE_URL": mock.url + "/v1", **(env or {})}
    cmd = [str(SLUICE_BIN), "serve", "--policy", str(policy), "--ledger", str(ledger),
           "--host", "127.0.0.1", "--port", str(port)]
    with open(stderr_path, "wb") as err, open(tmp / "sluice.stdout", "wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    gw = Gateway(proc, port, ledger, stderr_path)
    handle.proc = proc
    deadline = time.monotonic() + HEALTH_WAIT_S
    while True:
        if proc.poll() is not None:
            handle.problem = (f"`{' '.join(cmd)}` exited with {proc.returncode} before /healthz answered:\n"
                              f"{gw.stderr_tail()}")
            return
        try:
            if http_get(gw.url + "/healthz", timeout=1.0)[0] == 200:
                handle.gw = gw
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop(proc)
            handle.problem = f"sluice did not answer 200 on /healthz within {HEALTH_WAIT_S:.0f} s:\n{gw.stderr_tail()}"
            return
        time.sleep(0.1)


@pytest.fixture(scope="session")
def gateway(mock, tmp_path_factory, request):
    handle = GatewayHandle()
    start_gateway(mock, tmp_path_factory.mktemp("sluice"), handle)
    yield handle
    if handle.proc is not None:
        stop(handle.proc)
    if handle.gw is not None and request.session.testsfailed:
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("")
            reporter.write_sep("-", f"sluice serve stderr (last lines, {handle.gw.stderr_path})")
            reporter.write_line(handle.gw.stderr_tail())


# -------------------------------------------------------------------------- the SDK clients

class Wire:
    """The SDK's own HTTP exchanges, seen through httpx event hooks."""

    def __init__(self):
        self.requests: list = []
        self.responses: list = []

    def hooks(self) -> dict:
        return {"request": [self.requests.append], "response": [self.responses.append]}


def make_client(dialect: str, base: str, api_key: str, session: str, wire: Wire):
    sdk = anthropic if dialect == "anthropic" else openai
    http = sdk.DefaultHttpxClient(trust_env=False, event_hooks=wire.hooks())
    headers = {"x-sluice-session": session}
    if dialect == "anthropic":
        return anthropic.Anthropic(api_key=api_key, base_url=base, default_headers=headers,
                                   http_client=http, max_retries=0, timeout=30)
    return openai.OpenAI(api_key=api_key, base_url=base + "/v1", default_headers=headers,
                         http_client=http, max_retries=0, timeout=30)


GREP_TOOL = {"name": "Grep", "description": "Search file contents with ripgrep",
             "input_schema": {"type": "object", "properties": {"pattern": {"type": "string"}},
                              "required": ["pattern"]}}
SHELL_PARAMS = {"type": "object", "properties": {"command": {"type": "array", "items": {"type": "string"}}},
                "required": ["command"]}
CHAT_SHELL_TOOL = {"type": "function", "function": {"name": "shell", "description": "Run a shell command",
                                                    "parameters": SHELL_PARAMS}}
RESPONSES_SHELL_TOOL = {"type": "function", "name": "shell", "description": "Run a shell command",
                        "parameters": SHELL_PARAMS, "strict": False}


def first_request(dialect: str, marker: str) -> dict:
    prompt = f"[{marker}] Find the TODO markers in this repository."
    if dialect == "anthropic":
        return {"max_tokens": 8192, "system": SYSTEM, "tools": [GREP_TOOL],
                "messages": [{"role": "user", "content": prompt}]}
    if dialect == "openai-chat":
        return {"tools": [CHAT_SHELL_TOOL],
                "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}]}
    return {"instructions": SYSTEM, "tools": [RESPONSES_SHELL_TOOL], "store": False,
            "input": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": prompt}]}]}


class Reply(NamedTuple):
    text: str
    tool_id: str
    tool_name: str
    tool_args: dict
    tool_args_raw: str
    model: str
    finish: str
    usage: dict | None          # in mock_upstream.USAGE's wire shape


def followup_request(dialect: str, req: dict, reply: Reply) -> dict:
    req = copy.deepcopy(req)
    if dialect == "anthropic":
        req["messages"] += [
            {"role": "assistant", "content": [
                {"type": "text", "text": reply.text},
                {"type": "tool_use", "id": reply.tool_id, "name": reply.tool_name, "input": reply.tool_args}]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": reply.tool_id, "content": TOOL_RESULT}]},
        ]
    elif dialect == "openai-chat":
        req["messages"] += [
            {"role": "assistant", "content": reply.text, "tool_calls": [
                {"id": reply.tool_id, "type": "function",
                 "function": {"name": reply.tool_name, "arguments": reply.tool_args_raw}}]},
            {"role": "tool", "tool_call_id": reply.tool_id, "content": TOOL_RESULT},
        ]
    else:
        req["input"] += [
            {"type": "message", "role": "assistant", "content": reply.text},
            {"type": "function_call", "call_id": reply.tool_id, "name": reply.tool_name,
             "arguments": reply.tool_args_raw},
            {"type": "function_call_output", "call_id": reply.tool_id, "output": TOOL_RESULT},
        ]
    return req


def ask(client, dialect: str, stream: bool, req: dict, **extra) -> Reply:
    """One turn through the SDK's own high-level API (stream helpers accumulate the events)."""
    kw = {"model": REQUESTED[dialect], **req, **extra}
    if dialect == "anthropic":
        if stream:
            with client.messages.stream(**kw) as s:
                msg = s.get_final_message()
        else:
            msg = client.messages.create(**kw)
        tools = [b for b in msg.content if b.type == "tool_use"]
        assert len(tools) == 1, msg
        u = msg.usage
        usage = {k: getattr(u, k) for k in ("input_tokens", "cache_creation_input_tokens",
                                             "cache_read_input_tokens", "output_tokens")}
        if u.cache_creation is not None:
            usage["cache_creation"] = {"ephemeral_5m_input_tokens": u.cache_creation.ephemeral_5m_input_tokens,
                                       "ephemeral_1h_input_tokens": u.cache_creation.ephemeral_1h_input_tokens}
        t = tools[0]
        return Reply("".join(b.text for b in msg.content if b.type == "text"), t.id, t.name, t.input,
                     json.dumps(t.input), msg.model, msg.stop_reason, usage)
    if dialect == "openai-chat":
        if stream:
            with client.chat.completions.stream(**kw) as s:
                comp = s.get_final_completion()
        else:
            comp = client.chat.completions.create(**kw)
        assert len(comp.choices) == 1, comp
        msg = comp.choices[0].message
        assert msg.tool_calls and len(msg.tool_calls) == 1, comp
        tc = msg.tool_calls[0]
        u = comp.usage
        usage = None if u is None else {
            "prompt_tokens": u.prompt_tokens, "cached_tokens": u.prompt_tokens_details.cached_tokens,
            "completion_tokens": u.completion_tokens, "reasoning_tokens": u.completion_tokens_details.reasoning_tokens}
        return Reply(msg.content or "", tc.id, tc.function.name, json.loads(tc.function.arguments),
                     tc.function.arguments, comp.model, comp.choices[0].finish_reason, usage)
    if stream:
        with client.responses.stream(**kw) as s:
            resp = s.get_final_response()
    else:
        resp = client.responses.create(**kw)
    calls = [o for o in resp.output if o.type == "function_call"]
    assert len(calls) == 1, resp
    u = resp.usage
    usage = None if u is None else {
        "input_tokens": u.input_tokens, "cached_tokens": u.input_tokens_details.cached_tokens,
        "output_tokens": u.output_tokens, "reasoning_tokens": u.output_tokens_details.reasoning_tokens}
    c = calls[0]
    return Reply(resp.output_text, c.call_id, c.name, json.loads(c.arguments), c.arguments, resp.model,
                 resp.status, usage)


def check_reply(dialect: str, reply: Reply, kind: str) -> None:
    """The SDK parsed the scripted text and tool call."""
    name, args = M.ANTHROPIC_TOOL if dialect == "anthropic" else M.OPENAI_TOOL
    finish = {"anthropic": "tool_use", "openai-chat": "tool_calls", "openai-responses": "completed"}[dialect]
    assert (reply.text, reply.tool_name, reply.tool_args, reply.finish) == (M.TEXT[kind], name, args, finish)
    assert reply.tool_id


def check_forwarded(dialect: str, stream: bool, upstream: dict, client_request, routed_id: str) -> None:
    """The upstream got the client's bytes with only `model` changed (+ include_usage for chat streams)."""
    assert upstream["path"].split("?")[0] == UPSTREAM_PATH[dialect]
    client_raw = client_request.content.decode()
    client_body = json.loads(client_raw)
    expected = dict(client_body, model=routed_id)
    if dialect == "openai-chat" and stream:
        expected["stream_options"] = {**(client_body.get("stream_options") or {}), "include_usage": True}
    assert upstream["body"] == expected
    if not (dialect == "openai-chat" and stream):
        requested = json.dumps(REQUESTED[dialect])
        assert client_raw.count(requested) == 1
        assert upstream["raw"] == client_raw.replace(requested, json.dumps(routed_id)), \
            "forwarded body differs from the client's bytes beyond the model value"
    # The client's credential arrives as the client sent it (both SDKs send `Authorization: Bearer`).
    sent_auth = {h: client_request.headers[h] for h in ("authorization", "x-api-key") if h in client_request.headers}
    assert sent_auth, "the SDK sent no credential header?"
    for h, v in sent_auth.items():
        assert upstream["headers"].get(h) == v, f"{h} not passed through"
    if dialect == "anthropic":
        assert upstream["headers"].get("anthropic-version") == client_request.headers["anthropic-version"]


# ----------------------------------------------------------------------------------- tests

@pytest.mark.parametrize("dialect,stream", MODES, ids=MODE_IDS)
def test_mock_speaks_each_dialect(mock, dialect, stream):
    """Self-test of the harness: each SDK straight at the mock parses text, tool call and usage."""
    marker = f"direct-{dialect}-{uuid.uuid4().hex[:12]}"
    api_key = f"sk-test-{uuid.uuid4().hex}"
    wire = Wire()
    client = make_client(dialect, mock.url, api_key, marker, wire)
    extra = {"stream_options": {"include_usage": True}} if dialect == "openai-chat" and stream else {}
    req1 = first_request(dialect, marker)
    r1 = ask(client, dialect, stream, req1, **extra)
    check_reply(dialect, r1, "first")
    r2 = ask(client, dialect, stream, followup_request(dialect, req1, r1), **extra)
    check_reply(dialect, r2, "followup")
    for reply, kind in ((r1, "first"), (r2, "followup")):
        assert reply.model == REQUESTED[dialect]
        assert reply.usage == M.USAGE[(dialect, stream, kind)]
    seen = mock.requests_with(marker)
    assert len(seen) == 2
    for up, sent in zip(seen, wire.requests):
        assert up["raw"] == sent.content.decode()
        assert up["headers"]["authorization"] == f"Bearer {api_key}"
        assert up["headers"]["x-sluice-session"] == marker
    if dialect == "openai-chat" and stream:
        # Without include_usage the scripted upstream sends no usage chunk, as OpenAI does.
        r3 = ask(client, dialect, stream, followup_request(dialect, req1, r1))
        check_reply(dialect, r3, "followup")
        assert r3.usage is None


@pytest.mark.parametrize("dialect,stream", MODES, ids=MODE_IDS)
def test_sdk_through_gateway(gateway, mock, dialect, stream):
    gateway = gateway.ready()
    session = f"sdk-{dialect}-{'stream' if stream else 'nonstream'}-{uuid.uuid4()}"
    api_key = f"sk-test-{uuid.uuid4().hex}"
    wire = Wire()
    client = make_client(dialect, gateway.url, api_key, session, wire)
    frontier, cheap = MODELS[FRONTIER[dialect]], MODELS[CHEAP[dialect]]

    req1 = first_request(dialect, session)
    r1 = ask(client, dialect, stream, req1)
    check_reply(dialect, r1, "first")
    h1 = wire.responses[-1].headers
    req2 = followup_request(dialect, req1, r1)
    r2 = ask(client, dialect, stream, req2)
    check_reply(dialect, r2, "followup")
    h2 = wire.responses[-1].headers
    assert len(wire.requests) == 2, "the SDK retried or sent extra requests"

    for h, model, kind in ((h1, frontier, "first"), (h2, cheap, "followup")):
        got = {k: h.get(k) for k in ("x-sluice-session", "x-sluice-model", "x-sluice-rule")}
        assert got == {"x-sluice-session": session, "x-sluice-model": model.name,
                       "x-sluice-rule": RULE[(dialect, kind)]}
    assert (r1.model, r2.model) == (frontier.id, cheap.id), "response bodies must come from the upstream unchanged"

    upstream = mock.requests_with(session)
    assert len(upstream) == 2, [u["path"] for u in upstream]
    for up, sent, model in zip(upstream, wire.requests, (frontier, cheap)):
        check_forwarded(dialect, stream, up, sent, model.id)

    # The ledger.
    turns = expected_turns(dialect, stream)
    want_session = expected_session(session, turns)
    assert want_session["savings_usd"] > 0 and turns[0]["savings_usd"] == 0
    data = gateway.wait_for_session(session, 2)
    got_turns = sorted(data["turns"], key=lambda t: t.get("index", 0))
    assert len(got_turns) == 2, data
    for got, want in zip(got_turns, turns):
        want = {k: v for k, v in want.items() if not k.startswith("_")}
        assert {k: got.get(k) for k in want} == want
    assert {k: data["session"].get(k) for k in want_session} == want_session

    listing = gateway.report_json("--sessions")
    rows = [s for s in listing["sessions"] if s.get("session") == session]
    assert len(rows) == 1, f"session {session} missing from `sluice report --format json`"
    assert {k: rows[0].get(k) for k in want_session} == want_session


def test_count_tokens_through_gateway(gateway, mock):
    gateway = gateway.ready()
    session = f"sdk-count-tokens-{uuid.uuid4()}"
    api_key = f"sk-test-{uuid.uuid4().hex}"
    wire = Wire()
    client = make_client("anthropic", gateway.url, api_key, session, wire)
    result = client.messages.count_tokens(
        model=REQUESTED["anthropic"], system=SYSTEM, tools=[GREP_TOOL],
        messages=[{"role": "user", "content": f"[{session}] How big is this prompt?"}])
    assert result.input_tokens == M.COUNT_TOKENS
    upstream = mock.requests_with(session)
    assert [u["path"].split("?")[0] for u in upstream] == ["/v1/messages/count_tokens"]
    assert upstream[0]["headers"].get("authorization") == f"Bearer {api_key}"


def test_report_totals_add_up(gateway):
    """Runs last: the totals of `sluice report --format json` are the sums over its sessions."""
    gateway = gateway.ready()
    listing = gateway.report_json("--sessions")
    sessions, totals = listing["sessions"], listing["totals"]
    for key in ("actual_usd", "baseline_usd", "savings_usd"):
        assert key in totals, f"totals lacks {key}: {totals}"
    for key in ("turns", "routed_turns", "failed_turns", "input_tokens", "cache_read_tokens",
                "cache_write_tokens", "output_tokens", "reasoning_tokens",
                "actual_usd", "baseline_usd", "baseline_list_usd", "savings_usd"):
        if key in totals:
            assert totals[key] == sum(s[key] for s in sessions), key
    for key in ("requested_usd", "routing_savings_usd"):
        assert totals[key] == sum(s[key] for s in sessions), key

    # The overview (`sluice report` without --sessions) agrees with the listing, session by session.
    overview = gateway.report_json()
    for key in ("actual_usd", "requested_usd", "baseline_usd", "savings_usd", "routing_savings_usd"):
        assert overview["totals"][key] == totals[key], key
    assert overview["totals"]["sessions"] == len(sessions) == overview["distribution"]["count"]
    assert sorted(s["session"] for s in overview["sessions"]) == sorted(s["session"] for s in sessions)
    assert sum(b["sessions"] for b in overview["distribution"]["histogram"]) == len(sessions)
