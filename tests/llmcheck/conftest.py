from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.llmcheck.server import ChatServer

RULES = """
pack: mine
rules:
  - id: mine.llm.certain_return
    version: {version}
    category: compliance.guarantee_return
    message: 坐席对收益作出确定性承诺
    message_en: Agent made a certain promise about returns
    source: 《证券投资基金法》第二十条
    scope: {{roles: [agent]}}
    llm:
      question: 坐席是否对收益作出了确定性承诺？
      samples: 5
      threshold: 0.8
      min_agreement: 0.4
    examples:
      match: [闭着眼买 肯定赚, 六个点跑不掉, 没亏过放心拿着]
      no_match: [不保本 有风险, 过往业绩不代表未来, 投资需谨慎]
"""


def write_rules(folder: Path, version: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mine.yaml").write_text(RULES.format(version=version), "utf-8")
    return folder


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    return write_rules(tmp_path / "rules")


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with ChatServer() as chat:
        yield chat
