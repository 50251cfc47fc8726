"""The PII entity found in a text, and the closed set of PII types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from hegui.engine.vocabulary import PiiType

__all__ = ["PII_TYPES", "TYPE_LABELS", "PiiEntity", "PiiType"]

PII_TYPES: tuple[PiiType, ...] = get_args(PiiType)

TYPE_LABELS: dict[str, str] = {
    "id_number": "身份证号",
    "bank_card": "银行卡号",
    "phone": "电话号码",
    "email": "邮箱",
    "passport": "护照号",
    "travel_permit": "通行证号",
    "license_plate": "车牌号",
    "credit_code": "统一社会信用代码",
    "ip_address": "IP地址",
    "address": "地址",
    "person_name": "姓名",
    "account_balance": "账户余额",
}


@dataclass(frozen=True, slots=True)
class PiiEntity:
    """A span [start, end) of the original text holding personal information of `type`.

    A piece of an entity spoken across turns (pii.turns) says whether it holds the entity's
    first chars (`opens`) and last chars (`closes`): a partial mask keeps first chars only
    in the opening piece and last chars only in the closing one, so a number read in two
    halves shows no more than it would whole."""

    type: str
    start: int
    end: int
    text: str
    score: float
    opens: bool = True
    closes: bool = True

    def to_dict(self) -> dict[str, object]:
        return {
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": round(self.score, 4),
        }
