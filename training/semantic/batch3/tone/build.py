"""Regenerate the batch-3 tone .jsonl files from src/*.txt (see README.md beside this file).

python training/semantic/batch3/tone/build.py [--check]
"""

import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).parent
SRC = HERE / "src"
CHAT = re.compile(r"[，。？！、~～：；“”（）?!%,:;\u2600-\u27bf\U0001F300-\U0001FAFF]")
# A dismissive brush-off is impatience, not rudeness: service.impatient's positives are
# service.rude's hard negatives (the benchmarks give an utterance one of the two).
EXTRA_NEGATIVES = {"service.rude": "service.impatient"}


def style(text: str) -> str:
    # punctuation/emoji or Arabic numerals mean chat; ASR lines have neither
    return "chat" if CHAT.search(text) or re.search(r"[0-9]", text) else "asr"


def parse(path: pathlib.Path) -> list[dict]:
    rows, role, label = [], None, None
    for line in path.read_text("utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            kind, role = line[1:].split()
            label = 1 if kind == "pos" else 0
            continue
        rows.append({"text": line, "role": role, "label": label, "style": style(line)})
    return rows


def build() -> dict[str, str]:
    sources = {p.stem: parse(p) for p in sorted(SRC.glob("*.txt"))}
    out = {}
    for name, rows in sources.items():
        rows = list(rows)
        donor = EXTRA_NEGATIVES.get(name)
        if donor:
            rows += [dict(r, label=0) for r in sources[donor] if r["label"] == 1]
        seen: set[str] = set()
        lines = []
        for r in rows:
            if r["text"] in seen:
                continue
            seen.add(r["text"])
            lines.append(json.dumps(r, ensure_ascii=False))
        out[f"{name}.jsonl"] = "\n".join(lines) + "\n"
    return out


if __name__ == "__main__":
    files = build()
    if "--check" in sys.argv:
        stale = [n for n, t in files.items() if (HERE / n).read_text("utf-8") != t]
        sys.exit(f"stale: {stale}" if stale else 0)
    for name, text in files.items():
        (HERE / name).write_text(text, "utf-8")
        rows = [json.loads(x) for x in text.splitlines()]
        pos = sum(r["label"] for r in rows)
        print(f"{name}: +{pos} -{len(rows) - pos}")
