"""The shipped packs keep their quality on the labelled DEV conversations.

Only the dev split is used here: the test split is the held-out figure in the README and
must stay out of the development loop.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_scorer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("pack_eval", ROOT / "benchmarks" / "pack_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_split_quality_does_not_regress() -> None:
    result = load_scorer().score("dev", errors=0)
    utterance = result["utterance"]["micro"]
    # 0.94 since issue 8 round 6: general.fee.pitch_without_fee asks for a fee statement in
    # every pitch with a return figure (the taxonomy's "销售基金但未说明申购/管理费"), where the
    # dev split's writers labelled missing fees only now and then (0.946 measured). 0.93
    # since round 10: securities.suitability.high_risk_pitch_unchecked became a must-say
    # (the level confirmed anywhere in the call), so its findings are "missing" (null) where
    # these writers labelled the pitch utterance; conversation level is unchanged (0.932
    # measured, conversation F1 0.974).
    assert utterance["precision"] >= 0.93, utterance
    assert utterance["recall"] >= 0.95, utterance
    for category, metrics in result["conversation"]["categories"].items():
        assert metrics["f1"] >= 0.8, (category, metrics)
