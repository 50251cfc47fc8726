"""The role matrix: every endpoint × every role, and without a valid token.

Each domain adds its rows to `ROWS` (`test_every_route_has_a_row` fails until it does),
and what they need to `Seed` (here a hypothetical `case_of`):

    Row("POST", "/api/v1/cases/{case_id}/review",
        expect=only("reviewer", "compliance_manager"),
        params=lambda seed: {"case_id": seed.case_of("A-17")},
        json=lambda seed: {"verdict": "confirmed", "comment": "ok"})

`route` is the path template exactly as the app declares it; `params` fills it in.
`expect` maps every role to the status it must get with its own valid token;
`anonymous` is the status with no token, a malformed one, a forged one or an expired one.
Bodies are built per request (`seed.tag()` gives unique names), so rows that create
things can run for every role.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.api import ledger_seed as ledger
from tests.api.conftest import PASSWORD, ROLES, Seed
from tests.api.seeding import (
    OTHER,
    OWN,
    conversation_of,
    job_of,
    ndjson,
    new_conversation,
    published_pack,
    recorded_conversation_of,
)
from tests.audio.synth import small_wav
from tests.services.ingest_support import PACK_V1

Build = Callable[[Seed], Any]


def everyone(status: int = 200) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def only(*roles: str, ok: int = 200, other: int = 403) -> dict[str, int]:
    assert set(roles) <= set(ROLES), roles
    return {role: ok if role in roles else other for role in ROLES}


@dataclass(frozen=True)
class Row:
    method: str
    route: str
    expect: Mapping[str, int]
    anonymous: int = 401
    params: Build | None = None
    json: Build | None = None
    form: Build | None = None
    query: Build | None = field(default=None)
    content: Build | None = None  # a raw body (bytes), sent without a Content-Type
    files: Build | None = None  # multipart files, as `TestClient.request(files=...)` takes

    def __post_init__(self) -> None:
        assert set(self.expect) == set(ROLES), f"{self.route}: give every role a status"

    @property
    def name(self) -> str:
        return f"{self.method} {self.route}"

    def request(self, seed: Seed) -> dict[str, Any]:
        """Keyword arguments for `TestClient.request`."""
        path = self.route.format(**(self.params(seed) if self.params else {}))
        kwargs: dict[str, Any] = {"method": self.method, "url": path}
        if self.json:
            kwargs["json"] = self.json(seed)
        if self.form:
            kwargs["data"] = self.form(seed)
        if self.query:
            kwargs["params"] = self.query(seed)
        if self.content:
            kwargs["content"] = self.content(seed)
        if self.files:
            kwargs["files"] = self.files(seed)
        return kwargs


def new_user(seed: Seed) -> dict[str, str]:
    return {"username": f"new-{seed.tag()}", "password": PASSWORD, "role": "reviewer"}


ROWS: list[Row] = [
    Row("GET", "/healthz", everyone(200), anonymous=200),
    Row(
        "POST",
        "/api/v1/auth/token",
        everyone(200),
        anonymous=200,
        form=lambda seed: {"username": "rev", "password": PASSWORD},
    ),
    Row("GET", "/api/v1/users/me", everyone(200)),
    Row("POST", "/api/v1/users", only("admin", ok=201), json=new_user),
    Row("GET", "/api/v1/users", only("admin")),
    Row(
        "GET",
        "/api/v1/users/{user_id}",
        only("admin"),
        params=lambda seed: {"user_id": seed.users["agent"].id},
    ),
    Row("GET", "/api/v1/audit", only("admin", "compliance_manager")),
    Row("GET", "/api/v1/audit/verify", only("admin", "compliance_manager")),
]

# The ledger: cases, calibration, notifiers and the delivery log, training.
STAFF = ("reviewer", "compliance_manager")
MANAGERS = ("admin", "compliance_manager")
WEBHOOK = {"kind": "webhook", "target": ledger.UNREACHABLE, "min_severity": "high"}
ROWS += [
    Row("GET", "/api/v1/cases", everyone(200)),
    # The roles that assign, and only id, username and role of each assignee.
    Row("GET", "/api/v1/cases/assignees", only(*STAFF, "team_lead")),
    Row(
        "GET",
        "/api/v1/cases/{case_id}",
        everyone(200),
        params=lambda seed: {"case_id": ledger.case_in(seed)},
    ),
    Row(
        "POST",
        "/api/v1/cases/{case_id}/review",
        only(*STAFF),
        params=lambda seed: {"case_id": ledger.case_in(seed)},
        json=lambda seed: {"verdict": "confirmed", "comment": "ok"},
    ),
    Row(
        "POST",
        "/api/v1/cases/{case_id}/appeal",
        only("agent"),
        params=lambda seed: {"case_id": ledger.case_in(seed, "confirmed")},
        json=lambda seed: {"reason": "客户听错了 the customer misheard"},
    ),
    Row(
        "POST",
        "/api/v1/cases/{case_id}/ruling",
        only("compliance_manager"),
        params=lambda seed: {"case_id": ledger.case_in(seed, "appealed")},
        json=lambda seed: {"verdict": "upheld", "comment": "维持 upheld"},
    ),
    Row(
        "POST",
        "/api/v1/cases/{case_id}/comments",
        everyone(201),
        params=lambda seed: {"case_id": ledger.case_in(seed)},
        json=lambda seed: {"text": "已核实 checked"},
    ),
    Row(
        "POST",
        "/api/v1/cases/{case_id}/assign",
        only(*STAFF, "team_lead"),
        params=lambda seed: {"case_id": ledger.case_in(seed)},
        json=lambda seed: {"assignee": "rev"},
    ),
    Row(
        "POST",
        "/api/v1/cases/{case_id}/labels",
        only(*STAFF, ok=201),
        params=lambda seed: {"case_id": ledger.calibration_case(seed)},
        json=lambda seed: {"verdict": "clean"},
    ),
    Row("GET", "/api/v1/calibration/agreement", only(*MANAGERS, "reviewer")),
    Row("POST", "/api/v1/notifiers", only(*MANAGERS, ok=201), json=lambda seed: WEBHOOK),
    Row("GET", "/api/v1/notifiers", only(*MANAGERS)),
    Row(
        "GET",
        "/api/v1/notifiers/{notifier_id}",
        only(*MANAGERS),
        params=lambda seed: {"notifier_id": ledger.notifier(seed)},
    ),
    Row(
        "DELETE",
        "/api/v1/notifiers/{notifier_id}",
        only(*MANAGERS),
        params=lambda seed: {"notifier_id": ledger.notifier(seed)},
    ),
    Row(
        "POST",
        "/api/v1/notifiers/{notifier_id}/test",
        only(*MANAGERS),
        params=lambda seed: {"notifier_id": ledger.notifier(seed)},
    ),
    Row("GET", "/api/v1/notifications", only(*MANAGERS)),
    Row("GET", "/api/v1/notifications/policy", only(*MANAGERS)),
    Row("GET", "/api/v1/training/assignments", everyone(200)),
    Row(
        "POST",
        "/api/v1/training/assignments/{assignment_id}/acknowledge",
        only("agent"),
        params=lambda seed: {"assignment_id": ledger.assignment(seed)},
    ),
    Row(
        "POST",
        "/api/v1/training/assignments/{assignment_id}/complete",
        only("agent"),
        params=lambda seed: {"assignment_id": ledger.assignment(seed, "acknowledged")},
    ),
    Row("GET", "/api/v1/training/courses", everyone(200)),
    Row(
        "PUT",
        "/api/v1/training/courses/{category}",
        only(*MANAGERS),
        params=lambda seed: {"category": "privacy.phone"},
        json=lambda seed: {"title": "隐私保护 必修 privacy", "url": "https://lms.example/7"},
    ),
]

# An agent and a team lead see only their own conversations: another's answers 404.
NOT_THEIRS = {**everyone(200), "team_lead": 404, "agent": 404}
SUBMITTERS = ("admin", "compliance_manager")
PERIOD = {"since": "2024-01-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}


def own(seed: Seed) -> dict[str, str]:
    return {"conversation_id": conversation_of(seed, OWN)}


def others(seed: Seed) -> dict[str, str]:
    return {"conversation_id": conversation_of(seed, OTHER)}


def own_recorded(seed: Seed) -> dict[str, str]:
    return {"conversation_id": recorded_conversation_of(seed, OWN)}


def others_recorded(seed: Seed) -> dict[str, str]:
    return {"conversation_id": recorded_conversation_of(seed, OTHER)}


def pack(seed: Seed) -> dict[str, str]:
    return {"pack": published_pack(seed)}


ROWS += [
    Row("POST", "/api/v1/conversations", only(*SUBMITTERS, ok=202), json=new_conversation),
    Row("POST", "/api/v1/conversations/upload", only(*SUBMITTERS, ok=202), content=ndjson),
    Row(
        "POST",
        "/api/v1/audio",
        only(*SUBMITTERS, ok=202),
        files=lambda seed: {"file": (f"call-{seed.tag()}.wav", small_wav(), "audio/wav")},
    ),
    Row("GET", "/api/v1/conversations/{conversation_id}", everyone(200), params=own),
    Row("GET", "/api/v1/conversations/{conversation_id}", NOT_THEIRS, params=others),
    Row("GET", "/api/v1/conversations/{conversation_id}/findings", everyone(200), params=own),
    Row("GET", "/api/v1/conversations/{conversation_id}/findings", NOT_THEIRS, params=others),
    # Passes the role check, then 404: the test platform keeps no raw text.
    Row(
        "GET",
        "/api/v1/conversations/{conversation_id}/raw",
        only("compliance_manager", ok=404),
        params=own,
        query=lambda seed: {"reason": "complaint 42"},
    ),
    # Whoever may see the conversation may hear it; the rest never learn it exists (404).
    Row("GET", "/api/v1/conversations/{conversation_id}/audio", everyone(200), params=own_recorded),
    Row("GET", "/api/v1/conversations/{conversation_id}/audio", NOT_THEIRS, params=others_recorded),
    Row(
        "GET",
        "/api/v1/jobs/{job_id}",
        only(*SUBMITTERS),
        params=lambda seed: {"job_id": job_of(seed)},
    ),
    Row("GET", "/api/v1/rules", everyone(200)),
    Row(
        "GET",
        "/api/v1/rules/{rule_id}",
        everyone(200),
        params=lambda seed: {"rule_id": "securities.promise.baoben"},
    ),
    Row("GET", "/api/v1/rule-packs", everyone(200)),
    Row(
        "POST",
        "/api/v1/rule-packs",
        only(*SUBMITTERS, ok=201),
        json=lambda seed: {"text": PACK_V1},
    ),
    Row("GET", "/api/v1/rule-packs/{pack}/versions", everyone(200), params=pack),
    Row(
        "GET",
        "/api/v1/rule-packs/{pack}/versions/{version}",
        everyone(200),
        params=lambda seed: {**pack(seed), "version": 1},
    ),
    Row("POST", "/api/v1/rule-packs/{pack}/withdraw", only(*SUBMITTERS), params=pack),
    Row(
        "POST",
        "/api/v1/rule-packs/{pack}/reinspect",
        only(*SUBMITTERS, ok=202),
        params=pack,
        json=lambda seed: PERIOD,
    ),
    Row(
        "POST",
        "/api/v1/rule-packs/validate",
        only(*SUBMITTERS),
        json=lambda seed: {"text": PACK_V1},
    ),
    Row(
        "POST",
        "/api/v1/rule-packs/try",
        only(*SUBMITTERS),
        json=lambda seed: {
            "pack_text": PACK_V1,
            "rule_id": "acme.promise.lottery",
            "sample": {"text": "包您中奖"},
        },
    ),
    Row(
        "POST",
        "/api/v1/rules/{rule_id}/examples",
        everyone(200),
        params=lambda seed: {"rule_id": "securities.promise.baoben"},
    ),
    Row(
        "POST",
        "/api/v1/rules/{rule_id}/try",
        everyone(200),
        params=lambda seed: {"rule_id": "securities.promise.baoben"},
        json=lambda seed: {"text": "这个产品是保本的"},
    ),
    Row("GET", "/api/v1/rule-health", everyone(200)),
    Row(
        "GET",
        "/api/v1/metrics/findings",
        everyone(200),
        query=lambda seed: {"group_by": "category"},
    ),
]

# Service quality: conversation metrics, scores and the heat map (docs/scorecards.md).
ROWS += [
    Row(
        "GET",
        "/api/v1/metrics/conversations",
        everyone(200),
        query=lambda seed: {"group_by": "agent"},
    ),
    Row("GET", "/api/v1/metrics/scores", everyone(200), query=lambda seed: {"group_by": "team"}),
    Row("GET", "/api/v1/metrics/heatmap", everyone(200), query=lambda seed: PERIOD),
    Row("GET", "/api/v1/metrics/dashboard", everyone(200), query=lambda seed: PERIOD),
    Row("GET", "/api/v1/scorecards", everyone(200)),
    Row(
        "GET",
        "/api/v1/scorecards/{name}",
        everyone(200),
        params=lambda seed: {"name": "securities"},
    ),
    Row("GET", "/api/v1/scores/{conversation_id}", everyone(200), params=own),
    Row("GET", "/api/v1/scores/{conversation_id}", NOT_THEIRS, params=others),
]

# Reports (tests/api/test_reports_api.py has the rest).
ROWS += [
    Row(
        "GET",
        "/api/v1/reports",
        only("admin", "compliance_manager", "team_lead"),
        query=lambda seed: {"period": "2026-11"},
    ),
    Row(
        "GET",
        "/api/v1/reports/regulator",
        only("admin", "compliance_manager"),
        query=lambda seed: {"period": "2026-11"},
    ),
]
