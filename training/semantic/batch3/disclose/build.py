"""Build this folder's <intent>.jsonl files from the hand-written src_*.txt lines.

    python training/semantic/batch3/disclose/build.py

Each src file holds lines under `#pos <style|role>` / `#neg <style|role>` headers:
`asr` / `chat` mean an agent line in that style; `customer` a customer line (ASR style).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = {
    "said.risk_warning": "src_risk.txt",
    "said.fee_disclosure": "src_fee.txt",
    "compliance.suitability": "src_suit.txt",
}


def rows(path: Path) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    label, style, role = 1, "asr", "agent"
    for raw in path.read_text("utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            kind, where = line[1:].split()
            label = 1 if kind == "pos" else 0
            role = "customer" if where == "customer" else "agent"
            style = "asr" if where in ("asr", "customer") else "chat"
            continue
        out.append({"text": line, "role": role, "label": label, "style": style})
    return out


def main() -> None:
    for intent, src in SOURCES.items():
        lines = rows(HERE / src)
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines)
        (HERE / f"{intent}.jsonl").write_text(text, "utf-8")
        pos = sum(1 for r in lines if r["label"] == 1)
        print(f"{intent}: {pos} positive, {len(lines) - pos} negative")


if __name__ == "__main__":
    main()
