"""The audit log for auditors: its entries with their hash chain, and a verification."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from hegui.api.deps import AuditReader, PlatformDep, ReaderDep
from hegui.api.errors import documented
from hegui.api.schemas import DEFAULT_LIMIT, MAX_LIMIT, MAX_SEQ
from hegui.services.audit.schemas import AuditRecord

router = APIRouter(prefix="/api/v1/audit", tags=["audit"], responses=documented(401, 403))


class AuditPage(BaseModel):
    items: list[AuditRecord]
    total: int = Field(ge=0, description="entries in the whole log")
    next_after: int | None = Field(
        description="pass as `after` for the next page; null on the last page"
    )


class ChainCheck(BaseModel):
    ok: bool = Field(description="true when the chain is intact")
    entries: int = Field(description="entries checked before the first problem")
    head_seq: int
    head_hash: str
    problem: str | None = Field(description="the first entry altered or removed, or null")
    problem_seq: int | None


@router.get("", response_model=AuditPage)
def list_entries(
    _reader: AuditReader,
    platform: PlatformDep,
    session: ReaderDep,
    after: Annotated[int, Query(ge=0, le=MAX_SEQ, description="entries with seq above this")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> AuditPage:
    """审计日志 Entries in seq order, each with `prev_hash` and `hash` (admin, compliance_manager).

    Page with `after`: the `next_after` of the page before.
    """
    # One more than asked: whether a next page exists without a second query.
    entries = platform.audit.entries(session, after=after, limit=limit + 1)
    items = [AuditRecord.of(entry) for entry in entries[:limit]]
    next_after = items[-1].seq if len(entries) > limit else None
    return AuditPage(items=items, total=platform.audit.count(session), next_after=next_after)


@router.get("/verify", response_model=ChainCheck)
def verify_chain(_reader: AuditReader, platform: PlatformDep, session: ReaderDep) -> ChainCheck:
    """校验审计链 Check every entry's hash and the chain head, like `hegui audit verify`.

    200 either way: `ok` says whether the chain is intact, `problem` names the first entry
    altered or removed.
    """
    report = platform.audit.verify(session)
    return ChainCheck(
        ok=report.ok,
        entries=report.entries,
        head_seq=report.head_seq,
        head_hash=report.head_hash,
        problem=report.problem,
        problem_seq=report.problem_seq,
    )
