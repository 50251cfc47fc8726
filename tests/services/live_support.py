"""What the live tests share: conversations of the contract, and the lines that trigger
a whisper (a product recommended with no risk disclosure yet, a credential request)."""

from __future__ import annotations

from typing import Any

from hegui.services.access import Principal
from hegui.services.users import Role

GREETING = "您好，工号1023，很高兴为您服务"
RECOMMEND = "我给您推荐一款基金，某某稳健增利混合基金，年化收益很不错"
DISCLOSE = "投资有风险，入市需谨慎，这款产品风险等级是中风险，申购费是百分之一点五"
CREDENTIAL = "把短信验证码报给我"
PROMISE = "这个产品保本的，您放心"
IMPATIENT = "我都说了几遍了"  # medium severity
CLOSING = "感谢来电，再见"

ADMIN = Principal(1, "root", Role.admin)
REVIEWER = Principal(2, "rev", Role.reviewer)
LEAD = Principal(3, "lead", Role.team_lead, team="east-1")
AGENT = Principal(4, "li", Role.agent, team="east-1", agent_id="A-17")
OTHER_AGENT = Principal(5, "wang", Role.agent, team="west-2", agent_id="A-30")


def conversation(
    cid: str = "call-1",
    agent: str | None = "A-17",
    team: str | None = "east-1",
    *texts: str,
    **fields: Any,
) -> dict[str, Any]:
    """A securities phone call by `agent` of `team`, the agent saying `texts`."""
    body: dict[str, Any] = {
        "id": cid,
        "channel": "phone",
        "industry": "securities",
        "utterances": [{"role": "agent", "text": text} for text in texts],
    }
    if agent is not None or team is not None:
        body["agent"] = {"id": agent, "team": team}
    return body | fields


def start(body: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    return {"type": "start", "conversation": body or conversation(), **kw}


def said(text: str, role: str = "agent", **kw: Any) -> dict[str, Any]:
    return {"type": "utterance", "utterance": {"role": role, "text": text}, **kw}


END = {"type": "end"}
