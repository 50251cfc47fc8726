"""Scorecards in use (质检评分卡) and each conversation's score with its breakdown."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel

from hegui.api.deps import CurrentUser, PlatformDep, ReaderDep
from hegui.api.errors import documented
from hegui.services.scorecards import ScorecardRead, ScoreRead

router = APIRouter(prefix="/api/v1/scorecards", tags=["scorecards"], responses=documented(401, 403))
scores = APIRouter(prefix="/api/v1/scores", tags=["scorecards"], responses=documented(401, 403))

ConversationId = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f]*$")]


class Scorecards(BaseModel):
    items: list[ScorecardRead]


@router.get("", response_model=Scorecards)
def list_scorecards(user: CurrentUser, platform: PlatformDep) -> Scorecards:
    """评分卡 The scorecards in use: shipped ones and the institution's (HEGUI_SCORECARDS)."""
    return Scorecards(items=platform.scorecards.scorecards())


@router.get("/{name}", response_model=ScorecardRead, responses=documented(404))
def get_scorecard(user: CurrentUser, platform: PlatformDep, name: str) -> ScorecardRead:
    """One scorecard with its definition (items, fatal items, bonus items, examples)."""
    return platform.scorecards.scorecard(name)


@scores.get("/{conversation_id}", response_model=ScoreRead, responses=documented(404))
def conversation_score(
    user: CurrentUser, session: ReaderDep, platform: PlatformDep, conversation_id: ConversationId
) -> ScoreRead:
    """会话评分 The newest revision's score (0–100) with its breakdown citing finding ids;
    404 until it is inspected, or when this user may not see the conversation."""
    return platform.scorecards.for_conversation(session, user, conversation_id)
