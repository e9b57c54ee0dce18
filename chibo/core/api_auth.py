"""Bearer tokens for the JSON API.

A token is issued after a password check that goes through
`django.contrib.auth.authenticate`, so django-axes counts the failures and locks out a
user name guessed too often, exactly as on the login page. Only the SHA-256 of a token
is stored: a copy of the database does not let anyone call the API.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from chibo.core.models import ApiToken

if TYPE_CHECKING:
    from chibo.core.models import User

# Recording every call would turn each read into a write; a coarse "last used" is enough
# to tell live tokens from forgotten ones.
LAST_USED_PRECISION = datetime.timedelta(minutes=10)


class LoginRejected(Exception):
    """The password check failed; `locked_out` when django-axes refused to even try."""

    def __init__(self, message: str, *, locked_out: bool) -> None:
        super().__init__(message)
        self.message = message
        self.locked_out = locked_out


@dataclass(frozen=True)
class IssuedToken:
    key: str
    token: ApiToken

    @property
    def expires_at(self) -> datetime.datetime:
        return self.token.expires_at


def api_token_create(*, user: User, now: datetime.datetime | None = None) -> IssuedToken:
    """A new token for `user`; the clear key is returned once and never stored."""
    issued_at = now or timezone.now()
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash_key(key),
        created_at=issued_at,
        expires_at=issued_at + datetime.timedelta(days=settings.API_TOKEN_DAYS),
    )
    return IssuedToken(key=key, token=token)


def api_token_for_login(*, request: HttpRequest, username: str, password: str) -> IssuedToken:
    """Check the password the way the login page does (lockouts included), then issue."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            # The API answers in JSON itself; without this the lockout middleware would
            # replace the answer with the HTML page meant for browsers.
            request.axes_locked_out = False  # type: ignore[attr-defined]
            raise LoginRejected(
                _(
                    "Tài khoản tạm thời bị khóa vì nhập sai mật khẩu quá nhiều lần. "
                    "Vui lòng thử lại sau %(minutes)s phút."
                )
                % {"minutes": _cooloff_minutes()},
                locked_out=True,
            )
        raise LoginRejected(_("Tên đăng nhập hoặc mật khẩu không đúng."), locked_out=False)
    return api_token_create(user=user)


def _cooloff_minutes() -> int:
    cooloff: Any = getattr(settings, "AXES_COOLOFF_TIME", None)
    if isinstance(cooloff, datetime.timedelta):
        return max(1, int(cooloff.total_seconds() // 60))
    return 15


def api_token_user(key: str, *, now: datetime.datetime | None = None) -> User | None:
    """The active user a key belongs to; raises AuthenticationError for an expired key."""
    if not key:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None or not token.user.is_active:
        return None
    moment = now or timezone.now()
    if token.expires_at <= moment:
        raise AuthenticationError(
            message=_("Mã truy cập đã hết hạn. Hãy đăng nhập lại để lấy mã mới.")
        )
    if token.last_used_at is None or moment - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
    return token.user


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the request then acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(token.strip())
        if user is not None:
            # Selectors read request.user elsewhere; the API must scope by the same user.
            request.user = user
        return user
