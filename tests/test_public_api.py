from __future__ import annotations

import hegui
from hegui import Conversation, Inspector, Utterance


def test_exported_members() -> None:
    assert sorted(hegui.__all__) == [
        "Conversation",
        "Finding",
        "Inspector",
        "Utterance",
        "__version__",
    ]


def test_inspector_batch_and_live_agree() -> None:
    inspector = Inspector.build(industry="securities")
    conv = Conversation(
        "call-1",
        (
            Utterance("customer", "这个基金保本吗？", 0.0, 1.2),
            Utterance("agent", "放心，这个产品是保本的", 1.5, 3.0),
        ),
        channel="phone",
        industry="securities",
    )
    batch = inspector.inspect(conv)
    session = inspector.session(conv)
    live = [f for u in conv.utterances for f in session.feed(u)] + session.close()
    assert sorted(f.to_dict()["rule_id"] for f in batch) == sorted(f.rule_id for f in live)
    promise = [f for f in batch if f.category == "compliance.guarantee_return"]
    assert len(promise) == 1 and promise[0].matched == "保本" and promise[0].utterance_index == 1
