"""Conversations: submit (one, a list, a JSONL upload), read back masked, their findings,
and the raw text where the institution keeps it (audited)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from hegui.api.deps import CurrentUser, PlatformDep, ReaderDep, SessionDep, requires
from hegui.api.errors import documented
from hegui.api.ranges import ranged_response
from hegui.api.schemas import MAX_ID
from hegui.errors import HeguiError, Invalid
from hegui.services.access import Principal, ensure_visible
from hegui.services.conversations import SubmitResult
from hegui.services.conversations.schemas import LineProblem
from hegui.services.users.schemas import Role

router = APIRouter(
    prefix="/api/v1/conversations", tags=["conversations"], responses=documented(401, 403)
)

# Who may submit: the institution's integrations log in as a compliance_manager (or admin).
Submitter = Annotated[Principal, Depends(requires(Role.admin, Role.compliance_manager))]
# Raw text is personal information in clear: only the role answerable for compliance.
RawReader = Annotated[Principal, Depends(requires(Role.compliance_manager))]
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
ConversationId = Annotated[
    str, Path(min_length=1, max_length=128, pattern=NO_CONTROL, description="the contract's id")
]
Revision = Annotated[
    int | None,
    Query(ge=1, le=MAX_ID, description="a revision number; default: the newest"),
]
AUDIO_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the whole recording",
        "content": {"audio/*": {"schema": {"type": "string", "format": "binary"}}},
    },
    206: {"description": "the byte range asked for (`Range: bytes=…`), with `Content-Range`"},
    416: {"description": "the range starts past the end (`Content-Range: bytes */SIZE`)"},
}
NDJSON_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines")
NDJSON_BODY = {
    "requestBody": {
        "required": True,
        "description": "JSON Lines: one conversation object per line (UTF-8); "
        "application/jsonl and application/x-jsonlines are read too",
        "content": {NDJSON_TYPES[0]: {"schema": {"type": "string"}}},
    }
}


class UnsupportedBody(HeguiError):
    status_code = 415


class UploadReceipt(BaseModel):
    """`POST /conversations/upload`: the job inspecting what was accepted, problems by line."""

    job_id: int
    accepted: int = Field(description="conversations accepted")
    errors: list[LineProblem] = Field(description="lines refused, numbered from 1")


class ConversationOut(BaseModel):
    """A conversation in the contract's format, text masked as stored, plus `status`."""

    model_config = ConfigDict(extra="allow")

    id: str
    channel: str
    industry: str | None
    metadata: dict[str, Any]
    utterances: list[dict[str, Any]]
    status: str = Field(description="pending | inspected")
    revision: int = Field(description="the newest revision (1, 2, …); new content adds one")


class FindingsOut(BaseModel):
    items: list[dict[str, Any]] = Field(description="the contract's findings, each + case_id")


@router.post(
    "",
    response_model=SubmitResult,
    status_code=status.HTTP_202_ACCEPTED,
    responses=documented(422),
)
def submit(
    data: Annotated[
        dict[str, Any] | list[Any],
        Body(description="one conversation object, or a JSON list of them"),
    ],
    user: Submitter,
    platform: PlatformDep,
    session: SessionDep,
    response: Response,
) -> SubmitResult:
    """提交会话 Submit one conversation or a list (admin, compliance_manager).

    Text is masked before it is stored, and inspected in the background: follow `job_id`
    at `/api/v1/jobs/{job_id}`. Refused items are listed by `index` (from 0) with the field
    at fault; the rest are accepted. The same content again changes nothing; new content
    under a known id becomes a new revision.
    """
    if isinstance(data, list) and not data:
        raise Invalid("body", "列表为空 the list holds no conversation")
    result = platform.conversations.submit(session, data, actor=user.actor)
    response.headers["Location"] = f"/api/v1/jobs/{result.job_id}"
    return result


async def ndjson_body(request: Request) -> bytes:
    """The raw body of a JSONL upload (read here, so the handler runs off the event loop)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media and media not in NDJSON_TYPES:
        raise UnsupportedBody(
            f"不支持的内容类型 unsupported Content-Type {media[:100]!r}: "
            "send JSON Lines as application/x-ndjson"
        )
    return await request.body()


@router.post(
    "/upload",
    response_model=UploadReceipt,
    status_code=status.HTTP_202_ACCEPTED,
    responses=documented(413, 415, 422),
    openapi_extra=NDJSON_BODY,
)
def upload(
    body: Annotated[bytes, Depends(ndjson_body)],
    user: Submitter,
    platform: PlatformDep,
    session: SessionDep,
    response: Response,
) -> UploadReceipt:
    """上传 JSONL Upload conversations as JSON Lines (admin, compliance_manager).

    `Content-Type: application/x-ndjson`. A malformed line is listed in `errors` with its
    number (from 1) and the field at fault, and skipped; the other lines are accepted.
    """
    if not body.strip():
        raise Invalid("body", "上传内容为空 the upload holds no line")
    result = platform.conversations.upload_body(session, body, actor=user.actor)
    response.headers["Location"] = f"/api/v1/jobs/{result.job_id}"
    return UploadReceipt(job_id=result.job_id, accepted=result.accepted, errors=result.errors)


@router.get("/{conversation_id}", response_model=ConversationOut, responses=documented(404))
def read_conversation(
    conversation_id: ConversationId, user: CurrentUser, platform: PlatformDep, session: ReaderDep
) -> dict[str, Any]:
    """一个会话 The conversation's newest revision, text masked as stored, with `status`.

    An agent sees only its own conversations, a team lead its team's: others are 404.
    """
    found = platform.conversations.get(session, conversation_id)
    _ensure_visible(user, found.agent_id, found.team, conversation_id)
    return found.contract()


@router.get("/{conversation_id}/findings", response_model=FindingsOut, responses=documented(404))
def read_findings(
    conversation_id: ConversationId, user: CurrentUser, platform: PlatformDep, session: ReaderDep
) -> FindingsOut:
    """会话的质检结果 Findings of the newest revision, in utterance order, with `case_id`."""
    found = platform.conversations.get(session, conversation_id)
    _ensure_visible(user, found.agent_id, found.team, conversation_id)
    findings = platform.findings.for_conversation(session, conversation_id)
    return FindingsOut(items=[finding.contract() for finding in findings])


@router.get(
    "/{conversation_id}/raw",
    response_model=dict[str, Any],
    responses=documented(404, 422),
)
def read_raw(
    conversation_id: ConversationId,
    reason: Annotated[
        str,
        Query(
            min_length=1,
            max_length=500,
            pattern=NO_CONTROL,
            description="why the raw text is read (audited)",
        ),
    ],
    user: RawReader,
    platform: PlatformDep,
    session: SessionDep,
    revision: Revision = None,
) -> dict[str, Any]:
    """原文 The conversation exactly as submitted, unmasked (compliance_manager; audited).

    Only where raw text is kept (`HEGUI_RAW_TEXT_KEY`), else 404. Every read appends
    `conversation.raw_read` with `reason` to the audit log. `revision`: that revision's
    (a case's page reads the revision its finding is about).
    """
    found = platform.conversations.get(session, conversation_id)
    _ensure_visible(user, found.agent_id, found.team, conversation_id)
    return platform.conversations.read_raw(
        session, conversation_id, actor=user.actor, reason=reason, revision=revision
    )


@router.get(
    "/{conversation_id}/audio",
    response_class=Response,
    responses={**documented(404, 503), **AUDIO_RESPONSES},
)
def read_audio(
    conversation_id: ConversationId,
    user: CurrentUser,
    platform: PlatformDep,
    session: SessionDep,
    revision: Revision = None,
    range_header: Annotated[
        str | None,
        Header(alias="Range", description="one byte range, e.g. bytes=0- (browsers seek so)"),
    ] = None,
) -> Response:
    """录音 The recording the conversation was transcribed from (audited).

    Kept by `POST /api/v1/audio` (unless `HEGUI_KEEP_AUDIO=false`); 404 when none is kept.
    Whoever may see the conversation (an agent its own, a team lead its team's). Served
    with its media type (`audio/wav`, `audio/mpeg`, `audio/mp4`…), `Accept-Ranges: bytes`
    and a `Range` answered 206; every read appends `conversation.audio_read` (with the
    range) to the audit log.
    """
    found = platform.conversations.get(session, conversation_id, revision)
    _ensure_visible(user, found.agent_id, found.team, conversation_id)
    playback = platform.recordings.open(
        session, conversation_id, found.revision, actor=user.actor, byte_range=range_header
    )
    headers = {
        "Cache-Control": "private, no-store",
        "ETag": f'"{playback.sha256}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": "inline",
    }
    return ranged_response(
        playback.stream, playback.size, range_header, playback.media_type, headers
    )


def _ensure_visible(user: Principal, agent_id: str | None, team: str | None, cid: str) -> None:
    ensure_visible(user, agent_id, team, f"会话不存在 no conversation {cid!r}")
