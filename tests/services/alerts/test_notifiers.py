"""Notifier configurations: validated by the adapters' rules (422 naming each field),
credentials sealed in the database, never shown, and every change audited."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from hegui.bootstrap import Platform
from hegui.errors import Invalid, NotFound
from hegui.services.alerts import NotifierRead
from hegui.services.alerts.notifiers import InvalidConfig
from tests.services.ingest_support import dump

ROBOT = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdef-robot-key"


def create(platform: Platform, **spec: object) -> NotifierRead:
    with platform.db.transaction() as session:
        row = platform.alerts.notifiers.create(session, spec, actor="cm")
        return NotifierRead.model_validate(row)


def test_credentials_are_sealed_and_never_shown(platform: Platform) -> None:
    hook = create(
        platform,
        kind="webhook",
        target="http://127.0.0.1:9/hooks/secret-path",
        min_severity="high",
        secret="s3cret-signing-key",
    )
    robot = create(platform, kind="wecom", target=ROBOT, min_severity="medium")
    assert hook.target_hint == "http://127.0.0.1/…" and hook.has_secret
    assert robot.target_hint == "https://qyapi.weixin.qq.com/…" and not robot.has_secret
    assert robot.name.startswith("wecom") and robot.active
    with platform.db.reader() as session:
        stored = dump(session) + "\n".join(
            str(v)
            for row in session.execute(text("SELECT * FROM notifiers"))
            for v in row
            if not isinstance(v, bytes | memoryview)
        )
        sealed = [bytes(r[0]) for r in session.execute(text("SELECT sealed FROM notifiers"))]
        audit = [
            e.details for e in platform.audit.entries(session) if e.action == "notifier.create"
        ]
    for secret in ("secret-path", "s3cret-signing-key", "abcdef-robot-key"):
        assert secret not in stored
        assert all(secret.encode() not in blob for blob in sealed)
    assert audit[0] == {"kind": "webhook", "min_severity": "high", "target": "http://127.0.0.1/…"}
    with platform.db.reader() as session:
        built = platform.alerts.notifiers.build(platform.alerts.notifiers.get(session, hook.id))
    assert built.kind == "webhook" and "secret-path" not in repr(built)


@pytest.mark.parametrize(
    ("spec", "fields"),
    [
        ({"kind": "sms", "target": "https://x.example/"}, ["kind"]),
        ({"kind": "wecom", "target": "http://qyapi.example/send?key=k"}, ["target"]),
        ({"kind": "wecom", "target": ROBOT, "secret": "x"}, ["secret"]),
        ({"kind": "webhook", "target": "ftp://x.example/"}, ["target"]),
        (
            {"kind": "webhook", "target": "https://x.example/", "options": {"colour": 1}},
            ["options.colour"],
        ),
        (
            {"kind": "email", "target": "not an address"},
            ["target", "options.host", "options.sender"],
        ),
    ],
)
def test_bad_configurations_name_every_field(
    platform: Platform, spec: dict[str, object], fields: list[str]
) -> None:
    with pytest.raises(InvalidConfig) as caught:
        create(platform, min_severity="high", **spec)
    assert [field for field, _ in caught.value.errors] == fields
    assert caught.value.detail[0]["loc"] == ["body", *fields[0].split(".")]  # type: ignore[index]


def test_min_severity_is_required_and_checked(platform: Platform) -> None:
    with pytest.raises(Invalid, match="min_severity"):
        create(platform, kind="webhook", target="https://x.example/", min_severity="urgent")


def test_deactivating(platform: Platform) -> None:
    hook = create(platform, kind="webhook", target="https://x.example/h", min_severity="low")
    with platform.db.transaction() as session:
        platform.alerts.notifiers.deactivate(session, hook.id, actor="cm")
        platform.alerts.notifiers.deactivate(session, hook.id, actor="cm")  # once is enough
        assert platform.alerts.notifiers.targets(session) == []
        actions = [e.action for e in platform.audit.entries(session)]
        with pytest.raises(NotFound):
            platform.alerts.notifiers.get(session, hook.id + 1000)
    assert actions.count("notifier.deactivate") == 1
