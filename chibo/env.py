"""Validating readers for settings that come from the environment.

Each helper fails loudly with the variable's name and the value it could not
use, so a mistyped deployment stops at start-up instead of running half-configured.
"""

import os
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, got {raw!r}")


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = env_str(name, default).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def env_url(name: str, default: str = "") -> str:
    """An absolute http(s) address without a trailing slash (links are joined to it), or
    empty when unset. A bare host name is refused: e-mails would carry broken links."""
    value = env_str(name, default).rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name} must be an address such as https://chibo.example.vn, got {value!r}"
        )
    if parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{name} must not carry a query or fragment, got {value!r}")
    return value


def env_email(name: str, default: str) -> str:
    """An e-mail address, bare or with a display name ("Chibo <chibo@example.vn>")."""
    value = env_str(name, default)
    _display, address = parseaddr(value)
    local, _at, domain = address.rpartition("@")
    if not local or not domain or " " in address:
        raise ImproperlyConfigured(f"{name} must be an e-mail address, got {value!r}")
    return value
