"""The error a leak or mask policy that does not validate raises: a ValueError whose message
names every bad field, Chinese first with English alongside."""

from __future__ import annotations

from pydantic import ValidationError

_SHOWN = 8


class PolicyError(ValueError):
    """A policy (leak, mask) or one of its operators is not valid."""

    @classmethod
    def of(cls, what_zh: str, what_en: str, exc: ValidationError) -> PolicyError:
        problems = [
            f"{'.'.join(str(part) for part in e['loc']) or '(top)'}: {e['msg']}"
            for e in exc.errors()[:_SHOWN]
        ]
        more = len(exc.errors()) - _SHOWN
        if more > 0:
            problems.append(f"另有 {more} 处错误 / {more} more errors")
        return cls(f"{what_zh}无效 invalid {what_en}: " + "; ".join(problems))
