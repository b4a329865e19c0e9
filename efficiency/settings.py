"""Settings for 效能考核, read from the environment.

Works bare on SQLite (``var/efficiency.sqlite3``); point ``DATABASE_URL`` at PostgreSQL to use it.
"""

import datetime
import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor
from xstatic.pkg import bootstrap as xstatic_bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {value!r}. {name} 应为整数。"
        ) from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value) if value else default


DEBUG = env_bool("DEBUG", False)
# The test runner imports pytest before these settings; nothing in production does.
TESTING = "pytest" in sys.modules
# `make setup` writes a random key for this checkout to var/secret-key: commands, tests and
# benchmarks use it when SECRET_KEY is not set. The web server never does (efficiency.wsgi sets
# EFFICIENCY_WEB_SERVER first): without SECRET_KEY and DEBUG it refuses to start. The last
# resort, a public key with the prefix `check --deploy` flags, serves only DEBUG and tests.
CHECKOUT_KEY_FILE = BASE_DIR / "var" / "secret-key"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
SECRET_KEY_SOURCE = "environment"
if not SECRET_KEY and not os.environ.get("EFFICIENCY_WEB_SERVER") and CHECKOUT_KEY_FILE.is_file():
    SECRET_KEY = CHECKOUT_KEY_FILE.read_text().strip()
    SECRET_KEY_SOURCE = "checkout"
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off. Set SECRET_KEY in the environment to a long "
            'random value kept secret, e.g. the output of: python -c "import secrets; '
            "print(secrets.token_urlsafe(50))\" (or set DEBUG=true on a developer's machine). "
            "未设置 SECRET_KEY 且 DEBUG 未开启：请在环境变量中设置一个足够长的随机 SECRET_KEY。"
        )
    SECRET_KEY = "django-insecure-development-key-set-SECRET_KEY-in-production"
    SECRET_KEY_SOURCE = "development"
if SECRET_KEY_SOURCE != "environment":
    # Processes started from here (report jobs, makemessages in tests) use the same key.
    os.environ["SECRET_KEY"] = SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

OFFICE_NAME = os.environ.get("OFFICE_NAME", "县委办公室")
# Where the office reaches the app: printed reports carry a QR code of SITE_URL/verify/?...
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "efficiency.apps.EfficiencyConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "efficiency.apps.LoginSecurityConfig",  # django-axes
    "django_tasks",
    "efficiency.apps.TasksDatabaseConfig",  # django-tasks-db
]
# Widget templates are looked up like page templates (templates/efficiency/widgets/...).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "efficiency.middleware.PrivateFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "efficiency.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "efficiency.urls"
WSGI_APPLICATION = "efficiency.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "efficiency.context_processors.office",
                "efficiency.context_processors.demo_database",
                "efficiency.context_processors.navigation",
            ],
        },
    },
]

# SQLite is set up for several people at once: WAL lets readers work beside the one writer,
# IMMEDIATE transactions take the write lock up front (no deadlock on upgrade), and the busy
# timeout makes a second writer wait instead of failing with "database is locked".
SQLITE_PATH = BASE_DIR / "var" / "efficiency.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too, so the live server's threads hit real WAL locking as people would.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("TEST_SQLITE", str(BASE_DIR / "var" / "test.sqlite3"))
    }
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: a locked-out pair is refused before any password is hashed.
AUTHENTICATION_BACKENDS = [
    "efficiency.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic_bootstrap.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # A deployment sets STATIC_MANIFEST=1 after collectstatic for hashed, cached files.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (make run, tests) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST", False)
# Source maps are read only by a developer's browser tools: compressing them with Brotli was
# two thirds of collectstatic's time (over 20 s of a core).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

MESSAGE_TAGS = {40: "danger"}

# Excel uploads (README, "Uploads"): the limits a file must keep to, from the environment.
EXCEL_MAX_UPLOAD_BYTES = env_int("EXCEL_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
EXCEL_MAX_ROWS = env_int("EXCEL_MAX_ROWS", 20_000)
EXCEL_MAX_CELLS = env_int("EXCEL_MAX_CELLS", 300_000)
EXCEL_MAX_SHARED_STRINGS = env_int("EXCEL_MAX_SHARED_STRINGS", 200_000)
EXCEL_MAX_TEXT_CHARS = env_int("EXCEL_MAX_TEXT_CHARS", 20_000_000)
EXCEL_MAX_UNPACKED_BYTES = env_int("EXCEL_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
# Uploads waiting for confirmation: where, and for how many seconds at most.
EXCEL_UPLOAD_DIR = env_path("EXCEL_UPLOAD_DIR", BASE_DIR / "var" / "uploads")
EXCEL_UPLOAD_MAX_AGE = env_int("EXCEL_UPLOAD_MAX_AGE", 24 * 3600)
# A body over EXCEL_MAX_UPLOAD_BYTES is refused from its Content-Length before any of it is
# written (efficiency.excel.pending.SizeLimitHandler).
FILE_UPLOAD_HANDLERS = [
    "efficiency.excel.pending.SizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# PDF reports (README, "Reports"): the fonts' folder (efficiency.reports.fonts).
REPORT_FONT_DIR = env_path("REPORT_FONT_DIR", BASE_DIR / "var" / "fonts")
# Generated files (the ZIPs under reports/) go through the default storage: a folder of this
# machine unless STORAGES["default"] names a shared store (README, "Background work"). Never
# served under MEDIA_URL: each download is a view that checks who asks.
MEDIA_ROOT = env_path("MEDIA_ROOT", BASE_DIR / "var" / "files")

# Incident attachments (README, "Uploads"): a private folder unless STORAGES names an
# "attachments" storage; files 0600, served only by a view that checks who asks.
ATTACHMENT_DIR = env_path("ATTACHMENT_DIR", Path(MEDIA_ROOT) / "attachments")
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_MAX_PER_INCIDENT = env_int("ATTACHMENT_MAX_PER_INCIDENT", 10)

# Background work (README, "Background work"): tasks are rows in this database, run by
# `manage.py db_worker` on any machine that reaches it.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Backups (README, "Backup and restore"): where `manage.py backup` writes by default, and where
# a running server leaves its pid file so that `manage.py restore` refuses to run under it.
BACKUP_DIR = env_path("BACKUP_DIR", BASE_DIR / "var" / "backups")
# The nightly backup task (efficiency.tasks.backup) keeps this many archives in BACKUP_DIR.
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)
RUN_DIR = env_path("RUN_DIR", BASE_DIR / "var" / "run")

# Mail for 催办 reminders (README, "Configuration"): printed to the console unless the office
# configures a server, e.g. EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kaohe@localhost")

# Login throttling (django-axes): five wrong passwords for one username from one address lock
# that pair for 15 minutes; an administrator lifts a lockout in the admin (登录失败计数).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "efficiency.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "efficiency.security.client_ip"
AXES_VERBOSE = False
# Who tried and from where goes to the log (the password never does).
AXES_SENSITIVE_PARAMETERS: list[str] = []
# Behind nginx every request comes from 127.0.0.1: then the client's address is the last one
# nginx appended to X-Forwarded-For (`proxy_add_x_forwarded_for`).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)

# Sessions end when the browser closes, and after SESSION_IDLE_MINUTES without a request
# (a request moves the end forward, at most once a minute: SessionRefreshMiddleware).
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 120) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True

# HTTPS (see README, "Running it for an office"): all off by default for a plain-HTTP LAN.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if BEHIND_PROXY:
    # nginx sets this header itself (`proxy_set_header X-Forwarded-Proto $scheme`), so a
    # client cannot forge it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): scripts and stylesheets only from this site's static
# files, no inline <script>, no inline style at all (the charts' SVG uses presentation
# attributes only, see efficiency/charts.py).
# Bootstrap's CSS draws its icons (menu, close, select arrow) as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Every login, successful or not, with username and address (django-axes).
    "loggers": {"axes": {"level": "INFO"}},
}
