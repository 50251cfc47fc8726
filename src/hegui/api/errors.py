"""Every error answers `{"detail": ...}` with the status that says what happened.

`HeguiError`s carry their status; request validation errors become 422 naming the field
(or the line and column of malformed JSON) without echoing the input (it may be a
password); an unreachable or locked database is 503; anything unexpected is a bare 500
whose traceback goes to the server's log, never to the client.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from hegui.errors import HeguiError, Unauthorized

log = logging.getLogger("hegui.api")

UNAVAILABLE = "数据库暂不可用 database unavailable, retry later"
INTERNAL = "服务器内部错误 internal server error"
REFUSED = "取值无效 invalid value: the database refused a value (NUL character or out of range)"
PLAIN = {
    404: "未找到 not found",
    405: "不支持此方法 method not allowed",
}
# FastAPI's own 400 when a body cannot be decoded at all (bad UTF-8, nesting too deep).
UNPARSABLE = "There was an error parsing the body"
NOT_JSON = "请求体须为 JSON 对象 the body must be a JSON object (Content-Type: application/json)"
INVALID = {
    "missing": "缺少字段 field required",
    "extra_forbidden": "不允许的字段 unknown field",
}


class ErrorBody(BaseModel):
    """An error: `detail` is a message, or for 422 a list of `{"loc", "msg", "type"}`."""

    detail: Any


def documented(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses (use on a router or a route)."""
    return {code: {"model": ErrorBody, "description": HTTPStatus(code).phrase} for code in codes}


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HeguiError, _hegui_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    # sqlite3's own error escapes SQLAlchemy's wrapping when a new pooled connection's
    # set-up statements find the database locked.
    for database_down in (OperationalError, InterfaceError, PoolTimeout, sqlite3.OperationalError):
        app.add_exception_handler(database_down, _unavailable)
    app.add_exception_handler(DataError, _refused_value)
    app.add_exception_handler(Exception, _unexpected)


async def _hegui_error(_request: Request, exc: HeguiError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
    return JSONResponse({"detail": exc.detail}, exc.status_code, headers)


async def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
    body = exc.body if isinstance(exc.body, str | bytes) else None
    errors = [_described(error, body) for error in exc.errors()]
    return JSONResponse({"detail": errors}, 422)


async def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
    detail = exc.detail
    if exc.status_code in PLAIN and detail == HTTPStatus(exc.status_code).phrase:
        detail = PLAIN[exc.status_code]
    elif detail == UNPARSABLE:
        detail = f"无法解析请求体 cannot parse the request body: {UNPARSABLE.lower()}"
    return JSONResponse({"detail": detail}, exc.status_code, exc.headers)


async def _unavailable(_request: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable: %s: %s", type(exc).__name__, exc)
    return JSONResponse({"detail": UNAVAILABLE}, 503, {"Retry-After": "1"})


async def _refused_value(_request: Request, exc: Exception) -> JSONResponse:
    # A safety net: inputs are bounded where they are declared, so this names no field.
    log.warning("database refused a value: %s", exc)
    return JSONResponse({"detail": REFUSED}, 422)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": INTERNAL}, 500)


def _described(error: dict[str, Any], body: str | bytes | None) -> dict[str, Any]:
    loc: Sequence[Any] = error.get("loc", ())
    kind = str(error.get("type", "value_error"))
    if kind == "json_invalid":
        return {"loc": list(loc), "msg": _json_message(error, body), "type": kind}
    if kind in ("model_attributes_type", "dict_type") and list(loc) == ["body"]:
        return {"loc": list(loc), "msg": NOT_JSON, "type": kind}
    reason = str(error.get("msg", "")).removeprefix("Value error, ")
    message = INVALID.get(kind) or f"取值无效 invalid value: {reason}"
    return {"loc": list(loc), "msg": message, "type": kind}


def _json_message(error: dict[str, Any], body: str | bytes | None) -> str:
    reason = (error.get("ctx") or {}).get("error", "")
    loc = error.get("loc", ())
    position = loc[-1] if loc and isinstance(loc[-1], int) else None
    if position is None or body is None:
        return f"JSON 格式错误 malformed JSON: {reason}"
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    where = f"line {line} column {column}"
    return f"第 {line} 行第 {column} 列 JSON 格式错误 malformed JSON at {where}: {reason}"
