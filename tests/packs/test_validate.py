"""`validate_rule_sources` finds, before inspection, everything that would stop it —
checked against every combination of shipped packs your rules can be used with."""

from __future__ import annotations

from pathlib import Path

import pytest

from hegui.catalog import build_catalog
from hegui.engine.library import RuleError
from hegui.packs import (
    INDUSTRY_PACKS,
    PackError,
    load_pack_text,
    load_rules,
    packs_applicable,
)
from hegui.packs.source import RuleFiles
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


def builds(folder: Path, **config: object) -> bool:
    """Whether the catalog the Inspector runs compiles these rules (without the up-front
    validation, which `Inspector.build` does first and must agree with)."""
    try:
        build_catalog(sources=[RuleFiles.of([folder])], **config)  # type: ignore[arg-type]
    except RuleError:
        return False
    return True


CONFIGS: list[dict[str, object]] = [
    {},
    *({"industry": industry} for industry in INDUSTRY_PACKS),
    {"packs": ("banking", "privacy")},
]


@pytest.mark.parametrize("config", CONFIGS, ids=repr)
@pytest.mark.parametrize(
    ("rule_id", "industries"),
    [
        ("securities.promise.baoben", ""),
        ("securities.promise.baoben", "[banking]"),
        ("banking.promise.baoben", "[banking]"),
        ("general.guarantee.no_risk", ""),
        ("mine.promise.baoben", ""),
    ],
)
def test_validation_reports_exactly_what_the_inspector_would_refuse(
    tmp_path: Path, config: dict[str, object], rule_id: str, industries: str
) -> None:
    """The regression: such rules passed lint and test, then crashed inspection."""
    folder = write(tmp_path / "r", "mine", rule(rule_id), industries=industries)
    found = errors(folder, **config)
    assert (found == []) == builds(folder, **config), found
    if found:
        (problem,) = found
        line = 4 if industries else 3
        assert (
            f"mine.yaml:{line} {rule_id}: 规则编号与规则包 {rule_id.split('.')[0]} 冲突" in problem
        )
        assert "compiled together: packs " in problem


def test_a_collision_names_the_shipped_rule_and_the_packs(tmp_path: Path) -> None:
    folder = write(tmp_path / "r", "mine", rule("securities.promise.baoben"))
    (problem,) = errors(folder, packs=["securities", "privacy"])
    assert (
        "securities.yaml:" in problem and "(compiled together: packs securities,privacy)" in problem
    )


def test_a_copy_of_a_rule_shipped_off_may_switch_it_on(tmp_path: Path) -> None:
    off = next(r.spec.id for r in load_rules(["service"]) if not r.spec.enabled)
    assert errors(write(tmp_path / "r", "mine", rule(off))) == []


def test_a_disabled_copy_of_an_enabled_shipped_rule_is_reported(tmp_path: Path) -> None:
    """It would not crash inspection; it would just not do what its author meant."""
    folder = write(tmp_path / "r", "mine", rule("securities.promise.baoben", on=False))
    assert builds(folder)
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
