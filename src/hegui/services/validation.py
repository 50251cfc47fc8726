"""Turn pydantic's validation errors into `Invalid`, naming the first bad field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from hegui.errors import Invalid

M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: M | Mapping[str, object]) -> M:
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from exc


def invalid_from(exc: ValidationError) -> Invalid:
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "body"
    message = first["msg"].removeprefix("Value error, ")
    return Invalid(field, f"取值无效 invalid value: {message}")
