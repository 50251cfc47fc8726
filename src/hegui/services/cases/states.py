"""The case status machine: which action moves a case from which status, and who may act.

    new ──review──▶ confirmed ──appeal──▶ appealed ──ruling──▶ upheld | overturned
     │  └─review──▶ dismissed
     └─(finding superseded)──▶ withdrawn ──(finding made again)──▶ new

Calibration cases: new ──two labels──▶ calibrated. A role that may not act is 403, an
action not allowed from the current status is 409.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hegui.errors import Conflict, Forbidden
from hegui.services.access import Principal
from hegui.services.cases.models import (
    APPEALED,
    CALIBRATION,
    CONFIRMED,
    DISMISSED,
    FINDING,
    NEW,
    OPEN,
    OVERTURNED,
    UPHELD,
    Case,
)
from hegui.services.users.schemas import Role

STAFF = (Role.reviewer, Role.compliance_manager)


@dataclass(frozen=True)
class Transition:
    action: str
    kinds: tuple[str, ...]
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    roles: tuple[Role, ...]
    label: str  # Chinese first, for messages


TRANSITIONS: Mapping[str, Transition] = {
    "review": Transition(
        "review", (FINDING,), (NEW,), (CONFIRMED, DISMISSED), STAFF, "复核 review"
    ),
    "appeal": Transition(
        "appeal", (FINDING,), (CONFIRMED,), (APPEALED,), (Role.agent,), "申诉 appeal"
    ),
    "ruling": Transition(
        "ruling",
        (FINDING,),
        (APPEALED,),
        (UPHELD, OVERTURNED),
        (Role.compliance_manager,),
        "裁定 ruling",
    ),
    "label": Transition("label", (CALIBRATION,), (NEW,), (), STAFF, "校准标注 calibration label"),
    "assign": Transition(
        "assign", (FINDING, CALIBRATION), OPEN, (), (*STAFF, Role.team_lead), "指派 assignment"
    ),
}


def check_role(action: str, user: Principal) -> Transition:
    """The transition, if `user`'s role may take it; else `Forbidden`."""
    transition = TRANSITIONS[action]
    if user.role not in transition.roles:
        names = " | ".join(role.value for role in transition.roles)
        raise Forbidden(f"无权{transition.label} forbidden: needs role {names}")
    return transition


def check_status(transition: Transition, case: Case, target: str | None = None) -> None:
    """`Conflict` unless `case` may take `transition` (to `target`) from its status."""
    if case.kind not in transition.kinds:
        raise Conflict(
            f"{case.kind} 类案件不能{transition.label} a {case.kind} case cannot take this action"
        )
    if case.status not in transition.sources:
        allowed = ", ".join(transition.sources)
        raise Conflict(
            f"案件状态为 {case.status}，不能{transition.label} case {case.id} is {case.status}; "
            f"{transition.action} needs {allowed}"
        )
    if target is not None and target not in transition.targets:
        raise Conflict(f"不能转为 {target} cannot move to {target}")
