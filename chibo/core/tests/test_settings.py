"""Settings come from the environment; production mode must refuse to start unsafely.

Settings are read once per process, so each case starts a fresh `python -m chibo` (or a
bare `django.setup()`) with its own environment, as a deployment would.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from chibo.env import env_bool, env_choice, env_int, env_list, env_str

REPO = Path(__file__).resolve().parents[3]
# A key as `django-admin` would generate one: 50 characters, many different ones.
GOOD_KEY = "q7#w!e9r$t2y^u4i&o6p*a8s(d0f)g1h-j3k_l5z=x7c+v9b%n"
# A start-up sees only what a deployment would give it: none of the test run's own
# variables (DATABASE_URL, DJANGO_ALLOW_ASYNC_UNSAFE set for the browser tests, ...).
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV")
PRINT_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECRET_KEY": s.SECRET_KEY,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": s.CSRF_TRUSTED_ORIGINS,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_PROXY_SSL_HEADER": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
    "STATICFILES_BACKEND": s.STORAGES["staticfiles"]["BACKEND"],
    "DATABASE_ENGINE": s.DATABASES["default"]["ENGINE"],
    "DATABASE_NAME": str(s.DATABASES["default"]["NAME"]),
    "AXES_FAILURE_LIMIT": s.AXES_FAILURE_LIMIT,
    "PAGE_SIZE": s.PAGE_SIZE,
}))
"""


def run_python(
    tmp_path: Path, code: str | None = None, *chibo_args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `python -c code` (or `python -m chibo ARGS`) in a clean environment plus `env`."""
    clean = {key: value for key, value in os.environ.items() if key in INHERITED}
    clean.update(
        DJANGO_SETTINGS_MODULE="chibo.settings",
        CHIBO_DATA_DIR=str(tmp_path / "data"),
        PYTHONWARNINGS="ignore",
    )
    clean.update(env)
    command = [sys.executable, "-c", code] if code is not None else [sys.executable, "-m", "chibo"]
    return subprocess.run(
        [*command, *chibo_args],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_of(tmp_path: Path, **env: str) -> dict[str, object]:
    result = run_python(tmp_path, PRINT_SETTINGS, **env)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def refuses(tmp_path: Path, message: str, **env: str) -> None:
    result = run_python(tmp_path, "import django; django.setup()", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr, result.stderr


class TestProductionRefusesToStart:
    def test_without_secret_key(self, tmp_path: Path) -> None:
        refuses(
            tmp_path, "SECRET_KEY must be set when CHIBO_MODE=production", CHIBO_MODE="production"
        )

    def test_with_an_empty_secret_key(self, tmp_path: Path) -> None:
        refuses(
            tmp_path,
            "SECRET_KEY must be set when CHIBO_MODE=production",
            CHIBO_MODE="production",
            SECRET_KEY="   ",
        )

    def test_with_a_short_secret_key(self, tmp_path: Path) -> None:
        refuses(
            tmp_path,
            "SECRET_KEY must be at least 32 characters long",
            CHIBO_MODE="production",
            SECRET_KEY="too-short-to-be-secret",
        )

    @pytest.mark.parametrize("debug", ["1", "true", "yes", "on", "TRUE"])
    def test_with_debug_on(self, tmp_path: Path, debug: str) -> None:
        refuses(
            tmp_path,
            "DEBUG must be off when CHIBO_MODE=production",
            CHIBO_MODE="production",
            SECRET_KEY=GOOD_KEY,
            ALLOWED_HOSTS="chibo.example.vn",
            DEBUG=debug,
        )

    def test_check_deploy_reports_the_same_error(self, tmp_path: Path) -> None:
        result = run_python(
            tmp_path, None, "check", "--deploy", CHIBO_MODE="production", SECRET_KEY="short"
        )
        assert result.returncode != 0
        assert "SECRET_KEY must be at least 32 characters long" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "CHIBO_MODE",
            "staging",
            "CHIBO_MODE must be one of development, production, got 'staging'",
        ),
        ("DEBUG", "perhaps", "DEBUG must be one of true/false/1/0/yes/no, got 'perhaps'"),
        ("SECURE_COOKIES", "2", "SECURE_COOKIES must be one of true/false/1/0/yes/no, got '2'"),
        ("BEHIND_PROXY", "nginx", "BEHIND_PROXY must be one of true/false/1/0/yes/no, got 'nginx'"),
        ("AXES_ENABLED", "enabled", "AXES_ENABLED must be one of true/false/1/0/yes/no"),
        ("AXES_FAILURE_LIMIT", "0", "AXES_FAILURE_LIMIT must be at least 1, got 0"),
        (
            "AXES_COOLOFF_MINUTES",
            "quarter",
            "AXES_COOLOFF_MINUTES must be an integer, got 'quarter'",
        ),
        ("PAGE_SIZE", "fifty", "PAGE_SIZE must be an integer, got 'fifty'"),
        ("PAGE_SIZE", "2", "PAGE_SIZE must be at least 5, got 2"),
        ("API_TOKEN_DAYS", "-3", "API_TOKEN_DAYS must be at least 1, got -3"),
        ("SECURE_HSTS_SECONDS", "1.5", "SECURE_HSTS_SECONDS must be an integer, got '1.5'"),
        ("SESSION_COOKIE_AGE", "60", "SESSION_COOKIE_AGE must be at least 300, got 60"),
    ],
)
def test_bad_values_stop_start_up_naming_the_variable(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    refuses(tmp_path, message, **{variable: value})


class TestEnvHelpers:
    def test_bool_reads_the_usual_spellings(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for raw, expected in [("1", True), (" Yes ", True), ("ON", True), ("0", False)]:
            monkeypatch.setenv("CHIBO_TEST_FLAG", raw)
            assert env_bool("CHIBO_TEST_FLAG") is expected
        monkeypatch.setenv("CHIBO_TEST_FLAG", "")
        assert env_bool("CHIBO_TEST_FLAG", default=True) is False
        monkeypatch.delenv("CHIBO_TEST_FLAG")
        assert env_bool("CHIBO_TEST_FLAG", default=True) is True

    def test_bool_rejects_anything_else(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CHIBO_TEST_FLAG", "maybe")
        with pytest.raises(ImproperlyConfigured, match=r"^CHIBO_TEST_FLAG must be .*'maybe'"):
            env_bool("CHIBO_TEST_FLAG")

    def test_int_parses_checks_minimum_and_defaults(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CHIBO_TEST_NUMBER", " 42 ")
        assert env_int("CHIBO_TEST_NUMBER", 7, minimum=1) == 42
        monkeypatch.setenv("CHIBO_TEST_NUMBER", "")
        assert env_int("CHIBO_TEST_NUMBER", 7) == 7
        monkeypatch.setenv("CHIBO_TEST_NUMBER", "4x")
        with pytest.raises(ImproperlyConfigured, match="CHIBO_TEST_NUMBER must be an integer"):
            env_int("CHIBO_TEST_NUMBER", 7)
        monkeypatch.setenv("CHIBO_TEST_NUMBER", "0")
        with pytest.raises(ImproperlyConfigured, match="CHIBO_TEST_NUMBER must be at least 1"):
            env_int("CHIBO_TEST_NUMBER", 7, minimum=1)

    def test_choice_is_case_insensitive_and_closed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CHIBO_TEST_MODE", "Production")
        assert env_choice("CHIBO_TEST_MODE", ("development", "production"), "development") == (
            "production"
        )
        monkeypatch.setenv("CHIBO_TEST_MODE", "prod")
        with pytest.raises(ImproperlyConfigured, match="CHIBO_TEST_MODE must be one of"):
            env_choice("CHIBO_TEST_MODE", ("development", "production"), "development")

    def test_list_and_str_trim(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CHIBO_TEST_HOSTS", " a.vn, ,b.vn ,")
        assert env_list("CHIBO_TEST_HOSTS", ["x"]) == ["a.vn", "b.vn"]
        monkeypatch.delenv("CHIBO_TEST_HOSTS")
        assert env_list("CHIBO_TEST_HOSTS", ["x"]) == ["x"]
        monkeypatch.setenv("CHIBO_TEST_TEXT", "  value  ")
        assert env_str("CHIBO_TEST_TEXT") == "value"


PRODUCTION = {
    "CHIBO_MODE": "production",
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "chibo.example.vn, www.chibo.example.vn",
    "CSRF_TRUSTED_ORIGINS": "https://chibo.example.vn",
}


def test_production_turns_on_secure_cookies_hsts_and_hashed_static(tmp_path: Path) -> None:
    values = settings_of(tmp_path, **PRODUCTION)
    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == GOOD_KEY
    assert values["ALLOWED_HOSTS"] == ["chibo.example.vn", "www.chibo.example.vn"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://chibo.example.vn"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["STATICFILES_BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_production_without_allowed_hosts_serves_no_host(tmp_path: Path) -> None:
    values = settings_of(tmp_path, CHIBO_MODE="production", SECRET_KEY=GOOD_KEY)
    assert values["ALLOWED_HOSTS"] == []


def test_behind_proxy_trusts_the_forwarded_scheme(tmp_path: Path) -> None:
    values = settings_of(tmp_path, **PRODUCTION, BEHIND_PROXY="true")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_development_defaults_work_over_plain_http(tmp_path: Path) -> None:
    values = settings_of(tmp_path)
    assert values["DEBUG"] is True
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert "127.0.0.1" in values["ALLOWED_HOSTS"]  # type: ignore[operator]
    assert values["DATABASE_ENGINE"] == "django.db.backends.sqlite3"
    assert values["DATABASE_NAME"] == str(tmp_path / "data" / "chibo.sqlite3")
    assert values["AXES_FAILURE_LIMIT"] == 5


def test_database_url_selects_postgresql(tmp_path: Path) -> None:
    values = settings_of(tmp_path, DATABASE_URL="postgresql://chibo:secret@db.internal:5432/chibo")
    assert values["DATABASE_ENGINE"] == "django.db.backends.postgresql"
    assert values["DATABASE_NAME"] == "chibo"


def test_check_deploy_passes_with_a_proper_production_environment(tmp_path: Path) -> None:
    result = run_python(
        tmp_path, None, "check", "--deploy", **PRODUCTION, SECURE_SSL_REDIRECT="true"
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "ERRORS" not in output
    # Left as warnings on purpose: HSTS for every subdomain and browser preloading are
    # decisions for the owner of the whole domain (often a province's portal), not for Chibo.
    warnings = set(re.findall(r"\((security\.W\d+)\)", output))
    assert warnings <= {"security.W005", "security.W021"}, output


def test_check_deploy_flags_plain_http_cookies(tmp_path: Path) -> None:
    result = run_python(
        tmp_path,
        None,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        SECURE_COOKIES="false",
        SECURE_SSL_REDIRECT="true",
    )
    assert result.returncode != 0
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE off
    assert "security.W016" in result.stderr  # CSRF_COOKIE_SECURE off
