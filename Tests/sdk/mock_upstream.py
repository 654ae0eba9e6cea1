#!/usr/bin/env python3
"""Scripted upstream for the SDK end-to-end test (stdlib only).

Speaks three dialects on one port, streaming or not (decided by the body's `stream`):
  POST /v1/messages               Anthropic Messages  (+ /v1/messages/count_tokens -> {"input_tokens": 42})
  POST /v1/chat/completions       OpenAI Chat Completions
  POST /v1/responses              OpenAI Responses
Every answer holds a short text and one tool call, and a known usage that differs per dialect,
stream mode and turn kind ("first" = last message is user text, "followup" = last message carries
a tool result); see USAGE below. The response `model` echoes the request's `model`.

  GET    /__requests   every request received so far: [{"path", "headers" (lower-cased), "body", "raw"}]
  DELETE /__requests   forget them

Run: python3 mock_upstream.py --port N   (prints the port on stdout when ready; --port 0 picks one)
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# --------------------------------------------------------------------------------------------
# The script: text, tool call and usage of every answer. test_sdk.py imports these.

TEXT = {
    "first": "I'll search the repository for TODO markers.",
    "followup": "Found one TODO in src/main.swift; checking for more.",
}
# Anthropic answers call Grep; both OpenAI dialects call a Codex-style `shell` tool running rg.
ANTHROPIC_TOOL = ("Grep", {"pattern": "TODO"})
OPENAI_TOOL = ("shell", {"command": ["rg", "TODO"]})

# Wire-format usage, keyed by (dialect, stream, turn kind).
USAGE = {
    # Anthropic: input_tokens excludes cache; the first non-stream answer has no cache_creation
    # split (so its writes are 5m writes by default).
    ("anthropic", False, "first"): {
        "input_tokens": 1200, "cache_creation_input_tokens": 300, "cache_read_input_tokens": 5000,
        "output_tokens": 150},
    ("anthropic", False, "followup"): {
        "input_tokens": 80, "cache_creation_input_tokens": 640, "cache_read_input_tokens": 6200,
        "cache_creation": {"ephemeral_5m_input_tokens": 640, "ephemeral_1h_input_tokens": 0},
        "output_tokens": 95},
    ("anthropic", True, "first"): {
        "input_tokens": 900, "cache_creation_input_tokens": 500, "cache_read_input_tokens": 7000,
        "cache_creation": {"ephemeral_5m_input_tokens": 200, "ephemeral_1h_input_tokens": 300},
        "output_tokens": 220},
    ("anthropic", True, "followup"): {
        "input_tokens": 110, "cache_creation_input_tokens": 400, "cache_read_input_tokens": 8100,
        "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 400},
        "output_tokens": 130},
    # Chat: prompt_tokens includes cached_tokens; completion_tokens includes reasoning_tokens.
    ("openai-chat", False, "first"): {"prompt_tokens": 3000, "cached_tokens": 2048,
                                      "completion_tokens": 180, "reasoning_tokens": 64},
    ("openai-chat", False, "followup"): {"prompt_tokens": 3400, "cached_tokens": 2944,
                                         "completion_tokens": 60, "reasoning_tokens": 16},
    ("openai-chat", True, "first"): {"prompt_tokens": 2600, "cached_tokens": 1536,
                                     "completion_tokens": 210, "reasoning_tokens": 128},
    ("openai-chat", True, "followup"): {"prompt_tokens": 2900, "cached_tokens": 2560,
                                        "completion_tokens": 75, "reasoning_tokens": 32},
    # Responses: input_tokens includes cached_tokens; output_tokens includes reasoning_tokens.
    ("openai-responses", False, "first"): {"input_tokens": 5000, "cached_tokens": 4096,
                                           "output_tokens": 300, "reasoning_tokens": 192},
    ("openai-responses", False, "followup"): {"input_tokens": 5500, "cached_tokens": 4992,
                                              "output_tokens": 90, "reasoning_tokens": 40},
    ("openai-responses", True, "first"): {"input_tokens": 4200, "cached_tokens": 3072,
                                          "output_tokens": 260, "reasoning_tokens": 160},
    ("openai-responses", True, "followup"): {"input_tokens": 4700, "cached_tokens": 4096,
                                             "output_tokens": 85, "reasoning_tokens": 24},
}
COUNT_TOKENS = 42
CREATED = 1764000000


def turn_kind(dialect: str, body: dict) -> str:
    """'followup' when the last message carries a tool result, else 'first'."""
    if dialect == "anthropic":
        msgs = body.get("messages") or []
        last = msgs[-1] if msgs else {}
        content = last.get("content")
        if isinstance(content, list) and any(isinstance(b, dict) and b.get("type") == "tool_result" for b in content):
            return "followup"
    elif dialect == "openai-chat":
        msgs = body.get("messages") or []
        if msgs and msgs[-1].get("role") == "tool":
            return "followup"
    elif dialect == "openai-responses":
        items = body.get("input")
        if isinstance(items, list) and items and isinstance(items[-1], dict) \
                and items[-1].get("type") == "function_call_output":
            return "followup"
    return "first"


# ---------------------------------------------------------------------------- usage builders

def chat_usage(u: dict) -> dict:
    return {
        "prompt_tokens": u["prompt_tokens"], "completion_tokens": u["completion_tokens"],
        "total_tokens": u["prompt_tokens"] + u["completion_tokens"],
        "prompt_tokens_details": {"cached_tokens": u["cached_tokens"], "cache_write_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": u["reasoning_tokens"], "audio_tokens": 0,
                                      "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0},
    }


def responses_usage(u: dict) -> dict:
    return {
        "input_tokens": u["input_tokens"],
        "input_tokens_details": {"cached_tokens": u["cached_tokens"], "cache_write_tokens": 0},
        "output_tokens": u["output_tokens"],
        "output_tokens_details": {"reasoning_tokens": u["reasoning_tokens"]},
        "total_tokens": u["input_tokens"] + u["output_tokens"],
    }


def dumps(obj) -> str:
    return json.dumps(obj, separators=(",", ":"))


# ------------------------------------------------------------------------------ the server

class Mock:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.counter = itertools.count(1)

    def record(self, entry: dict) -> int:
        with self.lock:
            self.requests.append(entry)
            return next(self.counter)


MOCK = Mock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sluice-mock-upstream/1"

    def log_message(self, fmt, *args):  # quiet
        pass

    # -- plumbing
    def read_body(self) -> bytes:
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("content-length") or 0)
        return self.rfile.read(n) if n else b""

    def send_json(self, status: int, obj, extra_headers: dict | None = None):
        data = dumps(obj).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def start_sse(self, extra_headers: dict | None = None):
        self.send_response(200)
        self.send_header("content-type", "text/event-stream; charset=utf-8")
        self.send_header("cache-control", "no-cache")
        self.send_header("transfer-encoding", "chunked")
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()

    def chunk(self, text: str):
        data = text.encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def end_sse(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def event(self, name: str, data: dict):
        self.chunk(f"event: {name}\ndata: {dumps(data)}\n\n")

    # -- routes
    def do_GET(self):
        if self.path.split("?")[0] == "/__requests":
            with MOCK.lock:
                snapshot = list(MOCK.requests)
            return self.send_json(200, snapshot)
        self.send_json(404, {"error": {"message": f"mock: no route GET {self.path}", "type": "not_found"}})

    def do_DELETE(self):
        if self.path.split("?")[0] == "/__requests":
            with MOCK.lock:
                MOCK.requests.clear()
            return self.send_json(200, {"ok": True})
        self.send_json(404, {"error": {"message": f"mock: no route DELETE {self.path}"}})

    def do_POST(self):
        raw = self.read_body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        path = self.path.split("?")[0]
        n = MOCK.record({
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body,
            "raw": raw.decode("utf-8", "replace"),
        })
        if not isinstance(body, dict) or not isinstance(body.get("model"), str):
            return self.send_json(400, {"type": "error", "error": {
                "type": "invalid_request_error", "message": "mock: body must be a JSON object with a model"}})
        if path == "/v1/messages/count_tokens":
            return self.send_json(200, {"input_tokens": COUNT_TOKENS}, {"request-id": f"req_mock_{n}"})
        dialect = {"/v1/messages": "anthropic", "/v1/chat/completions": "openai-chat",
                   "/v1/responses": "openai-responses"}.get(path)
        if dialect is None:
            return self.send_json(404, {"error": {"message": f"mock: no route POST {self.path}", "type": "not_found"}})
        stream = body.get("stream") is True
        kind = turn_kind(dialect, body)
        usage = USAGE[(dialect, stream, kind)]
        handler = getattr(self, dialect.replace("-", "_") + ("_stream" if stream else "_json"))
        handler(n, body, TEXT[kind], usage, kind)

    # -- Anthropic
    def anthropic_json(self, n, body, text, usage, kind):
        name, args = ANTHROPIC_TOOL
        self.send_json(200, {
            "id": f"msg_mock_{n}", "type": "message", "role": "assistant", "model": body["model"],
            "content": [{"type": "text", "text": text},
                        {"type": "tool_use", "id": f"toolu_mock_{n}", "name": name, "input": args}],
            "stop_reason": "tool_use", "stop_sequence": None,
            "usage": {**usage, "service_tier": "standard"},
        }, {"request-id": f"req_mock_{n}"})

    def anthropic_stream(self, n, body, text, usage, kind):
        name, args = ANTHROPIC_TOOL
        self.start_sse({"request-id": f"req_mock_{n}"})
        start_usage = {k: v for k, v in usage.items() if k != "output_tokens"}
        start_usage["output_tokens"] = 1
        self.event("message_start", {"type": "message_start", "message": {
            "id": f"msg_mock_{n}", "type": "message", "role": "assistant", "model": body["model"],
            "content": [], "stop_reason": None, "stop_sequence": None, "usage": start_usage}})
        self.event("content_block_start", {"type": "content_block_start", "index": 0,
                                           "content_block": {"type": "text", "text": ""}})
        half = len(text) // 2
        for piece in (text[:half], text[half:]):
            self.event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                               "delta": {"type": "text_delta", "text": piece}})
        self.event("content_block_stop", {"type": "content_block_stop", "index": 0})
        self.event("ping", {"type": "ping"})
        self.event("content_block_start", {"type": "content_block_start", "index": 1, "content_block": {
            "type": "tool_use", "id": f"toolu_mock_{n}", "name": name, "input": {}}})
        js = dumps(args)
        for piece in ("", js[:7], js[7:]):
            self.event("content_block_delta", {"type": "content_block_delta", "index": 1,
                                               "delta": {"type": "input_json_delta", "partial_json": piece}})
        self.event("content_block_stop", {"type": "content_block_stop", "index": 1})
        # First turns: message_delta carries only the cumulative output count (the input side
        # stands from message_start). Follow-ups: the full cumulative usage, as the API sends now.
        if kind == "followup":
            delta_usage = {k: usage[k] for k in ("input_tokens", "cache_creation_input_tokens",
                                                 "cache_read_input_tokens", "output_tokens")}
        else:
            delta_usage = {"output_tokens": usage["output_tokens"]}
        self.event("message_delta", {"type": "message_delta",
                                     "delta": {"stop_reason": "tool_use", "stop_sequence": None},
                                     "usage": delta_usage})
        self.event("message_stop", {"type": "message_stop"})
        self.end_sse()

    # -- OpenAI Chat Completions
    def openai_chat_json(self, n, body, text, usage, kind):
        name, args = OPENAI_TOOL
        self.send_json(200, {
            "id": f"chatcmpl-mock-{n}", "object": "chat.completion", "created": CREATED, "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "tool_calls", "logprobs": None, "message": {
                "role": "assistant", "content": text, "refusal": None,
                "tool_calls": [{"id": f"call_mock_{n}", "type": "function",
                                "function": {"name": name, "arguments": dumps(args)}}]}}],
            "usage": chat_usage(usage), "service_tier": "default", "system_fingerprint": "fp_mock",
        }, {"x-request-id": f"req_mock_{n}"})

    def openai_chat_stream(self, n, body, text, usage, kind):
        name, args = OPENAI_TOOL
        include_usage = (body.get("stream_options") or {}).get("include_usage") is True
        self.start_sse({"x-request-id": f"req_mock_{n}"})

        def send(choices, usage_value=None):
            chunk = {"id": f"chatcmpl-mock-{n}", "object": "chat.completion.chunk", "created": CREATED,
                     "model": body["model"], "system_fingerprint": "fp_mock", "choices": choices}
            if include_usage:
                chunk["usage"] = usage_value
            self.chunk(f"data: {dumps(chunk)}\n\n")

        def delta(d, finish=None):
            return [{"index": 0, "delta": d, "logprobs": None, "finish_reason": finish}]

        send(delta({"role": "assistant", "content": "", "refusal": None}))
        half = len(text) // 2
        for piece in (text[:half], text[half:]):
            send(delta({"content": piece}))
        send(delta({"tool_calls": [{"index": 0, "id": f"call_mock_{n}", "type": "function",
                                    "function": {"name": name, "arguments": ""}}]}))
        js = dumps(args)
        for piece in (js[:9], js[9:]):
            send(delta({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}))
        send(delta({}, "tool_calls"))
        if include_usage:
            send([], chat_usage(usage))
        self.chunk("data: [DONE]\n\n")
        self.end_sse()

    # -- OpenAI Responses
    def _response_object(self, n, body, text, usage, status):
        name, args = OPENAI_TOOL
        return {
            "id": f"resp_mock_{n}", "object": "response", "created_at": CREATED, "status": status,
            "background": False, "error": None, "incomplete_details": None,
            "instructions": body.get("instructions"), "max_output_tokens": None, "model": body["model"],
            "output": [] if status != "completed" else [
                {"id": f"msg_mock_{n}", "type": "message", "status": "completed", "role": "assistant",
                 "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": []}]},
                {"id": f"fc_mock_{n}", "type": "function_call", "status": "completed", "call_id": f"call_mock_{n}",
                 "name": name, "arguments": dumps(args)},
            ],
            "parallel_tool_calls": True, "previous_response_id": None, "reasoning": {"effort": "medium", "summary": None},
            "store": body.get("store", True), "temperature": 1.0, "text": {"format": {"type": "text"}, "verbosity": "medium"},
            "tool_choice": "auto", "tools": body.get("tools", []), "top_p": 1.0, "truncation": "disabled",
            "usage": responses_usage(usage) if status == "completed" else None,
            "metadata": {},
        }

    def openai_responses_json(self, n, body, text, usage, kind):
        self.send_json(200, self._response_object(n, body, text, usage, "completed"),
                       {"x-request-id": f"req_mock_{n}"})

    def openai_responses_stream(self, n, body, text, usage, kind):
        name, args = OPENAI_TOOL
        self.start_sse({"x-request-id": f"req_mock_{n}"})
        seq = itertools.count(0)

        def ev(etype, **fields):
            self.event(etype, {"type": etype, "sequence_number": next(seq), **fields})

        final = self._response_object(n, body, text, usage, "completed")
        msg_item, fc_item = final["output"]
        msg_id, fc_id = msg_item["id"], fc_item["id"]
        ev("response.created", response=self._response_object(n, body, text, usage, "in_progress"))
        ev("response.in_progress", response=self._response_object(n, body, text, usage, "in_progress"))
        ev("response.output_item.added", output_index=0, item={
            "id": msg_id, "type": "message", "status": "in_progress", "role": "assistant", "content": []})
        ev("response.content_part.added", item_id=msg_id, output_index=0, content_index=0,
           part={"type": "output_text", "text": "", "annotations": [], "logprobs": []})
        half = len(text) // 2
        for piece in (text[:half], text[half:]):
            ev("response.output_text.delta", item_id=msg_id, output_index=0, content_index=0, delta=piece, logprobs=[])
        ev("response.output_text.done", item_id=msg_id, output_index=0, content_index=0, text=text, logprobs=[])
        ev("response.content_part.done", item_id=msg_id, output_index=0, content_index=0,
           part={"type": "output_text", "text": text, "annotations": [], "logprobs": []})
        ev("response.output_item.done", output_index=0, item=msg_item)
        ev("response.output_item.added", output_index=1, item={
            "id": fc_id, "type": "function_call", "status": "in_progress", "call_id": fc_item["call_id"],
            "name": name, "arguments": ""})
        js = dumps(args)
        for piece in (js[:9], js[9:]):
            ev("response.function_call_arguments.delta", item_id=fc_id, output_index=1, delta=piece)
        ev("response.function_call_arguments.done", item_id=fc_id, output_index=1, name=name, arguments=js)
        ev("response.output_item.done", output_index=1, item=fc_item)
        ev("response.completed", response=final)
        self.end_sse()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
