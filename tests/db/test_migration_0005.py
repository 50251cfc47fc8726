"""Migration 0005 on a database with data: cases learn their conversation's industry and
whether their revision is the newest, on both databases, and downgrade drops them again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, select, text

from hegui.bootstrap import Platform
from hegui.db import migrate
from hegui.db.migrate import alembic_config
from hegui.services.cases.models import Case
from tests.db_fixtures import ProvisionedDatabase
from tests.services.ingest_support import PROMISE, call, drain, submit


def cases_of(platform: Platform) -> dict[int, tuple[str, int, str | None, bool]]:
    """Case id → (conversation, revision id, industry, latest)."""
    with platform.db.transaction() as session:
        rows = session.execute(
            select(Case.id, Case.conversation_id, Case.revision_id, Case.industry, Case.latest)
        ).all()
    return {r[0]: (r[1], r[2], r[3], bool(r[4])) for r in rows}


def test_upgrade_fills_industry_and_latest_from_the_revisions(
    fresh_db: ProvisionedDatabase, fresh_platform: Platform
) -> None:
    submit(
        fresh_platform,
        call("s", *PROMISE),
        call("b", *PROMISE, channel="chat", industry="banking"),
    )
    drain(fresh_platform)
    # "s" again with one more turn: a second revision, inspected, with its own cases.
    submit(fresh_platform, call("s", *PROMISE, "还有别的问题吗"))
    drain(fresh_platform)
    made = cases_of(fresh_platform)
    first, second = sorted({rid for cid, rid, *_ in made.values() if cid == "s"})
    assert {(c, i, n) for c, _, i, n in made.values()} == {
        ("b", "banking", True),
        ("s", "securities", False),
        ("s", "securities", True),
    }
    assert {n for c, r, _, n in made.values() if r == first} == {False}
    assert {n for c, r, _, n in made.values() if r == second} == {True}

    config = alembic_config()
    with fresh_db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004_scores")
    columns = {c["name"] for c in inspect(fresh_db.engine).get_columns("cases")}
    assert not {"industry", "latest"} & columns
    with fresh_db.engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM cases")).scalar_one() == len(made)

    migrate(fresh_db.engine)
    assert cases_of(fresh_platform) == made
    indexes = {i["name"] for i in inspect(fresh_db.engine).get_indexes("cases")}
    assert {"ix_cases_counted", "ix_cases_industry"} <= indexes
