"""Stack Steward settings: everything comes from the environment.

- ``STEWARD_DATA_DIR``: folder for the SQLite database and the generated secret key (default ``./var``).
- ``DATABASE_URL``: any dj-database-url URL (default: SQLite file in the data folder).
- ``SECRET_KEY``: generated once and kept in the data folder when absent.
- ``DEBUG``: off unless ``DEBUG=1``/``true``.
- ``ALLOWED_HOSTS``: comma separated (default ``localhost,127.0.0.1,[::1]``).
- ``CSRF_TRUSTED_ORIGINS``: comma separated origins behind a proxy.
- ``STEWARD_NODE_MODULES``: where ``npm install`` put the front-end libraries.
- ``STEWARD_CURRENCY``: default currency of new amounts (default ``USD``).
- ``STEWARD_MARKDOWN_IMAGE_HOSTS``: hosts Markdown text may show images from (default: none).
- ``STEWARD_SECURITY_DEPARTMENT``, ``STEWARD_LEGAL_DEPARTMENT``, ``STEWARD_CHANGE_RISK``,
  ``STEWARD_CALENDAR_DOMAIN``: change control (approver departments, risk rules, calendar feed).
- ``STEWARD_FX_RATES``, ``STEWARD_INTERNAL_RATE``, ``STEWARD_RENEWAL_LEAD_DAYS``,
  ``STEWARD_RENEWAL_REMINDERS``: money (exchange rates, internal hourly rate, renewal lead time, reminders).
- ``TASKS_BACKEND``: django-tasks backend (default: run immediately; production: the database backend).
- ``SECURE_COOKIES``: send session and CSRF cookies over HTTPS only.
- ``STEWARD_TIME_ZONE``: the company time zone dates and times are shown in (a person may choose their own).
- ``CONN_MAX_AGE``, ``TIME_ZONE`` (the older name of ``STEWARD_TIME_ZONE``), ``LOG_LEVEL``: as in Django.
See docs/configuration.md.
"""

import os
import secrets
from decimal import Decimal, InvalidOperation
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("STEWARD_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG")
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "ninja",  # the API docs page's Swagger UI template and static files, served with the project
    "django_tasks",
    "django_tasks_db",
    "stacksteward.core",
    "stacksteward.org",
    "stacksteward.catalog",
    "stacksteward.intake",
    "stacksteward.changes",
    "stacksteward.finance",
    "stacksteward.stackcode",
    "stacksteward.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "stacksteward.core.middleware.LoginRequiredMiddleware",
    "stacksteward.core.middleware.TimeZoneMiddleware",
]

ROOT_URLCONF = "stacksteward.urls"
WSGI_APPLICATION = "stacksteward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stacksteward.core.context_processors.roles",
            ],
        },
    },
]

SQLITE_BUSY_TIMEOUT = 20  # seconds a write waits for another writer's transaction before it gives up


def sqlite_options() -> dict:
    """How every SQLite connection is opened: write-ahead log (readers never wait for the writer),
    transactions that take the write lock when they begin (so two writers queue instead of failing
    half-way), and a busy timeout, so a slow writer makes others wait, not fail."""
    return {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT,
    }


DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'steward.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(sqlite_options())
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"


def _env_time_zone() -> str:
    """The company's time zone: ``STEWARD_TIME_ZONE`` (or Django's ``TIME_ZONE``), an IANA name."""
    import zoneinfo

    from django.core.exceptions import ImproperlyConfigured

    name = "STEWARD_TIME_ZONE" if os.environ.get("STEWARD_TIME_ZONE") else "TIME_ZONE"
    raw = (os.environ.get(name) or "UTC").strip()
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name} must be a time zone name such as Europe/Berlin, not {raw!r}.") from None
    return raw


# Dates and times are shown in the company's zone, or in a person's own (``org.Person.time_zone``; the
# ``core.middleware.TimeZoneMiddleware`` activates it per request). Stored times are always UTC.
TIME_ZONE = _env_time_zone()
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = Path(os.environ.get("STEWARD_NODE_MODULES", PROJECT_DIR / "node_modules"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Front-end libraries installed by npm (package.json), served under static/vendor/<name>/.
for _prefix, _folder in {"cytoscape": "cytoscape/dist", "cytoscape-fcose": "cytoscape-fcose",
                         "cose-base": "cose-base", "layout-base": "layout-base"}.items():
    if (NODE_MODULES / _folder).is_dir():
        STATICFILES_DIRS.append((f"vendor/{_prefix}", NODE_MODULES / _folder))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = _env_bool("SECURE_COOKIES")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Paging for lists in UI and API.
STEWARD_PAGE_SIZE = 50
STEWARD_MAX_PAGE_SIZE = 500
STEWARD_CURRENCY = os.environ.get("STEWARD_CURRENCY", "USD")
# Hosts Markdown fields may load images from (comma separated); any other image shows its alt text only.
STEWARD_MARKDOWN_IMAGE_HOSTS = [h.strip() for h in os.environ.get("STEWARD_MARKDOWN_IMAGE_HOSTS", "").split(",")
                                if h.strip()]


def _env_json_dict(name: str) -> dict:
    """A JSON object from the environment (empty when unset); tier numbers as keys become integers."""
    import json

    from django.core.exceptions import ImproperlyConfigured

    raw = os.environ.get(name, "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object such as {{\"high_at\": 7}}.")
    if isinstance(value.get("tier_points"), dict):
        value["tier_points"] = {int(k): v for k, v in value["tier_points"].items()}
    return value


# Change control (docs/changes.md). The departments the impact rules add as approvers, by slug (empty: the
# first IT, resp. Legal, department by name); risk rules overriding changes.risk.DEFAULT_RULES; the host
# name in the calendar feed's event ids.
STEWARD_SECURITY_DEPARTMENT = os.environ.get("STEWARD_SECURITY_DEPARTMENT", "")
STEWARD_LEGAL_DEPARTMENT = os.environ.get("STEWARD_LEGAL_DEPARTMENT", "")
STEWARD_CHANGE_RISK = _env_json_dict("STEWARD_CHANGE_RISK")
STEWARD_CALENDAR_DOMAIN = os.environ.get("STEWARD_CALENDAR_DOMAIN", "stacksteward")


def _env_decimal(name: str, default: str) -> Decimal:
    """A non-negative decimal from the environment; anything else stops the start naming the variable."""
    from django.core.exceptions import ImproperlyConfigured

    raw = os.environ.get(name, "").strip() or default
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name} must be a number such as {default}, not {raw!r}.") from None
    if not value.is_finite() or value < 0:
        raise ImproperlyConfigured(f"{name} must be a number of zero or more, not {raw!r}.")
    return value


def _env_days(name: str, default: str, *, single: bool = False):
    """Comma-separated whole numbers of days (zero or more) from the environment; ``single``: exactly one."""
    from django.core.exceptions import ImproperlyConfigured

    raw = os.environ.get(name)
    items = _env_list(name, default) if raw is None or raw.strip() else []
    try:
        days = [int(item) for item in items]
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be whole numbers of days such as {default}, not {raw!r}.") from None
    if any(day < 0 for day in days):
        raise ImproperlyConfigured(f"{name} cannot hold negative days: {raw!r}.")
    if single:
        if len(days) != 1:
            raise ImproperlyConfigured(f"{name} must be one whole number of days such as {default}, not {raw!r}.")
        return days[0]
    return days


def _env_fx_rates(name: str) -> dict[str, Decimal]:
    """``{"EUR": "1.08"}``: units of ``STEWARD_CURRENCY`` per unit of each other currency."""
    from django.core.exceptions import ImproperlyConfigured

    rates = {}
    for code, rate in _env_json_object(name, '{"EUR": "1.08"}').items():
        try:
            value = Decimal(str(rate))
        except InvalidOperation:
            value = None
        if len(code) != 3 or not code.isalpha() or value is None or not value.is_finite() or value <= 0:
            raise ImproperlyConfigured(f"{name}: {code!r}: {rate!r} is not a rate; give three-letter currency codes "
                                       'and positive numbers, e.g. {"EUR": "1.08"}.')
        rates[code.upper()] = value
    return rates


def _env_json_object(name: str, example: str) -> dict:
    import json

    from django.core.exceptions import ImproperlyConfigured

    raw = os.environ.get(name, "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object such as {example}.")
    return value


# Money (docs/finance.md). Exchange rates into STEWARD_CURRENCY (a currency without a rate is never mixed into
# totals); the hourly rate internal effort is priced at; how many days before a notice deadline a contract is
# "up for renewal"; the days before the deadline the owners are reminded.
STEWARD_FX_RATES = _env_fx_rates("STEWARD_FX_RATES")
STEWARD_INTERNAL_RATE = _env_decimal("STEWARD_INTERNAL_RATE", "80")
STEWARD_RENEWAL_LEAD_DAYS = _env_days("STEWARD_RENEWAL_LEAD_DAYS", "120", single=True)
STEWARD_RENEWAL_REMINDERS = _env_days("STEWARD_RENEWAL_REMINDERS", "120,60,30,7")
