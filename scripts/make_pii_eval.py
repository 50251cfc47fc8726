"""Generate the labelled PII evaluation set (seeded, reproducible).

Each line: {"text", "entities": [{"type", "start", "end", "text", "subtype"?}], "variant",
"turns"?}. Variants: plain, spoken (Chinese numerals, 幺/两/洞, 三个八), grouped (spaces,
dashes, pauses), fullwidth, split (a number spoken over 2-3 turns of one speaker; `text` is
the turns joined, as the engine scans them), masked (masked forms: no entities), negative
(order numbers, amounts, dates, timestamps, tracking numbers, 20-digit numbers holding an
ID, numbers in URLs, ordinary service talk: no entities).

    python scripts/make_pii_eval.py --seed 7 --out .work/pii_eval.jsonl
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers

from hegui.engine.normalise import normalise
from hegui.engine.pii import gazetteer
from hegui.engine.pii.names import SURNAMES
from hegui.engine.pii.validators import (
    MOBILE_PREFIXES,
    card_scheme,
    id_check_char,
    luhn_valid,
)

SPOKEN = "零一二三四五六七八九"
# fmt: off
CARD_BINS = (
    "622202", "621700", "622848", "621226", "623668", "622588", "621483", "955880", "601382",
    "438088", "524047", "622700", "621799", "436742",
)
AREA_CODES = (
    "010", "021", "022", "023", "020", "025", "027", "028", "029", "024", "0755", "0571",
    "0512", "0311", "0531", "0371", "0591", "0731", "0871",
)
EMAIL_DOMAINS = (
    "qq.com", "163.com", "126.com", "gmail.com", "sina.com", "foxmail.com", "outlook.com",
    "bank.com.cn", "139.com", "yeah.net",
)
PINYIN = (
    "zhang", "wang", "li", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun",
    "ma", "hu", "lin", "wei", "min", "jie", "hua", "ming", "fang", "lei", "tao",
)
PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ROADS = (
    "建国路", "人民路", "中山北路", "解放大道", "南京东路", "长安街", "淮海中路", "学院路",
    "文三路", "科技园路", "世纪大道", "天府大道", "东风路", "和平街", "复兴路", "滨江大道",
    "青年路", "胜利街", "光明路", "新华路", "迎宾大道", "北京西路", "延安东路",
)
COMMUNITIES = (
    "阳光花园", "望京小区", "翠湖家园", "锦绣华庭", "金色家园", "碧桂园", "万科城", "幸福小区",
    "绿地公寓", "紫荆花园", "龙湖山庄", "华润大厦", "和谐家园", "丽景苑", "东方新村",
    "枫林社区",
)
# fmt: on
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰晓红建国志文斌宇浩然欣怡子轩梓涵"
# fmt: off
SERVICE = (
    "您好，请问有什么可以帮您？", "这个基金保本吗？", "好的，我帮您查询一下，请稍等。",
    "您好，工号1023，很高兴为您服务。", "一般一个工作日内到账，您放心。",
    "这款产品历史年化收益大概在百分之三左右。", "请问还有其他问题吗？感谢您的来电。",
    "我想了解一下理财产品的风险等级。", "您的风险测评等级是C3。", "好的，再见。",
    "麻烦您稍等两分钟", "我们这边一会儿给您回电", "第一季度的收益已经到账了",
    "这个月利率是3.85%", "转账十分钟内到账", "请您核对一下信息", "我在北京，朝阳区的网点",
    "北京银行的卡可以吗", "你知道这条路怎么走吗", "三个工作日", "我有两三个问题",
)
# fmt: on


@dataclass
class Sample:
    text: str
    entities: list[dict[str, object]] = field(default_factory=list)
    variant: str = "plain"
    turns: list[str] | None = None

    def to_json(self) -> str:
        data: dict[str, object] = {
            "text": self.text,
            "entities": self.entities,
            "variant": self.variant,
        }
        if self.turns is not None:
            data["turns"] = self.turns
        return json.dumps(data, ensure_ascii=False)


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def make_id(rng: random.Random) -> str:
    region = rng.choice(sorted(c for c in gazetteer.REGION_CODES if not c.endswith("00")))
    year = rng.randint(1940, 2006)
    birth = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 = region + birth + digits(rng, 3)
    return first17 + id_check_char(first17)


def make_card(rng: random.Random) -> str:
    """UnionPay and domestic BINs: 16-19 digits; Visa/Mastercard BINs: 16."""
    bin_ = rng.choice(CARD_BINS)
    length = rng.choice((16, 16, 19, 19, 19, 17, 18)) if bin_[0] in "69" else 16
    body = bin_ + digits(rng, length - 7)
    return body + next(d for d in "0123456789" if luhn_valid(body + d))


def make_mobile(rng: random.Random) -> str:
    return rng.choice(sorted(MOBILE_PREFIXES)) + digits(rng, 8)


def make_landline(rng: random.Random) -> str:
    area = rng.choice(AREA_CODES)
    local_len = 8 if len(area) == 3 else rng.choice((7, 8))
    return area + rng.choice("2345678") + digits(rng, local_len - 1)


def make_credit_code(rng: random.Random) -> str:
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    org = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in org]
    check = 11 - sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    org += "X" if check == 10 else "0" if check == 11 else str(check)
    region = rng.choice(sorted(gazetteer.REGION_CODES))
    body = rng.choice("9915") + rng.choice("123") + region + org
    credit_weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(body, credit_weights, strict=True))
    return body + CREDIT_ALPHABET[(31 - total % 31) % 31]


def spoken(rng: random.Random, value: str) -> str:
    """Digits → spoken numerals: 1 as 幺 (often), 0 as 洞 (rarely), runs as 三个八."""
    one = "幺" if rng.random() < 0.6 else "一"
    out: list[str] = []
    i = 0
    while i < len(value):
        c = value[i]
        run = 1
        while i + run < len(value) and value[i + run] == c:
            run += 1
        if c.isdigit() and run >= 3 and c not in "01" and rng.random() < 0.5:
            out.append(f"{SPOKEN[run]}个{SPOKEN[int(c)]}" if run <= 9 else SPOKEN[int(c)] * run)
            i += run
            continue
        if c == "1":
            out.append(one)
        elif c == "0":
            out.append("洞" if rng.random() < 0.1 else "零")
        elif c in "Xx":
            out.append("叉")
        else:
            out.append(SPOKEN[int(c)])
        i += 1
    return "".join(out)


def grouped(rng: random.Random, value: str, sizes: tuple[int, ...]) -> str:
    sep = rng.choice((" ", " ", "-", "，"))
    parts: list[str] = []
    at = 0
    for size in sizes:
        if at >= len(value):
            break
        parts.append(value[at : at + size])
        at += size
    if at < len(value):
        parts.append(value[at:])
    return sep.join(parts)


def fullwidth(value: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in value)


def label(text: str, value: str, kind: str, start: int, subtype: str = "") -> dict[str, object]:
    assert text[start : start + len(value)] == value
    entity: dict[str, object] = {
        "type": kind,
        "start": start,
        "end": start + len(value),
        "text": value,
    }
    if subtype:
        entity["subtype"] = subtype
    return entity


def in_template(template: str, value: str, kind: str, variant: str, subtype: str = "") -> Sample:
    start = template.index("{}")
    text = template.replace("{}", value, 1)
    return Sample(text, [label(text, value, kind, start, subtype)], variant)


# fmt: off
NUMBER_TEMPLATES = {
    "id_number": (
        "您的身份证号是{}对吧", "身份证{}", "我身份证号码是{}", "证件号码{}，您核对一下",
        "好的，{}，我记一下", "{}", "号码是{}没错吧", "客户证件{}已登记",
    ),
    "bank_card": (
        "卡号{}", "我的卡号是{}", "您的银行卡{}对吗", "转到{}这张卡", "{}",
        "好的，{}这张储蓄卡", "信用卡号码{}", "账号是{}",
    ),
    "phone": (
        "我的手机号是{}", "您登记的手机是{}", "电话{}", "打{}找我就行", "{}", "号码是{}对吧",
        "您的联系方式{}", "好的，{}，稍后联系您",
    ),
}
# fmt: on
GROUPS = {"id_number": (6, 8, 4), "bank_card": (4, 4, 4, 4), "phone": (3, 4, 4)}


def number_samples(
    rng: random.Random, kind: str, make: Callable[[random.Random], str], n: int, subtype: str = ""
) -> Iterator[Sample]:
    templates = NUMBER_TEMPLATES[kind]
    for i in range(n):
        value = make(rng)
        variant = ("plain", "spoken", "grouped", "fullwidth", "split", "plain")[i % 6]
        if subtype == "landline" and variant in ("grouped", "split"):
            variant = "landline_formatted"
        template = rng.choice(templates)
        if variant == "spoken":
            yield in_template(template, spoken(rng, value), kind, variant, subtype)
        elif variant == "grouped":
            shown = grouped(rng, value, GROUPS[kind])
            yield in_template(template, shown, kind, variant, subtype)
        elif variant == "fullwidth":
            yield in_template(template, fullwidth(value), kind, variant, subtype)
        elif variant == "split":
            yield split_sample(
                rng, template, spoken(rng, value) if rng.random() < 0.7 else value, kind, subtype
            )
        elif variant == "landline_formatted":
            area = 3 if value[1] in "12" else 4
            shown = rng.choice(
                (
                    f"{value[:area]}-{value[area:]}",
                    f"({value[:area]}){value[area:]}",
                    f"{value[:area]} {value[area:]}",
                )
            )
            yield in_template(template, shown, kind, "grouped", subtype)
        else:
            yield in_template(template, value, kind, variant, subtype)


def split_sample(rng: random.Random, template: str, value: str, kind: str, subtype: str) -> Sample:
    """The value spoken over 2-3 turns of one speaker; the engine scans the turns joined."""
    prefix, _, suffix = template.partition("{}")
    pieces = rng.choice((2, 3))
    cuts = sorted(rng.sample(range(2, len(value) - 1), pieces - 1))
    parts = [value[a:b] for a, b in zip([0, *cuts], [*cuts, len(value)], strict=True)]
    turns = [prefix + parts[0], *parts[1:-1], parts[-1] + suffix] if len(parts) > 1 else [template]
    text = "".join(turns)
    return Sample(text, [label(text, value, kind, len(prefix), subtype)], "split", turns)


def pattern_samples(rng: random.Random) -> Iterator[Sample]:
    for i in range(400):
        local = rng.choice(PINYIN) + rng.choice(("", ".", "_", "")) + rng.choice(PINYIN)
        value = local + (digits(rng, rng.randint(0, 4))) + "@" + rng.choice(EMAIL_DOMAINS)
        variant = "fullwidth" if i % 5 == 0 else "spoken" if i % 5 == 1 else "plain"
        if variant == "fullwidth":
            value = value.upper() if i % 10 == 0 else fullwidth(value)
        elif variant == "spoken":
            at = rng.choice(("艾特", " at ", "圈a"))
            dot = rng.choice(("点", " dot ", "."))
            value = value.replace("@", at).replace(".", dot)
        yield in_template(
            rng.choice(("您的邮箱{}", "发到{}就行", "邮箱是{}对吧", "{}")), value, "email", variant
        )
    for i in range(150):
        value = (
            rng.choice(("E", "G")) + digits(rng, 8)
            if i % 2
            else "E" + rng.choice(PLATE_LETTERS) + digits(rng, 7)
        )
        yield in_template(
            rng.choice(("护照号{}", "我的护照是{}", "{}这本护照")), value, "passport", "plain"
        )
    for i in range(150):
        value = (
            rng.choice("HM") + digits(rng, 8),
            "C" + digits(rng, 8),
            "C" + rng.choice(PLATE_LETTERS) + digits(rng, 7),
        )[i % 3]
        yield in_template(
            rng.choice(("回乡证{}", "通行证号码是{}", "证件{}")), value, "travel_permit", "plain"
        )
    for _ in range(50):
        value = digits(rng, 8)
        yield in_template("台胞证{}", value, "travel_permit", "plain")
    for i in range(200):
        letter = rng.choice(PLATE_LETTERS)
        tail = (
            digits(rng, 5),
            rng.choice("DF") + digits(rng, 5),
            digits(rng, 5) + rng.choice("DF"),
            rng.choice(PLATE_LETTERS) + digits(rng, 4),
        )[i % 4]
        sep = rng.choice(("", "", "·", " "))
        value = rng.choice(PLATE_PROVINCES) + letter + sep + tail
        yield in_template(
            rng.choice(("车牌{}", "我的车是{}", "车牌号码{}对吗")), value, "license_plate", "plain"
        )
    for _ in range(150):
        yield in_template(
            rng.choice(("统一社会信用代码{}", "税号{}", "公司代码是{}")),
            make_credit_code(rng),
            "credit_code",
            "plain",
        )
    for _ in range(150):
        value = ".".join(str(rng.randint(1, 254)) for _ in range(4))
        yield in_template(
            rng.choice(("登录IP是{}", "IP地址{}", "从{}登录的")), value, "ip_address", "plain"
        )


def address_samples(rng: random.Random, n: int) -> Iterator[Sample]:
    districts = sorted(d for d in gazetteer.DISTRICTS if d.endswith("区") and len(d) <= 4)
    cities = sorted(c for c in gazetteer.CITIES if c.endswith("市") and len(c) <= 4)
    for i in range(n):
        admin = rng.choice(("", rng.choice(districts), rng.choice(cities) + rng.choice(districts)))
        street = (
            rng.choice(ROADS) + f"{rng.randint(1, 300)}号" if i % 3 else rng.choice(COMMUNITIES)
        )
        detail = rng.choice(("", f"{rng.randint(1, 30)}栋", f"{rng.randint(1, 20)}号楼"))
        detail += rng.choice(("", f"{rng.randint(1, 6)}单元")) + rng.choice(
            ("", f"{rng.randint(101, 2804)}")
        )
        if not admin and not detail and not street.endswith("号"):
            detail = f"{rng.randint(1, 30)}栋"
        value = admin + street + detail
        if i % 7 == 0:
            value = value + "室" if value[-1].isdigit() else value
        template = rng.choice(
            ("您住在{}吧", "我家在{}", "寄到{}", "地址是{}，对吗", "现住址{}", "{}")
        )
        yield in_template(template, value, "address", "plain")


def name_samples(rng: random.Random, n: int) -> Iterator[Sample]:
    surnames = sorted(SURNAMES)
    for _ in range(n):
        name = rng.choice(surnames) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        template = rng.choice(
            (
                "{}先生您好",
                "请问是{}女士吗",
                "户名：{}，对吧",
                "姓名{}",
                "我叫{}",
                "持卡人{}",
                "好的{}先生",
            )
        )
        yield in_template(template, name, "person_name", "plain")


def masked_samples(rng: random.Random, n: int) -> Iterator[Sample]:
    for i in range(n):
        mobile, card, idn = make_mobile(rng), make_card(rng), make_id(rng)
        text = (
            f"您手机尾号{mobile[-4:]}的号码",
            f"手机{mobile[:3]}****{mobile[-4:]}",
            f"卡号{card[:4]} **** **** {card[-4:]}",
            f"尾号{card[-4:]}的卡",
            f"身份证{idn[:6]}********{idn[-4:]}",
            f"卡号后四位是{spoken(rng, card[-4:])}",
            f"邮箱{rng.choice(PINYIN)[0]}***@163.com",
            f"{mobile[:3]}××××{mobile[-4:]}",
        )[i % 8]
        yield Sample(text, [], "masked")


def negative_samples(rng: random.Random, n: int) -> Iterator[Sample]:
    for i in range(n):
        idn = make_id(rng)
        order = "2026" + digits(rng, rng.choice((12, 14, 15)))
        mobile = make_mobile(rng)
        text = (
            f"订单号{order}",
            f"金额{mobile}元",
            f"交易流水{make_card(rng)}",
            f"流水号{digits(rng, 1)}{idn}{digits(rng, 1)}",
            f"您的订单{order}已发货",
            f"时间戳{rng.randint(1_600_000_000_000, 1_800_000_000_000)}",
            f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(10, 23)}:30:00",
            f"快递单号SF{digits(rng, 13)}",
            f"运单号{rng.choice('7543')}{digits(rng, 14)}",
            f"https://m.example.com/u/{mobile}",
            f"www.example.cn/order/{mobile}",
            f"¥{rng.randint(1, 99)},{digits(rng, 3)},{digits(rng, 3)}.{digits(rng, 2)}",
            f"编号{idn}{digits(rng, 2)}",
            rng.choice(SERVICE),
            f"版本{rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
            f"{rng.randint(2000, 2026)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
        )[i % 16]
        yield Sample(text, [], "negative")


# fmt: off
OPENERS = (
    "好的，", "嗯，", "您好，", "稍等，", "我看一下，", "是这样的，", "",
)
CLOSERS = (
    "，请问还有其他问题吗", "，麻烦您核对一下", "，对吧", "。", "，谢谢", "",
)
# fmt: on


def wrapped(rng: random.Random, sample: Sample) -> Sample:
    """The utterance inside a longer turn of ordinary service talk."""
    if sample.turns is not None:
        return sample
    head, tail = rng.choice(OPENERS), rng.choice(CLOSERS)
    return shifted(Sample(head + sample.text + tail, [], sample.variant), sample, len(head))


def shifted(target: Sample, source: Sample, offset: int) -> Sample:
    for e in source.entities:
        start, end = int(str(e["start"])) + offset, int(str(e["end"])) + offset
        target.entities.append({**e, "start": start, "end": end})
    return target


def combined(a: Sample, b: Sample) -> Sample:
    """Two utterances said as one (two entities, or an entity beside a hard negative)."""
    text = a.text + "，" + b.text
    variant = a.variant if a.entities else b.variant
    return shifted(shifted(Sample(text, [], variant), a, 0), b, len(a.text) + 1)


def noisy(rng: random.Random, value: str) -> str:
    """ASR-style noise inside a spoken number: fillers, spaces, commas between digit groups."""
    out: list[str] = []
    for i, c in enumerate(value):
        out.append(c)
        between_count = c == "个" or value[i + 1 : i + 2] == "个"
        if 0 < i < len(value) - 1 and not between_count and rng.random() < 0.15:
            out.append(rng.choice(("嗯", "呃", " ", "，", "、")))
    return "".join(out)


def near_miss_samples(rng: random.Random, n: int) -> Iterator[Sample]:
    """Shapes that look like PII but fail validation, said without context words."""
    for i in range(n):
        card = make_card(rng)
        idn = make_id(rng)
        mobile = make_mobile(rng)
        bad_card = card[:-1] + str((int(card[-1]) + rng.randint(1, 9)) % 10)
        bad_id = idn[:-1] + next(c for c in "0123456789X" if c != idn[-1])
        text = (
            bad_card,
            bad_id,
            "12" + mobile[2:],
            mobile[:-1],
            mobile + digits(rng, 1),
            idn[:6] + "19901340" + idn[14:],
            "2026" + digits(rng, 12),
            digits(rng, 20),
        )[i % 8]
        template = rng.choice(("好的，{}，我记一下", "{}", "是{}吗", "编码{}"))
        yield Sample(template.replace("{}", text), [], "near_miss")


# Phones outside the mainland: (region, number type) pairs drawn from phonenumbers' example
# numbers, with the last digits varied until the number is valid again.
INTL_REGIONS = (
    ("HK", "mobile"),
    ("HK", "fixed"),
    ("MO", "mobile"),
    ("TW", "mobile"),
    ("TW", "fixed"),
    ("US", "fixed"),
    ("GB", "fixed"),
    ("GB", "mobile"),
    ("JP", "mobile"),
    ("SG", "mobile"),
    ("AU", "mobile"),
    ("DE", "mobile"),
    ("KR", "mobile"),
    ("FR", "mobile"),
)
REGION_WORDS = {"HK": "香港", "MO": "澳门", "TW": "台湾"}
# Card schemes: (BIN, lengths, grouping) — Luhn check digit added.
SCHEME_CARDS = (
    ("4", (16,), (4, 4, 4, 4)),
    ("4", (13,), (4, 4, 5)),
    ("4", (19,), (4, 4, 4, 4, 3)),
    ("51", (16,), (4, 4, 4, 4)),
    ("55", (16,), (4, 4, 4, 4)),
    ("2221", (16,), (4, 4, 4, 4)),
    ("2720", (16,), (4, 4, 4, 4)),
    ("34", (15,), (4, 6, 5)),
    ("37", (15,), (4, 6, 5)),
    ("3528", (16,), (4, 4, 4, 4)),
    ("3589", (16,), (4, 4, 4, 4)),
    ("300", (14,), (4, 6, 4)),
    ("305", (14,), (4, 6, 4)),
    ("36", (14,), (4, 6, 4)),
    ("38", (14,), (4, 6, 4)),
    ("6011", (16,), (4, 4, 4, 4)),
    ("644", (16,), (4, 4, 4, 4)),
    ("65", (16,), (4, 4, 4, 4)),
    ("62", (16, 19), (4, 4, 4, 4, 3)),
)
IDN_LABELS = ("例子", "公司", "银行", "邮件", "网络", "测试", "客服", "学校")
IDN_TLDS = ("中国", "公司", "网络", "香港")
LATIN_IDN = ("bücher.de", "müller.de", "café.fr", "straße.de", "españa.es", "zürich.ch")
LATIN_LOCAL = ("user", "müller", "jose", "anna", "info", "zoë")


def make_intl_number(rng: random.Random, region: str, kind: str) -> phonenumbers.PhoneNumber:
    number_type = (
        phonenumbers.PhoneNumberType.MOBILE
        if kind == "mobile"
        else phonenumbers.PhoneNumberType.FIXED_LINE
    )
    example = phonenumbers.example_number_for_type(region, number_type)
    assert example is not None
    national = str(example.national_number)
    while True:
        candidate = national[:-4] + digits(rng, 4)
        number = phonenumbers.parse(f"+{example.country_code}{candidate}")
        if phonenumbers.is_valid_number(number):
            return number


def intl_phone_samples(rng: random.Random, n: int) -> Iterator[Sample]:
    fmt = phonenumbers.PhoneNumberFormat
    for i in range(n):
        region, kind = INTL_REGIONS[i % len(INTL_REGIONS)]
        number = make_intl_number(rng, region, kind)
        e164 = phonenumbers.format_number(number, fmt.INTERNATIONAL)
        national = phonenumbers.format_number(number, fmt.NATIONAL)
        cc, nsn = str(number.country_code), str(number.national_number)
        template = rng.choice(NUMBER_TEMPLATES["phone"])
        form = i // len(INTL_REGIONS) % 5
        if region == "US" and form == 1:
            value = f"+1 ({nsn[:3]}) {nsn[3:6]}-{nsn[6:]}"
        elif region in REGION_WORDS and form == 1:
            value = f"{cc}-{national.replace(' ', '-')}" if region != "TW" else f"{cc} {nsn}"
        elif region in REGION_WORDS and form == 2 and (region != "TW" or kind == "mobile"):
            value, template = national, REGION_WORDS[region] + rng.choice(("手机", "电话")) + "{}"
            if region == "TW":
                value, template = national.replace(" ", "-"), rng.choice((template, "{}"))
        elif form == 3:
            value = "00" + cc + " " + e164.split(" ", 1)[1]
        elif form == 4 and region in ("HK", "MO"):
            value = " ".join(spoken(rng, part) for part in (cc, nsn[:4], nsn[4:]))
        else:
            value = e164 if i % 7 else fullwidth(e164)
        yield in_template(template, value, "phone", "intl", "intl")


def scheme_card_samples(rng: random.Random, n: int) -> Iterator[Sample]:
    for i in range(n):
        bin_, lengths, groups = SCHEME_CARDS[i % len(SCHEME_CARDS)]
        length = rng.choice(lengths)
        body = bin_ + digits(rng, length - len(bin_) - 1)
        value = body + next(d for d in "0123456789" if luhn_valid(body + d))
        shown = " ".join(
            value[sum(groups[:k]) : sum(groups[: k + 1])] for k in range(len(groups))
        ).strip()
        # 13-digit Visa numbers are said with card context only.
        template = rng.choice(NUMBER_TEMPLATES["bank_card"][:4] if length == 13 else ("{}",) * 2)
        yield in_template(template, shown, "bank_card", "scheme")


def ipv6_samples(rng: random.Random, n: int) -> Iterator[Sample]:
    for i in range(n):
        if i % 6 == 4:
            net = ipaddress.IPv6Address(0xFE80 << 112 | rng.getrandbits(64))
        else:
            net = ipaddress.IPv6Address(0x20010DB8 << 96 | rng.getrandbits(48) << 16)
        form = i % 6
        if form == 0:
            value = net.exploded
        elif form == 1:
            value = net.compressed
        elif form == 2:  # leading zeros dropped, nothing compressed
            value = ":".join(f"{int(g, 16):x}" for g in net.exploded.split(":"))
        elif form == 3:
            value = "::ffff:" + ".".join(str(rng.randint(1, 254)) for _ in range(4))
        elif form == 4:
            value = f"{net.compressed}%{rng.choice(('eth0', 'en0', 'wlan1'))}"
        else:
            prefix = rng.choice((32, 48, 56, 64))
            value = str(ipaddress.IPv6Network(f"{net}/{prefix}", strict=False))
        if i % 4 == 0:
            value = value.upper()
        template = rng.choice(("登录IP是{}", "IP地址{}", "从{}登录的", "IPv6地址：{}"))
        yield in_template(template, value, "ip_address", "ipv6")


def idn_email_samples(rng: random.Random, n: int) -> Iterator[Sample]:
    surnames = sorted(s for s in SURNAMES if len(s) == 1)
    for i in range(n):
        cjk_domain = rng.choice(IDN_LABELS) + "." + rng.choice(IDN_TLDS)
        name = rng.choice(surnames) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        value = (
            f"{name}@{cjk_domain}",
            f"{rng.choice(PINYIN)}@{cjk_domain}",
            f"{rng.choice(LATIN_LOCAL)}@{rng.choice(LATIN_IDN)}",
            f"{rng.choice(PINYIN)}@{cjk_domain.encode('idna').decode()}",
            f"{name}@{rng.choice(EMAIL_DOMAINS)}",
        )[i % 5]
        template = rng.choice(("您的邮箱{}", "发到{}就行", "邮箱是{}对吧", "{}"))
        yield in_template(template, value, "email", "idn")


def intl_negative_samples(rng: random.Random, n: int) -> Iterator[Sample]:
    """Shapes near the new forms that are not PII: times, MACs, code, mentions, foreign-
    looking digits without their grouping or context."""
    for i in range(n):
        mac = ":".join(f"{rng.randrange(256):02x}" for _ in range(6))
        text = (
            f"会议{rng.randint(10, 23)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}开始",
            f"MAC地址{mac}",
            "std::cout",
            f"回复@{rng.choice(sorted(SURNAMES))}{rng.choice(GIVEN)}：好的",
            f"852{rng.choice('569')}{digits(rng, 7)}",
            f"09{digits(rng, 8)}",
            f"金额+852{rng.choice('569')}{digits(rng, 7)}元",
            f"比分{rng.randint(0, 5)}:{rng.randint(0, 5)}",
            f"37{digits(rng, 13)}",
            f"订单号4{digits(rng, 12)}",
        )[i % 10]
        yield Sample(text, [], "negative")


def with_card_schemes(sample: Sample) -> Sample:
    """Label each card with its scheme (what the per-scheme rows of the evaluation count)."""
    for e in sample.entities:
        if e["type"] == "bank_card":
            number = "".join(c for c in normalise(str(e["text"])).text if c.isdigit())
            e["subtype"] = card_scheme(number) or "other"
    return sample


def generate(seed: int = 7) -> list[Sample]:
    rng = random.Random(seed)
    samples: list[Sample] = []
    samples += number_samples(rng, "id_number", make_id, 700)
    samples += number_samples(rng, "bank_card", make_card, 700)
    samples += number_samples(rng, "phone", make_mobile, 800, "mobile")
    samples += number_samples(rng, "phone", make_landline, 200, "landline")
    samples += pattern_samples(rng)
    samples += address_samples(rng, 600)
    samples += name_samples(rng, 400)
    samples += masked_samples(rng, 400)
    samples += negative_samples(rng, 800)
    samples += near_miss_samples(rng, 400)
    samples += intl_phone_samples(rng, 350)
    samples += scheme_card_samples(rng, 380)
    samples += ipv6_samples(rng, 180)
    samples += idn_email_samples(rng, 150)
    samples += intl_negative_samples(rng, 300)
    for i in range(300):
        value = make_mobile(rng) if i % 2 else make_id(rng)
        kind = "phone" if i % 2 else "id_number"
        template = "我的手机号是{}" if i % 2 else "身份证号码{}"
        sample = in_template(template, noisy(rng, spoken(rng, value)), kind, "noisy")
        if kind == "phone":
            sample.entities[0]["subtype"] = "mobile"
        samples.append(sample)
    samples = [with_card_schemes(wrapped(rng, s) if rng.random() < 0.4 else s) for s in samples]
    rng.shuffle(samples)
    pairs = len(samples) // 10
    merged = [combined(samples[2 * i], samples[2 * i + 1]) for i in range(pairs)]
    samples = merged + samples[2 * pairs :]
    rng.shuffle(samples)
    return samples


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path(".work/pii_eval.jsonl"))
    args = parser.parse_args(argv)
    samples = generate(args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(s.to_json() + "\n" for s in samples), encoding="utf-8")
    print(f"wrote {len(samples)} utterances to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
