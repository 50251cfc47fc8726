"""Audio: upload a recorded call, transcribe it with the configured recogniser (HEGUI_ASR,
HEGUI_ASR_MODEL), submit the conversation as `POST /api/v1/conversations` does, and keep
the recording (HEGUI_KEEP_AUDIO, HEGUI_AUDIO_DIR) for `GET /conversations/{id}/audio`."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Response, UploadFile, status

from hegui.adapters.asr import AsrUnavailable, Transcript, shared_transcriber, transcribe_audio
from hegui.api.deps import PlatformDep, requires
from hegui.api.errors import documented
from hegui.audio import AudioError, media_type
from hegui.bootstrap import Platform
from hegui.engine.vocabulary import INDUSTRIES, ROLES
from hegui.errors import HeguiError, Invalid
from hegui.services.access import Principal
from hegui.services.conversations import SubmitResult
from hegui.services.users.schemas import Role

router = APIRouter(prefix="/api/v1/audio", tags=["audio"], responses=documented(401, 403))
Submitter = Annotated[Principal, Depends(requires(Role.admin, Role.compliance_manager))]


class RecogniserUnavailable(HeguiError):
    status_code = 503


@router.post(
    "",
    response_model=SubmitResult,
    status_code=status.HTTP_202_ACCEPTED,
    responses=documented(413, 422, 503),
)
def upload_audio(
    file: Annotated[UploadFile, File(description="WAV/MP3/M4A, mono or stereo")],
    user: Submitter,
    platform: PlatformDep,
    response: Response,
    id: Annotated[str | None, Form(description="conversation id; default: file name")] = None,
    channels: Annotated[str, Form(description="roles of the left,right channels")] = (
        "agent,customer"
    ),
    mono: Annotated[str, Form(description="role of a mono file, or alternate")] = "agent",
    industry: Annotated[str | None, Form(description="the conversation's industry")] = None,
    analysis: Annotated[bool, Form(description="add metadata.audio")] = True,
) -> SubmitResult:
    """上传录音 Transcribe a call and submit it (admin, compliance_manager).

    Speech per channel by VAD, text by the configured recogniser (none: text left empty,
    the timing rules still apply); `metadata.audio` holds silences, overlaps and loudness
    peaks. Inspected in the background like `POST /api/v1/conversations`: follow `job_id`.
    The recording is kept for `GET /api/v1/conversations/{id}/audio` (unless
    `HEGUI_KEEP_AUDIO=false`); a revision keeps the first recording it was uploaded with.
    """
    name = PurePath(file.filename or "upload").name
    roles = _roles(channels, mono)
    fields: dict[str, Any] = {"industry": _industry(industry)} if industry else {}
    transcript = _transcribed(platform, file, name, id or _stem(name), roles, mono, analysis)
    batch = platform.conversations.read_list([{**transcript.conversation, **fields}])
    # Written before the transaction, as transcribing is: neither holds a database lock.
    saved = platform.recordings.save(file.file) if batch.prepared else None
    kept = False
    try:
        with platform.db.transaction() as session:
            stored = platform.conversations.store(session, batch, actor=user.actor)
            attached = False
            if saved is not None and stored.accepted:
                prepared = batch.prepared[0][1]
                attached = platform.recordings.attach(
                    session,
                    prepared.conversation_id,
                    prepared.content_hash,
                    saved,
                    media_type(transcript.analysis.container),
                    actor=user.actor,
                )
        kept = attached  # committed
    finally:
        if saved is not None and not kept:
            platform.recordings.discard(saved)
    response.headers["Location"] = f"/api/v1/jobs/{stored.job.id}"
    return SubmitResult.model_validate(
        {
            "job_id": stored.job.id,
            "accepted": stored.accepted,
            "rejected": [{"index": i, "error": e} for i, e in stored.problems],
        }
    )


def _transcribed(
    platform: Platform,
    file: UploadFile,
    name: str,
    conversation_id: str,
    roles: tuple[str, ...],
    mono: str,
    analysis: bool,
) -> Transcript:
    settings = platform.settings
    try:
        transcriber = shared_transcriber(
            settings.asr, settings.asr_model, roles=roles, field="HEGUI_ASR_MODEL"
        )
    except AsrUnavailable as exc:
        raise RecogniserUnavailable(f"识别引擎不可用 speech recogniser unavailable: {exc}") from exc
    try:
        transcript = transcribe_audio(
            file.file,
            transcriber,
            conversation_id=conversation_id,
            roles=roles,
            mono=mono,
            with_analysis=analysis,
            name=name,
        )
    except AudioError as exc:
        raise Invalid("file", f"{name}: {exc.reason}") from exc
    return transcript


def _roles(channels: str, mono: str) -> tuple[str, ...]:
    roles = tuple(part.strip() for part in channels.split(","))
    if len(roles) != 2 or any(role not in ROLES for role in roles):
        raise Invalid("channels", f"声道角色无效 two roles (left,right), each one of {ROLES}")
    if mono not in (*ROLES, "alternate"):
        raise Invalid("mono", f"单声道角色无效 one of {ROLES} or 'alternate'")
    return roles


def _industry(industry: str) -> str:
    if industry not in INDUSTRIES:
        raise Invalid(
            "industry", f"未知行业 unknown industry {industry!r:.40}; one of {INDUSTRIES}"
        )
    return industry


def _stem(name: str) -> str:
    return PurePath(name).stem or "upload"
