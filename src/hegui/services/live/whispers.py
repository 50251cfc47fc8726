"""Whispers: short prompts on the agent's screen while there is still time to act.

Two triggers: a must-say obligation opens (a product was recommended and no risk
disclosure has come yet) — prompted once when it opens and once more as a last chance
when one turn is left — and a finding during the call (a credential request, a return
promise, an upset customer). Every taxonomy category has a text (`WHISPERS`, tested
against `spec/taxonomy.yaml`); a rule may get its own text through `overrides`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hegui.engine.model import Finding, Obligation

OWED = "owed"
LAST_CHANCE = "last_chance"
FINDING = "finding"
LAST_CHANCE_PREFIX = ("最后提醒：", "Last chance: ")


@dataclass(frozen=True, slots=True)
class Prompt:
    """A whisper text: Chinese first (what the agent reads), English alongside."""

    zh: str
    en: str

    def text(self, last_chance: bool = False) -> str:
        if last_chance:
            zh, en = LAST_CHANCE_PREFIX
            return f"{zh}{self.zh} / {en}{self.en[0].lower()}{self.en[1:]}"
        return f"{self.zh} / {self.en}"


WHISPERS: dict[str, Prompt] = {
    "compliance.guarantee_return": Prompt("请勿承诺收益或保本", "Do not promise returns"),
    "compliance.exaggeration": Prompt("请勿使用夸大、绝对化用语", "Avoid absolute claims"),
    "compliance.missing_risk_disclosure": Prompt("请进行风险提示", "Give the risk disclosure"),
    "compliance.suitability": Prompt("请先确认客户风险测评", "Check the risk assessment first"),
    "compliance.deposit_confusion": Prompt("请勿将产品与存款类比", "Do not compare with deposits"),
    "compliance.account_operation": Prompt("请勿代客操作账户", "Do not operate the account"),
    "compliance.fee_disclosure": Prompt("请告知费用与费率", "State the fees"),
    "compliance.collection_abuse": Prompt("请文明催收，勿威胁", "Collect politely, no threats"),
    "compliance.unauthorized_commitment": Prompt("请勿越权承诺", "Do not over-promise"),
    "privacy.id_number": Prompt("请勿复述身份证号", "Do not read out the ID number"),
    "privacy.bank_card": Prompt("请勿复述银行卡号", "Do not read out the card number"),
    "privacy.phone": Prompt("请勿复述完整手机号", "Do not read out the phone number"),
    "privacy.address": Prompt("请勿复述客户住址", "Do not read out the address"),
    "privacy.other_pii": Prompt("请勿透露客户个人信息", "Do not disclose personal data"),
    "privacy.credential_request": Prompt("请勿索要验证码/密码", "Never ask for codes or passwords"),
    "privacy.private_channel": Prompt("请勿引导添加私人联系方式", "No private contact channels"),
    "privacy.improper_retention": Prompt("请勿私自留存客户信息", "Do not keep customer data"),
    "service.missing_greeting": Prompt("请规范开场并自报工号", "Greet and give your job number"),
    "service.missing_closing": Prompt("请规范结束语", "Close the call properly"),
    "service.rude": Prompt("请注意文明用语", "Mind your language"),
    "service.impatient": Prompt("请耐心解答，勿推诿", "Be patient, do not deflect"),
    "service.long_silence": Prompt("请及时回应客户", "Respond promptly"),
    "service.interruption": Prompt("请勿打断客户", "Let the customer finish"),
    "service.customer_negative": Prompt("客户情绪不满，请安抚", "Customer upset: reassure"),
    "service.complaint_escalation": Prompt("客户欲投诉，请安抚并升级", "Complaint: calm, escalate"),
    "risk.transfer_failure": Prompt("转账异常，请核实", "Failed transfer: verify it"),
    "risk.suspected_fraud": Prompt("疑似诈骗，请提醒客户防范", "Possible fraud: warn the customer"),
    "risk.verification_anomaly": Prompt("验证码异常，提醒勿泄露", "Code alert: never share it"),
    "risk.account_frozen": Prompt("账户异常，请核实并说明", "Account issue: verify, explain"),
}
# An unknown category (a user's pack on a newer taxonomy) still gets a prompt.
FALLBACK = Prompt("请注意合规", "Mind compliance")


@dataclass(frozen=True, slots=True)
class Whisper:
    text: str
    rule_id: str
    severity: str
    category: str
    reason: str  # OWED | LAST_CHANCE | FINDING

    def to_message(self) -> dict[str, Any]:
        return {
            "type": "whisper",
            "text": self.text,
            "rule_id": self.rule_id,
            "severity": self.severity,
            "category": self.category,
            "reason": self.reason,
        }


class WhisperPolicy:
    """Which prompts to show, for one conversation: each obligation once when it opens
    and once at its last turn; each finding's category once per utterance."""

    def __init__(self, overrides: Mapping[str, Prompt] | None = None) -> None:
        self.overrides = dict(overrides or {})
        self._shown: set[tuple[str, int]] = set()  # (category, utterance index)
        self._owed: set[tuple[str, int, str]] = set()  # (rule id, since, reason)

    def prompt(self, rule_id: str, category: str) -> Prompt:
        return self.overrides.get(rule_id) or WHISPERS.get(category, FALLBACK)

    def after_feed(
        self, findings: Iterable[Finding], pending: Iterable[Obligation]
    ) -> list[Whisper]:
        """The whispers due after an utterance: its findings first, then obligations; at
        most one per category and reason (two rules owing one disclosure prompt once)."""
        out = [self._for_finding(f) for f in findings if f.utterance_index is not None]
        out.extend(w for o in pending if (w := self._for_obligation(o)) is not None)
        return _one_per_category(w for w in out if w is not None)

    def _for_finding(self, finding: Finding) -> Whisper | None:
        assert finding.utterance_index is not None
        key = (finding.category, finding.utterance_index)
        if key in self._shown:
            return None
        self._shown.add(key)
        text = self.prompt(finding.rule_id, finding.category).text()
        return Whisper(text, finding.rule_id, finding.severity, finding.category, FINDING)

    def _for_obligation(self, owed: Obligation) -> Whisper | None:
        last = owed.turns_left is not None and owed.turns_left <= 1
        reason = LAST_CHANCE if last else OWED
        key = (owed.rule_id, owed.since, reason)
        if key in self._owed:
            return None
        # Opened at its last turn: the last-chance prompt is the only one.
        self._owed.update({key, (owed.rule_id, owed.since, OWED)})
        text = self.prompt(owed.rule_id, owed.category).text(last_chance=last)
        return Whisper(text, owed.rule_id, owed.severity, owed.category, reason)


def _one_per_category(whispers: Iterable[Whisper]) -> list[Whisper]:
    seen: set[tuple[str, str]] = set()
    out = []
    for whisper in whispers:
        key = (whisper.category, whisper.reason)
        if key not in seen:
            seen.add(key)
            out.append(whisper)
    return out
