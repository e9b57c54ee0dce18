"""Settings, read from the environment through the validating helpers of chibo.env.

CHIBO_MODE=production turns on the secure defaults and refuses to start without
SECRET_KEY or with DEBUG on. Everything else has a working default for the demo.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from chibo.env import env_bool, env_choice, env_email, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("CHIBO_DATA_DIR", str(BASE_DIR / "var")))

MODE = env_choice("CHIBO_MODE", ("development", "production"), "development")
PRODUCTION = MODE == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env_str("SECRET_KEY")
if PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when CHIBO_MODE=production")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when CHIBO_MODE=production")
elif not SECRET_KEY:
    SECRET_KEY = "chibo-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "axes",
    "chibo.core",
    "chibo.orgs",
    "chibo.people",
    # Member sheets in and out of the registry; builds on people. Background work runs
    # through Django's tasks API (the django-tasks backport), stored in the database.
    "django_tasks",
    "django_tasks_db",
    "chibo.imports",
    # Party fees (đảng phí): builds on people, which never imports it.
    "chibo.fees",
    # Large exports made by a background task, downloaded by the user who asked.
    "chibo.downloads",
    # Study themes, commitments and plans; builds on people.
    "chibo.plans",
    # Models and initiatives with measured results, savings funds, emulation, exemplars
    # and awards; builds on people.
    "chibo.initiatives",
    # Cell and branch meetings; builds on people and plans (topics pick issued themes).
    "chibo.meetings",
    # Year-end evaluation and grading; reads meetings and commitments as evidence.
    "chibo.evaluation",
    "chibo.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chibo.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chibo.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chibo.urls"
WSGI_APPLICATION = "chibo.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chibo.core.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "chibo.sqlite3"),
            "OPTIONS": {
                # WAL lets the demo serve pages while a long import writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login rate limiting: five wrong passwords for one user name from one address
# lock that pair out for a quarter of an hour.
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
# Behind nginx the client's address is in X-Real-IP / X-Forwarded-For; trusted only then.
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
AXES_CLIENT_IP_CALLABLE = "chibo.core.client_ip.client_ip"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "chibo" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Production serves the collected files; development serves them straight from the apps.
STATIC_ROOT: Path | None = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
if not PRODUCTION and "STATIC_ROOT" not in os.environ:
    STATIC_ROOT = None
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12, minimum=300)
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
if env_bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Background tasks: the database backend needs no broker; `chibo db_worker` runs them.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Uploaded sheets wait here, outside every URL, until their import ends.
IMPORT_DIR = Path(env_str("CHIBO_IMPORT_DIR", str(DATA_DIR / "imports")))
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 50, minimum=1) * 1024 * 1024

API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30, minimum=1)
PAGE_SIZE = env_int("PAGE_SIZE", 50, minimum=5)
# Large exports are written here by the task worker, outside every URL, and handed out only
# to the user who asked; above EXPORT_BACKGROUND_ROWS rows an XLSX is made in the background.
EXPORT_DIR = Path(env_str("CHIBO_EXPORT_DIR", str(DATA_DIR / "exports")))
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 5000, minimum=1)
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7, minimum=1)
# Files attached to themes and library documents: outside every URL, handed out by the
# scoped download view only.
PLANS_DOCUMENT_DIR = Path(env_str("CHIBO_DOCUMENT_DIR", str(DATA_DIR / "documents")))
PLANS_DOCUMENT_MAX_MB = env_int("DOCUMENT_MAX_MB", 20, minimum=1)

# Meeting reminders: how many days ahead they go out (0: none), and the address the links
# in the e-mails start with (none without it).
MEETING_REMINDER_DAYS = env_int("MEETING_REMINDER_DAYS", 2, minimum=0)
CHIBO_SITE_URL = env_url("CHIBO_SITE_URL")
# Outgoing mail through Django's SMTP backend; the defaults are Django's own (a relay on
# localhost:25, see docs/deploy.md).
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_email("DEFAULT_FROM_EMAIL", "webmaster@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING").upper()},
}
