"""Interview Desk settings: one module, driven by environment variables.

Every value read from the environment is validated here, at start-up, so a typo in a deployment fails
loudly instead of running with a silently wrong configuration.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envsecret(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the file named by NAME_FILE (how container secrets are mounted)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as e:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {e}") from None
    return os.environ.get(name, default)


DEBUG = envbool("DEBUG", "false")

SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not envbool("ALLOW_INSECURE_SECRET_KEY", "false"):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it (or SECRET_KEY_FILE), or run with DEBUG=true for development."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
elif len(SECRET_KEY) < 32 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long in production.")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names the app is served on.")
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]


def database_from_env() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return _sqlite(BASE_DIR / "db.sqlite3")
    if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// or sqlite://, got {url.split(':')[0]!r}"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=envint("DB_CONN_MAX_AGE", "60"))
    except ValueError as e:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be parsed: {e}") from None
    if config["ENGINE"].endswith("sqlite3"):
        return _sqlite(config["NAME"])
    config["CONN_HEALTH_CHECKS"] = True
    # The planner's price of a random page read against a sequential one (PostgreSQL's default
    # is 4, for spinning disks). The app's tables are read from memory or SSD, where 1.1 is the
    # usual value: at 4 the dashboard scanned all interviews instead of following an
    # interviewer's own few through their index (README, Performance). Empty keeps the server's.
    page_cost = os.environ.get("DB_RANDOM_PAGE_COST", "1.1").strip()
    if page_cost:
        try:
            valid = 0 < float(page_cost) < 1000
        except ValueError:
            valid = False
        if not valid:
            raise ImproperlyConfigured(
                f"DB_RANDOM_PAGE_COST must be a positive number, got {page_cost!r}"
            )
        config.setdefault("OPTIONS", {})["options"] = f"-c random_page_cost={page_cost}"
    # Prepared statements: psycopg prepares a query the Nth time one connection runs it (it needs
    # server-side binding to), and PostgreSQL stops planning it again at every request. Planning
    # the app's frequent statements cost more than running them (the autosave's UPDATE: 0.8 ms
    # to plan, 0.2 to run). Empty turns them off, for a pooler that cannot keep them.
    if os.environ.get("DB_PREPARE_THRESHOLD", "5").strip():
        threshold = envint("DB_PREPARE_THRESHOLD", "5")
        config.setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=threshold
        )
    return config


def _sqlite(name) -> dict:
    # WAL lets readers work while a write commits; IMMEDIATE takes the write lock up front, so
    # concurrent writers wait for it (busy timeout) instead of failing with "database is locked".
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        # Kept open between requests, as for PostgreSQL: opening one and setting its pragmas cost
        # about 0.3 ms, a sixth of a whole logged-in request (bench/dashboard.py).
        "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", "60"),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": database_from_env()}


def cache_from_env() -> dict:
    """REDIS_URL: a cache all processes share, for the two things the app counts there (an
    interviewer's audit window, a browser's API calls). Unset, each process keeps its own, as in
    development: a few audit rows more per window, a browser's limit counted per worker. Either
    way a cache that does not answer costs a row too many, never a missing one
    (interviews/models.py, api/auth.py); its timeouts keep it to half a second."""
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix://, got {url.split(':')[0]!r}"
        )
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "interview-desk",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


CACHES = {"default": cache_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    # Swagger UI's assets ship inside django-ninja: listed here so they are served from our static
    # files (no CDN), and the docs page renders ninja/swagger.html.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "accounts",
    "questionbank",
    "interviews",
    "api",
    "integrations",
]

MIDDLEWARE = [
    "config.health.HealthCheckMiddleware",
    "config.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
    "config.security.SafeMethodsMiddleware",
    # Up here, not at the bottom, so responses made by the middleware below (a 400 for a bad
    # Host header, a CSRF refusal) cannot be framed either.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files keep their caching headers, everything else is never stored.
    "config.security.PrivateNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as axes asks: it turns a lockout that a login view met into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

_TEMPLATE_LOADERS = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
if not DEBUG:
    _TEMPLATE_LOADERS = [("django.template.loaders.cached.Loader", _TEMPLATE_LOADERS)]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Partials ("page.html#fragment") are found by wrapping the usual loaders.
            "loaders": [("template_partials.loader.Loader", _TEMPLATE_LOADERS)],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.user_roles",
                "config.context_processors.page_defaults",
            ],
            "builtins": [
                "template_partials.templatetags.partials",
                "interviews.templatetags.interviews",
            ],
        },
    },
    # The live view only (config/jinja.py says why); its templates are under templates/jinja2/.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "OPTIONS": {"environment": "config.jinja.environment"},
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# axes first: it refuses a locked (account name, address) pair before any password is checked.
# Then Django's own backend and database sessions, each with its per-request read in plain SQL.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.ModelBackend"]
SESSION_ENGINE = "accounts.sessions"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"


def envaddresses(name: str) -> list[str]:
    """A comma-separated list of IP addresses or networks (10.0.0.0/8)."""
    values = [v.strip() for v in os.environ.get(name, "").split(",") if v.strip()]
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {value!r} is not an IP address or network"
            ) from None
    return values


# The reverse proxies in front of the app. A request whose direct peer is one of them is from the
# right-most address in X-Forwarded-For that is not (accounts/client.py); empty: REMOTE_ADDR.
TRUSTED_PROXIES = envaddresses("TRUSTED_PROXIES")

# Login throttling (django-axes; the rules are in accounts/lockout.py).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", "15")
LOGIN_LOCKOUT_MAX_HOURS = envint("LOGIN_LOCKOUT_MAX_HOURS", "24")
if AXES_FAILURE_LIMIT < 1 or LOGIN_LOCKOUT_MINUTES < 1 or LOGIN_LOCKOUT_MAX_HOURS < 1:
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT and the LOGIN_LOCKOUT_* values must be at least 1."
    )
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.handlers.AxesHandler"
AXES_COOLOFF_TIME = "accounts.lockout.cool_off"
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.username"
AXES_CLIENT_IP_CALLABLE = "accounts.client.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Successful logins are not kept: the request log already says who came in, and when.
AXES_DISABLE_ACCESS_LOG = True
# No start-up banner on every manage.py command; failures are still logged (user, address).
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The hiring-summary thresholds (interviews/summary.py explains each). Submitted scorecards keep the
# summary computed with the rules of their day; bump "version" whenever you change a threshold.
INTERVIEW_SUMMARY_RULES = {
    "version": "2",
    "strong": 3.5,
    "meets": 3.0,
    "partial": 2.0,
    "min_assessed": 0.6,
}
# Off by default. When on, the level estimate reads each score against its interviewer's measured
# severity, from the latest analytics snapshot when the scorecard is submitted (which does not yet
# hold it); the summary and the debrief say so, with the size of the correction.
INTERVIEW_CORRECT_SEVERITY = envbool("INTERVIEW_CORRECT_SEVERITY", "false")

# The REST API (api/), webhooks, reminders and background tasks (integrations/); README, "API".
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Calls per API key (or per logged-in user) in each fixed window of API_RATE_WINDOW seconds.
API_RATE_LIMIT = envint("API_RATE_LIMIT", "600")
API_RATE_WINDOW = envint("API_RATE_WINDOW", "60")
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200
WEBHOOK_TIMEOUT_SECONDS = envint("WEBHOOK_TIMEOUT_SECONDS", "5")
WEBHOOK_MAX_ATTEMPTS = envint("WEBHOOK_MAX_ATTEMPTS", "10")
WEBHOOK_RETRY_BASE_SECONDS = envint("WEBHOOK_RETRY_BASE_SECONDS", "30")
WEBHOOK_RETRY_MAX_SECONDS = envint("WEBHOOK_RETRY_MAX_SECONDS", "3600")
# After "Rotate secret" the old secret also signs for this long, while the receiver switches.
WEBHOOK_SECRET_OVERLAP_HOURS = envint("WEBHOOK_SECRET_OVERLAP_HOURS", "24")
# Receivers on loopback or private networks: for development and for an ATS on the same network.
WEBHOOK_ALLOW_PRIVATE = envbool("WEBHOOK_ALLOW_PRIVATE", "true" if DEBUG else "false")
SCORECARD_DUE_HOURS = envint("SCORECARD_DUE_HOURS", "24")
SCORECARD_REMINDER_FIRST_MINUTES = envint("SCORECARD_REMINDER_FIRST_MINUTES", "60")
SCORECARD_REMINDER_EVERY_HOURS = envint("SCORECARD_REMINDER_EVERY_HOURS", "24")
SCORECARD_REMINDER_LIMIT = envint("SCORECARD_REMINDER_LIMIT", "5")
# django-tasks-db: the database backend django-tasks 0.12 split out; `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Interview Desk <noreply@localhost>")
# The share of an interview's duration kept free of questions, for the introduction and the
# candidate's own questions (interviews/planner.py, rule 1). At least 10 %, at most 50 %.
_PLAN_BUFFER_PERCENT = envint("INTERVIEW_PLAN_BUFFER_PERCENT", "10")
if not 10 <= _PLAN_BUFFER_PERCENT <= 50:
    raise ImproperlyConfigured(
        f"INTERVIEW_PLAN_BUFFER_PERCENT must be between 10 and 50, got {_PLAN_BUFFER_PERCENT}"
    )
INTERVIEW_PLAN_BUFFER = _PLAN_BUFFER_PERCENT / 100

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    # No inline styles in our pages; config.security relaxes this for the Django admin only.
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# The Django admin sets style attributes (collapsed fieldsets, widgets): its pages only.
CONTENT_SECURITY_POLICY_ADMIN = CONTENT_SECURITY_POLICY | {"style-src": "'self' 'unsafe-inline'"}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", "false" if DEBUG else "true")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
# Only sent when SECURE_HSTS_SECONDS is set; turn off for a domain with plain-HTTP subdomains.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"error_log": {"()": "config.request_log.ErrorLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Our structured request log replaces Django's own (which logs full URLs with queries).
        "interview_desk.requests": {
            "level": "INFO" if envbool("REQUEST_LOG", "true") else "WARNING",
            "propagate": True,
        },
        "django.request": {"level": "ERROR", "filters": ["error_log"]},
        "django.server": {"level": "WARNING"},
        # Failures and lockouts (WARNING) stay; not the INFO line axes writes for every login.
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}
