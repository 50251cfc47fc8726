"""Generated rule libraries and the naive baseline, as plain data (no hegui imports).

- `generated_pack(n, seed)`: a pack of `n` rules shaped like a large institution's library
  (70 % phrase, 15 % regex, 10 % proximity + exception, 5 % must-say), built from common
  words of jieba's dictionary. The same rules as benchmarks/throughput.py generates.
- `naive_patterns(pack)`: what a straightforward keyword system does with the same rules —
  one compiled `re` per rule, alternating every phrase and regex the rule searches for
  (proximity as a bounded gap; exceptions, negation, scopes and timing ignored). Looped
  per rule per utterance, it is the baseline the engine is compared with.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import yaml

from hegui.lexicon import default_lexicon

TAXONOMY = Path(__file__).resolve().parents[1] / "src" / "hegui" / "spec" / "taxonomy.yaml"
# A naive system's idea of "personal information": long digit runs.
NAIVE_PII = r"1[3-9]\d{9}|\d{17}[\dXx]|\d{16,19}"


def categories() -> list[str]:
    data = yaml.safe_load(TAXONOMY.read_text("utf-8"))
    return [cid for group in ("compliance", "service", "risk") for cid in data.get(group) or {}]


def vocabulary(seed: int) -> list[str]:
    """Common 2-3 character words (jieba's dictionary, frequency ≥ 200), shuffled."""
    words = sorted(w for w, f in default_lexicon().items() if f >= 200 and 2 <= len(w) <= 3)
    random.Random(seed).shuffle(words)
    return words


def generated_pack(n: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    words = vocabulary(seed)
    cats = categories()

    def phrase() -> str:
        return rng.choice(words) + rng.choice(words)

    rules = []
    for i in range(n):
        roll = rng.random()
        body: dict[str, Any]
        if roll < 0.70:
            body = {"when": {"keywords": [phrase() for _ in range(rng.randint(1, 4))]}}
        elif roll < 0.85:
            a, b = rng.sample(words, 2), rng.sample(words, 2)
            body = {"when": {"regex": f"({a[0]}|{a[1]}).{{0,6}}({b[0]}|{b[1]})"}}
        elif roll < 0.95:
            near = {"near": [{"keywords": [rng.choice(words)]}, {"keywords": [rng.choice(words)]}]}
            body = {"when": {"all": [{**near, "within": 8}, {"none": [{"keywords": [phrase()]}]}]}}
        else:
            body = {
                "after": {"keywords": [phrase()]},
                "must_say": {"keywords": [phrase(), phrase()]},
            }
        rules.append(
            {
                "id": f"gen.rule.r{i:05d}",
                "category": rng.choice(cats),
                "message": "生成规则 generated rule",
                "examples": {"match": ["x"], "no_match": ["y"]},
                **body,
            }
        )
    return {"pack": "gen", "industries": [], "rules": rules}


def _phrase(text: str, synonyms: dict[str, list[str]]) -> str:
    """A keyword as a regex; `{group}` names a synonym group of the pack."""
    parts = re.split(r"\{([^{}]+)\}", str(text))
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append("(?:" + "|".join(map(re.escape, synonyms.get(part.strip(), [part]))) + ")")
        else:
            out.append(re.escape(part))
    return "".join(out)


def _alternatives(cond: Any, synonyms: dict[str, list[str]]) -> list[str]:
    if isinstance(cond, list):
        return [a for c in cond for a in _alternatives(c, synonyms)]
    if not isinstance(cond, dict):
        return []
    if "keywords" in cond:
        items = cond["keywords"] if isinstance(cond["keywords"], list) else [cond["keywords"]]
        return [_phrase(k, synonyms) for k in items]
    if "regex" in cond:
        return list(cond["regex"]) if isinstance(cond["regex"], list) else [cond["regex"]]
    if "pii" in cond:
        return [NAIVE_PII]
    if "near" in cond:
        a, b = ("|".join(_alternatives(c, synonyms)) for c in cond["near"])
        gap = f".{{0,{cond.get('within', 0)}}}"
        return [f"(?:{a}){gap}(?:{b})|(?:{b}){gap}(?:{a})"] if a and b else []
    for key in ("all", "any", "previous", "condition"):
        if key in cond:
            return _alternatives(cond[key], synonyms)
    return []  # none, metadata, role: a keyword system does not look at them


def naive_patterns(pack: dict[str, Any]) -> tuple[list[re.Pattern[str]], int]:
    """One regex per rule that searches text; and how many rules it could not express
    (timing rules such as silence, or a regex Python's `re` rejects)."""
    synonyms = pack.get("synonyms") or {}
    patterns, skipped = [], 0
    for rule in pack["rules"]:
        if rule.get("enabled") is False:
            continue
        alts = [
            a
            for key in ("when", "after", "must_say", "sequence", "count")
            for a in _alternatives(rule.get(key), synonyms)
        ]
        if not alts:
            skipped += 1
            continue
        try:
            patterns.append(re.compile("|".join(alts)))
        except re.error:
            skipped += 1
    return patterns, skipped


def load_yaml(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert isinstance(data, dict), path
    return data
