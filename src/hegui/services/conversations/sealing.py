"""Raw text sealed with AES-256-GCM, and the keyed hash that recognises content seen before.

Until it is inspected, a conversation's raw text waits sealed under a transit key derived
from the platform's secret key (every server of one database shares it), and is erased in
the transaction that stores its findings. With `HEGUI_RAW_TEXT_KEY` set it is sealed under
the institution's key instead and kept. A sealed blob is bound to its conversation and
content (associated data), so blobs cannot be swapped between rows.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hegui.errors import Conflict, Invalid
from hegui.settings import Settings

FORMAT = b"H1"
KEY_ID = 8
NONCE = 12
RAW_KEY_VAR = "HEGUI_RAW_TEXT_KEY"


def derive(secret: str, purpose: str) -> bytes:
    """A 256-bit key for one purpose, from the platform's secret key."""
    return hmac.new(secret.encode("utf-8"), b"hegui/" + purpose.encode(), "sha256").digest()


def institution_key(settings: Settings) -> bytes | None:
    """The decoded `HEGUI_RAW_TEXT_KEY`, or None when raw text is not to be kept."""
    if settings.raw_text_key is None:
        return None
    text = settings.raw_text_key.get_secret_value().strip()
    try:
        key = base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_") + "==")
    except (binascii.Error, ValueError) as exc:
        raise Invalid(RAW_KEY_VAR, f"不是 base64 not base64: {exc}") from exc
    if len(key) != 32:
        raise Invalid(
            RAW_KEY_VAR,
            f"密钥须为 32 字节 the key must be 32 bytes (base64), got {len(key)}: "
            'python3 -c "import base64,os;print(base64.b64encode(os.urandom(32)).decode())"',
        )
    return key


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"hegui-key-id" + key).digest()[:KEY_ID]


class RawSealer:
    """Seals raw conversations for inspection (transit) or for keeping (institution key)."""

    def __init__(self, transit_key: bytes, kept_key: bytes | None = None) -> None:
        self._transit = transit_key
        self._kept = kept_key
        self._keys = {_key_id(transit_key): transit_key}
        if kept_key is not None:
            self._keys[_key_id(kept_key)] = kept_key

    @classmethod
    def from_settings(cls, settings: Settings, secret: str) -> RawSealer:
        return cls(derive(secret, "raw-transit"), institution_key(settings))

    @property
    def keeps_raw(self) -> bool:
        return self._kept is not None

    def seal(self, plain: bytes, bound_to: bytes) -> bytes:
        key = self._kept if self._kept is not None else self._transit
        nonce = secrets.token_bytes(NONCE)
        return FORMAT + _key_id(key) + nonce + AESGCM(key).encrypt(nonce, plain, bound_to)

    def open(self, blob: bytes, bound_to: bytes) -> bytes:
        head = len(FORMAT)
        key = self._keys.get(blob[head : head + KEY_ID]) if blob[:head] == FORMAT else None
        if key is None:
            raise Conflict(
                "原文由其他密钥加密 the raw text was sealed with another key "
                f"(a different {RAW_KEY_VAR} or secret key)"
            )
        nonce_at = head + KEY_ID
        nonce, body = blob[nonce_at : nonce_at + NONCE], blob[nonce_at + NONCE :]
        try:
            return AESGCM(key).decrypt(nonce, body, bound_to)
        except InvalidTag as exc:
            raise Conflict("原文密文已损坏 the sealed raw text is damaged or moved") from exc


class ContentHasher:
    """HMAC-SHA256 of canonical content: equal content, equal hash; short texts unguessable."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def from_secret(cls, secret: str) -> ContentHasher:
        return cls(derive(secret, "content-hash"))

    def __call__(self, content: bytes) -> str:
        return hmac.new(self._key, content, "sha256").hexdigest()
