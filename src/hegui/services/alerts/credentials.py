"""Notifier credentials (target URL and secret) sealed with AES-256-GCM.

The key is derived from the platform's secret key, so every server of one database can
read them and nobody who only reads the database can. Changing `HEGUI_SECRET_KEY` makes
stored notifiers unreadable: configure them again.
"""

from __future__ import annotations

import json
import secrets

import httpx
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hegui.errors import Conflict
from hegui.services.conversations.sealing import derive

FORMAT = b"N1"
NONCE = 12
BOUND = b"hegui-notifier"


class CredentialBox:
    def __init__(self, secret: str) -> None:
        self._key = derive(secret, "notifier-credentials")

    def seal(self, target: str, secret: str | None) -> bytes:
        plain = json.dumps({"target": target, "secret": secret}).encode("utf-8")
        nonce = secrets.token_bytes(NONCE)
        return FORMAT + nonce + AESGCM(self._key).encrypt(nonce, plain, BOUND)

    def open(self, blob: bytes, notifier_id: int) -> tuple[str, str | None]:
        blob = bytes(blob)
        if not blob.startswith(FORMAT):
            raise Conflict(f"通知渠道 {notifier_id} 的凭据格式未知 unknown credential format")
        nonce, sealed = blob[2 : 2 + NONCE], blob[2 + NONCE :]
        try:
            plain = AESGCM(self._key).decrypt(nonce, sealed, BOUND)
        except InvalidTag as exc:
            raise Conflict(
                f"无法解密通知渠道 {notifier_id} 的凭据 cannot decrypt notifier {notifier_id}'s "
                "credentials (HEGUI_SECRET_KEY changed?): configure it again"
            ) from exc
        data = json.loads(plain)
        return str(data["target"]), data["secret"]


def target_hint(kind: str, target: str) -> str:
    """What lists show of a target: scheme and host of a URL (its path and query may hold
    the robot's key), the recipients of an e-mail notifier."""
    if kind == "email":
        return target[:255]
    try:
        url = httpx.URL(target)
    except httpx.InvalidURL:
        return "…"
    return f"{url.scheme}://{url.host}/…"[:255]
