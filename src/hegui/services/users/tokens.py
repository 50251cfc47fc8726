"""Bearer tokens: HMAC-SHA256-signed claims with an expiry and the user's token generation.

`hg1.<claims>.<signature>`, both parts base64url. Checking one needs no table and no
write: the signature proves we issued it, `exp` bounds its life, and `gen` must equal
the user's current `token_generation`, which a password change raises, revoking every
token issued before it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hegui.errors import Unauthorized
from hegui.services.clock import Clock

PREFIX = "hg1"
BAD_TOKEN = "令牌无效 invalid token"


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_at: datetime
    token_type: str = "bearer"


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    generation: int
    expires_at: datetime


class TokenSigner:
    def __init__(self, secret: str, lifetime: timedelta, clock: Clock) -> None:
        # A key of its own, derived from the secret, so no other use of it can forge tokens.
        self._key = hmac.new(secret.encode(), b"hegui bearer token v1", hashlib.sha256).digest()
        self._lifetime = lifetime
        self._clock = clock

    def issue(self, user_id: int, generation: int) -> IssuedToken:
        expires = self._clock.now() + self._lifetime
        claims = {"exp": int(expires.timestamp()), "gen": generation, "sub": user_id}
        body = _b64(json.dumps(claims, sort_keys=True, separators=(",", ":")).encode())
        token = f"{PREFIX}.{body}.{_b64(self._sign(body))}"
        return IssuedToken(token, datetime.fromtimestamp(claims["exp"], UTC))

    def read(self, token: str) -> TokenClaims:
        """The claims of a token we signed that has not expired; else `Unauthorized`."""
        prefix, body, signature = _split(token)
        if prefix != PREFIX or not hmac.compare_digest(_unb64(signature), self._sign(body)):
            raise Unauthorized(BAD_TOKEN)
        claims = _claims(body)
        if claims.expires_at <= self._clock.now():
            raise Unauthorized("令牌已过期 token expired")
        return claims

    def _sign(self, body: str) -> bytes:
        return hmac.new(self._key, body.encode("ascii"), hashlib.sha256).digest()


def _split(token: str) -> tuple[str, str, str]:
    parts = token.strip().split(".")
    if len(parts) != 3 or not token.isascii():
        raise Unauthorized(BAD_TOKEN)
    return parts[0], parts[1], parts[2]


def _claims(body: str) -> TokenClaims:
    try:
        raw = json.loads(_unb64(body))
        return TokenClaims(
            int(raw["sub"]), int(raw["gen"]), datetime.fromtimestamp(raw["exp"], UTC)
        )
    except (ValueError, KeyError, TypeError, OverflowError) as exc:
        raise Unauthorized(BAD_TOKEN) from exc


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise Unauthorized(BAD_TOKEN) from exc
