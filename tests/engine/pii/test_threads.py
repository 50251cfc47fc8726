"""One detector (and one policy) shared by threads gives what it gives serially."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

from hegui.engine.pii import LeakPolicy, MaskPolicy, PiiDetector, TurnScan, mask_text
from hegui.engine.pii.registry import RECOGNIZERS

TEXTS = [text for classes in RECOGNIZERS.values() for c in classes for text, _ in c.examples.found]
TEXTS += [
    text for classes in RECOGNIZERS.values() for c in classes for text in c.examples.not_found
]
TEXTS += ["您尾号123456的卡", "手机138****5678", "我叫王明", "银行卡丢了", "好的，谢谢"] * 3


def everything(detector: PiiDetector, text: str) -> tuple[object, ...]:
    policy = LeakPolicy.from_mapping({"max_visible_digits": {"bank_card": 4}})
    found = detector.scan(text)
    return (
        found,
        detector.scan_masked(text),
        policy.leaks(detector, text, "agent"),
        mask_text(text, found, MaskPolicy.preset("partial")),
        TurnScan(detector, [("agent", text), ("agent", text)]).entities(1),
    )


def test_eight_threads_sharing_one_detector_match_the_serial_results() -> None:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, mid-scan
    try:
        detector = PiiDetector()  # fresh: its first scans run in the threads
        work = TEXTS * 8
        with ThreadPoolExecutor(max_workers=8) as pool:
            threaded = list(pool.map(lambda t: everything(detector, t), work))
    finally:
        sys.setswitchinterval(interval)
    serial = [everything(PiiDetector(), text) for text in work]
    assert threaded == serial
