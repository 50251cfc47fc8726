"""Opening cases quickly for tests: a stored conversation whose first inspection files the
findings given (the findings hooks open the cases, as the worker's inspection would)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

from sqlalchemy import select

from hegui.bootstrap import Platform
from hegui.engine.model import Finding
from hegui.services.access import Principal
from hegui.services.cases.schemas import AppealIn, ReviewIn
from hegui.services.conversations.models import INSPECTED
from hegui.services.conversations.repository import ConversationRepository
from hegui.services.findings import InspectionRun, StoredFinding
from hegui.services.users.schemas import Role
from tests.services.ingest_support import call, submit

REVIEWER = Principal(9001, "rev", Role.reviewer)
MANAGER = Principal(9002, "cm", Role.compliance_manager)
ADMIN = Principal(9003, "root", Role.admin)
LEAD = Principal(9004, "lead", Role.team_lead, team="east-1")
AGENT = Principal(9005, "li", Role.agent, team="east-1", agent_id="A-17")
OTHER_AGENT = Principal(9006, "wang", Role.agent, team="west-2", agent_id="B-2")
PROMISE_TEXT = "放心 这个产品是保本的"
_ids = itertools.count(1)


def finding(
    conversation_id: str,
    *,
    rule_id: str = "securities.promise.baoben",
    category: str = "compliance.guarantee_return",
    severity: str = "high",
    index: int = 2,
    span: tuple[int, int] = (7, 9),
    evidence: str = PROMISE_TEXT,
) -> Finding:
    return Finding(
        conversation_id=conversation_id,
        category=category,
        rule_id=rule_id,
        rule_version=1,
        severity=severity,
        message="坐席承诺保本 agent promised principal protection",
        utterance_index=index,
        role="agent",
        span=span,
        evidence=evidence,
        matched=evidence[span[0] : span[1]],
    )


def open_cases(
    platform: Platform,
    cid: str | None = None,
    *findings: Finding,
    agent: str = "A-17",
    team: str = "east-1",
    turns: tuple[str, ...] = ("您好 请问有什么可以帮您", "这个基金保本吗", PROMISE_TEXT),
    **fields: Any,
) -> list[int]:
    """Store conversation `cid` and file `findings` (default: one 保本 finding) as its first
    inspection; the ids of the cases they opened, in finding order."""
    cid = cid or f"case-conv-{next(_ids)}"
    agent_fields = {"agent": {"id": agent, "team": team}}
    submit(platform, call(cid, *turns, **agent_fields, **fields))
    wanted = list(findings) or [finding(cid)]
    with platform.db.transaction() as session:
        conversation = ConversationRepository(session).get(cid)
        assert conversation is not None
        revision = ConversationRepository(session).revision(cid, conversation.revision)
        assert revision is not None
        run = InspectionRun([_for(f, cid) for f in wanted], {"hegui": "test"}, "masked")
        inspection = platform.findings.record_first(session, revision, run)
        revision.status = INSPECTED
        query = select(StoredFinding).where(StoredFinding.inspection_id == inspection.id)
        rows = session.scalars(query.order_by(StoredFinding.id)).all()
        return [row.case_id for row in rows if row.case_id is not None]


def open_case(platform: Platform, cid: str | None = None, **kw: Any) -> int:
    finding_fields = {k: kw.pop(k) for k in ("severity", "rule_id", "category") if k in kw}
    cid = cid or f"case-conv-{next(_ids)}"
    [case_id] = open_cases(platform, cid, finding(cid, **finding_fields), **kw)
    return case_id


def _for(found: Finding, cid: str) -> Finding:
    return replace(found, conversation_id=cid)


def confirmed_case(platform: Platform, **kw: Any) -> int:
    case_id = open_case(platform, **kw)
    with platform.db.transaction() as session:
        platform.cases.review(session, REVIEWER, case_id, ReviewIn(verdict="confirmed"))
    return case_id


def appealed_case(platform: Platform, **kw: Any) -> int:
    case_id = confirmed_case(platform, **kw)
    with platform.db.transaction() as session:
        platform.cases.appeal(session, AGENT, case_id, AppealIn(reason="我说的是不保本"))
    return case_id
