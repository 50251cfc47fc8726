"""Account balances (hegui.engine.pii.balance): found where a figure is what an account holds
now, not where it is a debt, a limit, a transaction, an illustration or someone else's
figure; masked in stored text like any PII."""

from __future__ import annotations

import pytest

from hegui.engine.pii import MaskPolicy, PiiDetector, mask_text

DETECTOR = PiiDetector(["account_balance"])


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("目前您这张卡的可用余额是32,418.56元哦", "32,418.56元"),
        ("您这张卡 我看了一下 卡里现在还剩 八千六百多", "八千六百多"),
        ("嗯余额的话现在是七块五毛 基本上没钱了", "七块五毛"),
        ("您证券账户可用资金十二万三千四百五十六点七八元", "十二万三千四百五十六点七八元"),
        ("您的理财现在是二十万零八千四", "二十万零八千四"),
        ("您的零钱通余额现在是9,356.72元，收益每天自动计入的~", "9,356.72元"),
        ("您的个人养老金资金账户余额：3,600.00元。", "3,600.00元"),
        (
            "好的 核对一下 姓名张某某 开户行是城东支行 目前余额是八千零七十二块三",
            "八千零七十二块三",
        ),
    ],
)
def test_a_balance_is_found(text: str, figure: str) -> None:
    [entity] = DETECTOR.scan(text)
    assert entity.type == "account_balance" and entity.text == figure


@pytest.mark.parametrize(
    "text",
    [
        "您这个月应还款两千三 最低还款额是两百三",  # a debt
        "您信用卡的当前余额为-3,620.00元，表示您需要还款",  # a negative balance is a debt
        "余额满五万就可以升级成金卡",  # a threshold
        "单日转账限额五万 可用额度还有三万",  # limits
        "我的银行卡怎么转你们平台有50000的限额啊",
        "比如您余额有十万 一年利息一千七左右",  # an illustration
        "您昨天转出了五千 今天到账",  # a transaction
        "我们行资产规模三万亿",  # the institution's own
        "您的余额***元 详情请在APP查看",  # masked
        "您上季度对账单期末余额为96,400.00元。",  # history
        "您是说卡里应该有三万 但是现在显示不对是吗",  # the customer's claim repeated
        "您的积分账户余额：52,300分。",  # points
        "您的余额已于今日09:30完成更新",  # a time
        "您那张信用卡卡号是 六二五九 六五零零",  # a card number after 卡…是
        "持卡人是肖文 他预留的手机是 一八九",  # not what the card holds
        "注销前需要满足：账户余额为0、没有未完成的订单",  # a condition, nothing disclosed
        "您卡里有5000元的欠款",  # 的 + a debt, a fee or a return after the figure
        "您卡里有300元的手续费",
        "我们的定期是2.25",  # a rate said without %
        "您的基金代码是000001",  # a code
        "这只基金持仓市值三十亿",  # 亿: a fund's total
        "理财到期后是5.2万",  # a future value
    ],
)
def test_other_figures_are_no_balance(text: str) -> None:
    assert DETECTOR.scan(text) == []


def test_a_balance_is_masked_like_any_pii() -> None:
    text = "您卡里可用余额是32,418.56元 还有什么可以帮您"
    masked = mask_text(text, PiiDetector().scan(text), MaskPolicy())
    assert "32,418.56" not in masked and "还有什么可以帮您" in masked


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("我电话13812345678 3.2万", "phone"),
        ("卡号6222021234567890 3.2万", "bank_card"),
        ("身份证110105199003071239 3.5万", "id_number"),
        ("您卡里预留的是01062345678，多谢", "phone"),
        ("我手机是幺三八幺二三四五六七八 3.2万", "phone"),  # spoken digits before 3.2万
        ("卡号六二二二零二一二三四五六七八九零 3.5万", "bank_card"),
    ],
)
def test_a_scaled_amount_or_a_balance_never_hides_a_number(text: str, kind: str) -> None:
    assert kind in {e.type for e in PiiDetector().scan(text)}


def test_a_long_digit_run_before_a_scale_is_no_error() -> None:
    text = "余额" + "1" * 4400 + ".5万 手机13812345678"
    assert "phone" in {e.type for e in PiiDetector().scan(text)}
