"""The operations an app declares, read from its OpenAPI document (what clients see)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"

    def parameters(self, where: str) -> list[str]:
        return [p["name"] for p in self.spec.get("parameters", []) if p["in"] == where]

    @property
    def body_types(self) -> list[str]:
        return list(self.spec.get("requestBody", {}).get("content", {}))


def operations(app: FastAPI) -> list[Operation]:
    return [
        Operation(method.upper(), path, spec)
        for path, item in app.openapi()["paths"].items()
        for method, spec in item.items()
        if method in METHODS
    ]
