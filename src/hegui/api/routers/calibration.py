"""Calibration: how often two reviewers agree on the same sampled conversation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from hegui.api.deps import PlatformDep, ReaderDep, requires
from hegui.api.errors import documented
from hegui.services.access import Principal
from hegui.services.cases import Agreement
from hegui.services.users.schemas import Role

router = APIRouter(prefix="/api/v1/calibration", tags=["cases"], responses=documented(401, 403))
Staff = Annotated[Principal, Depends(requires(Role.admin, Role.compliance_manager, Role.reviewer))]


class AgreementRead(BaseModel):
    key: str = Field(description="`all`, a reviewer's username, `clean` or a category")
    items: int = Field(description="calibrated cases counted")
    agreed: int = Field(description="of which both labels agree")
    rate: float | None

    @classmethod
    def of(cls, agreement: Agreement) -> AgreementRead:
        return cls(
            key=agreement.key,
            items=agreement.items,
            agreed=agreement.agreed,
            rate=agreement.rate,
        )


class AgreementReport(BaseModel):
    overall: AgreementRead
    reviewers: list[AgreementRead]
    categories: list[AgreementRead]


@router.get("/agreement", response_model=AgreementReport)
def agreement(_user: Staff, platform: PlatformDep, session: ReaderDep) -> AgreementReport:
    """评审一致率 Reviewer agreement on calibrated cases: overall, per reviewer, per category
    (`clean` or the category a label named); two labels agree on the same verdict and, for
    a violation, the same category (admin, compliance_manager, reviewer)."""
    overall, reviewers, categories = platform.calibration.agreement(session)
    return AgreementReport(
        overall=AgreementRead.of(overall),
        reviewers=[AgreementRead.of(a) for a in reviewers],
        categories=[AgreementRead.of(a) for a in categories],
    )
