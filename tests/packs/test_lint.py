"""Per-rule lint checks, reported with the rule's file and line."""

from __future__ import annotations

from pathlib import Path

from hegui.packs.lint import lint_sources

PACK = """pack: mine
rules:
  - id: mine.a.b
    category: compliance.guarantee_return
    message: m
    message_en: m
    source: s
    when: {{regex: ['{regex}'], negation: true}}
    examples: {{match: [保本, 保本的, 是保本], no_match: [a, b, c]}}
"""


def lint(tmp_path: Path, regex: str) -> list[str]:
    (tmp_path / "mine.yaml").write_text(PACK.format(regex=regex), "utf-8")
    return [f"{p.level} {p}" for p in lint_sources([tmp_path])]


def test_a_plain_regex_is_clean(tmp_path: Path) -> None:
    assert lint(tmp_path, r"保本|保息") == []


def test_ascii_only_classes_are_warned_about_with_file_and_line(tmp_path: Path) -> None:
    (warning,) = lint(tmp_path, r"保\w{0,3}本")
    assert warning.startswith(f"warning {tmp_path / 'mine.yaml'}:3 mine.a.b: 正则")
    assert "ASCII-only in RE2" in warning
    assert lint(tmp_path, r"保\\w本") == []  # an escaped backslash, then a w


def test_escapes_are_not_capitals(tmp_path: Path) -> None:
    assert not any("大写字母" in p for p in lint(tmp_path, r"\p{Han}保本\x{4E00}"))
    assert any("大写字母" in p for p in lint(tmp_path, r"保本VX"))


def test_too_few_examples_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        PACK.format(regex="保本").replace("no_match: [a, b, c]", "no_match: [a]"), "utf-8"
    )
    (error,) = lint_sources([tmp_path])
    assert error.level == "error" and error.where.endswith("mine.yaml:3")
