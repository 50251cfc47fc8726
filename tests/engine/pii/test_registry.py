"""The recognizer registry: every declared PII type has recognizers, and every recognizer's
examples get through the prefilter and are found (or, for the negatives, not found)."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from hegui.engine.pii import PII_TYPES, RECOGNIZERS, PiiDetector, Recognizer, TextViews
from hegui.engine.pii.numeric import MobilePhoneRecognizer
from hegui.engine.pii.prefilter import compile_prefilter
from hegui.engine.pii.view import Hit
from hegui.engine.rules.schema import PiiType

ALL = PiiDetector()
CLASSES = [cls for classes in RECOGNIZERS.values() for cls in classes]


def example_problems(cls: type[Recognizer], detector: PiiDetector) -> list[str]:
    """What is wrong with a recognizer's examples run through `detector`: a text its own
    prefilter or the detector's refuses, a missed entity, a negative that is found."""
    own = compile_prefilter([cls.prefilter], cls.prefilter_words, cls.prefilter_figure_words)
    problems = []
    for text, expected in cls.examples.found:
        if not own.search(text):
            problems.append(f"{cls.__name__}: own prefilter refuses {text!r}")
        if not detector.prefilter.search(text):
            problems.append(f"{cls.__name__}: detector prefilter refuses {text!r}")
        got = [e.text for e in detector.scan(text) if e.type == cls.type]
        if expected not in got:
            problems.append(f"{cls.__name__}: {text!r} gives {got}, not {expected!r}")
    for text in cls.examples.not_found:
        got = [e.text for e in detector.scan(text) if e.type == cls.type]
        if got:
            problems.append(f"{cls.__name__}: {text!r} must give nothing, gives {got}")
    return problems


def test_the_registry_covers_exactly_the_declared_types() -> None:
    assert set(RECOGNIZERS) == set(PII_TYPES) == set(get_args(PiiType))
    for kind, classes in RECOGNIZERS.items():
        assert classes and all(cls.type == kind for cls in classes)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_examples_pass_the_prefilter_and_are_found(cls: type[Recognizer]) -> None:
    assert len(cls.examples.found) >= 2 and len(cls.examples.not_found) >= 2
    assert example_problems(cls, ALL) == []


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_a_detector_of_one_type_finds_its_examples(cls: type[Recognizer]) -> None:
    assert example_problems(cls, PiiDetector([cls.type])) == []


def test_a_recognizer_whose_text_the_prefilter_refuses_fails_the_example_check() -> None:
    class Refused(MobilePhoneRecognizer):
        prefilter = r"(?!)"  # admits nothing: the detector never looks at a phone

    detector = PiiDetector(["phone"])
    detector.recognizers = (Refused(),)
    detector.prefilter = compile_prefilter([Refused.prefilter], [])
    problems = example_problems(Refused, detector)
    assert problems and all("refuses" in p or "gives []" in p for p in problems)


def test_prefilter_words_match_every_spelling_the_normaliser_folds() -> None:
    # 戶名 (traditional) normalises to 户名, so the prefilter must admit it.
    assert [e.text for e in ALL.scan("戶名：李四") if e.type == "person_name"] == ["李四"]
    assert ALL.prefilter.search("ＺＨＡＮＧ＠ＱＱ．ＣＯＭ")


def test_recognizers_are_stateless_classes_with_find() -> None:
    views = TextViews("我的手机是13812345678")
    for cls in CLASSES:
        recognizer = cls()
        assert vars(recognizer) == {}
        hits = recognizer.find(views)
        assert all(isinstance(h, Hit) and h.type == cls.type for h in hits)
        assert re.compile(cls.prefilter or "(?!)")  # a valid regular expression
