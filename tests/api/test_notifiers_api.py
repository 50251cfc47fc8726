"""Notifiers over HTTP: 201 with the secret never returned, 422 naming the field, a test
send, and the delivery log after a real webhook received `case.created`."""

from __future__ import annotations

from hegui.services.cases import deliver_outbox
from tests.adapters.notify.servers import LocalServer, hegui_receiver
from tests.api.conftest import Api
from tests.services.cases.support import open_case

NOTIFIERS = "/api/v1/notifiers"


def test_a_webhook_end_to_end(api: Api) -> None:
    headers = api.auth("compliance_manager")
    with LocalServer(hegui_receiver("sig-secret-1")) as receiver:
        spec = {
            "kind": "webhook",
            "target": receiver.url("/in/secret-token"),
            "min_severity": "high",
            "secret": "sig-secret-1",
        }
        created = api.client.post(NOTIFIERS, json=spec, headers=headers)
        assert created.status_code == 201, created.text
        body = created.json()
        assert created.headers["Location"] == f"{NOTIFIERS}/{body['id']}"
        listed = api.client.get(NOTIFIERS, headers=headers).text
        for secret in ("sig-secret-1", "secret-token"):
            assert secret not in created.text and secret not in listed
        assert body["target_hint"] == "http://127.0.0.1/…" and body["has_secret"]
        tested = api.client.post(f"{NOTIFIERS}/{body['id']}/test", headers=headers).json()
        assert tested["status"] == "sent" and tested["code"] == 200
        case_id = open_case(api.platform)
        assert deliver_outbox(api.platform) == 1
        events = [r.json() for r in receiver.received]
    assert [e["event"] for e in events] == ["notifier.test", "case.created"]
    assert events[1]["case"]["id"] == case_id
    log = api.client.get("/api/v1/notifications?status=sent", headers=headers).json()
    assert log["total"] == 2
    assert [d["event"] for d in log["items"]] == ["case.created", "notifier.test"]
    assert log["items"][0]["idempotency_key"] == f"case-{case_id}:created"


def test_a_configuration_that_cannot_work_is_422_naming_each_field(api: Api) -> None:
    spec = {
        "kind": "email",
        "target": "张三 <z@bank.cn>",
        "min_severity": "low",
        "options": {"port": 0},
    }
    answer = api.client.post(NOTIFIERS, json=spec, headers=api.auth("admin"))
    assert answer.status_code == 422
    fields = [e["loc"] for e in answer.json()["detail"]]
    assert ["body", "options", "port"] in fields and ["body", "options", "host"] in fields
    bad_kind = {"kind": "sms", "target": "https://x.example", "min_severity": "low"}
    answer = api.client.post(NOTIFIERS, json=bad_kind, headers=api.auth("admin"))
    assert answer.json()["detail"][0]["loc"] == ["body", "kind"]
    missing = api.client.post(NOTIFIERS, json={"kind": "webhook"}, headers=api.auth("admin"))
    assert {tuple(e["loc"]) for e in missing.json()["detail"]} >= {
        ("body", "target"),
        ("body", "min_severity"),
    }


def test_a_failed_test_send_says_why(api: Api) -> None:
    spec = {"kind": "webhook", "target": "http://127.0.0.1:9/x", "min_severity": "low"}
    created = api.client.post(NOTIFIERS, json=spec, headers=api.auth("admin")).json()
    tested = api.client.post(f"{NOTIFIERS}/{created['id']}/test", headers=api.auth("admin"))
    assert tested.status_code == 200
    assert tested.json()["status"] == "failed" and tested.json()["error"]
    gone = api.client.delete(f"{NOTIFIERS}/{created['id']}", headers=api.auth("admin")).json()
    assert gone["active"] is False
    assert api.client.get(f"{NOTIFIERS}/999999", headers=api.auth("admin")).status_code == 404
