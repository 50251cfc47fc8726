"""The names engine callers rely on (the `pii:` rule condition, the CLI, the service)."""

from __future__ import annotations

import dataclasses

import hegui.engine.pii as pii


def test_exported_members() -> None:
    for name in pii.__all__:
        assert hasattr(pii, name), name
    assert {"PiiEntity", "PiiDetector", "LeakPolicy", "MaskPolicy", "mask_text"} <= set(pii.__all__)


def test_entity_shape() -> None:
    fields = [f.name for f in dataclasses.fields(pii.PiiEntity)]
    # opens/closes (pieces of a number spoken across turns) default to a whole entity and
    # stay out of the CLI's JSON.
    assert fields == ["type", "start", "end", "text", "score", "opens", "closes"]
    entity = pii.PiiEntity("phone", 0, 11, "13812345678", 0.9)
    assert entity.opens and entity.closes
    assert entity.to_dict() == {
        "type": "phone",
        "start": 0,
        "end": 11,
        "text": "13812345678",
        "score": 0.9,
    }


def test_types_are_the_cli_contract() -> None:
    # Types are appended, never renamed or reordered: callers key on these names.
    assert pii.PII_TYPES == (
        "id_number",
        "bank_card",
        "phone",
        "email",
        "passport",
        "travel_permit",
        "license_plate",
        "credit_code",
        "ip_address",
        "address",
        "person_name",
        "account_balance",
    )
