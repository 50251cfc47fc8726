"""Background jobs: the progress of a submission's inspection or of a re-inspection."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from hegui.api.deps import PlatformDep, ReaderDep, requires
from hegui.api.errors import documented
from hegui.api.schemas import MAX_ID
from hegui.services.access import Principal
from hegui.services.users.schemas import Role

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"], responses=documented(401, 403))

# The roles that create jobs (submissions, re-inspections) follow them.
JobReader = Annotated[Principal, Depends(requires(Role.admin, Role.compliance_manager))]


class JobOut(BaseModel):
    id: int
    kind: str = Field(description="inspect | reinspect")
    status: str = Field(description="queued | running | done | failed")
    total: int = Field(description="conversations to inspect")
    done: int = Field(description="inspected so far")
    failed: int = Field(description="could not be inspected (see error)")
    error: str | None = Field(description="why the first failed item failed")
    params: dict[str, Any]
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@router.get("/{job_id}", response_model=JobOut, responses=documented(404))
def read_job(
    job_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    _user: JobReader,
    platform: PlatformDep,
    session: ReaderDep,
) -> JobOut:
    """任务进度 A job's `status` (queued → running → done | failed), `total` and `done`
    (admin, compliance_manager)."""
    return JobOut.model_validate(platform.jobs.read(session, job_id).model_dump())
