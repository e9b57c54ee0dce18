"""The address a request comes from, for login rate limiting (django-axes).

Behind nginx every request comes from 127.0.0.1: counting failures by REMOTE_ADDR would
lock out a whole province after five mistakes anywhere. The proxy's headers are trusted
only when BEHIND_PROXY says a proxy is there (docs/deploy.md); otherwise anyone could
send a fresh X-Forwarded-For with each guess and never be locked out.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR", "")
    if not getattr(settings, "BEHIND_PROXY", False):
        return _valid(remote) or remote or None
    # nginx sets X-Real-IP to the address it saw, overwriting what the client sent.
    real = _valid(request.META.get("HTTP_X_REAL_IP", ""))
    if real:
        return real
    # $proxy_add_x_forwarded_for appends the address nginx saw: the last entry is the one
    # the proxy vouches for; those before it are the client's own claims.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        last = _valid(forwarded.split(",")[-1])
        if last:
            return last
    return _valid(remote) or remote or None
