from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from hegui.adapters.notify import Notice

CASE: dict[str, Any] = {
    "id": "case-42",
    "conversation_id": "call-20240611-0042",
    "finding": {"rule_id": "securities.promise.baoben", "matched": "保本", "severity": "high"},
    "category": "compliance.guarantee_return",
    "severity": "high",
    "status": "new",
    "agent_id": "A007",
    "team": "理财一组",
    "channel": "phone",
    "created_at": "2024-06-11T09:30:00+08:00",
    "due_at": "2024-06-12T09:30:00+08:00",
    "history": [],
}

TEXT = "坐席在通话中向客户承诺“保本”，违反适当性要求。\nThe agent promised the product is capital-guaranteed."


def make_notice(**changes: Any) -> Notice:
    fields: dict[str, Any] = {
        "event": "case.created",
        "severity": "high",
        "title": "承诺保本收益 Promised guaranteed returns",
        "text": TEXT,
        "idempotency_key": "case-42:created",
        "payload": CASE,
    }
    return Notice(**(fields | changes))


@pytest.fixture
def notice() -> Notice:
    return make_notice()


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    return Certificate(cert, key)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps every accepted message and refuses some recipients."""

    envelopes: list[Any] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 no such user"
        if address.startswith("busy@"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def smtp_server(inbox: Inbox) -> Iterator[tuple[str, int]]:
    from aiosmtpd.controller import Controller

    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield "127.0.0.1", controller.port
    finally:
        controller.stop()
