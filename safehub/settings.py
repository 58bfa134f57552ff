"""Safehub settings: one module, driven by environment variables.

Secure by default: DEBUG is off, SECRET_KEY must be given to serve web requests outside tests
and demo mode (offline commands make up their own: ADR 0013), ALLOWED_HOSTS must be set.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

from safehub import entrypoint

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() not in {"true", "false"}:
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {value!r}")
    return value.lower() == "true"


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_secret(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
            raise ImproperlyConfigured(f"{name}_FILE names {path}, which cannot be read: {reason}") from None
    return os.environ.get(name, default)


TESTING = env_bool("SAFEHUB_TESTING")
DEMO_MODE = env_bool("SAFEHUB_DEMO")
DEBUG = env_bool("DEBUG")

_secret = env_secret("SECRET_KEY")
SECRET_KEY_IS_EPHEMERAL = False  # a key made up for this process alone (an offline command's)
if not _secret:
    if TESTING or DEMO_MODE or DEBUG:
        _secret = "insecure-key-for-tests-and-demo-only-" + "x" * 32
    elif not entrypoint.serves_web_requests:
        # A command that serves no web request signs nothing that outlives it (ADR 0013).
        _secret = secrets.token_urlsafe(50)
        SECRET_KEY_IS_EPHEMERAL = True
    else:
        raise ImproperlyConfigured("Set SECRET_KEY (or SECRET_KEY_FILE) to serve Safehub.")
SECRET_KEY: str = _secret

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]
if TESTING or DEMO_MODE or DEBUG:
    ALLOWED_HOSTS += ["localhost", "127.0.0.1", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "template_partials",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "safehub.core",
    "safehub.accounts",
    "safehub.audit",
    "safehub.mfa",
    "safehub.signin",
    "safehub.protocols",
    "safehub.people",
    "safehub.matching",
    "safehub.contacts",
    "safehub.handoffs",
    "safehub.screening",
    "safehub.sharing",
    "safehub.decisions",
    "safehub.checks",
    "safehub.consultations",
    "safehub.strategy",
    "safehub.meetings",
    "safehub.domestic_abuse",
    "safehub.information_requests",
    "safehub.consent",
    "safehub.letters",
    "safehub.casework",
    "safehub.onward",
    "safehub.returns",
    "safehub.partner_outcomes",
    "safehub.queues",
    "safehub.reports",
    "safehub.pages",
    "safehub.outbox",
    "safehub.users",
    "safehub.demo",
    "safehub.benchmarks",
    "safehub.operations",  # backups and restore drills (ADR 0030)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "safehub.signin.middleware.SessionLimitsMiddleware",
    "safehub.mfa.middleware.SecondStepRequiredMiddleware",  # a password-only session reaches only the second step
    "safehub.audit.reads.ReadAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "safehub.core.middleware.MethodNotAllowedPageMiddleware",
    "safehub.core.middleware.NoStoreMiddleware",
]
# The load benchmark's server reports each page's CPU time and queries (core.middleware); never in production.
SERVER_TIMING = env_bool("SAFEHUB_SERVER_TIMING")
if SERVER_TIMING:
    MIDDLEWARE.insert(0, "safehub.core.middleware.ServerTimingMiddleware")

ROOT_URLCONF = "safehub.urls"
WSGI_APPLICATION = "safehub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "safehub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "safehub.core.context_processors.safehub",
                "safehub.queues.navigation.navigation",
            ],
            # Days, times and NHS numbers in one format on every page (core.templatetags.shown).
            "builtins": ["safehub.core.templatetags.shown"],
        },
    },
]
FORM_RENDERER = "safehub.core.renderers.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'safehub.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # A writer waits up to 20 s for another's transaction to end, never raising "database is
        # locked" sooner: `timeout` sets the wait, and busy_timeout must not cut it short again.
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["safehub.accounts.backends.AccountsBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "queues:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# The worker rebuilds and checks each statutory return once a night (issue 16). An installation that
# rebuilds them elsewhere turns it off; tests do too, but for the test of the rebuild itself.
REBUILD_RETURNS_NIGHTLY = env_bool("SAFEHUB_REBUILD_RETURNS_NIGHTLY", default=not TESTING)

# The worker keeps the performance lead's usual dashboards counted (reports.kept, ADR 0043); tests do not,
# but for the test of it.
KEEP_DASHBOARDS = env_bool("SAFEHUB_KEEP_DASHBOARDS", default=not TESTING)

PASSWORD_HASHERS = [
    "safehub.signin.hashers.OneLaneArgon2PasswordHasher",  # Argon2id, 100 MB, 2 passes, one core (ADR 0023)
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    # Django's rules, in the product's words (safehub.signin.passwords)
    {"NAME": "safehub.signin.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "safehub.signin.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "safehub.signin.passwords.CommonPasswordValidator"},
    {"NAME": "safehub.signin.passwords.NumericPasswordValidator"},
    {"NAME": "safehub.signin.passwords.GuessablePatternValidator"},  # Summer2026!! (ADR 0023)
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "safehub" / "static"]  # GOV.UK Frontend and our own CSS/JS
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (TESTING or DEBUG or DEMO_MODE)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG or DEMO_MODE
# In tests every test client builds the middleware again, and WhiteNoise listing every static file
# through the finders each time cost 0.2 s a client; looking a file up when it is asked for costs
# nothing for the pages, which is all but a few tests ask for.
WHITENOISE_AUTOREFRESH = TESTING

# Sessions: short idle timeout, cookies for HTTPS only outside demo/test.
SESSION_IDLE_TIMEOUT_SECONDS = env_int("SESSION_IDLE_TIMEOUT_SECONDS", 30 * 60)
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
_https = env_bool("SAFEHUB_HTTPS", default=not (TESTING or DEMO_MODE or DEBUG))
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https
SECURE_HSTS_SECONDS = 31536000 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SAFEHUB_BEHIND_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

# The demo prints no email: it keeps them for the Outbox page and writes each to OUTBOX_DIR (safehub/outbox).
EMAIL_BACKEND = (
    "django.core.mail.backends.locmem.EmailBackend"
    if TESTING
    else os.environ.get("EMAIL_BACKEND")
    or ("safehub.outbox.backends.OutboxEmailBackend" if DEMO_MODE else "django.core.mail.backends.console.EmailBackend")
)
OUTBOX_DIR = Path(os.environ.get("SAFEHUB_OUTBOX_DIR") or BASE_DIR / "demo-outbox")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "safehub@localhost")
# Safehub's own address, for the links in its emails ("https://safehub.example.gov.uk"); none if unset.
SITE_URL = os.environ.get("SAFEHUB_SITE_URL", "").strip().rstrip("/")
# SMTP, for EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# GOV.UK Notify, for EMAIL_BACKEND=safehub.core.notify.NotifyEmailBackend (safehub/core/notify.py).
NOTIFY_API_KEY = env_secret("NOTIFY_API_KEY") or ""
NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", "")
# The template for emails with a file (((subject)), ((body)) and ((link_to_file))): GP requests, referral packs.
NOTIFY_FILE_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_FILE_EMAIL_TEMPLATE_ID", "")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")

# Fields never copied into audit data.
AUDIT_EXCLUDED_FIELDS = frozenset({"narrative", "password", "notes", "summary", "rationale"})

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, 404: any 4xx) is one line, without a traceback; a 500 keeps its traceback.
    # A server error's traceback quotes no submitted value (core.request_log.ServerErrorFilter).
    "filters": {
        "refused_requests": {"()": "safehub.core.request_log.RefusedRequestFilter"},
        "server_errors": {"()": "safehub.core.request_log.ServerErrorFilter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["refused_requests", "server_errors"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# User management (safehub.users, ADR 0026). The Django admin is off unless turned on: Safehub's own
# audited pages manage users, roles, agencies and teams. It is on by default only for development
# (DEBUG) and the demo; when off, every address under /admin/ answers 404.
SAFEHUB_ADMIN_ENABLED = env_bool("SAFEHUB_ADMIN_ENABLED", default=DEBUG or DEMO_MODE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "safehub.users.middleware.AdminSwitchMiddleware",
)

# Two-step sign-in (safehub.mfa, ADR 0024): an authenticator app's code after the password.
# Wrong codes in a row before the second step locks until an administrator unlocks it.
MFA_MAX_FAILED_CODES = env_int("MFA_MAX_FAILED_CODES", 10)
if MFA_MAX_FAILED_CODES < 1:
    raise ImproperlyConfigured("MFA_MAX_FAILED_CODES must be at least 1")
OTP_TOTP_ISSUER = "Safehub"  # the name the authenticator app shows beside the code

# Audit trail: the chain's key and its checkpoints outside the database (ADR 0025). The key is one
# line, or in a file several (the first signs new entries; the rest are earlier keys, kept so that
# what they signed still verifies). Only processes that write or verify the trail use it; a web
# server refuses to start without it, an offline command only when it comes to the trail.
AUDIT_KEY_MIN_LENGTH = 32
AUDIT_KEYS: tuple[str, ...] = tuple(
    line.strip()
    for line in (env_secret("SAFEHUB_AUDIT_KEY") or "").splitlines()
    if line.strip() and not line.strip().startswith("#")
)
if any(len(key) < AUDIT_KEY_MIN_LENGTH for key in AUDIT_KEYS):
    raise ImproperlyConfigured(
        f"SAFEHUB_AUDIT_KEY must be at least {AUDIT_KEY_MIN_LENGTH} characters a key; make one with"
        " python3 -c 'import secrets; print(secrets.token_hex(32))'"
    )
if not AUDIT_KEYS and entrypoint.serves_web_requests and not TESTING:
    raise ImproperlyConfigured(
        "Set SAFEHUB_AUDIT_KEY (or SAFEHUB_AUDIT_KEY_FILE) to serve Safehub: every entry in the audit trail is"
        " signed with it (./run start makes one for the demo)."
    )
_checkpoint_dir = os.environ.get("SAFEHUB_AUDIT_CHECKPOINT_DIR", "")
AUDIT_CHECKPOINT_DIR: Path | None = Path(_checkpoint_dir) if _checkpoint_dir else None

# Leaks: children's details kept out of web addresses and logs.
# A person or contact search is kept on the server (core.searches) this long; its address holds only an id.
SEARCH_KEPT_SECONDS = env_int("SAFEHUB_SEARCH_KEPT_SECONDS", 60 * 60)
# Error reports (the debug page, emailed reports) show no submitted value, query value, variable or message.
DEFAULT_EXCEPTION_REPORTER = "safehub.core.error_reports.ChildSafeExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "safehub.core.error_reports.EverythingSubmittedHiddenFilter"

# Sign-in: guessing limits and session lifetimes (ADR 0023).
# An account locks after this many failed sign-ins in a row, until an administrator unlocks it.
SIGN_IN_LOCKOUT_FAILURES = env_int("SIGN_IN_LOCKOUT_FAILURES", 10)
# A client address is refused for the rest of a window once this many sign-ins from it have failed in it.
SIGN_IN_CLIENT_FAILURES = env_int("SIGN_IN_CLIENT_FAILURES", 30)
SIGN_IN_CLIENT_WINDOW_SECONDS = env_int("SIGN_IN_CLIENT_WINDOW_SECONDS", 15 * 60)
# How many proxies in front of Safehub append to X-Forwarded-For; 0 (the default) ignores the header.
SAFEHUB_TRUSTED_PROXIES = env_int("SAFEHUB_TRUSTED_PROXIES", 0)
# A session ends this long after signing in, however active (the idle timeout ends it sooner).
SESSION_ABSOLUTE_LIFETIME_SECONDS = env_int("SESSION_ABSOLUTE_LIFETIME_SECONDS", 10 * 60 * 60)
# At most this many password checks run at once on one machine; a sign-in finding them all busy is
# refused at once (signin.slots). Lock files go in SIGN_IN_SLOTS_DIR (default: the temporary directory).
# A sign-in that finds every slot busy waits this long for one before it is refused: a check takes a few
# tenths of a second, so two colleagues pressing "Sign in" together both get in (none while testing).
SIGN_IN_CONCURRENT_CHECKS = env_int("SIGN_IN_CONCURRENT_CHECKS", 1)
SIGN_IN_SLOT_WAIT_MS = env_int("SIGN_IN_SLOT_WAIT_MS", 0 if TESTING else 1000)
SIGN_IN_SLOTS_DIR = os.environ.get("SIGN_IN_SLOTS_DIR", "")
if TESTING and not SIGN_IN_SLOTS_DIR:
    # Each test process its own slots: parallel test workers' sign-ins must not refuse each other.
    SIGN_IN_SLOTS_DIR = str(Path(tempfile.gettempdir()) / f"safehub-test-sign-in-slots-{os.getpid()}")
# The cookie must outlive the session it carries.
SESSION_COOKIE_AGE = max(SESSION_COOKIE_AGE, SESSION_ABSOLUTE_LIFETIME_SECONDS)
for _name in (
    "SIGN_IN_LOCKOUT_FAILURES",
    "SIGN_IN_CLIENT_FAILURES",
    "SIGN_IN_CLIENT_WINDOW_SECONDS",
    "SESSION_ABSOLUTE_LIFETIME_SECONDS",
    "SIGN_IN_CONCURRENT_CHECKS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be 1 or more")
if SAFEHUB_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("SAFEHUB_TRUSTED_PROXIES must be 0 or more")
