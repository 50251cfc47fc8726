"""One router per domain; `create_app` includes every router listed in `ROUTERS`."""

from __future__ import annotations

from fastapi import APIRouter

from hegui.api.routers import (
    audit,
    auth,
    conversations,
    health,
    jobs,
    metrics,
    rulepacks,
    rules,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    auth.router,
    users.router,
    audit.router,
    conversations.router,
    jobs.router,
    rules.router,
    rulepacks.router,
    metrics.router,
)
