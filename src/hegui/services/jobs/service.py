"""Creating jobs over conversation revisions and reading their progress."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from hegui.errors import NotFound
from hegui.services.clock import Clock
from hegui.services.jobs.models import DONE, QUEUED, Job
from hegui.services.jobs.repository import JobRepository
from hegui.services.jobs.schemas import JobRead


class JobService:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def create(
        self,
        session: Session,
        kind: str,
        revision_ids: Iterable[int],
        *,
        actor: str,
        params: Mapping[str, Any] | None = None,
    ) -> Job:
        """A queued job over these revisions (each once); with none it is done at once."""
        unique = list(dict.fromkeys(revision_ids))
        now = self.clock.now()
        job = Job(
            kind=kind,
            status=QUEUED if unique else DONE,
            total=len(unique),
            done=0,
            failed=0,
            params=dict(params or {}),
            created_by=actor,
            created_at=now,
            finished_at=None if unique else now,
        )
        return JobRepository(session).add(job, unique)

    def get(self, session: Session, job_id: int) -> Job:
        job = JobRepository(session).get(job_id)
        if job is None:
            raise NotFound(f"任务不存在 no job {job_id}")
        session.refresh(job)
        return job

    def read(self, session: Session, job_id: int) -> JobRead:
        return JobRead.model_validate(self.get(session, job_id))
