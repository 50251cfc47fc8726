"""Durable background jobs over conversation revisions, and the worker that runs them."""

from __future__ import annotations

from hegui.services.jobs.jobs import run_once, run_until_done, run_worker
from hegui.services.jobs.models import Job, JobItem
from hegui.services.jobs.schemas import JobRead
from hegui.services.jobs.service import JobService
from hegui.services.jobs.worker import Worker

__all__ = [
    "Job",
    "JobItem",
    "JobRead",
    "JobService",
    "Worker",
    "run_once",
    "run_until_done",
    "run_worker",
]
