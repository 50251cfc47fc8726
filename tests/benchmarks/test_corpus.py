"""The realistic benchmark corpus: deterministic, shaped as the issue asks, valid input."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import corpus
import snippets

from hegui.formats.jsonl import LineError, read_conversations

PUNCT = re.compile(r"[，。？！,.?!]")


def test_same_seed_same_corpus_other_seed_other_corpus() -> None:
    first = list(corpus.conversations(20, seed=3))
    assert first == list(corpus.conversations(20, seed=3))
    assert first != list(corpus.conversations(20, seed=4))


def test_mix_of_industries_channels_lengths_and_styles() -> None:
    convs = list(corpus.conversations(300, seed=11))
    assert {c["industry"] for c in convs} == set(corpus.INDUSTRIES)
    assert {"phone", "chat"} <= {c["channel"] for c in convs}
    assert all(10 <= len(c["utterances"]) <= 60 for c in convs)
    phone = [u for c in convs if c["channel"] == "phone" for u in c["utterances"]]
    chat = [u for c in convs if c["channel"] != "phone" for u in c["utterances"]]
    assert not any(PUNCT.search(u["text"]) for u in phone)  # ASR style
    assert sum(bool(PUNCT.search(u["text"])) for u in chat) > len(chat) / 2
    split_runs = sum(
        a["role"] == b["role"]
        for c in convs
        if c["channel"] == "phone"
        for a, b in zip(c["utterances"], c["utterances"][1:], strict=False)
    )
    assert split_runs > len(phone) / 20  # same-speaker runs cut into segments
    assert any(ch in u["text"] for u in phone for ch in "幺零")  # spoken numerals
    starts = [u["start"] for c in convs for u in c["utterances"]]
    assert all(isinstance(s, float) for s in starts)


def test_every_line_parses_as_the_conversation_contract(tmp_path: Path) -> None:
    path = tmp_path / "calls.jsonl"
    stats = corpus.write_jsonl(path, 50, seed=5)
    items = list(read_conversations(path.read_text("utf-8").splitlines(), str(path)))
    assert not [i for i in items if isinstance(i, LineError)]
    assert stats.conversations == 50
    lines = path.read_text("utf-8").splitlines()
    assert stats.utterances == sum(len(json.loads(x)["utterances"]) for x in lines)
    head = tmp_path / "head.jsonl"
    assert corpus.prefix(path, head, 10).conversations == 10
    assert head.read_text("utf-8").splitlines() == path.read_text("utf-8").splitlines()[:10]


def test_generated_numbers_are_valid() -> None:
    rng = random.Random(1)
    for _ in range(50):
        idn = snippets.id_number(rng)
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        total = sum(int(d) * w for d, w in zip(idn[:17], weights, strict=True))
        assert "10X98765432"[total % 11] == idn[17]
        card = snippets.bank_card(rng)
        digits = [int(d) for d in reversed(card)]
        luhn = sum(
            d if i % 2 == 0 else (2 * d - 9 if d > 4 else 2 * d) for i, d in enumerate(digits)
        )
        assert luhn % 10 == 0 and len(card) in (16, 19)
        assert re.fullmatch(r"1[3-9]\d{9}", snippets.phone_number(rng))
    assert snippets.spoken("1390", random.Random(0)) in ("幺三九零", "一三九零")
