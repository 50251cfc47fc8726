"""One router per domain; `create_app` includes every router listed in `ROUTERS`."""

from __future__ import annotations

from fastapi import APIRouter

from hegui.api.routers import (
    audit,
    auth,
    calibration,
    cases,
    health,
    live,
    notifiers,
    training,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    auth.router,
    users.router,
    audit.router,
    cases.router,
    calibration.router,
    notifiers.router,
    training.router,
    live.router,
)
