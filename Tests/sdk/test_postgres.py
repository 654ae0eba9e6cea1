"""The PostgreSQL ledger with the official SDKs as clients of running `sluice serve` processes, each
test on a private PostgreSQL server of its own (pg_cluster.py; PostgreSQL must be installed).

  * Two gateways, one database, under load: 8 client threads run two-turn sessions (a first user
    turn, then a grep-shaped follow-up) in every dialect, streaming and not, each session's first
    turn going to one gateway and its follow-up to the other. One `sluice report` over the shared
    ledger must then hold every turn once, each session exactly as test_sdk.py expects it. That
    includes the follow-up's baseline, simulated on the prompt cache the first turn left in the
    session's state: the gateway that answered the follow-up never saw the first turn, so it can
    only know that cache through the shared `session_state` table. A follow-up whose first turn
    no gateway saw is priced differently, which the test checks too, so the check means something.
  * The database goes away mid-traffic (`pg_ctl stop -m immediate`) for 10 s and comes back: the
    clients keep getting answers, /metrics shows records waiting (in memory, or in the spool file
    under ~/.sluice once the writer gives up on the database), and once the database is back every
    turn reaches it, none missing and none twice, and the queue and spool are empty again.

Each gateway gets a home directory of its own (HOME and CFFIXED_USER_HOME), so its spool file is
the test's. Binary: $SLUICE_BIN, as in test_sdk.py. On failure the gateways' stderr and the
server's log are printed.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest

from pg_cluster import PgCluster
from test_sdk import (  # noqa: F401  (mock is a fixture)
    MODES, RULE, Gateway, GatewayHandle, Wire, ask, check_reply, expected_session, expected_turns,
    first_request, followup_request, http_get, make_client, mock, start_gateway, stop,
)

THREADS = 8
SESSIONS_PER_THREAD = 13          # two turns each: 208 turns
REPORT_WAIT_S = 60.0              # for the ledger to show every turn (it is written asynchronously)
OUTAGE_S = 10.0                   # the database is down this long (the writer's spool grace is 5 s)
TURNS_BEFORE = 30                 # turns sent before the database stops
TURNS_AFTER = 30                  # and after it is back
TURN_PAUSE_S = 0.05
RECOVERY_WAIT_S = 120.0           # for the spooled records to reach the database once it is back
PHASE_WAIT_S = 120.0
MONEY = ("actual_usd", "requested_usd", "baseline_usd", "savings_usd", "routing_savings_usd")
TOTALLED = ("turns", "routed_turns", "failed_turns", "input_tokens", "cache_read_tokens", "cache_write_tokens",
            "output_tokens", "actual_usd", "requested_usd", "baseline_usd", "baseline_list_usd", "savings_usd",
            "routing_savings_usd")


# ------------------------------------------------------------------------------------ harness

class Lab:
    """The PostgreSQL servers and gateways of one test; all stopped and removed at teardown."""

    def __init__(self, mock, tmp: Path):
        self.mock, self.tmp = mock, tmp
        self.clusters: list[PgCluster] = []
        self.gateways: list[Gateway] = []
        self.procs = []

    def cluster(self) -> PgCluster:
        cluster = PgCluster()
        self.clusters.append(cluster)
        cluster.start()
        return cluster

    def gateway(self, name: str, ledger_url: str) -> Gateway:
        """`sluice serve` on `ledger_url`, with a home directory of its own (so its own spool
        directory, `~/.sluice`). Foundation on Linux takes `~` from the password database, not
        from $HOME, unless CFFIXED_USER_HOME is set: both are set, so no spool of a test ever
        lands in the real home directory."""
        tmp = self.tmp / name
        home = tmp / "home"
        home.mkdir(parents=True)
        handle = GatewayHandle()
        start_gateway(self.mock, tmp, handle, ledger=ledger_url,
                      env={"HOME": str(home), "CFFIXED_USER_HOME": str(home)})
        if handle.proc is not None:
            self.procs.append(handle.proc)
        gw = handle.ready()
        gw.name, gw.home = name, home
        self.gateways.append(gw)
        return gw

    def diagnostics(self) -> str:
        parts = []
        for gw in self.gateways:
            parts.append(f"--- sluice serve {gw.name} ({gw.url}) stderr, last lines ---\n{gw.stderr_tail(80)}")
        for cluster in self.clusters:
            parts.append(cluster.log_tail(30))
        return "\n".join(parts)

    def close(self) -> None:
        for proc in self.procs:
            stop(proc)
        for cluster in self.clusters:
            cluster.destroy()


@pytest.fixture
def lab(mock, tmp_path, request):
    made = Lab(mock, tmp_path)
    failed_before = request.session.testsfailed
    try:
        yield made
    finally:
        if request.session.testsfailed > failed_before:
            reporter = request.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write_line("")
                reporter.write_sep("-", f"{request.node.name}: gateways and database")
                reporter.write_line(made.diagnostics())
        made.close()


def report(gw: Gateway, *args: str) -> dict:
    return gw.report_json(*args)


def wait_for_turns(gw: Gateway, want: int, timeout: float, lab: Lab) -> dict:
    """Polls `sluice report` until the ledger holds `want` turns; returns that overview."""
    deadline = time.monotonic() + timeout
    last = "no report yet"
    while True:
        code, out, err = gw.report()
        if code == 0:
            data = json.loads(out, parse_float=Decimal)
            turns = data["totals"]["turns"]
            if turns >= want:
                return data
            last = f"{turns} turns"
        else:
            last = f"report exited {code}: {err.strip()[-500:]}"
        if time.monotonic() > deadline:
            pytest.fail(f"the ledger did not reach {want} turns within {timeout:.0f} s (last: {last})\n"
                        f"{lab.diagnostics()}", pytrace=False)
        time.sleep(0.5)


def session_details(gw: Gateway, sessions: list[str]) -> dict[str, dict]:
    """`sluice report --session KEY` of each session (in parallel: one process each)."""
    with ThreadPoolExecutor(8) as pool:
        return dict(zip(sessions, pool.map(lambda s: report(gw, "--session", s), sessions)))


def metric(text: str, name: str) -> float | None:
    """The value of `name` in Prometheus text (summed over label sets); None when absent."""
    total, seen = 0.0, False
    for line in text.splitlines():
        if line.startswith(name) and line[len(name):len(name) + 1] in (" ", "{"):
            total += float(line.rsplit(" ", 1)[1])
            seen = True
    return total if seen else None


def ledger_gauges(gw: Gateway) -> tuple[float, float]:
    status, body = http_get(gw.url + "/metrics", timeout=5)
    assert status == 200, f"/metrics answered {status}: {body[:300]!r}"
    text = body.decode()
    depth, spool = metric(text, "sluice_ledger_queue_depth"), metric(text, "sluice_ledger_spool_bytes")
    assert depth is not None and spool is not None, \
        f"/metrics lacks sluice_ledger_queue_depth or sluice_ledger_spool_bytes:\n{text[:3000]}"
    return depth, spool


class Sent:
    """What the clients saw, turn by turn (thread-safe)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.turns: list[dict] = []

    def add(self, **turn) -> None:
        with self.lock:
            self.turns.append(turn)

    def __len__(self) -> int:
        with self.lock:
            return len(self.turns)


def run_session(sent: Sent, session: str, dialect: str, stream: bool, gateways: tuple[Gateway, Gateway]) -> None:
    """A first turn through gateways[0], then its grep-shaped follow-up through gateways[1]."""
    api_key = f"sk-test-{uuid.uuid4().hex}"
    replies, req = [], first_request(dialect, session)
    for index, (gw, kind) in enumerate(zip(gateways, ("first", "followup")), 1):
        wire = Wire()
        client = make_client(dialect, gw.url, api_key, session, wire)
        try:
            if kind == "followup":
                req = followup_request(dialect, req, replies[0])
            reply = ask(client, dialect, stream, req)
        finally:
            client.close()
        check_reply(dialect, reply, kind)
        assert len(wire.responses) == 1, f"{session} turn {index}: the SDK sent {len(wire.responses)} requests"
        h = wire.responses[0].headers
        sent.add(session=session, index=index, dialect=dialect, stream=stream, gateway=gw.name,
                 status=wire.responses[0].status_code, header_session=h.get("x-sluice-session"),
                 rule=h.get("x-sluice-rule"), model=h.get("x-sluice-model"), at=time.monotonic())
        replies.append(reply)


# -------------------------------------------------------------------------------------- tests

def test_two_gateways_share_one_database_under_load(lab):
    cluster = lab.cluster()
    url = cluster.create_database("sluice_load")
    a, b = lab.gateway("a", url), lab.gateway("b", url)
    run = uuid.uuid4().hex[:8]

    # (session, dialect, stream, first gateway, follow-up gateway), every mode through both orders.
    plans = []
    for thread in range(THREADS):
        mine = []
        for j in range(SESSIONS_PER_THREAD):
            k = thread * SESSIONS_PER_THREAD + j
            dialect, stream = MODES[k % len(MODES)]
            order = (a, b) if (k + k // len(MODES)) % 2 == 0 else (b, a)
            mine.append((f"pg-load-{run}-{k:03d}-{dialect}-{'stream' if stream else 'nonstream'}",
                         dialect, stream, order))
        plans.append(mine)

    sent = Sent()

    def client(mine):
        for session, dialect, stream, order in mine:
            run_session(sent, session, dialect, stream, order)

    with ThreadPoolExecutor(THREADS) as pool:
        for future in [pool.submit(client, mine) for mine in plans]:
            future.result()

    # A follow-up whose first turn no gateway ever saw, one per dialect (the control: it must be
    # priced differently from a follow-up whose first turn is known).
    orphans = {}
    for dialect in ("anthropic", "openai-chat", "openai-responses"):
        session = f"pg-orphan-{run}-{dialect}"
        donor = first_request(dialect, session)
        straight = make_client(dialect, lab.mock.url, "sk-test", session, Wire())   # not through Sluice
        first_reply = ask(straight, dialect, False, donor)
        straight.close()
        client_b = make_client(dialect, b.url, "sk-test", session, Wire())
        check_reply(dialect, ask(client_b, dialect, False, followup_request(dialect, donor, first_reply)), "followup")
        client_b.close()
        orphans[session] = dialect

    sessions = {t["session"]: (t["dialect"], t["stream"]) for t in sent.turns}
    total_turns = len(sent) + len(orphans)
    assert len(sent) == 2 * THREADS * SESSIONS_PER_THREAD
    assert all(t["status"] == 200 and t["header_session"] == t["session"] for t in sent.turns)
    assert {(t["session"], t["index"]) for t in sent.turns} == {(s, i) for s in sessions for i in (1, 2)}
    assert {t["gateway"] for t in sent.turns if t["index"] == 1} == {"a", "b"}

    # One report over both gateways' turns.
    overview = wait_for_turns(a, total_turns, REPORT_WAIT_S, lab)
    time.sleep(1.0)                                # a late duplicate would show now
    overview = report(b)
    listing = report(a, "--sessions")
    assert overview["totals"]["turns"] == total_turns, "turns missing or doubled in the shared ledger"
    assert overview["totals"]["sessions"] == len(sessions) + len(orphans)
    rows = {s["session"]: s for s in listing["sessions"]}
    assert set(rows) == set(sessions) | set(orphans), "sessions missing from, or unknown to, the ledger"

    # Each session exactly as test_sdk.py expects a two-turn session: tokens, rules, dollars, and
    # the follow-up's baseline simulated on the cache of the first turn, seen by the other gateway.
    expected = {s: expected_turns(d, st) for s, (d, st) in sessions.items()}
    for session, turns in expected.items():
        want = expected_session(session, turns)
        assert {k: rows[session].get(k) for k in want} == want, f"session {session}"

    # The totals are the sums over the sessions, and the overview agrees with the listing.
    totals = listing["totals"]
    for key in TOTALLED:
        assert totals[key] == sum(s[key] for s in listing["sessions"]), key
    for key in MONEY:
        assert overview["totals"][key] == totals[key], key
        assert overview["totals"][key] == sum(s[key] for s in overview["sessions"]), key

    # Turn by turn: in order, each where the client sent it, every id once.
    details = session_details(a, sorted(sessions) + sorted(orphans))
    ids = []
    for session, (dialect, stream) in sessions.items():
        got = sorted(details[session]["turns"], key=lambda t: t["index"])
        assert [t["index"] for t in got] == [1, 2], f"session {session}: {got}"
        for row, want in zip(got, expected[session]):
            want = {k: v for k, v in want.items() if not k.startswith("_")}
            assert {k: row.get(k) for k in want} == want, f"session {session} turn {want['index']}"
        assert [t["baseline_coverage"] for t in got] == ["exact", "simulated"], f"session {session}"
        headers = sorted((t for t in sent.turns if t["session"] == session), key=lambda t: t["index"])
        assert [t["rule"] for t in got] == [t["rule"] for t in headers] == \
            [RULE[(dialect, "first")], RULE[(dialect, "followup")]]
        ids += [t["id"] for t in got]

    # The control: without the first turn, the follow-up's baseline is not the warm-cache one.
    for session, dialect in orphans.items():
        (row,) = details[session]["turns"]
        assert row["rule"] == RULE[(dialect, "followup")]
        warm = expected_turns(dialect, False)[1]["baseline_usd"]
        assert row["baseline_usd"] != warm, \
            f"{session}: a follow-up with no known first turn got the warm-cache baseline; the check above proves nothing"
        ids.append(row["id"])
    assert len(ids) == len(set(ids)) == total_turns, "a turn id appears twice"


def test_database_outage_loses_no_turn_and_doubles_none(lab):
    cluster = lab.cluster()
    url = cluster.create_database("sluice_outage")
    gw = lab.gateway("solo", url)
    run = uuid.uuid4().hex[:8]
    sent = Sent()
    done = threading.Event()
    problems: list[BaseException] = []

    def client():
        try:
            k = 0
            while not done.is_set():
                dialect, stream = MODES[k % len(MODES)]
                run_session(sent, f"pg-outage-{run}-{k:04d}", dialect, stream, (gw, gw))
                k += 1
                time.sleep(TURN_PAUSE_S)
        except BaseException as e:  # noqa: BLE001  (reported by the main thread)
            problems.append(e)

    def wait_sent(count: int, what: str) -> None:
        deadline = time.monotonic() + PHASE_WAIT_S
        while len(sent) < count and not problems:
            if time.monotonic() > deadline:
                pytest.fail(f"{what}: only {len(sent)} of {count} turns sent within {PHASE_WAIT_S:.0f} s\n"
                            f"{lab.diagnostics()}", pytrace=False)
            time.sleep(0.05)
        if problems:
            raise problems[0]

    sender = threading.Thread(target=client, daemon=True)
    sender.start()
    try:
        wait_sent(TURNS_BEFORE, "before the outage")
        ledger_gauges(gw)                          # both gauges are exported

        # The database crashes; the gateway answers on, keeping records in memory, then on disk.
        cluster.stop("immediate")
        down_at, sent_at_stop = time.monotonic(), len(sent)
        peak_depth = peak_spool = 0.0
        spool_files: set[str] = set()
        while time.monotonic() - down_at < OUTAGE_S:
            depth, spool = ledger_gauges(gw)
            peak_depth, peak_spool = max(peak_depth, depth), max(peak_spool, spool)
            spool_files |= {p.name for p in (gw.home / ".sluice").glob("*.spool.jsonl*")}
            if problems:
                raise problems[0]
            time.sleep(0.25)
        sent_in_outage = len(sent) - sent_at_stop
        cluster.start()
        up_at = time.monotonic()
        wait_sent(len(sent) + TURNS_AFTER, "after the outage")
    finally:
        done.set()
        sender.join(60)
    if problems:
        raise problems[0]
    assert not sender.is_alive(), "the client thread did not finish its last session"

    print(f"outage: {len(sent)} turns, {sent_in_outage} while the database was down; peak queue depth "
          f"{peak_depth:.0f}, peak spool bytes {peak_spool:.0f}, spool files {sorted(spool_files)}")
    assert sent_in_outage >= 10, f"only {sent_in_outage} turns were answered while the database was down"
    assert all(t["status"] == 200 for t in sent.turns), "a client got no 200 answer"
    assert peak_depth > 0 or peak_spool > 0, \
        "while the database was down, /metrics never showed records waiting (queue depth and spool bytes stayed 0)"

    # Back: every turn reaches the database, and nothing waits any more.
    total = len(sent)
    wait_for_turns(gw, total, RECOVERY_WAIT_S, lab)
    deadline = time.monotonic() + RECOVERY_WAIT_S
    while ledger_gauges(gw) != (0, 0):
        if time.monotonic() > deadline:
            pytest.fail(f"queue depth and spool bytes not back to 0 within {RECOVERY_WAIT_S:.0f} s of the database's "
                        f"return: {ledger_gauges(gw)}\n{lab.diagnostics()}", pytrace=False)
        time.sleep(0.5)
    leftovers = sorted(p.name for p in (gw.home / ".sluice").glob("*.spool.jsonl*")) \
        if (gw.home / ".sluice").exists() else []
    assert not [n for n in leftovers if not n.endswith(".rejected")], f"spool files left: {leftovers}"
    assert not [n for n in leftovers if n.endswith(".rejected")], f"records set aside as rejected: {leftovers}"
    print(f"recovered {time.monotonic() - up_at:.1f} s after the database came back")

    overview = report(gw)
    listing = report(gw, "--sessions")
    assert overview["totals"]["turns"] == total, f"{overview['totals']['turns']} turns in the ledger, {total} sent"
    sessions = sorted({t["session"] for t in sent.turns})
    rows = {s["session"]: s for s in listing["sessions"]}
    assert sorted(rows) == sessions
    assert all(rows[s]["turns"] == 2 and rows[s]["failed_turns"] == 0 for s in sessions), \
        [rows[s] for s in sessions if rows[s]["turns"] != 2 or rows[s]["failed_turns"] != 0]
    details = session_details(gw, sessions)
    in_ledger = {(s, t["index"], t["rule"], t["status"]) for s in sessions for t in details[s]["turns"]}
    from_clients = {(t["header_session"], t["index"], t["rule"], "ok") for t in sent.turns}
    assert in_ledger == from_clients
    ids = [t["id"] for s in sessions for t in details[s]["turns"]]
    assert len(ids) == len(set(ids)) == total, "a turn is missing or twice in the ledger"
