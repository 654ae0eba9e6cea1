"""The dashboard in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`)
driven by Selenium loads every page of a running `sluice serve` whose ledger this test fills
through the real server with the official SDKs.

What is checked, page by page:
  * no console errors, and no request leaves the gateway (no CDN, no external asset);
  * the overview's spend chart has one point per day of the period for each of its three series,
    and the cost distribution has one bar per bucket, the bars' sessions adding up to the
    sessions of the period, with the suggested cap line drawn;
  * the sessions table sorts by cost both ways by clicking its header, and filters by user and
    by tag through its form;
  * a session page lists the session's turns in the ledger's order, with the subagent's turn
    nested under its parent;
  * the experiments page shows both arms side by side, the policy page every rule with the
    number of turns it routed;
  * with SLUICE_ADMIN_TOKEN set, a page asks for the token and the sign-in form lets the browser in.

Screenshots of every page go to test-output/dashboard/ (not committed), for people to look at.
The browser is required: a machine without chromium and chromedriver fails these tests.
"""
from __future__ import annotations

import json
import shutil
import time
import uuid
from collections import Counter
from pathlib import Path

import anthropic
import openai
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from test_sdk import (  # noqa: F401  (mock is a fixture)
    POLICY, REPO, GatewayHandle, Wire, ask, first_request, followup_request, make_client, mock, start_gateway, stop,
)

SHOTS = REPO / "test-output" / "dashboard"
RUN = uuid.uuid4().hex[:6]

EXPERIMENT = """
experiments:
  - name: cheap-reads
    arms:
      control: {weight: 50}
      opus-reads: {weight: 50, rules: [{name: grep-shaped-anthropic, route: opus}]}
"""

# (session, dialect, user, tag, turns, stream): a first turn, then a grep-shaped follow-up.
SESSIONS = [
    (f"dash-{RUN}-a1", "anthropic", "alice", "PROJ-1", 2, False),
    (f"dash-{RUN}-a2", "anthropic", "alice", "PROJ-2", 1, True),
    (f"dash-{RUN}-b1", "openai-chat", "bob", "PROJ-1", 2, True),
    (f"dash-{RUN}-b2", "openai-responses", "bob", "PROJ-2", 2, False),
    (f"dash-{RUN}-c1", "anthropic", "carol", "PROJ-1", 2, True),
    (f"dash-{RUN}-<b>x</b>", "anthropic", "dave", "PROJ-3", 1, False),
]
SUBAGENT_SESSION = SESSIONS[0][0]


def find_binary(*names: str) -> str:
    for name in names:
        found = shutil.which(name) or next((p for p in (f"/usr/bin/{name}", f"/usr/lib/chromium/{name}")
                                           if Path(p).exists()), None)
        if found:
            return found
    pytest.fail(f"none of {names} is installed: apt-get install chromium chromium-driver", pytrace=False)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = find_binary("chromium", "chromium-browser")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--no-proxy-server"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(find_binary("chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def fill(gw_url: str) -> dict[str, int]:
    """Sends every session's turns through the SDKs; returns turns per session."""
    sent: dict[str, int] = {}
    for session, dialect, user, tag, turns, stream in SESSIONS:
        client = make_client(dialect, gw_url, "sk-test", session, Wire())
        extra = {"extra_headers": {"x-sluice-user": user, "x-sluice-tag": tag}}
        req = first_request(dialect, session)
        reply = ask(client, dialect, stream, req, **extra)
        if turns > 1:
            ask(client, dialect, stream, followup_request(dialect, req, reply), **extra)
        sent[session] = turns
    # A subagent of the first session: its turn nests under the parent's in the call tree.
    client = make_client("anthropic", gw_url, "sk-test", SUBAGENT_SESSION, Wire())
    ask(client, "anthropic", False, first_request("anthropic", SUBAGENT_SESSION + "-sub"),
        extra_headers={"x-sluice-user": "alice", "x-sluice-tag": "PROJ-1",
                       "x-claude-code-agent-id": "agent-sub-1", "x-claude-code-parent-agent-id": "main"})
    sent[SUBAGENT_SESSION] += 1
    return sent


@pytest.fixture(scope="module")
def served(mock, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dashboard")
    policy = tmp / "policy.yaml"
    policy.write_text(POLICY.read_text() + EXPERIMENT)
    handle = GatewayHandle()
    start_gateway(mock, tmp, handle, policy=policy)
    gw = handle.ready()
    sent = fill(gw.url)
    for session, count in sent.items():
        gw.wait_for_session(session, count)
    yield gw, sent
    stop(handle.proc)


def open_page(driver, url: str, shot: str, status: int = 200):
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get_log("performance")
    driver.get(url)
    driver.save_screenshot(str(SHOTS / f"{shot}.png"))
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")
              # the page's own status, when the test expects one that is not 200
              and not (status != 200 and e["message"].endswith(f"status of {status} (Unauthorized)"))]
    assert errors == [], f"console errors on {url}: {errors}"
    hosts = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            request_url = message["params"]["request"]["url"]
            if not request_url.startswith(("http://127.0.0.1", "data:", "about:")):
                hosts.add(request_url)
    assert hosts == set(), f"{url} fetched something outside the gateway: {hosts}"


def column(driver, table_id: str, sort: str) -> list[int]:
    """The data-sort-value of the column whose header sorts by `sort`, row by row."""
    headers = driver.find_elements(By.CSS_SELECTOR, f"#{table_id} thead th")
    index = next(i for i, th in enumerate(headers) if th.get_attribute("data-sort") == sort)
    return [int(row.find_elements(By.TAG_NAME, "td")[index].get_attribute("data-sort-value"))
            for row in driver.find_elements(By.CSS_SELECTOR, f"#{table_id} tbody tr")]


def shown_sessions(driver) -> list[str]:
    return [row.get_attribute("data-session") for row in driver.find_elements(By.CSS_SELECTOR, "#sessions tbody tr")]


def test_overview_charts_have_one_point_per_day_and_one_bar_per_bucket(served, browser):
    gw, sent = served
    today = time.strftime("%Y-%m-%d", time.gmtime())
    week_ago = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 6 * 86400))
    open_page(browser, f"{gw.url}/dashboard?from={week_ago}&until={today}", "overview")
    chart = browser.find_element(By.CSS_SELECTOR, "svg[data-chart='spend-over-time']")
    assert chart.get_attribute("data-points") == "7"
    points = browser.find_elements(By.CSS_SELECTOR, "svg[data-chart='spend-over-time'] circle.point")
    assert Counter(p.get_attribute("data-series") for p in points) == {"spend": 7, "requested": 7, "baseline": 7}
    lines = browser.find_elements(By.CSS_SELECTOR, "svg[data-chart='spend-over-time'] polyline")
    assert len(lines) == 3

    costs = browser.find_element(By.CSS_SELECTOR, "svg[data-chart='cost-distribution']")
    bars = browser.find_elements(By.CSS_SELECTOR, "svg[data-chart='cost-distribution'] rect.bar")
    assert len(bars) == int(costs.get_attribute("data-points")) > 0
    assert sum(int(b.get_attribute("data-sessions")) for b in bars) == len(sent)
    assert browser.find_elements(By.CSS_SELECTOR, "svg[data-chart='cost-distribution'] .cap-line")
    body = browser.find_element(By.TAG_NAME, "body").text
    for user in ("alice", "bob", "carol"):
        assert user in body


def test_sessions_table_sorts_by_clicking_and_filters_through_its_form(served, browser):
    gw, sent = served
    open_page(browser, f"{gw.url}/dashboard/sessions", "sessions")
    assert set(shown_sessions(browser)) == set(sent)

    browser.find_element(By.CSS_SELECTOR, "#sessions th[data-sort='cost'] a").click()
    browser.save_screenshot(str(SHOTS / "sessions-by-cost.png"))
    descending = column(browser, "sessions", "cost")
    assert descending == sorted(descending, reverse=True) and len(descending) == len(sent)
    assert len(set(descending)) > 1, "the sessions should not all cost the same"
    browser.find_element(By.CSS_SELECTOR, "#sessions th[data-sort='cost'] a").click()
    ascending = column(browser, "sessions", "cost")
    assert ascending == sorted(ascending) == sorted(descending)

    Select(browser.find_element(By.CSS_SELECTOR, "form.filters select[name=user]")).select_by_value("bob")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type='submit']").click()
    browser.save_screenshot(str(SHOTS / "sessions-user-bob.png"))
    assert set(shown_sessions(browser)) == {s for s, _, user, *_ in SESSIONS if user == "bob"}

    Select(browser.find_element(By.CSS_SELECTOR, "form.filters select[name=user]")).select_by_index(0)  # any
    Select(browser.find_element(By.CSS_SELECTOR, "form.filters select[name=tag]")).select_by_value("PROJ-1")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type='submit']").click()
    assert set(shown_sessions(browser)) == {s for s, _, _, tag, *_ in SESSIONS if tag == "PROJ-1"}


def test_session_page_lists_the_ledgers_turns_in_order_with_the_subagent_nested(served, browser):
    gw, sent = served
    code, out, err = gw.report("--session", SUBAGENT_SESSION)
    assert code == 0, err
    ledger_turns = json.loads(out)["turns"]
    open_page(browser, f"{gw.url}/dashboard/sessions", "sessions-before-session-page")
    browser.find_element(By.CSS_SELECTOR, f"#sessions tr[data-session='{SUBAGENT_SESSION}'] a").click()
    browser.save_screenshot(str(SHOTS / "session.png"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#turns tr.turn")
    assert len(rows) == sent[SUBAGENT_SESSION] == len(ledger_turns)
    assert [r.get_attribute("data-turn-id") for r in rows] == [t["id"] for t in ledger_turns]
    depths = [int(r.get_attribute("data-depth")) for r in rows]
    assert depths[:2] == [0, 0] and depths[2] >= 1, depths
    text = browser.find_element(By.ID, "turns").text
    assert "grep-shaped-anthropic" in text or "opus-reads" in text or "default-anthropic" in text

    # A hostile key is shown as text, not markup, on the sessions table and on its own page.
    open_page(browser, f"{gw.url}/dashboard/sessions", "sessions-again")
    hostile = next(s for s, *_ in SESSIONS if "<b>" in s)
    link = browser.find_element(By.XPATH, f"//tr[@data-session='{hostile}']//a")
    assert link.text == hostile
    link.click()
    assert browser.find_elements(By.CSS_SELECTOR, "#turns tr.turn")
    assert not browser.find_elements(By.XPATH, "//b[text()='x']")


def test_experiments_and_policy_pages(served, browser):
    gw, sent = served
    open_page(browser, f"{gw.url}/dashboard/experiments", "experiments")
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "cheap-reads" in text and "control" in text and "opus-reads" in text

    open_page(browser, f"{gw.url}/dashboard/policy", "policy")
    rules = {row.get_attribute("data-rule"): int(row.get_attribute("data-turns"))
             for row in browser.find_elements(By.CSS_SELECTOR, "#rules tbody tr")}
    shown = [row.find_elements(By.TAG_NAME, "td")[2].text for row in browser.find_elements(By.CSS_SELECTOR, "#rules tbody tr")]
    assert [int(text) for text in shown] == list(rules.values())
    assert set(rules) >= {"grep-shaped-anthropic", "grep-shaped-openai", "default-anthropic", "default-openai"}
    assert sum(rules.values()) == sum(sent.values())
    assert "cheap-reads" in browser.find_element(By.ID, "policy-yaml").text


def test_a_token_protected_dashboard_signs_in_through_its_form(mock, tmp_path, browser, monkeypatch):
    monkeypatch.setenv("SLUICE_ADMIN_TOKEN", "dash-s3cret")
    handle = GatewayHandle()
    start_gateway(mock, tmp_path, handle)
    gw = handle.ready()
    try:
        browser.delete_all_cookies()
        open_page(browser, f"{gw.url}/dashboard/sessions", "sign-in", status=401)
        assert "admin token" in browser.find_element(By.TAG_NAME, "body").text
        assert not browser.find_elements(By.TAG_NAME, "main")
        field = browser.find_element(By.NAME, "token")
        field.send_keys("dash-s3cret")
        field.submit()
        # The sessions page of an empty ledger: the dashboard's frame, no token field.
        WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.TAG_NAME, "main"))
        assert not browser.find_elements(By.NAME, "token")
        browser.save_screenshot(str(SHOTS / "signed-in.png"))
        assert "token" not in browser.current_url
    finally:
        browser.delete_all_cookies()
        stop(handle.proc)
