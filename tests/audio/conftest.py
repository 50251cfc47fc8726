from __future__ import annotations

from pathlib import Path

import pytest

from tests.audio.synth import Placed, Truth, build

AGENT, CUSTOMER = 0, 1
# A call whose every silence and overlap is known (seconds where speech starts).
SCRIPT = [
    Placed(AGENT, "您好，工号一零二三，很高兴为您服务。", 0.5),  # about 5.6 s
    Placed(CUSTOMER, "这个基金保本吗？", 6.8),  # a pause under a second, then about 2.8 s
    # 3 s of silence after the customer, then the agent answers (about 5.7 s).
    Placed(AGENT, "这个产品不保本，有亏损的风险。", 12.6),
    # The customer cuts in while the agent is still speaking: a known overlap.
    Placed(CUSTOMER, "那我不买了", 16.3),
    # 2 s of silence after the agent.
    Placed(AGENT, "好的，感谢您的来电，再见。", 20.3),
]


@pytest.fixture(scope="session")
def call(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Truth]]:
    path = tmp_path_factory.mktemp("call") / "call.wav"
    return path, build(path, SCRIPT)
