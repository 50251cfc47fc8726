"""Rules and rule packs over HTTP: shipped and published rules with pack, version and
regulation; publishing (refusals naming the field), versions, withdrawal, re-inspection."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from hegui.catalog import ALL_SHIPPED
from hegui.packs.source import ShippedPacks
from tests.api.conftest import Api
from tests.api.seeding import conversation, inspected
from tests.services.ingest_support import PACK_V1, PACK_V2, call, drain

RULES = "/api/v1/rules"
PACKS = "/api/v1/rule-packs"
LOTTERY = "acme.promise.lottery"


def get(api: Api, url: str, role: str = "agent", **params: Any) -> Any:
    response = api.client.get(url, params=params, headers=api.auth(role))
    assert response.status_code == 200, response.text
    return response.json()


def publish(api: Api, text: str, role: str = "compliance_manager") -> Any:
    return api.client.post(PACKS, json={"text": text}, headers=api.auth(role))


def shipped_count() -> int:
    return sum(len(p.spec.rules) for p in ShippedPacks(ALL_SHIPPED).packs())


def test_every_shipped_rule_is_listed_with_its_regulation(api: Api) -> None:
    page = get(api, RULES, limit=1000)
    assert page["total"] == shipped_count() == len(page["items"])
    baoben = next(r for r in page["items"] if r["id"] == "securities.promise.baoben")
    assert (baoben["pack"], baoben["origin"], baoben["pack_version"]) == (
        "securities",
        "shipped",
        None,
    )
    assert baoben["severity"] == "high" and baoben["source"] and baoben["stats"] is None
    assert baoben["category"] == "compliance.guarantee_return" and baoben["kind"] == "when"


def test_rules_filter_and_page(api: Api) -> None:
    privacy = get(api, RULES, category="privacy", limit=5)
    assert len(privacy["items"]) == 5 and privacy["total"] > 5
    assert all(r["category"].startswith("privacy.") for r in privacy["items"])
    second = get(api, RULES, category="privacy", limit=5, offset=5)
    assert {r["id"] for r in second["items"]}.isdisjoint(r["id"] for r in privacy["items"])
    service = get(api, RULES, pack="service", limit=1000)
    assert {r["pack"] for r in service["items"]} == {"service"}


def test_one_rule_with_its_definition(api: Api) -> None:
    rule = get(api, f"{RULES}/securities.promise.baoben")
    definition = yaml.safe_load(rule["definition"])
    assert definition["id"] == "securities.promise.baoben"
    assert definition["version"] == rule["version"] and "examples" in definition
    missing = api.client.get(f"{RULES}/no.such.rule", headers=api.auth("agent"))
    assert missing.status_code == 404


def test_a_published_pack_adds_its_rules(api: Api) -> None:
    response = publish(api, PACK_V1)
    assert response.status_code == 201
    version = response.json()
    assert (version["pack"], version["version"], version["published_by"]) == ("acme", 1, "cm")
    assert response.headers["Location"] == f"{PACKS}/acme/versions/1"
    rule = get(api, f"{RULES}/{LOTTERY}")
    assert (rule["origin"], rule["pack"], rule["pack_version"], rule["version"]) == (
        "published",
        "acme",
        1,
        1,
    )
    assert get(api, RULES, pack="acme")["total"] == 1
    assert get(api, RULES, limit=1)["total"] == shipped_count() + 1


def test_publishing_the_same_text_again_publishes_nothing(api: Api) -> None:
    publish(api, PACK_V1)
    again = publish(api, PACK_V1)
    assert again.json()["version"] == 1
    assert [v["version"] for v in get(api, f"{PACKS}/acme/versions")["items"]] == [1]


def test_versions_are_kept_and_readable(api: Api) -> None:
    publish(api, PACK_V1)
    publish(api, PACK_V2, role="admin")
    versions = get(api, f"{PACKS}/acme/versions")["items"]
    assert [(v["version"], v["rules"][LOTTERY]["version"]) for v in versions] == [(1, 1), (2, 2)]
    assert "text" not in versions[0]
    assert get(api, f"{PACKS}/acme/versions/1")["text"] == PACK_V1
    assert get(api, f"{RULES}/{LOTTERY}")["pack_version"] == 2
    packs = get(api, PACKS)["items"]
    assert [(p["name"], p["current_version"]) for p in packs] == [("acme", 2)]
    missing = api.client.get(f"{PACKS}/acme/versions/3", headers=api.auth("agent"))
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("pack: acme\nrules: [", "text"),
        (PACK_V1.replace("pack: acme", "pack: securities"), "pack"),
        (PACK_V1.replace("acme.promise.lottery", "securities.promise.baoben"), "rules[0].id"),
        (PACK_V1.replace("包您中奖的", "一定中奖的"), "rules[0].examples"),
    ],
)
def test_a_pack_that_fails_its_checks_is_422_naming_the_field(
    api: Api, text: str, field: str
) -> None:
    response = publish(api, text)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == field.split(".")
    assert get(api, PACKS)["items"] == []


def test_a_changed_rule_needs_a_higher_version(api: Api) -> None:
    publish(api, PACK_V1)
    changed = PACK_V1.replace("keywords: [包您中奖]", "keywords: [包您中奖, 保您中奖]")
    response = publish(api, changed)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["rules[0]", "version"]


def test_a_body_with_unknown_fields_is_refused(api: Api) -> None:
    response = api.client.post(
        PACKS, json={"text": PACK_V1, "force": True}, headers=api.auth("admin")
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "force"]


def test_a_withdrawn_pack_stops_and_cannot_be_reinspected(api: Api) -> None:
    publish(api, PACK_V1)
    response = api.client.post(f"{PACKS}/acme/withdraw", headers=api.auth("admin"))
    assert response.status_code == 200 and response.json()["current_version"] is None
    assert get(api, RULES, pack="acme")["total"] == 0
    period = {"since": "2024-01-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}
    refused = api.client.post(f"{PACKS}/acme/reinspect", json=period, headers=api.auth("admin"))
    assert refused.status_code == 409
    unknown = api.client.post(f"{PACKS}/nope/withdraw", headers=api.auth("admin"))
    assert unknown.status_code == 404


def test_reinspecting_a_period_applies_the_new_version(api: Api) -> None:
    publish(api, PACK_V1)
    inspected(
        api.platform,
        call("c-1", "您好", "中奖吗", "参加就保您中奖", started_at="2025-01-02T10:00:00+08:00"),
        conversation("c-2", started_at="2024-06-01T10:00:00+08:00"),
    )
    publish(api, PACK_V2)
    period = {"since": "2025-01-01T00:00:00+08:00", "until": "2025-02-01T00:00:00+08:00"}
    response = api.client.post(
        f"{PACKS}/acme/reinspect", json=period, headers=api.auth("compliance_manager")
    )
    assert response.status_code == 202
    receipt = response.json()
    assert receipt["total"] == 1
    assert response.headers["Location"] == f"/api/v1/jobs/{receipt['job_id']}"
    drain(api.platform)
    findings = get(api, "/api/v1/conversations/c-1/findings", role="reviewer")["items"]
    assert [(f["rule_id"], f["rule_version"]) for f in findings if f["rule_id"] == LOTTERY] == [
        (LOTTERY, 2)
    ]


@pytest.mark.parametrize(
    ("period", "loc"),
    [
        ({"since": "2025-01-01T00:00:00", "until": "2025-02-01T00:00:00Z"}, ["body", "since"]),
        ({"since": "2025-02-01T00:00:00Z", "until": "2025-01-01T00:00:00Z"}, ["until"]),
        ({"since": "2025-01-01T00:00:00Z"}, ["body", "until"]),
    ],
)
def test_a_bad_period_is_422_naming_the_field(api: Api, period: Any, loc: list[str]) -> None:
    publish(api, PACK_V1)
    response = api.client.post(f"{PACKS}/acme/reinspect", json=period, headers=api.auth("admin"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc
