"""Publishing rule packs with versions, withdrawing them, and re-inspecting a period.

Re-inspection runs the current rules over the newest revision of each conversation that
took place in [since, until) and files the findings of the pack's rules (any version ever
published) anew: findings it makes again are kept as they are, new ones are added (with
the new rule version), and earlier ones it no longer makes are marked superseded.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hegui.errors import Conflict, Invalid, NotFound
from hegui.services.audit import AuditService
from hegui.services.clock import Clock
from hegui.services.conversations.repository import ConversationRepository
from hegui.services.jobs.models import REINSPECT, Job
from hegui.services.jobs.service import JobService
from hegui.services.rulesets import checks
from hegui.services.rulesets.models import RulePack, RulePackVersion
from hegui.services.rulesets.repository import RuleSetRepository


class RuleSetService:
    def __init__(self, audit: AuditService, jobs: JobService, clock: Clock) -> None:
        self.audit = audit
        self.jobs = jobs
        self.clock = clock

    def publish(self, session: Session, text: str, *, actor: str) -> RulePackVersion:
        """A new current version of the pack the YAML names (`pack:`); the same text as the
        current version publishes nothing and returns it."""
        spec, digest = checks.parsed(text)
        repo = RuleSetRepository(session)
        pack = repo.pack(spec.pack, lock=True)
        if pack is not None and pack.current_version is not None:
            current = repo.version(spec.pack, pack.current_version)
            if current is not None and current.digest == digest:
                return current
        history = self._history(repo.versions(spec.pack))
        checks.check_names(spec, self._taken(repo, spec.pack))
        checks.check_versions(spec, history)
        checks.check_examples(spec)
        now = self.clock.now()
        number = repo.last_number(spec.pack) + 1
        if pack is None:
            pack = RulePack(name=spec.pack, current_version=None, created_at=now, updated_at=now)
        version = RulePackVersion(
            pack=spec.pack,
            version=number,
            text=text,
            digest=digest,
            rules=checks.rule_table(spec),
            published_by=actor,
            published_at=now,
        )
        pack.current_version, pack.updated_at = version.version, now
        try:
            with session.begin_nested():
                repo.add(pack)  # first: no relationship orders the inserts
                repo.add(version)
        except IntegrityError as exc:
            raise Conflict(
                f"规则包正被同时发布 {spec.pack!r} was published concurrently: retry"
            ) from exc
        details = {"version": version.version, "digest": digest, "rules": len(spec.rules)}
        self.audit.record(session, actor, "rulepack.publish", ("rule_pack", spec.pack), details)
        return version

    def withdraw(self, session: Session, name: str, *, actor: str) -> RulePack:
        """Inspections stop using the pack; its versions and findings stay."""
        pack = self._pack(session, name)
        before, pack.current_version, pack.updated_at = pack.current_version, None, self.clock.now()
        session.flush()
        self.audit.record(
            session, actor, "rulepack.withdraw", ("rule_pack", name), {"version": before}
        )
        return pack

    def packs(self, session: Session) -> Sequence[RulePack]:
        """Every stored pack, withdrawn ones too, by name."""
        return RuleSetRepository(session).packs()

    def version(self, session: Session, name: str, number: int) -> RulePackVersion:
        found = RuleSetRepository(session).version(name, number)
        if found is None:
            raise NotFound(f"规则包版本不存在 no version {number} of pack {name!r}")
        return found

    def versions(self, session: Session, name: str) -> Sequence[RulePackVersion]:
        self._pack(session, name)
        return RuleSetRepository(session).versions(name)

    def published(self, session: Session) -> Sequence[RulePackVersion]:
        return RuleSetRepository(session).published()

    def reinspect(
        self, session: Session, name: str, since: datetime, until: datetime, *, actor: str
    ) -> Job:
        """A job re-inspecting conversations that took place in [since, until) with the
        pack's current version (inspected ones; pending ones get the current rules anyway)."""
        if since.tzinfo is None or until.tzinfo is None:
            raise Invalid("since", "须带时区 since and until need a time zone")
        if not since < until:
            raise Invalid("until", "须晚于 since until must be after since")
        pack = self._pack(session, name)
        if pack.current_version is None:
            raise Conflict(f"规则包已撤回 pack {name!r} is withdrawn: publish it first")
        rule_ids = sorted(
            {rid for v in RuleSetRepository(session).versions(name) for rid in v.rules}
        )
        revisions = ConversationRepository(session).current_revision_ids(since, until)
        params: dict[str, Any] = {
            "pack": name,
            "version": pack.current_version,
            "since": since.isoformat(),
            "until": until.isoformat(),
            "rule_ids": rule_ids,
        }
        job = self.jobs.create(session, REINSPECT, revisions, actor=actor, params=params)
        details = {k: params[k] for k in ("version", "since", "until")} | {"job": job.id}
        self.audit.record(session, actor, "rulepack.reinspect", ("rule_pack", name), details)
        return job

    def _pack(self, session: Session, name: str) -> RulePack:
        pack = RuleSetRepository(session).pack(name)
        if pack is None:
            raise NotFound(f"规则包不存在 no stored pack {name!r}")
        return pack

    @staticmethod
    def _history(versions: Sequence[RulePackVersion]) -> dict[str, dict[str, Any]]:
        newest: dict[str, dict[str, Any]] = {}
        for version in versions:  # oldest first: later versions overwrite
            newest.update(version.rules)
        return newest

    @staticmethod
    def _taken(repo: RuleSetRepository, own: str) -> dict[str, str]:
        taken = checks.shipped_rule_ids()
        for version in repo.published():
            if version.pack != own:
                taken.update(dict.fromkeys(version.rules, version.pack))
        return taken
