import pytest

from hegui.engine.normalise import normalise
from hegui.engine.numerals import parse_positional

SPOKEN = [
    ("幺三九幺二三四五六七八", "13912345678"),
    ("洞洞拐三八", "00738"),
    ("两千零五", "2005"),
    ("三十五岁", "35岁"),
    ("两万五", "25000"),
    ("一百二", "120"),
    ("年化百分之五点五", "年化5.5%"),
    ("五点五", "5.5"),
    ("百分百安全", "100%安全"),
    ("尾号一二三四", "尾号1234"),
    ("138一二三四5678", "13812345678"),
    ("三个八两个六", "88866"),
    ("一万一", "11000"),
    ("借一万一天利息", "借10000一天利息"),
    ("三千一个月", "3000一个月"),
    ("两百五十块", "250块"),
    ("一五二七三三一零九八六一直打不通", "15273310986一直打不通"),
    ("幺三八一二三四五六七一一下", "13812345671一下"),
    # a decimal scaled by 千/万/亿 is one number: 3.2万 is 32000, not "3." and 20000
    ("余额3.2万", "余额32000"),
    ("12.25万元", "122500元"),
    ("三点二万", "32000"),
    ("两点五万块", "25000块"),
    ("1.2亿", "120000000"),
    ("2.5千", "2500"),
    ("1.234567万", "12345.67"),
    ("年化3.85千万不要错过", "年化3.85千万不要错过"),  # 千万 is a word: no 3850万
    ("明天下午三点两万块钱", "明天下午三点两万块钱"),  # three o'clock, then 20,000
]
ORDINARY = [
    "一会儿",
    "一下",
    "第一季度",
    "十分",
    "千万",
    "万一",
    "两个一样",
    "一点点",
    "统一",
    "拐弯",
    "两点半",
]


@pytest.mark.parametrize(("spoken", "digits"), SPOKEN)
def test_spoken_numbers_become_digits(spoken: str, digits: str) -> None:
    assert normalise(spoken).text == digits


@pytest.mark.parametrize("word", ORDINARY)
def test_ordinary_words_are_left_alone(word: str) -> None:
    assert normalise(word).text == word


@pytest.mark.parametrize(
    ("run", "value"),
    [
        ("三十五", 35),
        ("一千零五", 1005),
        ("三万五千", 35000),
        ("十五", 15),
        ("万一", None),
        ("二二十", None),
    ],
)
def test_parse_positional(run: str, value: int | None) -> None:
    assert parse_positional(run) == value
