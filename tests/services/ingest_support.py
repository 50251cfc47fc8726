"""Helpers for the ingestion tests: conversations to submit, draining the worker, raw SQL."""

from __future__ import annotations

import base64
from typing import Any

from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.orm import Session

from hegui.bootstrap import Platform, wire
from hegui.services.clock import FixedClock
from tests.db_fixtures import cheap_passwords

RAW_KEY = base64.b64encode(bytes(range(32))).decode()
PHONE = "13812345678"
ID_NUMBER = "110105199003071234"

PACK_V1 = """\
pack: acme
title: 测试规则包 test pack
rules:
  - id: acme.promise.lottery
    version: 1
    category: compliance.unauthorized_commitment
    severity: medium
    message: 坐席承诺中奖
    message_en: Agent promised a prize
    scope: {roles: [agent]}
    when:
      keywords: [包您中奖]
    examples:
      match: [我们这个活动包您中奖, 放心 包您中奖的, 参加就包您中奖]
      no_match: [这个活动不一定中奖, 中奖要看运气, 您好请问有什么可以帮您]
"""
PACK_V2 = PACK_V1.replace("version: 1", "version: 2").replace(
    "keywords: [包您中奖]", "keywords: [包您中奖, 保您中奖]"
)


def call(cid: str, *turns: str, **fields: Any) -> dict[str, Any]:
    """A phone call: turns alternate agent, customer, agent, …"""
    roles = ("agent", "customer")
    utterances = [
        {"role": roles[i % 2], "text": t, "start": 3.0 * i, "end": 3.0 * i + 2.5}
        for i, t in enumerate(turns)
    ]
    return {
        "id": cid,
        "channel": "phone",
        "industry": "securities",
        **fields,
        "utterances": utterances,
    }


PROMISE = ("您好 请问有什么可以帮您", "这个基金保本吗", "放心 这个产品是保本的")


def drain(platform: Platform, limit: int = 200) -> int:
    """Run the worker until it finds nothing to do; how many items it took."""
    total = 0
    for _ in range(limit):
        taken = platform.worker.run_once()
        if not taken:
            return total
        total += taken
    raise AssertionError("the worker never ran out of work")


def submit(platform: Platform, *items: dict[str, Any], actor: str = "tester") -> Any:
    with platform.db.transaction() as session:
        return platform.conversations.submit(session, list(items), actor=actor)


def count(session: Session, sql: str, **params: Any) -> int:
    return int(session.execute(text(sql), params).scalar_one())


def dump(session: Session) -> str:
    """Every text-like value of every table, as one string (what an intruder would read)."""
    tables = [
        "conversations",
        "conversation_revisions",
        "utterances",
        "findings",
        "inspections",
        "jobs",
        "job_items",
        "audit_log",
    ]
    out = []
    for table in tables:
        for row in session.execute(text(f"SELECT * FROM {table}")):
            for value in row:
                if isinstance(value, bytes | memoryview):
                    out.append(bytes(value).decode("latin-1"))
                else:
                    out.append(str(value))
    return "\n".join(out)


def keeping_raw(platform: Platform, clock: FixedClock) -> Platform:
    """The same database, with the institution's raw-text key set."""
    settings = platform.settings.model_copy(update={"raw_text_key": SecretStr(RAW_KEY)})
    return wire(settings, platform.db, clock=clock, passwords=cheap_passwords())
