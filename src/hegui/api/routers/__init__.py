"""One router per domain; `create_app` includes every router listed in `ROUTERS`."""

from __future__ import annotations

from fastapi import APIRouter

from hegui.api.routers import audit, auth, health, live, users

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    auth.router,
    users.router,
    audit.router,
    live.router,
)
