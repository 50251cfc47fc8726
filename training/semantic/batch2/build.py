"""Regenerate the batch-2 .jsonl files from src/*.txt (see README.md beside this file)."""

import collections
import json
import pathlib
import re

src = pathlib.Path(__file__).parent / "src"
out = pathlib.Path(__file__).parent
CHAT = re.compile(r"[，。？！、~～：；“”（）?!%,:;\u2600-\u27bf\U0001F300-\U0001FAFF]")


def style(t):
    # punctuation/emoji, or Arabic numerals outside product codes like R4/C3, mean chat
    return "chat" if CHAT.search(t) or re.search(r"(?<![A-Za-z])[0-9]", t) else "asr"


def parse(path, role=None, label=None):
    rows = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            kind, r = line[1:].split()
            label = 1 if kind == "pos" else 0
            role = r
            continue
        rows.append({"text": line, "role": role, "label": label, "style": style(line)})
    return rows


files = {p.stem: parse(p) for p in src.glob("*.txt") if not p.name.startswith("_")}
polite = parse(src / "_polite_neg.txt", "agent", 0)
files["service.rude"] += polite + parse(src / "_rude_extra_neg.txt", "agent", 0)
files["service.impatient"] += polite + parse(src / "_impatient_extra_neg.txt", "agent", 0)
for name, rows in sorted(files.items()):
    seen = collections.Counter(r["text"] for r in rows)
    d = [t for t, c in seen.items() if c > 1]
    assert not d, (name, d)
    with open(out / f"{name}.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
