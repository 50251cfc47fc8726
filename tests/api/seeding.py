"""Conversations for the API tests and the role matrix: submitted through the service,
inspected by the worker, filed under an agent and a team."""

from __future__ import annotations

import io
import json
from typing import Any

from hegui.bootstrap import Platform
from hegui.services.conversations.repository import ConversationRepository
from tests.api.conftest import Api, Seed
from tests.audio.synth import small_wav
from tests.services.ingest_support import PACK_V1, PROMISE, call, drain, submit

# The seeded agent and team lead (east-1) own these; nobody else's scope holds them.
OWN = {"id": "A-17", "name": "李", "team": "east-1"}
OTHER = {"id": "B-9", "name": "王", "team": "west-2"}


def conversation(cid: str, agent: dict[str, str] | None = None, **fields: Any) -> dict[str, Any]:
    """A securities call in which the agent promises capital protection (保本)."""
    return call(cid, *PROMISE, **({"agent": agent} if agent else {}), **fields)


def inspected(platform: Platform, *items: dict[str, Any]) -> list[str]:
    result = submit(platform, *items)
    drain(platform)
    return list(result.accepted)


def conversation_of(seed: Seed, agent: dict[str, str]) -> str:
    """A fresh, inspected conversation of `agent`; its id."""
    cid = f"call-{seed.tag()}"
    inspected(seed.platform, conversation(cid, agent))
    return cid


def record(platform: Platform, cid: str, data: bytes | None = None) -> bytes:
    """Keep `data` (default: a small WAV) as the recording of the newest revision of `cid`,
    through the recordings service as `POST /audio` does; the bytes kept."""
    data = small_wav() if data is None else data
    saved = platform.recordings.save(io.BytesIO(data))
    assert saved is not None, "the platform keeps no audio"
    with platform.db.transaction() as session:
        repo = ConversationRepository(session)
        stored = repo.get(cid)
        assert stored is not None
        revision = repo.revision(cid, stored.revision)
        assert revision is not None
        attached = platform.recordings.attach(
            session, cid, revision.content_hash, saved, "audio/wav", actor="seed"
        )
    assert attached
    return data


def recorded_conversation_of(seed: Seed, agent: dict[str, str]) -> str:
    """A fresh, inspected conversation of `agent` with a recording kept; its id."""
    cid = conversation_of(seed, agent)
    record(seed.platform, cid)
    return cid


def new_conversation(seed: Seed) -> dict[str, Any]:
    return conversation(f"new-{seed.tag()}", OWN)


def ndjson(seed: Seed) -> bytes:
    return (json_line(new_conversation(seed)) + "\n").encode()


def json_line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)


def job_of(seed: Seed) -> int:
    return int(submit(seed.platform, new_conversation(seed)).job_id)


def published_pack(seed: Seed) -> str:
    """The test pack `acme`, published (version 1)."""
    with seed.platform.db.transaction() as session:
        return seed.platform.rulesets.publish(session, PACK_V1, actor="seed").pack


def upload(api: Api, name: str, data: bytes, **form: str) -> dict[str, Any]:
    """`POST /api/v1/audio` as a compliance manager: 202 and the job's Location."""
    response = api.client.post(
        "/api/v1/audio",
        files={"file": (name, data, "application/octet-stream")},
        data=form,
        headers=api.auth("compliance_manager"),
    )
    assert response.status_code == 202, response.text
    assert response.headers["Location"] == f"/api/v1/jobs/{response.json()['job_id']}"
    return dict(response.json())
