"""Queries on stored rule packs and their versions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hegui.services.rulesets.models import RulePack, RulePackVersion


class RuleSetRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def pack(self, name: str, *, lock: bool = False) -> RulePack | None:
        return self.session.get(RulePack, name, with_for_update=lock or None)

    def packs(self) -> Sequence[RulePack]:
        return self.session.scalars(select(RulePack).order_by(RulePack.name)).all()

    def version(self, name: str, version: int) -> RulePackVersion | None:
        query = select(RulePackVersion).where(
            RulePackVersion.pack == name, RulePackVersion.version == version
        )
        return self.session.scalars(query).one_or_none()

    def versions(self, name: str) -> Sequence[RulePackVersion]:
        query = select(RulePackVersion).where(RulePackVersion.pack == name)
        return self.session.scalars(query.order_by(RulePackVersion.version)).all()

    def last_number(self, name: str) -> int:
        query = select(func.max(RulePackVersion.version)).where(RulePackVersion.pack == name)
        return self.session.scalar(query) or 0

    def published_keys(self) -> list[tuple[str, int, str]]:
        """(pack, version, digest) of every current version, by pack name: cheap to poll."""
        query = (
            select(RulePackVersion.pack, RulePackVersion.version, RulePackVersion.digest)
            .join(
                RulePack,
                (RulePack.name == RulePackVersion.pack)
                & (RulePack.current_version == RulePackVersion.version),
            )
            .order_by(RulePackVersion.pack)
        )
        return [(row[0], row[1], row[2]) for row in self.session.execute(query)]

    def published(self) -> Sequence[RulePackVersion]:
        query = (
            select(RulePackVersion)
            .join(
                RulePack,
                (RulePack.name == RulePackVersion.pack)
                & (RulePack.current_version == RulePackVersion.version),
            )
            .order_by(RulePackVersion.pack)
        )
        return self.session.scalars(query).all()

    def add(self, *rows: object) -> None:
        self.session.add_all(rows)
        self.session.flush()
