"""`GET /healthz`: 200 when the service and its database answer, 503 otherwise."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from hegui import __version__
from hegui.api.deps import PlatformDep
from hegui.api.errors import UNAVAILABLE, documented
from hegui.api.schemas import Health

router = APIRouter(tags=["health"])
log = logging.getLogger("hegui.api")


@router.get("/healthz", response_model=Health, responses=documented(503))
def healthz(platform: PlatformDep) -> Health | JSONResponse:
    """服务与数据库是否可用 Whether the service and its database answer (no login needed)."""
    try:
        platform.db.ping()
    except SQLAlchemyError as exc:
        log.warning("health check: database unavailable: %s", exc)
        return JSONResponse({"detail": UNAVAILABLE}, 503, {"Retry-After": "1"})
    return Health(database=platform.db.engine.dialect.name, version=__version__)
