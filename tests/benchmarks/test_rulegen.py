"""Generated libraries and the naive baseline."""

from __future__ import annotations

import hegui_api
import rulegen


def test_generated_pack_is_a_valid_rules_file_and_compiles() -> None:
    pack = rulegen.generated_pack(60, seed=7)
    rules = hegui_api.parse_pack(pack)
    assert len(rules) == 60
    library = hegui_api.compile_rules(rules, "auto")
    assert hegui_api.library_facts(library)["literals"] > 60


def test_same_rules_as_throughput_py() -> None:
    """The suite's 5,000-rule library is the one the published figures were measured on."""
    import throughput

    old = throughput.generated_rules(80, 7)
    new = hegui_api.parse_pack(rulegen.generated_pack(80, seed=7))
    assert [r.spec.model_dump() for r in old] == [r.spec.model_dump() for r in new]


def test_naive_pattern_per_rule_with_synonyms_proximity_and_pii() -> None:
    pack = {
        "pack": "t",
        "synonyms": {"保": ["保证", "确保"]},
        "rules": [
            {"id": "t.a.a", "when": {"keywords": ["{保}收益"]}},
            {
                "id": "t.a.b",
                "when": {"near": [{"keywords": ["本金"]}, {"keywords": ["安全"]}], "within": 3},
            },
            {
                "id": "t.a.c",
                "when": {"all": [{"pii": ["phone"]}, {"none": [{"keywords": ["尾号"]}]}]},
            },
            {"id": "t.a.d", "silence": {"min_seconds": 10}},
            {"id": "t.a.e", "enabled": False, "when": {"keywords": ["关掉"]}},
        ],
    }
    patterns, skipped = rulegen.naive_patterns(pack)
    assert skipped == 1 and len(patterns) == 3
    a, b, c = patterns
    assert a.search("我们确保收益") and not a.search("收益不确定")
    assert b.search("本金很安全") and not b.search("本金这个东西其实都安全")
    assert c.search("电话13812345678") and not c.search("尾号5678")


def test_every_shipped_rule_with_text_has_a_naive_pattern() -> None:
    for path in hegui_api.all_shipped_pack_files():
        if path.name == "semantic.yaml":
            continue  # the intent model's rules have no keyword form for the naive loop
        pack = rulegen.load_yaml(path)
        patterns, skipped = rulegen.naive_patterns(pack)
        enabled = [r for r in pack["rules"] if r.get("enabled", True)]
        assert len(patterns) + skipped == len(enabled)
        assert skipped <= 6, path  # only timing rules (silence, response time, ...)
