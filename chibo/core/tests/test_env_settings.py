"""Exports, reminders and mail settings come from the environment through chibo.env, with
the defaults they had when they were read with getattr; bad values stop the start-up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from chibo.core.tests.test_settings import refuses, run_python
from chibo.env import env_email, env_int, env_url

PRINT = """
import json
import django
django.setup()
from django.conf import settings as s
print(json.dumps({name: str(getattr(s, name)) for name in (
    "EXPORT_DIR", "EXPORT_BACKGROUND_ROWS", "EXPORT_KEEP_DAYS", "MEETING_REMINDER_DAYS",
    "CHIBO_SITE_URL",
    "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
)}))
"""


def loaded(tmp_path: Path, **env: str) -> dict[str, str]:
    result = run_python(tmp_path, PRINT, **env)
    assert result.returncode == 0, result.stderr
    values: dict[str, str] = json.loads(result.stdout)
    return values


def test_defaults_are_the_ones_the_code_used_before(tmp_path: Path) -> None:
    assert loaded(tmp_path) == {
        "EXPORT_DIR": str(tmp_path / "data" / "exports"),
        "EXPORT_BACKGROUND_ROWS": "5000",
        "EXPORT_KEEP_DAYS": "7",
        "MEETING_REMINDER_DAYS": "2",
        "CHIBO_SITE_URL": "",
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": "25",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": "False",
        "DEFAULT_FROM_EMAIL": "webmaster@localhost",
    }


def test_a_deployment_sets_them(tmp_path: Path) -> None:
    assert loaded(
        tmp_path,
        CHIBO_EXPORT_DIR="/var/lib/chibo/exports",
        EXPORT_BACKGROUND_ROWS="2000",
        EXPORT_KEEP_DAYS="30",
        MEETING_REMINDER_DAYS="3",
        CHIBO_SITE_URL="https://chibo.thainguyen.example.vn/",
        EMAIL_HOST="mail.thainguyen.gov.vn",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="chibo",
        EMAIL_HOST_PASSWORD="bí mật",
        EMAIL_USE_TLS="yes",
        DEFAULT_FROM_EMAIL="Chibo Đại Từ <chibo@thainguyen.gov.vn>",
    ) == {
        "EXPORT_DIR": "/var/lib/chibo/exports",
        "EXPORT_BACKGROUND_ROWS": "2000",
        "EXPORT_KEEP_DAYS": "30",
        "MEETING_REMINDER_DAYS": "3",
        "CHIBO_SITE_URL": "https://chibo.thainguyen.example.vn",
        "EMAIL_HOST": "mail.thainguyen.gov.vn",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "chibo",
        "EMAIL_HOST_PASSWORD": "bí mật",
        "EMAIL_USE_TLS": "True",
        "DEFAULT_FROM_EMAIL": "Chibo Đại Từ <chibo@thainguyen.gov.vn>",
    }


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("EXPORT_BACKGROUND_ROWS", "0", "EXPORT_BACKGROUND_ROWS must be at least 1, got 0"),
        ("EXPORT_KEEP_DAYS", "week", "EXPORT_KEEP_DAYS must be an integer, got 'week'"),
        ("MEETING_REMINDER_DAYS", "two", "MEETING_REMINDER_DAYS must be an integer, got 'two'"),
        ("MEETING_REMINDER_DAYS", "-1", "MEETING_REMINDER_DAYS must be at least 0, got -1"),
        ("CHIBO_SITE_URL", "chibo.example.vn", "CHIBO_SITE_URL must be an address such as"),
        ("EMAIL_PORT", "70000", "EMAIL_PORT must be at most 65535, got 70000"),
        ("EMAIL_USE_TLS", "starttls", "EMAIL_USE_TLS must be one of true/false"),
        ("DEFAULT_FROM_EMAIL", "chibo", "DEFAULT_FROM_EMAIL must be an e-mail address"),
    ],
)
def test_bad_values_stop_start_up_naming_the_variable(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    refuses(tmp_path, message, **{variable: value})


class TestHelpers:
    def test_int_checks_the_maximum(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CHIBO_TEST_PORT", "65535")
        assert env_int("CHIBO_TEST_PORT", 25, minimum=1, maximum=65535) == 65535
        monkeypatch.setenv("CHIBO_TEST_PORT", "65536")
        with pytest.raises(ImproperlyConfigured, match=r"^CHIBO_TEST_PORT must be at most 65535"):
            env_int("CHIBO_TEST_PORT", 25, minimum=1, maximum=65535)

    def test_url_is_absolute_http_and_loses_its_trailing_slash(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert env_url("CHIBO_TEST_URL") == ""
        for raw, expected in [
            (" https://chibo.example.vn/ ", "https://chibo.example.vn"),
            ("http://10.0.0.5:8000", "http://10.0.0.5:8000"),
            ("https://example.vn/chibo/", "https://example.vn/chibo"),
        ]:
            monkeypatch.setenv("CHIBO_TEST_URL", raw)
            assert env_url("CHIBO_TEST_URL") == expected
        for bad in ("chibo.example.vn", "ftp://example.vn", "https://", "https://x.vn/?a=1"):
            monkeypatch.setenv("CHIBO_TEST_URL", bad)
            with pytest.raises(ImproperlyConfigured, match=r"^CHIBO_TEST_URL must"):
                env_url("CHIBO_TEST_URL")

    def test_email_takes_a_bare_address_or_one_with_a_name(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert env_email("CHIBO_TEST_FROM", "webmaster@localhost") == "webmaster@localhost"
        monkeypatch.setenv("CHIBO_TEST_FROM", "Chi bộ <cb01@example.vn>")
        assert env_email("CHIBO_TEST_FROM", "x@y") == "Chi bộ <cb01@example.vn>"
        for bad in ("chibo", "@example.vn", "chibo@", "chi bo@example.vn"):
            monkeypatch.setenv("CHIBO_TEST_FROM", bad)
            with pytest.raises(ImproperlyConfigured, match=r"^CHIBO_TEST_FROM must be an e-mail"):
                env_email("CHIBO_TEST_FROM", "x@y")
