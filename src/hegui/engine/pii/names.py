"""Person names where the context marks them: 张三先生, 户名：李四, 我叫王小明.

Without a marker a Chinese name cannot be told from ordinary words reliably, so unmarked
names are not reported. A surname alone (王先生) identifies no one and is not reported.
"""

from __future__ import annotations

import re

from hegui.engine.pii.recognizer import Examples, Recognizer, TextViews
from hegui.engine.pii.view import Hit, View

# Common surnames; single chars that are far more often function words (和 于 万 向 时 文…)
# are left out, because "和李女士" must not yield 和李.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余杜叶程魏"
    "苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅邱秦侯邵孟龙段雷钱汤尹黎易武乔贺赖龚庞樊殷施陶"
    "洪翟颜倪严牛温芦季俞章鲁葛伍申尤毕聂焦柴邢岳齐梅莫庄辛管祝左涂谷祁舒耿牟卜詹苗凌费纪靳盛"
    "童甄裴屈鲍覃霍翁隋薄柏宁柯阮桂闵柳丛鞠滕蒲郝简饶戚窦栾蓝骆卓晏娄"
)
# fmt: off
COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "令狐", "夏侯", "端木", "轩辕", "独孤", "南宫", "百里",
))
# fmt: on
# Chars that end a given name: particles, pronouns and words that follow a name in speech.
_STOP = frozenset(
    "的了吗吧呢啊呀哦嗯是在和与及或对就也还都有没不要去来说请您你我他她它们这那个吗身证卡电手号"
    "先姓名户叫称为吧么吗嘛啦哈谢好行嘞"
)
_TITLES = ("先生", "女士", "小姐")
_MARKERS = (
    "姓名",
    "户名",
    "持卡人",
    "开户人",
    "收款人",
    "账户名",
    "户主",
    "联系人",
    "我叫",
    "名叫",
    "叫做",
    "名字叫",
    "名字是",
)
_TITLE = re.compile("|".join(_TITLES))
_MARKER = re.compile(rf"(?:{'|'.join(_MARKERS)})[:：]?(?:是|为|叫)?[:：]?")


class PersonNameRecognizer(Recognizer):
    """A surname and one or two given chars, before a title or after a marker word."""

    type = "person_name"
    prefilter_words = _TITLES + _MARKERS
    # A name ends where a turn ends: "我叫王明" + "银行卡丢了" is not 王明银.
    crosses_turns = False
    examples = Examples(
        found=(
            ("张三先生您好", "张三"),
            ("户名：李四", "李四"),
            ("我叫王小明", "王小明"),
            ("戶名：歐陽娜娜", "歐陽娜娜"),
        ),
        not_found=("王先生您好", "小王先生", "主管刘女士"),
    )

    def find(self, views: TextViews) -> list[Hit]:
        view = views.compact
        return [Hit(h.type, *view.to_original(h.start, h.end), h.score) for h in name_hits(view)]


def name_hits(view: View) -> list[Hit]:
    text = view.text
    hits: list[Hit] = []
    for m in _TITLE.finditer(text):
        span = _name_before(view, m.start())
        if span is not None:
            hits.append(Hit("person_name", span[0], span[1], 0.75))
    for m in _MARKER.finditer(text):
        end = _name_after(view, m.end())
        if end is not None:
            hits.append(Hit("person_name", m.end(), end, 0.85))
    return hits


def _surname_len(text: str, start: int) -> int:
    if text[start : start + 2] in COMPOUND_SURNAMES:
        return 2
    return 1 if text[start : start + 1] in SURNAMES else 0


def _is_given(view: View, i: int) -> bool:
    c = view.text[i]
    return "\u4e00" <= c <= "\u9fff" and c not in _STOP and not view.gap(i)


def _name_before(view: View, end: int) -> tuple[int, int] | None:
    """The longest surname + 1-2 given chars that ends right before a title."""
    text = view.text
    for length in (4, 3, 2):
        start = end - length
        if start < 0 or (start > 0 and not view.gap(start) and _blocks_start(text[start - 1])):
            continue
        if not _plausible(text, start, end):
            continue
        surname = _surname_len(text, start)
        given = length - surname
        if (
            surname
            and 1 <= given <= 2
            and all(_is_given(view, i) for i in range(start + surname, end))
        ):
            return start, end
    return None


def _blocks_start(prev: str) -> bool:
    # "小王先生", "老李女士": 小/老 + surname is a nickname, not a full name.
    return prev in "小老"


# "主管刘女士" is 主管 + 刘女士, not a person 管刘: a two-char "name" whose second char is
# itself a common surname is read as a surname-only address.
_COMMON_SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗郑梁谢宋唐许韩冯邓曹彭曾萧蔡蒋")


def _plausible(text: str, start: int, end: int) -> bool:
    if end - start == 2 and text[start + 1] in _COMMON_SURNAMES:
        return False
    return not (start > 0 and text[start - 1] == text[start])  # 谢谢李杰先生


def _name_after(view: View, start: int) -> int | None:
    text = view.text
    if start >= len(text):
        return None
    surname = _surname_len(text, start)
    if not surname:
        return None
    end = start + surname
    while end < len(text) and end - start - surname < 2 and _is_given(view, end):
        end += 1
    return end if end > start + surname else None
