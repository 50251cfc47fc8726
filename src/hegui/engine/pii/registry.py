"""The recognizers of each PII type: adding a type is one `Recognizer` class and one entry
here (the type itself is declared once, in the rule schema's `PiiType`)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from hegui.engine.pii.address import AddressRecognizer
from hegui.engine.pii.balance import BalanceRecognizer
from hegui.engine.pii.entity import PII_TYPES
from hegui.engine.pii.international import InternationalPhoneRecognizer
from hegui.engine.pii.names import PersonNameRecognizer
from hegui.engine.pii.numeric import (
    BankCardRecognizer,
    IdNumberRecognizer,
    LandlineRecognizer,
    MobilePhoneRecognizer,
)
from hegui.engine.pii.patterns import (
    CreditCodeRecognizer,
    EmailRecognizer,
    IpAddressRecognizer,
    LicensePlateRecognizer,
    PassportRecognizer,
    TravelPermitRecognizer,
)
from hegui.engine.pii.recognizer import Recognizer
from hegui.engine.vocabulary import PiiType

RECOGNIZERS: Final[Mapping[PiiType, tuple[type[Recognizer], ...]]] = MappingProxyType(
    {
        "id_number": (IdNumberRecognizer,),
        "bank_card": (BankCardRecognizer,),
        "phone": (MobilePhoneRecognizer, LandlineRecognizer, InternationalPhoneRecognizer),
        "email": (EmailRecognizer,),
        "passport": (PassportRecognizer,),
        "travel_permit": (TravelPermitRecognizer,),
        "license_plate": (LicensePlateRecognizer,),
        "credit_code": (CreditCodeRecognizer,),
        "ip_address": (IpAddressRecognizer,),
        "address": (AddressRecognizer,),
        "person_name": (PersonNameRecognizer,),
        "account_balance": (BalanceRecognizer,),
    }
)


def _check() -> None:
    """Every declared type has recognizers, and each reports the type it is filed under."""
    if set(RECOGNIZERS) != set(PII_TYPES):
        raise RuntimeError(f"PII types without recognizers: {set(PII_TYPES) ^ set(RECOGNIZERS)}")
    for kind, classes in RECOGNIZERS.items():
        for cls in classes:
            if cls.type != kind:
                raise RuntimeError(f"{cls.__name__} reports {cls.type}, filed under {kind}")


_check()


def recognizers_for(types: frozenset[str]) -> tuple[Recognizer, ...]:
    """One instance of each recognizer of `types`, in the order types are declared."""
    return tuple(cls() for kind in PII_TYPES if kind in types for cls in RECOGNIZERS[kind])
