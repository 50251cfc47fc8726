"""The errors services raise; each carries the HTTP status the API answers with.

Exception tree::

    HeguiError (500)      base: every error the platform raises on purpose
    ├── Invalid (422)     bad input; `field` names what was wrong ("role", "details.x")
    ├── Unauthorized (401) no, bad, expired or revoked credentials
    ├── Forbidden (403)   authenticated, but this user may not do this
    ├── NotFound (404)    unknown, or not visible to this user (never leak which)
    └── Conflict (409)    clashes with what is stored: a duplicate, a transition not
                          allowed from the current state, a tampered audit chain

Messages are Chinese first with English alongside ("用户名已存在 username exists").
The CLI maps them to exit codes, the HTTP layer to `{"detail": ...}` with `status_code`.
"""

from __future__ import annotations


class HeguiError(Exception):
    status_code = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def detail(self) -> object:
        """The value of the HTTP answer's `detail`."""
        return self.message


class Invalid(HeguiError):
    status_code = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message

    @property
    def detail(self) -> object:
        # The shape FastAPI uses for its own validation errors, so clients parse one form.
        return [{"loc": self.field.split("."), "msg": self.reason, "type": "value_error"}]


class Unauthorized(HeguiError):
    status_code = 401


class Forbidden(HeguiError):
    status_code = 403


class NotFound(HeguiError):
    status_code = 404


class Conflict(HeguiError):
    status_code = 409
