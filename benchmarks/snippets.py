"""Everyday service phrases and personal-information generators for benchmarks/corpus.py.

Written for this project. The phrases are the ordinary glue of a service call — what
agents and customers say between the interesting lines — so that most utterances of the
benchmark corpus are clean, as in real traffic.
"""

from __future__ import annotations

import random
from collections.abc import Callable

FILLERS = ("嗯", "那个", "就是", "呃", "啊", "嗯 那个", "对", "然后")
EMOJI = ("😊", "🙏", "👍", "[微笑]", "～", "😂", "🌹", "[抱拳]")
AGENT_NAMES = ("小王", "小李", "小美", "小张", "晓晨", "安安", "小周")

INSTITUTIONS = {
    "securities": ("国泰君安证券", "华泰证券", "招商证券", "广发证券", "中信证券"),
    "banking": ("招商银行", "浦发银行", "中国银行", "平安银行", "兴业银行"),
    "insurance": ("中国人寿", "平安保险", "新华保险", "太平洋保险", "泰康保险"),
    "lending": ("招联消费金融", "马上消费金融", "中银消费金融", "兴业消费金融"),
    "general": ("客户服务中心", "银行信用卡中心", "金融服务热线"),
}

PHONE_GREETINGS = (
    "您好 {who} 工号{job} 请问有什么可以帮您",
    "您好 这里是{who} 很高兴为您服务 请问有什么可以帮您",
    "喂 您好 {who}客服 工号{job} 请讲",
    "您好 欢迎致电{who} 我是{job}号客服 请问您要办理什么业务",
)
CHAT_GREETINGS = (
    "您好，我是{who}在线客服{name}，很高兴为您服务😊",
    "亲，您好！{who}客服{name}为您服务，请问有什么可以帮您？",
    "您好，欢迎咨询{who}，我是客服{name}。",
)
BAD_GREETINGS = ("喂 说", "嗯 什么事", "请讲", "喂 哪位")

CLOSING_QUESTIONS = (
    "请问还有其他可以帮您的吗",
    "您看还有别的问题吗",
    "还有其他需要办理的业务吗",
)
CUSTOMER_DONE = ("没有了 谢谢", "没了没了", "好的 没有了", "嗯 就这些", "没有了 谢谢啊")
PHONE_CLOSINGS = (
    "好的 感谢您的来电 祝您生活愉快 再见",
    "感谢来电 再见",
    "好的 那不打扰您了 感谢您的来电",
)
CHAT_CLOSINGS = (
    "感谢您的咨询，祝您生活愉快🌹",
    "好的，有问题随时联系我哈～",
    "感谢您的咨询，再见！",
)
BAD_CLOSINGS = ("嗯 行", "就这样吧", "好 拜拜")

AGENT = (
    "好的 我这边帮您查询一下",
    "请您稍等一下",
    "您说的情况我这边了解了",
    "这个是可以的",
    "您可以在APP首页点我的 然后进入设置",
    "好的 已经帮您登记了",
    "麻烦您提供一下开户时预留的姓名",
    "嗯 是的",
    "对 没错",
    "这个需要您本人带身份证到网点办理",
    "一般是一到三个工作日",
    "办理成功以后会有短信通知您",
    "请问您是本人吗",
    "我这边帮您记录一下 后续会有专人联系您",
    "非常抱歉给您带来不便",
    "您的意思是想了解一下这个业务对吧",
    "这个我帮您看一下",
    "系统显示已经处理成功了",
    "您可以关注一下我们的官方公众号 上面也能查",
    "好的 您稍等 我帮您转接到专门的部门",
    "您这边是在手机银行上操作的吗",
    "现在系统显示是正常的",
    "这个页面您刷新一下再试试",
    "明白 我这边给您提交一个工单",
    "您还记得大概是什么时候操作的吗",
    "嗯 好的 您接着说",
    "这个功能目前只能在工作日使用",
    "您看一下短信里面有没有提示",
    "具体的以页面显示为准",
    "好的 我帮您备注一下",
)
CUSTOMER = (
    "好的",
    "嗯",
    "行",
    "那怎么办啊",
    "我想问一下",
    "就是这个意思",
    "对对对",
    "那要多久啊",
    "好的谢谢",
    "我知道了",
    "我昨天在APP上弄了半天都没弄好",
    "那我是不是还得跑一趟",
    "你们这个流程也太复杂了",
    "嗯 我手机上看一下",
    "是我本人",
    "上个月的事情了",
    "那我等短信吧",
    "没收到啊",
    "可以可以",
    "你说慢一点 我记一下",
)

PII_ASKS = {
    "phone": ("麻烦您报一下预留的手机号码", "请问您的联系电话是多少", "您留一个手机号吧"),
    "id_number": ("为了核实身份 请您提供一下身份证号码", "麻烦说一下您的证件号码"),
    "bank_card": ("请问是哪张卡 您报一下卡号", "麻烦提供一下您的银行卡号"),
}
PII_LEADS = ("我的是", "好的 是", "嗯", "号码是")

DIGITS = "零一二三四五六七八九"


def spoken(number: str, rng: random.Random) -> str:
    """Digits as an ASR engine writes them: Chinese numerals, 1 often read 幺, X as 叉."""
    yao = rng.random() < 0.6
    return "".join(
        "叉" if d in "Xx" else ("幺" if d == "1" and yao else DIGITS[int(d)]) for d in number
    )


def phone_number(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choices("0123456789", k=9))


def id_number(rng: random.Random) -> str:
    """18 digits: region, birth date, sequence, and a valid GB 11643 check character."""
    region = rng.choice(("110101", "310104", "440305", "510107", "330106", "420102"))
    birth = f"{rng.randint(1960, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = region + birth + f"{rng.randint(0, 999):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def bank_card(rng: random.Random) -> str:
    """16 or 19 digits with a valid Luhn check digit."""
    prefix = rng.choice(("622848", "621700", "622202", "625911", "621226"))
    body = prefix + "".join(rng.choices("0123456789", k=rng.choice((9, 12))))
    total = 0
    for i, d in enumerate(reversed(body)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return body + str((10 - total % 10) % 10)


NUMBERS: dict[str, Callable[[random.Random], str]] = {
    "phone": phone_number,
    "id_number": id_number,
    "bank_card": bank_card,
}


def product(rng: random.Random) -> dict[str, str]:
    """Product and customer risk levels; now and then a product above the customer's level."""
    customer = rng.randint(1, 5)
    risk = rng.randint(1, customer) if rng.random() < 0.95 else min(5, customer + 1)
    name = rng.choice(("稳健增利混合", "安享纯债", "科技成长股票", "鑫福年金", "日日盈货币"))
    return {"product": name, "product_risk": f"R{risk}", "customer_risk": f"C{customer}"}
