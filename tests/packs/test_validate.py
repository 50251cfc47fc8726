"""`validate_rule_sources` finds, before inspection, everything that would stop it —
checked against every combination of shipped packs your rules can be used with."""

from __future__ import annotations

from pathlib import Path

import pytest

from hegui.engine.library import RuleLibrary
from hegui.lexicon import default_lexicon
from hegui.packs import (
    INDUSTRY_PACKS,
    PackError,
    applicable_rules,
    load_pack_text,
    load_rules,
    packs_applicable,
    packs_for_industry,
    taxonomy,
)
from hegui.packs.validate import SourcesInvalid, require_valid_sources, validate_rule_sources


def rule(rule_id: str, *, category: str = "compliance.guarantee_return", on: bool = True) -> str:
    return f"""
  - id: {rule_id}
    category: {category}
    message: m
    enabled: {str(on).lower()}
    when: {{keywords: [保本]}}
    examples: {{match: [保本, 保本的, 是保本], no_match: [a, b, c]}}
"""


def write(folder: Path, name: str, *rules: str, industries: str = "") -> Path:
    folder.mkdir(exist_ok=True)
    header = f"pack: {name}\n" + (f"industries: {industries}\n" if industries else "")
    (folder / f"{name}.yaml").write_text(header + "rules:" + "".join(rules), "utf-8")
    return folder


def errors(folder: Path, **kw: object) -> list[str]:
    return [str(p) for p in validate_rule_sources([folder], **kw)]  # type: ignore[arg-type]


def test_clean_rules_have_no_problems(tmp_path: Path) -> None:
    assert errors(write(tmp_path / "r", "mine", rule("mine.a.b"))) == []


@pytest.mark.parametrize("industry", list(INDUSTRY_PACKS))
def test_an_id_of_a_shipped_rule_collides_in_every_combination_it_joins(
    tmp_path: Path, industry: str
) -> None:
    """An id of the industry's own pack (general's, for the general industry)."""
    shipped = [r.spec.id for r in load_rules([packs_for_industry(industry)[0]]) if r.spec.enabled]
    folder = write(tmp_path / "r", "mine", rule(shipped[0]))
    found = errors(folder, industry=industry)
    assert len(found) == 1
    assert f"mine.yaml:3 {shipped[0]}: 规则编号与规则包" in found[0]
    assert f"industry {industry}" in found[0]


def test_a_general_rule_id_is_reported_once_for_all_industries(tmp_path: Path) -> None:
    general = next(r.spec.id for r in load_rules(["general"]) if r.spec.enabled)
    (problem,) = errors(write(tmp_path / "r", "mine", rule(general)))
    assert all(f"industry {industry}" in problem for industry in INDUSTRY_PACKS)


def test_library_would_have_refused_what_validation_reports(tmp_path: Path) -> None:
    """The regression: these rules passed lint and test, then crashed inspection."""
    folder = write(tmp_path / "r", "mine", rule("securities.promise.baoben"))
    assert errors(folder, industry="securities") != []
    with pytest.raises(ValueError, match="duplicate"):
        RuleLibrary(
            load_rules(packs_for_industry("securities"), [folder]),
            taxonomy(),
            lexicon=default_lexicon(),
        )


def test_an_industry_pack_only_collides_where_it_is_used(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "r", "mine", rule("securities.promise.baoben"), industries="[banking]"
    )
    assert errors(folder) == []
    anywhere = write(tmp_path / "s", "mine", rule("securities.promise.baoben"))
    (problem,) = errors(anywhere)
    assert "(combined for industry securities)" in problem


def test_explicit_packs_are_the_combination(tmp_path: Path) -> None:
    folder = write(tmp_path / "r", "mine", rule("securities.promise.baoben"))
    assert errors(folder, packs=["banking"]) == []
    (problem,) = errors(folder, packs=["securities", "privacy"])
    assert "packs securities,privacy" in problem


def test_a_copy_of_a_rule_shipped_off_may_switch_it_on(tmp_path: Path) -> None:
    off = next(r.spec.id for r in load_rules(["service"]) if not r.spec.enabled)
    assert errors(write(tmp_path / "r", "mine", rule(off))) == []


def test_a_disabled_copy_of_an_enabled_shipped_rule_is_reported(tmp_path: Path) -> None:
    folder = write(tmp_path / "r", "mine", rule("securities.promise.baoben", on=False))
    (problem,) = errors(folder)
    assert "停用的副本关不掉" in problem and "does not switch off" in problem


def test_duplicate_ids_in_your_files_are_reported_with_both_places(tmp_path: Path) -> None:
    folder = write(tmp_path / "r", "mine", rule("mine.a.b"))
    write(folder, "yours", rule("mine.a.b", on=False))
    (problem,) = errors(folder)
    assert problem.startswith(f"{folder / 'yours.yaml'}:3 mine.a.b: 规则编号重复")
    assert f"also at {folder / 'mine.yaml'}:3" in problem


def test_unknown_category_and_shipped_pack_name(tmp_path: Path) -> None:
    folder = write(tmp_path / "r", "securities", rule("mine.a.b", category="compliance.nope"))
    found = errors(folder)
    assert any("未知类别 unknown category 'compliance.nope'" in p for p in found)
    assert any("包名与内置规则包相同" in p for p in found)


def test_every_file_that_does_not_load_is_listed(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "a.yaml").write_text("pack: a\nrules:\n  - id: BAD\n", "utf-8")
    (folder / "b.yaml").write_text("pack: b\nrules: [unclosed\n", "utf-8")
    found = errors(folder)
    assert len(found) == 2 and "a.yaml:3" in found[0] and "b.yaml" in found[1]


def test_bad_sources_are_one_problem_each(tmp_path: Path) -> None:
    assert "路径不存在" in errors(tmp_path / "missing")[0]
    assert "no such pack 'nope'" in errors(write(tmp_path / "r", "m"), packs=["nope"])[0]
    assert "unknown industry" in errors(tmp_path / "r", industry="crypto")[0]


def test_require_valid_sources_raises_listing_every_problem(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "r",
        "mine",
        rule("securities.promise.baoben"),
        rule("mine.a.b", category="compliance.nope"),
    )
    with pytest.raises(SourcesInvalid) as info:
        require_valid_sources([folder], industry="securities")
    assert isinstance(info.value, PackError) and len(info.value.problems) == 2
    assert "securities.promise.baoben" in str(info.value) and "compliance.nope" in str(info.value)
    require_valid_sources([write(tmp_path / "ok", "fine", rule("fine.a.b"))])


def test_shipped_packs_alone_are_valid_in_every_combination() -> None:
    assert validate_rule_sources() == []


@pytest.mark.parametrize(
    ("industries", "industry", "applies"),
    [
        ("", "securities", True),
        ("", None, True),
        ("industries: []\n", "lending", True),
        ("industries: [securities]\n", "securities", True),
        ("industries: [securities]\n", "banking", False),
        ("industries: [securities]\n", None, False),
        ("industries: [general]\n", None, True),
        ("industries: [banking, lending]\n", "lending", True),
    ],
)
def test_packs_applicable(industries: str, industry: str | None, applies: bool) -> None:
    spec = load_pack_text(f"pack: mine\n{industries}rules:" + rule("mine.a.b"), "<t>")
    assert packs_applicable(spec, industry) is applies


def test_applicable_rules_keep_the_packs_for_the_industry() -> None:
    banking = load_pack_text("pack: b\nindustries: [banking]\nrules:" + rule("b.a.b"), "<b>")
    anywhere = load_pack_text("pack: a\nrules:" + rule("a.a.b"), "<a>")
    ids = {
        i: [r.spec.id for r in applicable_rules([banking, anywhere], i)] for i in ("banking", None)
    }
    assert ids == {"banking": ["b.a.b", "a.a.b"], None: ["a.a.b"]}
