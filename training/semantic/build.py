"""Build training/semantic/<intent>.jsonl from the hand-written sources.

造数脚本：把 sources/<intent>.txt（人工撰写的正/负例）和 benchmarks/eval 的 dev 切分
中标注过的话语合并，生成 <intent>.jsonl。

    python training/semantic/build.py            # rebuild every intent
    python training/semantic/build.py --check    # fail if a .jsonl is stale

Source line syntax (one utterance a line, ``#`` starts a comment line)::

    + 年化六个点稳稳的 您放心          label 1, role = the intent's role
    - 保本是不可能的                  label 0
    -c 这个产品保本吗                 label 0, role customer (a = agent, b = bot)
    @import service.rude + as -       another source's positives, here as negatives
    @import _common_agent - as -      a shared pool of everyday lines

Style is read off the text: punctuation, Arabic digits or emoji make it ``chat``,
otherwise ``asr``. Every hand-written line also yields its other-style twin (chat → ASR:
punctuation dropped, numbers read out in Chinese, sometimes a filler or a homophone
slip; ASR → chat: fillers dropped, pauses become commas). A twin carries
``"note": "variant of: <original>"`` so a split can keep it with its original.

Only records with ``"split": "dev"`` are read from benchmarks/eval; the test split is
never opened for training.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
EVAL_DIR = REPO / "benchmarks" / "eval"

INTENT_ROLES: dict[str, str] = {
    "compliance.guarantee_return": "agent",
    "compliance.exaggeration": "agent",
    "compliance.deposit_confusion": "agent",
    "compliance.account_operation": "agent",
    "compliance.suitability": "agent",
    "compliance.collection_abuse": "agent",
    "compliance.unauthorized_commitment": "agent",
    "privacy.credential_request": "agent",
    "privacy.private_channel": "agent",
    "privacy.improper_retention": "agent",
    "service.rude": "agent",
    "service.impatient": "agent",
    "service.customer_negative": "customer",
    "service.complaint_escalation": "customer",
    "said.risk_warning": "agent",
    "said.fee_disclosure": "agent",
    "risk.transfer_failure": "customer",
}

# Which benchmark files may give dev negatives for an intent (same domain, so the
# unlabelled utterances there were read by an annotator looking for that category).
EVAL_FILES: dict[str, tuple[str, ...]] = {
    "compliance": ("compliance_securities_banking.jsonl", "compliance_insurance_lending.jsonl"),
    "privacy": ("privacy_risk.jsonl",),
    "risk": ("privacy_risk.jsonl",),
    "service": ("service.jsonl",),
}
# Later development sets (written by people who never saw the rules) are mined the same way
# once they have been tuned on: dev2 (chosen on dev3), dev3 and dev4 (issue 8, round 6), dev5
# (round 8), dev6, dev7 and dev8 (round 10, after each had been the clean check of a
# round), dev9 and dev10 (round 12, the clean checks of rounds 10 and 11), dev11 (round 13,
# the clean check of round 12), dev12 (round 14, the clean check of round 13), dev13 (round 15,
# the clean check of round 14), dev14 and dev15 (round 16: its tuning sets, one after the
# other; the clean checks of round 15), dev16 and dev17 (round 17: its tuning sets, one after
# the other; the clean checks of round 16). dev18 is never mined: the clean check of round 17
# (written at its start).
MINED_DEVS = tuple(f"dev{n}" for n in range(2, 18))  # dev2 … dev17
# Never mined, and a mined line that another writer also wrote there is skipped: two writers
# both wrote "你叫什么名字 工号多少 我要投诉你", and a positive would give that label away.
CLEAN_SETS = ("dev18", "heldout")
DEV_FAMILY_FILE = {
    "compliance": "compliance",
    "privacy": "privacy_risk",
    "risk": "privacy_risk",
    "service": "service",
}
# Dev negatives per intent: as many as the intent's mined positives, at least 40 (a seeded
# choice among the unlabelled lines). Until round 16 they were capped at 40 in all, so that
# the hand-written hard negatives stayed the majority; with twelve development sets mined,
# customer negativity then had ~1,200 mined positives against 40 mined negatives, and the
# model learnt that any customer line of a service call is upset ("哦 明白了 那我现在就去弄"
# scored 0.92).
DEV_NEGATIVE_MIN = 40
DEV_NEGATIVE_RATIO = 1.0
# Greetings and sign-offs ("感谢您的来电") teach nothing about an intent; skip short lines.
MIN_DEV_NEGATIVE_CHARS = 10

ROLE_CODES = {"a": "agent", "c": "customer", "b": "bot"}
CHAT_MARKS = re.compile(
    r"[，。？！、；：,.?!~…“”\"'（）()【】]|[0-9]|[\U0001F300-\U0001FAFF\u2600-\u27BF]"
)
EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F]")
PUNCT = re.compile(r"[，。？！、；：,.?!~…“”\"'（）()【】\s]+")
FILLERS = ("嗯", "那个", "啊", "就是", "呃", "嗯 那个", "哎", "对")
HOMOPHONES = (
    ("保本", "包本"),
    ("年化", "年华"),
    ("验证码", "验正码"),
    ("利率", "利律"),
    ("定期", "定其"),
    ("理财", "理才"),
    ("收益", "收义"),
    ("投诉", "头诉"),
    ("密码", "秘码"),
    ("存款", "存宽"),
    ("手续费", "手须费"),
    ("风险", "疯险"),
    ("微信", "威信"),
    ("账户", "帐护"),
    ("还款", "换款"),
)
DIGITS = "零一二三四五六七八九"


def style_of(text: str) -> str:
    return "chat" if CHAT_MARKS.search(text) else "asr"


def _stable(text: str, salt: str) -> int:
    return int(hashlib.sha256((salt + text).encode()).hexdigest()[:8], 16)


def _read_int(number: str) -> str:
    """Read an integer the way a speaker would (digit by digit for codes and phone numbers)."""
    if len(number) >= 5 or (len(number) > 1 and number.startswith("0")):
        return "".join(DIGITS[int(d)] for d in number)
    value = int(number)
    if value < 10:
        return DIGITS[value]
    units = (("千", 1000), ("百", 100), ("十", 10))
    out, zero_pending = "", False
    for name, size in units:
        digit, value = divmod(value, size)
        if digit:
            if zero_pending:
                out += "零"
            out += ("" if name == "十" and not out and digit == 1 else DIGITS[digit]) + name
            zero_pending = False
        elif out:
            zero_pending = True
    if value:
        out += ("零" if zero_pending else "") + DIGITS[value]
    return out


def _read_number(match: re.Match[str]) -> str:
    whole, frac, percent = match.group(1), match.group(2), match.group(3)
    spoken = _read_int(whole)
    if frac:
        spoken += "点" + "".join(DIGITS[int(d)] for d in frac)
    return "百分之" + spoken if percent else spoken


def to_asr(text: str) -> str:
    out = EMOJI.sub("", text)
    out = re.sub(r"(\d+)(?:\.(\d+))?(%)?", _read_number, out)
    out = PUNCT.sub(" ", out).strip()
    seed = _stable(text, "asr")
    if seed % 3 == 0:
        out = FILLERS[seed // 3 % len(FILLERS)] + " " + out
    hits = [pair for pair in HOMOPHONES if pair[0] in out]
    if hits and seed % 4 == 1:
        right, wrong = hits[seed // 4 % len(hits)]
        out = out.replace(right, wrong, 1)
    return out


def _parse_cn_int(spoken: str) -> int | None:
    """Value of a spoken integer below ten thousand (一千零五十六, 十三, 六); None if not one."""
    value, digit = 0, None
    for char in spoken:
        if char in DIGITS:
            digit = DIGITS.index(char)
        elif char in "十百千":
            value += (1 if digit is None else digit) * {"十": 10, "百": 100, "千": 1000}[char]
            digit = None
        else:
            return None
    return value + (digit or 0)


def _write_number(match: re.Match[str]) -> str:
    percent, whole, frac = match.group(1), match.group(2), match.group(3)
    value = _parse_cn_int(whole)
    if value is None or (whole[0] == "零" and len(whole) > 1):
        return match.group(0)
    number = str(value) + ("." + "".join(str(DIGITS.index(c)) for c in frac) if frac else "")
    return number + "%" if percent else number


_CN = "零一二三四五六七八九十百千"
CN_PERCENT = re.compile(rf"(百分之)([{_CN}]+)(?:点([零一二三四五六七八九]+))?")
CN_AMOUNT = re.compile(
    rf"()(?<![{_CN}])([{_CN}]{{2,}}|[二三四五六七八九])(?:点([零一二三四五六七八九]+))?"
    r"(?=个点|万|元|块|期|个工作日|倍)"
)


def to_chat(text: str) -> str:
    if _stable(text, "digits") % 2:
        text = CN_AMOUNT.sub(_write_number, CN_PERCENT.sub(_write_number, text))
    words = text.split()
    while len(words) > 1 and words[0] in {"嗯", "啊", "那个", "呃", "哎", "就是"}:
        words = words[1:]
    body = "，".join(words)
    end = "？" if re.search(r"(吗|呢|么|吧|是不是|没有)$", body) else "。"
    if text.endswith(("了", "的", "啊")) and _stable(text, "chat") % 2:
        end = "！"
    return body + end


def parse_source(path: Path, role: str, follow: bool = True) -> list[dict[str, object]]:
    """Read a source file; ``follow=False`` skips its imports (no import cycles)."""
    records: list[dict[str, object]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        imported = re.match(r"^@import\s+(\S+)\s+([+-])\s+as\s+([+-])$", line)
        if imported is not None:
            if not follow:
                continue
            name, take, give = imported.groups()
            other = parse_source(path.with_name(f"{name}.txt"), role, follow=False)
            wanted = 1 if take == "+" else 0
            label = 1 if give == "+" else 0
            records += [{**r, "label": label} for r in other if r["label"] == wanted]
            continue
        match = re.match(r"^([+-])([acb]?)\s+(.+)$", line)
        if match is None:
            sys.exit(f"{path.name} 第 {number} 行格式错误 / line {number}: bad syntax: {raw!r}")
        sign, code, text = match.groups()
        records.append(
            {
                "text": text.strip(),
                "role": ROLE_CODES.get(code, role),
                "label": 1 if sign == "+" else 0,
                "style": style_of(text),
            }
        )
    return records


def with_variants(records: list[dict[str, object]]) -> list[dict[str, object]]:
    out = list(records)
    for record in records:
        text = str(record["text"])
        twin = to_asr(text) if record["style"] == "chat" else to_chat(text)
        if twin and twin != text:
            out.append(
                {**record, "text": twin, "style": style_of(twin), "note": f"variant of: {text}"}
            )
    return out


def _dev_records(intent: str) -> list[dict[str, object]]:
    family = intent.split(".")[0]
    records = [
        json.loads(line)
        for name in EVAL_FILES.get(family, ())
        for line in (EVAL_DIR / name).read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line)["split"] == "dev"
    ]
    stem = DEV_FAMILY_FILE.get(family)
    for split in MINED_DEVS if stem else ():
        path = REPO / "benchmarks" / split / f"{stem}_{split}.jsonl"
        records += [
            json.loads(line)
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and json.loads(line)["split"] == split
        ]
    return records


@lru_cache(maxsize=1)
def _clean_texts() -> frozenset[str]:
    missing = [s for s in CLEAN_SETS if not any((REPO / "benchmarks" / s).glob("*.jsonl"))]
    if missing:
        raise SystemExit(f"clean sets missing under benchmarks/: {missing}")
    return frozenset(
        u["text"]
        for split in CLEAN_SETS
        for path in (REPO / "benchmarks" / split).glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
        for u in json.loads(line)["utterances"]
    )


def _row(text: str, role: str, label: int, note: str) -> dict[str, object]:
    return {"text": text, "role": role, "label": label, "style": style_of(text), "note": note}


def mine_dev(intent: str, role: str) -> list[dict[str, object]]:
    """Labelled dev utterances as positives; unlabelled ones of the same role as negatives."""
    if intent.startswith("said."):
        return []
    positives: list[dict[str, object]] = []
    negatives: list[dict[str, object]] = []
    clean = _clean_texts()
    for record in _dev_records(intent):
        labels = [lab for lab in record.get("labels", []) if lab.get("utterance_index") is not None]
        flagged = {lab["utterance_index"] for lab in labels}
        hit = {lab["utterance_index"] for lab in labels if lab["category"] == intent}
        note = "eval-dev" if record["split"] == "dev" else str(record["split"])
        for index, utt in enumerate(record["utterances"]):
            if utt["role"] not in (role, "bot" if role == "agent" else role):
                continue
            text, who = utt["text"], utt["role"]
            if text in clean:
                continue
            if index in hit:
                positives.append(_row(text, who, 1, note))
            elif index not in flagged and len(text) >= MIN_DEV_NEGATIVE_CHARS:
                negatives.append(_row(text, who, 0, note))
    # A line one writer labelled and another left unlabelled is kept as a positive only; the
    # share counts distinct lines (stock phrases recur across conversations).
    labelled = {str(r["text"]) for r in positives}
    distinct = {str(r["text"]): r for r in negatives if r["text"] not in labelled}
    chosen = sorted(distinct.values(), key=lambda r: _stable(str(r["text"]), intent))
    cap = max(DEV_NEGATIVE_MIN, round(DEV_NEGATIVE_RATIO * len(labelled)))
    return positives + chosen[:cap]


def build(intent: str) -> list[dict[str, object]]:
    role = INTENT_ROLES[intent]
    source = HERE / "sources" / f"{intent}.txt"
    records = with_variants(parse_source(source, role)) + mine_dev(intent, role)
    seen: dict[str, int] = {}
    unique: list[dict[str, object]] = []
    for record in records:
        text = str(record["text"])
        if text in seen:
            if unique[seen[text]]["label"] != record["label"]:
                sys.exit(f"{intent}: 同一句正负标签冲突 / conflicting labels for {text!r}")
            continue
        seen[text] = len(unique)
        unique.append(record)
    return unique


def render(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if an output is stale")
    parser.add_argument("intents", nargs="*", help="intents to build (default: all with sources)")
    args = parser.parse_args()
    intents = args.intents or [i for i in INTENT_ROLES if (HERE / "sources" / f"{i}.txt").exists()]
    stale = []
    for intent in intents:
        text = render(build(intent))
        target = HERE / f"{intent}.jsonl"
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(intent)
            continue
        target.write_text(text, encoding="utf-8")
        rows = [json.loads(line) for line in text.splitlines()]
        pos = sum(r["label"] for r in rows)
        print(f"{intent:40s} +{pos:4d} -{len(rows) - pos:4d}")
    if stale:
        print("过期 / stale:", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
