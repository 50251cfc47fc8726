"""The console's live, alerts, training, users and 我的 pages in a real browser: each role
sees only the pages it may use; a finding and a whisper of a streamed call arrive on the
live page; a notifier is added and test-sent to a webhook receiver started here; a course
is set, an assignment acknowledged and completed; the admin creates a user who then logs
in. Screenshots of every page are kept (see conftest)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from websockets.sync.client import connect

from tests.services.ingest_support import drain
from tests.web.conftest import Console, shot
from tests.web.test_console import ROLES, api_token, log_in

SEES = {  # page → the roles that find it in the navigation
    "实时监控": {"admin", "compliance_manager", "team_lead"},
    "告警": {"admin", "compliance_manager"},
    "培训": set(ROLES),
    "用户": {"admin"},
    "我的": {"agent"},
}
PAGES = {"实时监控": "live", "告警": "alerts", "培训": "training", "用户": "users", "我的": "mine"}
CREDENTIAL = "请把短信验证码报给我"


def open_page(page: Any, console: Console, name: str, ready: str) -> None:
    page.goto(f"{console.url}/console/#/{name}")
    page.wait_for_selector(f"main[data-page='{name}'] {ready}")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_only_the_pages_it_may_use(page: Any, console: Console, role: str) -> None:
    log_in(page, console, role)
    nav = page.locator("#nav a").all_inner_texts()
    for label, roles in SEES.items():
        assert (label in nav) == (role in roles), f"{role}: {label}"
    for label in SEES:
        if label in nav:
            page.locator(f"#nav a[href='#/{PAGES[label]}']").click()
            page.wait_for_selector(f"main[data-page='{PAGES[label]}'] h1")
            assert not page.locator("#notice").is_visible(), page.locator("#notice").inner_text()
            shot(page, f"{PAGES[label]}-{role}")
    # What the console hides the API refuses.
    with api_token(console, role) as api:
        codes = {
            "users": api.get("/api/v1/users").status_code,
            "notifiers": api.get("/api/v1/notifiers").status_code,
            "policy": api.get("/api/v1/notifications/policy").status_code,
        }
    assert codes["users"] == (200 if role == "admin" else 403)
    managers = role in ("admin", "compliance_manager")
    assert codes["notifiers"] == codes["policy"] == (200 if managers else 403)


def ws_url(console: Console, path: str) -> str:
    return console.url.replace("http://", "ws://") + path


def test_a_live_finding_and_its_whisper_arrive_on_the_live_page(
    page: Any, console: Console
) -> None:
    log_in(page, console, "team_lead")
    open_page(page, console, "live", "#live-state[data-state='connected']")
    with api_token(console, "agent") as api:
        token = api.headers["Authorization"].removeprefix("Bearer ")
    call = {"id": "live-web-1", "channel": "phone", "industry": "securities",
            "agent": {"id": "A-17", "team": "east-1"}, "utterances": []}  # fmt: skip
    with connect(ws_url(console, "/api/v1/live"), subprotocols=["hegui", f"bearer.{token}"]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "start", "conversation": call, "seq": 0}))
        assert json.loads(ws.recv(10))["type"] == "ack"
        page.wait_for_selector("[data-conversation='live-web-1']")
        assert page.locator("#live-count").get_attribute("data-count") == "1"
        ws.send(
            json.dumps(
                {"type": "utterance", "utterance": {"role": "agent", "text": CREDENTIAL}, "seq": 1}
            )
        )
        got = [json.loads(ws.recv(10))]
        while got[-1]["type"] != "ack":
            got.append(json.loads(ws.recv(10)))
        assert "finding" in {m["type"] for m in got}
        card = page.locator("[data-conversation='live-web-1']")
        card.locator(".live-finding").first.wait_for()
        card.locator(".live-whisper[data-category='privacy.credential_request']").wait_for()
        assert "请勿索要验证码" in card.inner_text()
        assert int(card.locator("[data-findings]").get_attribute("data-findings")) >= 1
        shot(page, "live-streaming")
        ws.send(json.dumps({"type": "end"}))
        while json.loads(ws.recv(10))["type"] != "closed":
            pass
    page.wait_for_selector("#live-ended [data-conversation='live-web-1']")
    assert page.locator("#live-active [data-conversation='live-web-1']").count() == 0


@contextmanager
def webhook_receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A local HTTP server keeping what is POSTed to it."""
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append({"headers": dict(self.headers), "body": json.loads(body)})
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()
        server.server_close()


def test_a_notifier_is_added_and_test_sent_to_a_webhook(page: Any, console: Console) -> None:
    log_in(page, console, "compliance_manager")
    open_page(page, console, "alerts", "#alerts-notifiers")
    assert page.locator("[data-notify='high']").inner_text() == "立即通知"
    with webhook_receiver() as (url, received):
        page.get_by_label("目标地址").fill("not a url")
        page.get_by_role("button", name="添加通知渠道").click()
        page.wait_for_selector("#notice:not([hidden])")
        assert "target" in page.locator("#notice").inner_text()  # the API's 422 names the field
        page.get_by_label("类型").select_option("webhook")
        page.get_by_label("名称").fill("质检群 webhook")
        page.get_by_label("目标地址").fill(url)
        page.get_by_label("最低严重度").select_option("medium")
        page.get_by_label("密钥").fill("s3cret-signing-key")
        page.get_by_role("button", name="添加通知渠道").click()
        page.wait_for_selector("main[data-page='alerts'] td:has-text('质检群 webhook')")
        page.locator("button[data-test]").first.click()
        page.wait_for_selector("#notice[data-result]")
        assert page.locator("#notice").get_attribute("data-result") == "sent"
        assert "已发送" in page.locator("#notice").inner_text()
        assert len(received) == 1
        hit = received[0]
        assert hit["body"]["event"] == "notifier.test"
        assert hit["headers"]["X-Hegui-Signature"].startswith("sha256=")
    page.wait_for_selector("[data-delivery='sent']")
    assert "notifier.test" in page.locator("#alerts-log + form + .table-wrap table").inner_text()
    shot(page, "alerts-test-sent")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="停用 #").first.click()
    page.wait_for_selector("td:has-text('已停用')")
    assert page.locator("button[data-test]").count() == 0


def test_a_course_is_set_and_an_agent_completes_its_training(page: Any, console: Console) -> None:
    category = "privacy.credential_request"
    log_in(page, console, "compliance_manager")
    open_page(page, console, "training", "#training-courses")
    row = page.locator(f"tr:has(button[data-course='{category}'])")
    row.locator("input[type='url']").fill("https://lms.example.cn/courses/credentials")
    row.locator("input").first.fill("客户验证码保护必修课")
    row.locator("button").click()
    page.wait_for_selector("#notice.ok")

    # Three confirmed credential requests of A-17 in one month: the training is pushed.
    calls = [
        {"id": f"train-{n}", "channel": "phone", "industry": "securities",
         "started_at": f"2026-11-0{n}T10:00:00+08:00", "agent": {"id": "A-17", "team": "east-1"},
         "utterances": [{"role": "agent", "text": "您好，工号1023"}, {"role": "agent", "text": CREDENTIAL}]}
        for n in (1, 2, 3)
    ]  # fmt: skip
    with api_token(console, "compliance_manager") as api:
        assert api.post("/api/v1/conversations", json=calls).status_code == 202
        drain(console.platform)
        for call in calls:
            items = api.get(f"/api/v1/conversations/{call['id']}/findings").json()["items"]
            case_id = next(f["case_id"] for f in items if f["category"] == category)
            verdict = {"verdict": "confirmed", "comment": "索要验证码"}
            assert api.post(f"/api/v1/cases/{case_id}/review", json=verdict).status_code == 200

    page.locator("#logout").click()
    log_in(page, console, "agent")
    open_page(page, console, "training", "#training-assignments")
    status = page.locator("[data-status='assigned']").first
    assignment = status.get_attribute("data-assignment")
    mine = page.locator(f"tr:has([data-assignment='{assignment}'])")
    assert "客户验证码保护必修课" in mine.inner_text()
    shot(page, "training-agent")
    mine.get_by_role("button", name="确认收到").click()
    page.wait_for_selector(f"[data-assignment='{assignment}'][data-status='acknowledged']")
    page.locator(f"tr:has([data-assignment='{assignment}'])").get_by_role(
        "button", name="完成培训"
    ).click()
    page.wait_for_selector(f"[data-assignment='{assignment}'][data-status='completed']")

    open_page(page, console, "mine", "#mine-scores")
    assert int(page.locator("[data-mine='confirmed'] .n").inner_text()) >= 3
    page.wait_for_selector(f"[data-assignment='{assignment}'][data-status='completed']")
    shot(page, "mine-agent")


def test_the_admin_creates_a_user_who_then_logs_in(page: Any, console: Console) -> None:
    log_in(page, console, "admin")
    open_page(page, console, "users", "#users-add")
    form = page.locator("form[aria-labelledby='users-add']")
    form.get_by_label("用户名").fill("zhao")
    form.get_by_label("密码").fill("short")
    form.get_by_label("角色").select_option("agent")
    form.get_by_label("坐席工号").fill("A-88")
    page.get_by_role("button", name="创建用户").click()
    page.wait_for_selector("#users-errors:not(:empty)")
    assert "password" in page.locator("#users-errors").inner_text()
    shot(page, "users-error")
    form.get_by_label("密码").fill("zhao-pass-2026")
    form.get_by_label("团队", exact=True).fill("east-2")
    page.get_by_role("button", name="创建用户").click()
    page.wait_for_selector("[data-user='zhao']")
    assert page.locator("#users-errors").inner_text() == ""

    page.locator("#logout").click()
    page.goto(f"{console.url}/console/#/login")
    page.get_by_label("用户名").fill("zhao")
    page.get_by_label("密码").fill("zhao-pass-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("main[data-page='dashboard']")
    assert page.locator("#who").inner_text().startswith("zhao · agent")
    assert "我的" in page.locator("#nav a").all_inner_texts()


def test_the_pages_switch_to_english(page: Any, console: Console) -> None:
    log_in(page, console, "admin")
    page.locator("#lang").click()
    page.wait_for_selector("#nav a:has-text('Alerts')")
    page.wait_for_selector("main[data-page='dashboard'] .kpis")  # its render done (app.js
    # does not cancel a render still waiting on the API when the hash changes)
    open_page(page, console, "alerts", "#alerts-notifiers")
    assert "Delivery log" in page.locator("#alerts-log").inner_text()
    shot(page, "alerts-en")
    page.locator("#lang").click()
