"""One router per domain; `create_app` includes every router listed in `ROUTERS`."""

from __future__ import annotations

from fastapi import APIRouter

from hegui.api.routers import (
    alert_policy,
    audio,
    audit,
    auth,
    calibration,
    cases,
    conversations,
    health,
    jobs,
    live,
    metrics,
    notifiers,
    reports,
    rulelab,
    rulepacks,
    rules,
    scorecards,
    training,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    auth.router,
    users.router,
    audit.router,
    cases.router,
    calibration.router,
    notifiers.router,
    alert_policy.router,
    training.router,
    live.router,
    conversations.router,
    audio.router,
    jobs.router,
    rulelab.router,
    rules.router,
    rulepacks.router,
    metrics.router,
    scorecards.router,
    scorecards.scores,
    reports.router,
)
