"""The application factory: one FastAPI app serving one `Platform`."""

from __future__ import annotations

from fastapi import FastAPI

from hegui import __version__
from hegui.api.errors import install_error_handlers
from hegui.api.limits import BodyLimit
from hegui.api.routers import ROUTERS
from hegui.bootstrap import Platform
from hegui.web import mount_console

API_PREFIX = "/api/v1"
DESCRIPTION = """\
合规质检 hegui: submit conversations, read findings and the violation ledger (cases),
review and appeal, watch live conversations, audit every change.

Log in at `POST /api/v1/auth/token` (form fields `username`, `password`) and send
`Authorization: Bearer <access_token>`. Errors are `{"detail": ...}`; 422 names the field.
"""


def create_app(platform: Platform) -> FastAPI:
    """The HTTP API over `platform`; the caller owns the platform and closes it after."""
    app = FastAPI(
        title="hegui",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=f"{API_PREFIX}/docs/oauth2-redirect",
    )
    app.state.platform = platform
    install_error_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=platform.settings.max_request_bytes)
    for router in ROUTERS:
        app.include_router(router)
    mount_console(app)
    return app
