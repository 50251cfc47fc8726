"""A month of ledger data for the report tests (November 2026, October before it).

November: team east-1 (agent A-17) has 6 privacy.address findings and 1 保本 finding;
team west-2 (agent B-2) has 1 privacy.address and 2 保本 findings. October: east-1 has
2 privacy.address findings. Reviewers confirm A-17's address findings (so A-17 crosses the
training threshold of 3) and dismiss the west-2 保本 ones.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from hegui.bootstrap import Platform
from hegui.services.cases.schemas import ReviewIn
from tests.services.cases.support import REVIEWER, finding, open_cases
from tests.services.ingest_support import call, submit

ADDRESS_TEXT = "您住在朝阳区建国路88号吧"
_ids = itertools.count(1)


@dataclass
class Seeded:
    east_address: list[int]
    west_promise: list[int]


def address(cid: str, index: int = 0) -> object:
    return finding(
        cid,
        rule_id="privacy.address.spoken",
        category="privacy.address",
        severity="medium",
        index=2,
        span=(3 + index, 9 + index),
        evidence=ADDRESS_TEXT,
    )


def conversation(
    platform: Platform, day: str, team: str, agent: str, *, addresses: int = 0, promises: int = 0
) -> list[int]:
    """One call on `day` (2026-11-05) with the findings asked for; its case ids."""
    cid = f"rep-{team}-{next(_ids)}"
    found = [address(cid, i) for i in range(addresses)]
    found += [finding(cid, span=(7 + i, 9 + i)) for i in range(promises)]
    return open_cases(
        platform,
        cid,
        *found,  # type: ignore[arg-type]
        agent=agent,
        team=team,
        started_at=f"{day}T10:00:00+08:00",
    )


def seed_month(platform: Platform) -> Seeded:
    east = conversation(platform, "2026-11-03", "east-1", "A-17", addresses=3)
    east += conversation(platform, "2026-11-10", "east-1", "A-17", addresses=3, promises=1)
    west = conversation(platform, "2026-11-10", "west-2", "B-2", addresses=1, promises=2)
    clean = call(
        "rep-clean",
        "您好 请问有什么可以帮您",
        "查余额",
        "好的",
        started_at="2026-11-20T10:00:00+08:00",
    )
    submit(platform, clean | {"agent": {"id": "B-2", "team": "west-2"}})  # never inspected
    conversation(platform, "2026-10-15", "east-1", "A-17", addresses=2)
    east_address, west_promise = east[:6], west[1:]
    with platform.db.transaction() as session:
        for case_id in east_address:
            platform.cases.review(session, REVIEWER, case_id, ReviewIn(verdict="confirmed"))
        for case_id in west_promise:
            platform.cases.review(session, REVIEWER, case_id, ReviewIn(verdict="dismissed"))
    return Seeded(east_address, west_promise)
