"""Serve the console at `/console/` (and send `/` there) from the package's static files."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from hegui.packs import taxonomy

CONSOLE_PATH = "/console"


@functools.cache
def taxonomy_document() -> dict[str, Any]:
    """The categories the console names (id, Chinese name, group, default severity)."""
    return {
        "categories": [
            {"id": c.id, "zh": c.zh, "group": c.group, "severity": c.severity}
            for c in taxonomy().categories.values()
        ]
    }


def mount_console(app: FastAPI) -> None:
    static = resources.files("hegui.web").joinpath("static")

    @app.get("/", include_in_schema=False)
    def _root() -> RedirectResponse:
        return RedirectResponse(f"{CONSOLE_PATH}/")

    @app.get(f"{CONSOLE_PATH}/taxonomy.json", include_in_schema=False)
    def _taxonomy() -> JSONResponse:
        return JSONResponse(taxonomy_document())

    app.mount(CONSOLE_PATH, StaticFiles(directory=str(static), html=True), name="console")
