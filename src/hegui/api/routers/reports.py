"""Reports as files: a period's compliance report (HTML, PDF or JSON) and the audit export
for regulators (JSON Lines), downloaded with a file name (docs/api.md, docs/reports.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response, StreamingResponse

from hegui.api.deps import AuditReader, PlatformDep, ReaderDep, requires
from hegui.api.errors import documented
from hegui.services.access import Principal
from hegui.services.alerts.policy import SeverityPolicy
from hegui.services.reports import (
    MEDIA,
    Format,
    ReportSettings,
    build_report,
    check_team,
    choose,
    filename,
    render,
    report_viewer,
    today,
)
from hegui.services.reports.regulator import export_lines
from hegui.services.users.schemas import Role

router = APIRouter(prefix="/api/v1/reports", tags=["reports"], responses=documented(401, 403))
ReportReader = Annotated[
    Principal, Depends(requires(Role.admin, Role.compliance_manager, Role.team_lead))
]
PeriodQ = Annotated[
    str | None, Query(description="2026-11 | 2026-W45 | 2026-Q4 | 2026 | 2026-11-03")
]
DayQ = Annotated[str | None, Query(description="YYYY-MM-DD (instead of period)")]


@router.get("", responses=documented(422))
def report(
    user: ReportReader,
    platform: PlatformDep,
    session: ReaderDep,
    period: PeriodQ = None,
    team: Annotated[str | None, Query(description="one team; a team lead: its own")] = None,
    since: DayQ = None,
    until: DayQ = None,
    format: Annotated[Format, Query(description="html | pdf | json")] = "html",
) -> Response:
    """合规报告 A period's report (default: last month) for the institution or one team
    (admin, compliance_manager; a team lead its own team's), as a file to download."""
    now = platform.clock.now()
    scope = choose(period, since, until, today(now))
    team = team or None
    report_viewer(user, team)  # 403 before any work
    settings = platform.settings
    config = ReportSettings(
        policy=SeverityPolicy.from_settings(settings),
        training_threshold=settings.training_threshold,
    )
    built = build_report(
        session, user, scope, team=team, scorecards=platform.scorecards, now=now, settings=config
    )
    name = filename(built, format)
    return Response(
        render(built, format),
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/regulator", responses=documented(422))
def regulator(
    user: AuditReader,
    platform: PlatformDep,
    session: ReaderDep,
    period: PeriodQ = None,
    team: Annotated[str | None, Query(description="one team")] = None,
    since: DayQ = None,
    until: DayQ = None,
) -> StreamingResponse:
    """监管导出 Findings with rule versions, reviewers' actions, SLA times and the audit
    chain's proof, as JSON Lines (admin, compliance_manager), like `hegui audit regulator`."""
    now = platform.clock.now()
    scope = choose(period, since, until, today(now))
    team = team or None
    if team is not None:
        check_team(session, team)
    lines = list(
        export_lines(
            session,
            user,
            scope,
            team=team,
            audit=platform.audit,
            policy=SeverityPolicy.from_settings(platform.settings),
            now=now,
        )
    )
    name = f"hegui-regulator-{scope.label.replace('~', '_')}.jsonl"
    return StreamingResponse(
        iter(lines),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
