"""An API over the test platform (SQLite and PostgreSQL), with one user per role.

`api` serves the rolled-back `platform` through FastAPI's TestClient (in-process ASGI);
`tests/api/live.py` runs the real uvicorn server on 127.0.0.1 for the smoke tests.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from hegui.api import create_app
from hegui.bootstrap import Platform
from hegui.services.clock import FixedClock
from hegui.services.users import Role, TokenSigner, User
from hegui.settings import token_secret
from tests.db_fixtures import T0

PASSWORD = "pw-123456"
ROLES = tuple(role.value for role in Role)
# One user per role; the team lead leads east-1, the agent is A-17 in east-1.
SEED_USERS = {
    "admin": {"username": "root", "role": "admin"},
    "compliance_manager": {"username": "cm", "role": "compliance_manager"},
    "reviewer": {"username": "rev", "role": "reviewer"},
    "team_lead": {"username": "lead", "role": "team_lead", "team": "east-1"},
    "agent": {"username": "li", "role": "agent", "agent_id": "A-17", "team": "east-1"},
}
_tags = itertools.count(1)


@dataclass
class Seed:
    """What the role matrix's rows may refer to: the platform and its seeded users."""

    platform: Platform
    users: dict[str, User] = field(default_factory=dict)

    def tag(self) -> str:
        """A fresh suffix, for bodies that must be unique (usernames, ids)."""
        return f"t{next(_tags)}"


@dataclass
class Api:
    client: TestClient
    platform: Platform
    seed: Seed
    tokens: dict[str, str]

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def expired_token(self, role: str = "admin") -> str:
        """Signed with the server's key, but expired a day before the server's now."""
        past = FixedClock(T0 - timedelta(days=2))
        signer = TokenSigner(token_secret(self.platform.settings), timedelta(days=1), past)
        return signer.issue(self.seed.users[role].id, 0).access_token


def seed_users(platform: Platform) -> Seed:
    seed = Seed(platform)
    with platform.db.transaction() as session:
        for role, spec in SEED_USERS.items():
            user = platform.users.create(session, {**spec, "password": PASSWORD}, actor="seed")
            seed.users[role] = user
    return seed


@pytest.fixture
def api(platform: Platform) -> Iterator[Api]:
    seed = seed_users(platform)
    tokens = {
        role: platform.users.tokens.issue(user.id, user.token_generation).access_token
        for role, user in seed.users.items()
    }
    with TestClient(create_app(platform)) as client:
        yield Api(client, platform, seed, tokens)
