"""The OpenAPI document and docs/api.md cover every route; the contract's paths are served."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from hegui.api import create_app
from hegui.bootstrap import Platform
from tests.api.conftest import Api
from tests.api.live import serving
from tests.api.routes import Operation, operations

ROOT = Path(__file__).resolve().parents[2]
API_DOC = (ROOT / "docs" / "api.md").read_text("utf-8")
PUBLIC = {"GET /healthz", "POST /api/v1/auth/token"}
# Contract paths a later step serves; each leaves this list when its router lands
# (test_pending_paths_are_not_served_yet says when).
PENDING: set[str] = set()


def contract() -> str | None:
    """`shared/spec/api.md`, found beside the checkout (or a folder above it)."""
    for folder in ROOT.parents:
        candidate = folder / "shared" / "spec" / "api.md"
        if candidate.is_file():
            return candidate.read_text("utf-8")
    return None


def shape(name: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", name)


@pytest.fixture
def served(api: Api) -> list[Operation]:
    return operations(create_app(api.platform))


@pytest.fixture
def contract_paths() -> set[str]:
    text = contract()
    if text is None:
        pytest.skip("shared/spec/api.md is not beside this checkout")
    found = re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/[^\s`?]+)", text)
    return {shape(f"{method} {path}") for method, path in found}


def test_every_route_is_in_docs_api_md(served: list[Operation]) -> None:
    missing = [op.name for op in served if f"`{op.name}`" not in API_DOC]
    assert missing == []


def test_contract_paths_served_so_far_are_in_the_openapi_document(
    served: list[Operation], contract_paths: set[str]
) -> None:
    assert len(contract_paths) >= 20
    documented = {shape(op.name) for op in served}
    assert contract_paths - PENDING <= documented
    assert contract_paths >= PENDING, "a pending path is not in the contract (renamed?)"


def test_pending_paths_are_not_served_yet(served: list[Operation]) -> None:
    assert PENDING.isdisjoint({shape(op.name) for op in served}), "remove them from PENDING"


def test_every_operation_documents_its_answer_and_its_guard(served: list[Operation]) -> None:
    for op in served:
        success = [code for code in op.spec["responses"] if code.startswith("2")]
        assert success, op.name
        content = op.spec["responses"][success[0]]["content"]
        # JSON, or (a recording) the media it answers with, each with its schema.
        assert content and all("schema" in c for c in content.values()), op.name
        guarded = "security" in op.spec
        assert guarded == (op.name not in PUBLIC), op.name
        if guarded:
            assert {"401", "403"} <= set(op.spec["responses"]), op.name


def test_bodies_have_schemas(served: list[Operation]) -> None:
    bodies = {op.name: op.spec["requestBody"] for op in served if "requestBody" in op.spec}
    assert set(bodies) >= {
        "POST /api/v1/users",
        "POST /api/v1/auth/token",
        "POST /api/v1/cases/{case_id}/review",
        "POST /api/v1/cases/{case_id}/appeal",
        "POST /api/v1/cases/{case_id}/ruling",
        "POST /api/v1/cases/{case_id}/comments",
        "POST /api/v1/cases/{case_id}/assign",
        "POST /api/v1/cases/{case_id}/labels",
        "POST /api/v1/notifiers",
        "PUT /api/v1/training/courses/{category}",
        "POST /api/v1/conversations",
        "POST /api/v1/conversations/upload",
        "POST /api/v1/rule-packs",
        "POST /api/v1/rule-packs/{pack}/reinspect",
    }
    for body in bodies.values():
        [content] = body["content"].values()
        assert "schema" in content


def test_openapi_document_is_served(api: Api) -> None:
    document: dict[str, Any] = api.client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "hegui"
    assert "/api/v1/users/me" in document["paths"]
    assert api.client.get("/api/v1/docs").status_code == 200


def test_the_python_example_runs(
    fresh_platform: Platform, capsys: pytest.CaptureFixture[str]
) -> None:
    code = re.search(r"```python\n(import httpx\n.*?)```", API_DOC, re.S)
    assert code is not None
    with fresh_platform.db.transaction() as session:
        spec = {"username": "alice", "password": "change-me-1", "role": "admin"}
        fresh_platform.users.create(session, spec, actor="seed")
    with serving(create_app(fresh_platform)) as url:
        source = code.group(1).replace('"http://127.0.0.1:8000"', repr(url))
        exec(compile(source, "docs/api.md", "exec"), {"httpx": httpx})
    assert capsys.readouterr().out.split() == ["201", "li", "True"]
