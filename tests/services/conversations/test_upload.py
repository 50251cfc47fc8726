"""JSONL uploads: problems by line number, the rest stored; concurrent submissions."""

from __future__ import annotations

import json
import threading

from hegui.bootstrap import Platform
from tests.services.ingest_support import call, count


def line(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def test_upload_reports_lines_and_keeps_the_rest(platform: Platform) -> None:
    body = b"\n".join(
        [
            "\ufeff".encode() + line(call("u-1", "您好")),
            b"",
            b"{not json",
            b'{"id": "u-3", "utterances": [{"role": "agent", "text": "\xff"}]}',
            line(call("u-1", "另一个内容")),
            line({"id": "u-5", "utterances": [{"role": "agent"}]}),
            line(call("u-6", "第一句\u2028仍是第一句")),
            b"",
        ]
    )
    with platform.db.transaction() as session:
        result = platform.conversations.upload_body(session, body, actor="t")
    assert result.accepted == 2 and result.accepted_ids == ["u-1", "u-6"]
    errors = {e.line: e.error for e in result.errors}
    assert sorted(errors) == [3, 4, 5, 6]
    assert errors[3].startswith("JSON 解析失败 invalid JSON")
    assert "UTF-8" in errors[4]
    assert errors[5].startswith("id: ") and "duplicate id 'u-1'" in errors[5]
    assert errors[6].startswith("utterances[0].text: ")
    with platform.db.reader() as session:
        assert platform.jobs.read(session, result.job_id).total == 2
        assert count(session, "SELECT count(*) FROM conversation_revisions") == 2
        text = platform.conversations.get(session, "u-6").utterances[0].text
    assert text == "第一句\u2028仍是第一句"


def test_concurrent_submissions_of_one_conversation_store_it_once(
    fresh_platform: Platform,
) -> None:
    same = [call(f"r-{i}", "您好 请问有什么可以帮您") for i in range(10)]
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def send(items: list[dict[str, object]]) -> None:
        try:
            with fresh_platform.db.transaction() as session:
                result = fresh_platform.conversations.submit(session, items, actor="t")
            results.append(result.accepted)
        except BaseException as exc:  # reported on the test's thread
            errors.append(exc)

    # Same content from four senders (in different orders), and new content racing for r-0.
    senders = [same, same[::-1], same[3:] + same[:3], [*same, call("r-0", "新内容")]]
    threads = [threading.Thread(target=send, args=(items,)) for items in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [sorted(set(r)) for r in results] == [sorted(f"r-{i}" for i in range(10))] * 4
    with fresh_platform.db.reader() as session:
        assert count(session, "SELECT count(*) FROM conversations") == 10
        assert count(session, "SELECT count(*) FROM conversation_revisions") == 11
        numbers = count(
            session, "SELECT max(number) FROM conversation_revisions WHERE conversation_id = 'r-0'"
        )
    assert numbers == 2
