"""Rule regexes run on RE2: linear time on hostile input, refused constructs named,
shipped regexes unchanged, prefilter atoms sound under RE2 semantics."""

from __future__ import annotations

import itertools
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hegui.engine.match.atoms import required_atoms
from hegui.engine.normalise import normalise
from hegui.engine.rules import schema as s
from hegui.engine.rules.conditions import Prepared, Verifier, _occurrences, _pieces
from hegui.engine.rules.regex import MAX_OCCURRENCES, RegexRejected, compile_rule_regex
from hegui.engine.session import inspect
from hegui.packs import available_packs, load_rules
from tests.conftest import conv, library_from_yaml

EXAMPLES = "  examples: {match: [a, b, c], no_match: [d, e, f]}"

# Catastrophic for a backtracking engine (exponential or polynomial), linear for RE2.
REDOS = [
    r"(保+)+本",
    r"(保|保保)+本",
    r"(保|保)*本",
    r"(.*保){12}本",
    r"(\d+)+元",
    r"(保*)*本",
    r"保.*保.*保.*本",
    r"保.*?本|保",  # one match per character: the match cap keeps it linear
]


@pytest.mark.parametrize("pattern", REDOS)
def test_redos_classics_run_in_linear_time_on_100_kb(pattern: str, backend: str) -> None:
    library = library_from_yaml(
        f"- id: t.r.redos\n  category: compliance.guarantee_return\n  message: m\n"
        f"  when: {{regex: ['{pattern}']}}\n{EXAMPLES}\n",
        backend,
    )
    for text in ("保" * 100_000, "保" * 99_999 + "x", "1" * 100_000):
        started = time.thread_time()
        inspect(library, conv(("agent", text)))
        assert time.thread_time() - started < 5, (pattern, text[-1])


def test_before_re2_a_40_character_utterance_hung_python_re() -> None:
    """The regression: Python's `re` needs minutes here; RE2 answers at once."""
    started = time.thread_time()
    assert compile_rule_regex("(保+)+本").spans("保" * 40) == []
    assert compile_rule_regex("(保+)+本").spans("保" * 40 + "本") == [(0, 41)]
    assert time.thread_time() - started < 3


def test_matches_are_capped_per_utterance() -> None:
    spans = compile_rule_regex("保.*?本|保").spans("保" * 1000)
    assert len(spans) == MAX_OCCURRENCES and spans[:2] == [(0, 1), (1, 2)]


@pytest.mark.parametrize(
    ("pattern", "named"),
    [
        (r"(?<!不)保本", "后行断言 lookbehind"),
        (r"(?<=承诺)保本", "后行断言 lookbehind"),
        (r"保本(?!基金)", "先行断言 lookahead"),
        (r"保本(?=的)", "先行断言 lookahead"),
        (r"(保)\1", "反向引用 backreference"),
        (r"(?P<x>保)(?P=x)", "命名反向引用 named backreference"),
        (r"(?>保本)", "原子组 atomic group"),
        (r"保本++", "占有量词 possessive"),
        (r"保本\Z", r"\z"),
        (r"[\u4e00-\u9fa5]保本", r"\x{4e00}"),
        (r"保{,3}本", "{0,n}"),
        (r"保\C本", r"\C"),
        (r"保{2000}", "1000"),
        (r"(保本", "语法错误 invalid syntax"),
        (r"保*", "matches the empty string"),
    ],
)
def test_constructs_re2_cannot_run_are_refused_by_name(pattern: str, named: str) -> None:
    with pytest.raises(RegexRejected, match=re.escape(named)):
        compile_rule_regex(pattern)
    with pytest.raises(ValueError, match=re.escape(named)):
        s.RegexCond(regex=[pattern])


@pytest.mark.parametrize(
    ("pattern", "span"),
    [
        (r"\p{Han}+保本", (0, 4)),
        (r"[[:digit:]]{3}元", (6, 10)),
        (r"(?U)保.+本", (2, 11)),
        (r"本\z", (10, 11)),
    ],
)
def test_re2_syntax_is_accepted(pattern: str, span: tuple[int, int]) -> None:
    assert compile_rule_regex(pattern).spans("是的保本保1234元本") == [span]


def test_case_is_ignored_and_spans_count_characters() -> None:
    assert compile_rule_regex("VX[0-9]+").spans("加我vx123吧") == [(2, 7)]


def test_a_lone_surrogate_in_the_text_does_not_break_matching() -> None:
    assert compile_rule_regex("保本").spans("\ud800保本") == [(1, 3)]


def _shipped_regex_rules() -> list[tuple[str, list[str]]]:
    out = []
    for packed in load_rules(available_packs()):
        spec = packed.spec
        texts = [e for e in spec.examples.match + spec.examples.no_match if isinstance(e, str)]
        for regex in _regexes(spec.model_dump(by_alias=True, exclude={"examples"})):
            out.append((regex, texts))
    return out


def _regexes(node: object) -> list[str]:
    if isinstance(node, dict):
        found = list(node["regex"]) if "regex" in node and node["regex"] is not None else []
        return found + [r for k, v in node.items() if k != "regex" for r in _regexes(v)]
    if isinstance(node, list):
        return [r for item in node for r in _regexes(item)]
    return []


def test_shipped_regexes_match_as_python_re_did_on_their_examples() -> None:
    cases = _shipped_regex_rules()
    assert len(cases) > 400
    for regex, texts in cases:
        python = re.compile(regex, re.IGNORECASE)
        for text in texts:
            norm = normalise(text).text
            expected = [m.span() for m in python.finditer(norm) if m.end() > m.start()]
            assert compile_rule_regex(regex).spans(norm) == expected, (regex, text)


_PIECES = st.sampled_from(
    ["保", "本", "不", "a", "1", "[保本]", "[^a]", ".", r"\d", "(保|本a)", "[[:digit:]]"]
)
_QUANTS = st.sampled_from(["", "", "", "?", "*", "+", "{1,2}", "*?", "+?"])
# Every text of up to four characters over the patterns' alphabet, plus an outsider.
_TEXTS = [
    "".join(chars) for n in range(1, 5) for chars in itertools.product("保本a1", repeat=n)
] + ["x保不本1"]


@st.composite
def _patterns(draw: st.DrawFn, depth: int = 0) -> str:
    items = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 2 and draw(st.booleans()):
            inner = "|".join(draw(st.lists(_patterns(depth + 1), min_size=1, max_size=3)))
            item = f"({inner})"
        else:
            item = draw(_PIECES)
        items.append(item + draw(_QUANTS))
    return "".join(items)


@settings(max_examples=200, deadline=None)
@given(_patterns())
def test_atoms_are_sound_under_re2(pattern: str) -> None:
    """Every RE2 match contains one of the pattern's atoms: the prefilter never hides one."""
    try:
        compiled = compile_rule_regex(pattern)
    except RegexRejected:  # matches the empty string
        return
    atoms = required_atoms(pattern)
    if atoms is None:
        return
    for text in _TEXTS:
        for start, end in compiled.spans(text):
            assert any(atom in text[start:end] for atom in atoms), (pattern, text, atoms)


def test_posix_classes_claim_no_atoms() -> None:
    """Python reads [[:digit:]] as a nested set; its atoms would be wrong under RE2."""
    assert required_atoms("[[:digit:]]元") is None


def test_negated_classes_name_the_marks_the_compact_text_dropped() -> None:
    assert compile_rule_regex("返[^,，。]{0,6}万").guards == {",", "，", "。"}
    assert compile_rule_regex(r"a[^\]，]b").guards == {"，", ","}  # both widths
    assert compile_rule_regex("[^0-9.%]元").guards == frozenset()  # kept in the compact text
    assert compile_rule_regex("[^不没]保本").guards == frozenset()


GUARDED = (
    "- id: t.r.guard\n  category: compliance.guarantee_return\n  message: m\n"
    "  when: {regex: ['(费|利率)[^。]{0,12}(您|你)(自己)?算错']}\n" + EXAMPLES + "\n"
)


def test_a_guarded_gap_does_not_cross_the_mark_the_compact_text_dropped(backend: str) -> None:
    library = library_from_yaml(GUARDED, backend)
    crossing = inspect(library, conv(("agent", "没有别的费用。您自己算错了")))
    assert crossing == []
    within = inspect(library, conv(("agent", "没有别的费用，您自己算错了")))
    assert [f.matched for f in within] == ["费用，您自己算错"]


def test_a_match_cut_off_at_a_mark_does_not_hide_the_next_clause(backend: str) -> None:
    """The leftmost candidate (消费 … across 。) must not swallow the one after it."""
    library = library_from_yaml(GUARDED, backend)
    report = inspect(library, conv(("agent", "我是消费金融客服。利率就是7.2%，您算错了")))
    assert [f.matched for f in report] == ["利率就是7.2%，您算错"]


def test_a_guard_holds_in_both_widths(backend: str) -> None:
    library = library_from_yaml(GUARDED.replace("[^。]", "[^，]"), backend)
    assert inspect(library, conv(("agent", "没有别的费用,您自己算错了"))) == []
    assert inspect(library, conv(("agent", "没有别的费用，您自己算错了"))) == []
    assert len(inspect(library, conv(("agent", "没有别的费用您自己算错了")))) == 1


def test_negated_classes_naming_different_marks_are_refused() -> None:
    """The whole pattern is searched clause by clause, so [^。]…[^，] cannot both hold."""
    with pytest.raises(RegexRejected, match="split it in two"):
        compile_rule_regex("没回[^。]{0,30}先[^，。]{0,8}帮您续")
    compile_rule_regex("没回[^，。]{0,30}先[^，。不]{0,8}帮您续")  # the same marks: fine


def test_guarded_matches_are_capped_per_utterance_not_per_clause() -> None:
    text = "费您算错。" * 2000
    pattern = compile_rule_regex("费[^。]{0,3}算错")
    prepared = Prepared(
        0, conv(("agent", text)).utterances[0], normalise(text, compact=True), set()
    )
    verifier = Verifier(frozenset(), None, pattern, pattern.source)
    pieces = _pieces(prepared, verifier)
    assert pieces is not None and len(pieces) == 2000
    assert len(_occurrences(prepared.norm.text, verifier, pieces)) == MAX_OCCURRENCES
