"""The institution's own rule packs: published with versions (tested before they are),
withdrawn, and a period re-inspected with the current version."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hegui.api.deps import CurrentUser, PlatformDep, ReaderDep, SessionDep, requires
from hegui.api.errors import documented
from hegui.api.schemas import MAX_ID
from hegui.services.access import Principal
from hegui.services.rulesets.checks import MAX_TEXT
from hegui.services.users.schemas import Role

PREFIX = "/api/v1/rule-packs"
router = APIRouter(prefix=PREFIX, tags=["rules"], responses=documented(401, 403))

RuleAuthor = Annotated[Principal, Depends(requires(Role.admin, Role.compliance_manager))]
PackName = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]


class PackText(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_TEXT, description="the pack as YAML (`pack:`, `rules:`)")


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: AwareDatetime = Field(description="conversations that took place from (inclusive)")
    until: AwareDatetime = Field(description="to (exclusive); ISO 8601 with a time zone")


class PackOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    current_version: int | None = Field(description="null: withdrawn, no longer inspected")
    created_at: datetime
    updated_at: datetime


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    pack: str
    version: int
    digest: str = Field(description="SHA-256 of the text")
    rules: dict[str, Any] = Field(description="rule id → {version, digest}")
    published_by: str
    published_at: datetime


class VersionText(VersionOut):
    text: str = Field(description="the YAML as published")


class Packs(BaseModel):
    items: list[PackOut]


class Versions(BaseModel):
    items: list[VersionOut]


class Reinspection(BaseModel):
    job_id: int
    total: int = Field(description="conversations to re-inspect")


@router.get("", response_model=Packs)
def list_packs(_user: CurrentUser, platform: PlatformDep, session: ReaderDep) -> Packs:
    """已发布的规则包 Stored packs, withdrawn ones too (any role)."""
    return Packs(items=[PackOut.model_validate(p) for p in platform.rulesets.packs(session)])


@router.post(
    "",
    response_model=VersionOut,
    status_code=status.HTTP_201_CREATED,
    responses=documented(409, 422),
)
def publish(
    body: PackText, user: RuleAuthor, platform: PlatformDep, session: SessionDep, response: Response
) -> VersionOut:
    """发布规则包 Publish a new version of the pack the YAML names (admin, compliance_manager).

    Refused with 422 naming the field: YAML that does not validate (`text`), a shipped
    pack's name (`pack`), a rule id another pack has (`rules[0].id`), a changed rule
    without a higher `version`, rules whose examples fail (`rules[0].examples`). The same
    text as the current version publishes nothing and answers that version. New
    conversations are inspected with it at once; re-inspect a period to apply it to earlier ones.
    """
    version = platform.rulesets.publish(session, body.text, actor=user.actor)
    response.headers["Location"] = f"{PREFIX}/{version.pack}/versions/{version.version}"
    return VersionOut.model_validate(version)


@router.get("/{pack}/versions", response_model=Versions, responses=documented(404))
def list_versions(
    pack: PackName, _user: CurrentUser, platform: PlatformDep, session: ReaderDep
) -> Versions:
    """规则包的版本 Every published version of a pack, oldest first (any role)."""
    versions = platform.rulesets.versions(session, pack)
    return Versions(items=[VersionOut.model_validate(v) for v in versions])


@router.get("/{pack}/versions/{version}", response_model=VersionText, responses=documented(404))
def read_version(
    pack: PackName,
    version: Annotated[int, Path(ge=1, le=MAX_ID)],
    _user: CurrentUser,
    platform: PlatformDep,
    session: ReaderDep,
) -> VersionText:
    """一个版本 One version with its YAML text (any role)."""
    return VersionText.model_validate(platform.rulesets.version(session, pack, version))


@router.post("/{pack}/withdraw", response_model=PackOut, responses=documented(404))
def withdraw(
    pack: PackName, user: RuleAuthor, platform: PlatformDep, session: SessionDep
) -> PackOut:
    """撤回 Stop inspecting with the pack (admin, compliance_manager); versions and findings stay.

    Publishing it again makes it current again.
    """
    return PackOut.model_validate(platform.rulesets.withdraw(session, pack, actor=user.actor))


@router.post(
    "/{pack}/reinspect",
    response_model=Reinspection,
    status_code=status.HTTP_202_ACCEPTED,
    responses=documented(404, 409, 422),
)
def reinspect(
    pack: PackName,
    period: Period,
    user: RuleAuthor,
    platform: PlatformDep,
    session: SessionDep,
    response: Response,
) -> Reinspection:
    """重新质检 Re-inspect conversations of [since, until) with the pack's current version
    (admin, compliance_manager); follow the job at `/api/v1/jobs/{job_id}`.

    Findings made again stay as they are (their cases too), new ones are added with the new
    rule version, earlier ones no longer made are marked superseded. 409 when withdrawn.
    """
    job = platform.rulesets.reinspect(session, pack, period.since, period.until, actor=user.actor)
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return Reinspection(job_id=job.id, total=job.total)
