"""Dalil settings: one module, read from the environment, with an embedded default.

With no environment at all Dalil runs on SQLite under var/, runs Celery tasks
eagerly and keeps files on local disk. DATABASE_URL, REDIS_URL and the DALIL_*
variables (docs/configuration.md lists them all) switch it to production services.
"""

import os
import secrets
import sys
import warnings
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DALIL_DATA_DIR") or BASE_DIR / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)

# pytest sets PYTEST_VERSION before it imports anything of ours.
TESTING = "PYTEST_VERSION" in os.environ or "pytest" in sys.modules
DEBUG = env_bool("DALIL_DEBUG", False)
EMBEDDED = not os.environ.get("DATABASE_URL")


def _dev_secret_key() -> str:
    path = DATA_DIR / "dev-secret-key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
        if not TESTING:
            warnings.warn(f"DALIL_SECRET_KEY is not set: made a development key at {path}. Never use it in production.")
    return path.read_text().strip()


SECRET_KEY = env_str("DALIL_SECRET_KEY")
if not SECRET_KEY:
    # A production install (debug off, a real database) must bring its own key.
    if DEBUG or EMBEDDED or TESTING:
        SECRET_KEY = _dev_secret_key()
    else:
        raise ImproperlyConfigured("DALIL_SECRET_KEY (or DALIL_SECRET_KEY_FILE) must be set when DALIL_DEBUG is off.")

ALLOWED_HOSTS = env_list("DALIL_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if (DEBUG or EMBEDDED) else [])
CSRF_TRUSTED_ORIGINS = env_list("DALIL_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "common",
    "keys",
    "accounts",
    "audit",
    "cases",
    "evidence",
    "referrals",
    "patterns",
    "patterns.estimation",
    "intake",
    "casework",
    "retention",
    "ops",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cases.drafts.DraftMiddleware",  # before CSRF: an oversized or signed-out form is kept (cases/drafts.py)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PrivateResponseMiddleware",  # no-store, private for signed-in users and the API
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

# bench/load.py: each response says its server time, query count and database time (ops/timing.py).
if env_bool("DALIL_SERVER_TIMING", False):
    MIDDLEWARE.insert(0, "ops.timing.ServerTimingMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "casework.context.navigation",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
if EMBEDDED:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "dalil.sqlite3",
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
            # failing with "database is locked" half-way through a transaction.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
else:
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=env_int("DALIL_DB_CONN_MAX_AGE", 60))}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters are sent apart from the SQL, and a statement run a second time on a connection is prepared:
    # PostgreSQL parses and plans it once instead of on every request (about 60% of its CPU per page; bench/load.py).
    # Set DALIL_DB_PREPARED=false behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode).
    if env_bool("DALIL_DB_PREPARED", True):
        DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}
    if os.environ.get("DALIL_TEST_DATABASE_NAME"):
        # CI points its Celery worker at this name, so the tests and the worker share one database.
        DATABASES["default"]["TEST"] = {"NAME": os.environ["DALIL_TEST_DATABASE_NAME"]}

# --- Authentication -------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",  # django-axes first, so a locked-out user is refused before the password is checked
    "accounts.backends.UserBackend",  # ModelBackend; its get_user also brings roles and enrolment (one query)
    "django_otp_webauthn.backends.WebAuthnBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous visitors never hold grants

# --- Sessions and cookies -------------------------------------------------
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_AGE = env_int("DALIL_SESSION_IDLE_MINUTES", 30) * 60
# The age above is an idle timeout. accounts.middleware.SessionRenewalMiddleware renews it at most
# once a minute of activity (not a database write on every page), so a session ends 29 to 30 minutes
# after its last request.
SESSION_SAVE_EVERY_REQUEST = False
DALIL_SESSION_RENEW_SECONDS = env_int("DALIL_SESSION_RENEW_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
SECURE_COOKIES = env_bool("DALIL_SECURE_COOKIES", not (DEBUG or EMBEDDED or TESTING))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("DALIL_SSL_REDIRECT", False)
DALIL_BEHIND_PROXY = env_bool("DALIL_BEHIND_PROXY", False)
# How many reverse proxies, each appending to X-Forwarded-For, stand before Dalil (audit.middleware.client_ip).
DALIL_TRUSTED_PROXIES = max(1, env_int("DALIL_TRUSTED_PROXIES", 1))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if DALIL_BEHIND_PROXY else None
SECURE_HSTS_SECONDS = env_int("DALIL_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # one date style per language: "1 Dec 2026", "1 декабря 2026 г."
TIME_ZONE = env_str("DALIL_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_root"  # filled by `make build` (collectstatic); only read at run time
if not STATIC_ROOT.exists():
    STATIC_ROOT.mkdir()  # whitenoise warns on every start when it is missing
MEDIA_ROOT = Path(env_str("DALIL_MEDIA_ROOT") or DATA_DIR / "blobs")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(MEDIA_ROOT)}},
    # Hashed names (served with a one-year cache lifetime) from the manifest that `make build` writes;
    # not strict, so that the embedded default serves unhashed names through the finders before a build.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage" if not (DEBUG or TESTING) else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_MANIFEST_STRICT = False
WHITENOISE_USE_FINDERS = DEBUG or TESTING or EMBEDDED
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Celery ---------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env_str("DALIL_CELERY_QUEUE", "dalil")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# An unacknowledged task (its worker died) is handed to another worker after this many seconds;
# it must exceed the longest task, or a slow task would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("DALIL_BROKER_VISIBILITY_TIMEOUT", 3600),
    # How often a worker looks for such abandoned tasks (kombu's default: about every 100 s).
    "unacked_restore_interval": env_int("DALIL_BROKER_RESTORE_SECONDS", 10),
    "unacked_restore_throttle": 1 if os.environ.get("DALIL_BROKER_RESTORE_SECONDS") else 10,
}
CELERY_BEAT_SCHEDULE: dict = {
    "ops-beat-heartbeat": {"task": "ops.beat_heartbeat", "schedule": 60.0},
}

# --- Cache ----------------------------------------------------------------
# Never cache anything that holds testimony; the cache serves rate limits and locks only.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL and not TESTING
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DALIL_LOG_LEVEL", "INFO")},
    # Pillow logs every metadata tag it reads or writes at DEBUG (a photo's GPS position, its camera): never.
    "loggers": {"PIL": {"level": "WARNING"}},
}

# --- Dalil ----------------------------------------------------------------
DALIL_DEMO_PASSWORD = env_str("DALIL_DEMO_PASSWORD", "dalil-demo-password")
DALIL_MAX_TEXT_LENGTH = 20_000

# --- Referrals (referrals/, docs/referrals.md) -------------------------------
# The sender named in every dossier, and how long a queued or running build may go
# without a heartbeat before the page offers to retry it (its worker died).
DALIL_ORGANISATION_NAME = env_str("DALIL_ORGANISATION_NAME", "Dalil")
DALIL_REFERRAL_BUILD_STALE_SECONDS = env_int("DALIL_REFERRAL_BUILD_STALE_SECONDS", 300)

# --- Patterns: statistics, published lists, duplicates (docs/patterns.md) ---
# Counts below this are shown as "<k" in every export, so that a count cannot single out a person.
DALIL_SMALL_CELL_K = env_int("DALIL_SMALL_CELL_K", 5)
# Key for the research export's pseudonymous ids (HMAC-SHA256); defaults to one derived from SECRET_KEY.
DALIL_RESEARCH_PSEUDONYM_KEY = env_str("DALIL_RESEARCH_PSEUDONYM_KEY", "")
# Largest published-list file accepted for import.
DALIL_LIST_MAX_BYTES = env_int("DALIL_LIST_MAX_BYTES", 20 * 1024 * 1024)
# An XLSX list is a zip: what it may unpack to in all, checked from the zip's directory before parsing.
DALIL_LIST_MAX_UNPACKED_BYTES = env_int("DALIL_LIST_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
DALIL_LIST_MAX_ROWS = env_int("DALIL_LIST_MAX_ROWS", 200_000)

# --- Access and account security (docs/access.md) -------------------------
# Roles whose members must sign in with a second factor: role names (accounts/roles.py) or "everyone".
# A member without one is sent to enrolment, not in. Unset (None): the roles declared with
# second_factor=True in accounts/roles.py (legal and admin).
DALIL_2FA_REQUIRED_FOR = env_list("DALIL_2FA_REQUIRED_FOR", None)
# Admins must have, and sign in with, a WebAuthn security key or passkey (phishing-resistant).
DALIL_ADMIN_REQUIRE_SECURITY_KEY = env_bool("DALIL_ADMIN_REQUIRE_SECURITY_KEY", False)
# Changing access, exporting and similar need a password entered this recently.
DALIL_RECENT_LOGIN_MINUTES = env_int("DALIL_RECENT_LOGIN_MINUTES", 10)
DALIL_INVITE_DAYS = env_int("DALIL_INVITE_DAYS", 3)
# Adding, replacing or removing a second factor, and new backup codes, need a session verified with an
# existing factor and a password typed this recently (accounts/gate.py).
DALIL_2FA_CHANGE_RECENT_MINUTES = env_int("DALIL_2FA_CHANGE_RECENT_MINUTES", 5)
# A user's first second factor is set up from a one-time link an admin issues; it expires after this.
DALIL_2FA_ENROLMENT_LINK_HOURS = env_int("DALIL_2FA_ENROLMENT_LINK_HOURS", 72)
PASSWORD_RESET_TIMEOUT = DALIL_INVITE_DAYS * 24 * 3600  # the one-time set-password link of an invitation

# Refusals (404/403) and wrong second-factor codes of one signed-in user: this many within this many minutes
# raise an alert for admins on the audit page and on that user's page (audit/denials.py).
DALIL_DENIAL_ALERT_COUNT = env_int("DALIL_DENIAL_ALERT_COUNT", 10)
DALIL_DENIAL_ALERT_MINUTES = env_int("DALIL_DENIAL_ALERT_MINUTES", 60)

# django-axes: lock a username, and separately a client address, after repeated failures.
AXES_FAILURE_LIMIT = env_int("DALIL_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("DALIL_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_CLIENT_IP_CALLABLE = "audit.middleware.client_ip"  # the one rule for the client's address (behind nginx too)
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "audit.middleware.client_ip"  # the one rule for the client address, behind the proxy too
LOGGING.setdefault("loggers", {})["axes"] = {"level": "WARNING"}  # lockouts are audited; not every success

# django-otp: TOTP apps, one-time backup codes, WebAuthn security keys and passkeys.
OTP_TOTP_ISSUER = env_str("DALIL_OTP_ISSUER", "Dalil")
# The relying party is the site's host name, from DALIL_ALLOWED_HOSTS unless set: browsers refuse security
# keys at an IP address, so in development they work at http://localhost:8000 (not http://127.0.0.1:8000).
_NAMED_HOSTS = [h for h in ALLOWED_HOSTS if h not in ("*", "") and not h.startswith((".", "[")) and not h.replace(".", "").isdigit()]
OTP_WEBAUTHN_RP_ID = env_str("DALIL_WEBAUTHN_RP_ID") or (_NAMED_HOSTS[0] if _NAMED_HOSTS else "localhost")
OTP_WEBAUTHN_RP_NAME = env_str("DALIL_WEBAUTHN_RP_NAME", "Dalil")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "DALIL_WEBAUTHN_ORIGINS",
    ["http://localhost:8000"] if (DEBUG or EMBEDDED) else [f"https://{h}" for h in _NAMED_HOSTS],
)
# A key is a second factor after the password, never a way around it (and around the lockout).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# django-csp 4: nothing inline, nothing from elsewhere. QR codes are rendered by the server.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- REST API (api/, docs/api.md) -------------------------------------------
# Tokens only (no session auth): every API call is made by a named, scoped, expiring credential.
DALIL_API_RATE = env_str("DALIL_API_RATE", "120/min")
DALIL_API_WRITE_RATE = env_str("DALIL_API_WRITE_RATE", "30/min")
DALIL_API_MAX_JSON_BYTES = env_int("DALIL_API_MAX_JSON_BYTES", 256 * 1024)
DALIL_API_TOKEN_MAX_DAYS = env_int("DALIL_API_TOKEN_MAX_DAYS", 365)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle", "api.throttling.TokenWriteRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.LimitedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dalil API",
    "DESCRIPTION": "Cases, people, events, sources and evidence for intake clients and partner tools. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.add_error_responses"],
    # One name per choice set, however many fields use it.
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "cases.models.DatePrecision", "EventTypeEnum": "api.schema.EVENT_TYPE_CHOICES"},
    "APPEND_COMPONENTS": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "SECURITY": [{"bearer": []}],
    # Swagger UI from drf-spectacular-sidecar: served by us, nothing from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Audit log (audit/, docs/audit-log.md) ---------------------------------
# Both keys live outside the database; *_FILE variants are read by env_str. Unset: development
# keys under var/keys/<purpose>/ with a warning (a production install fails with one clear line instead).
DALIL_AUDIT_KEY = env_str("DALIL_AUDIT_KEY", "")  # key line of purpose audit-chain: the HMAC-SHA256 chain key
DALIL_AUDIT_SIGNING_KEY = env_str("DALIL_AUDIT_SIGNING_KEY", "")  # key line of purpose audit-signing: the Ed25519 seed
DALIL_AUDIT_ORIGIN = env_str("DALIL_AUDIT_ORIGIN", "dalil.invalid/audit")  # checkpoint origin line and note key name
# Checkpoints are published where the database admin cannot rewrite them: a directory (ideally a
# write-once or remote mount), an e-mail address, a witness's HTTP endpoint.
DALIL_AUDIT_CHECKPOINT_DIR = env_str("DALIL_AUDIT_CHECKPOINT_DIR", "") or str(DATA_DIR / "audit-checkpoints")
DALIL_AUDIT_CHECKPOINT_EMAIL = env_list("DALIL_AUDIT_CHECKPOINT_EMAIL", [])
DALIL_AUDIT_WITNESS_URL = env_url("DALIL_AUDIT_WITNESS_URL")
CELERY_BEAT_SCHEDULE["audit-checkpoint"] = {
    "task": "audit.checkpoint",
    "schedule": env_int("DALIL_AUDIT_CHECKPOINT_MINUTES", 60) * 60.0,
}
# RFC 3161 time-stamping authority (audit/timestamps.py): every checkpoint and intake hash batch is stamped;
# beat retries the ones still unstamped while the authority is unreachable. Empty URL: no stamps.
DALIL_TSA_URL = env_url("DALIL_TSA_URL")
DALIL_TSA_CA_FILE = env_str("DALIL_TSA_CA_FILE", "")  # PEM root(s) the authority's certificate must chain to
CELERY_BEAT_SCHEDULE["audit-timestamp"] = {"task": "audit.timestamp", "schedule": env_int("DALIL_TSA_RETRY_MINUTES", 5) * 60.0}

# --- Language choice (templates/i18n/language_switch.html, docs/translating.md) ---------
# The switch posts to Django's set_language, which remembers the choice in this cookie for a
# year (and in the session); LocaleMiddleware reads it on every request.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Keys (keys/, keys/purposes.py, docs/evidence-format.md) -------------------------
# Read here and nowhere else; keys/ looks them up in django.conf.settings at call time. Key-encryption
# keys: inline key lines (comma-separated, oldest first), a key file, a folder of *.key files, or a KMS key.
DALIL_KEK = os.environ.get("DALIL_KEK", "")
DALIL_KEK_FILE = os.environ.get("DALIL_KEK_FILE", "")
DALIL_KEK_DIR = os.environ.get("DALIL_KEK_DIR", "")
DALIL_KEK_CURRENT = os.environ.get("DALIL_KEK_CURRENT", "")  # the id of the key that wraps, if not the newest
DALIL_KMS_KEY_ID = os.environ.get("DALIL_KMS_KEY_ID", "")
DALIL_KMS_ENDPOINT_URL = os.environ.get("DALIL_KMS_ENDPOINT_URL", "")
DALIL_KMS_REGION = os.environ.get("DALIL_KMS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
# Every key is a key line of one purpose (keys/keyfile.py), made by `manage.py keys_generate --purpose …`;
# these two, like the audit keys above, hold the line itself (or read it from *_FILE).
DALIL_TOKEN_PEPPER = env_str("DALIL_TOKEN_PEPPER", "")  # purpose token-pepper: HMAC key of stored token hashes
DALIL_INTAKE_KEY = env_str("DALIL_INTAKE_KEY", "")  # purpose intake: the age X25519 identity submissions are sealed to

# --- Evidence files (evidence/, docs/evidence-format.md) ------------------------
DALIL_EVIDENCE_MAX_BYTES = env_int("DALIL_EVIDENCE_MAX_BYTES", 2 * 1024**3)
DALIL_EVIDENCE_PREVIEW_MAX_BYTES = env_int("DALIL_EVIDENCE_PREVIEW_MAX_BYTES", 64 * 1024**2)
# Django's default handlers write uploads over 2.5 MB to a plaintext temporary file. Ours keep
# other uploads in memory up to this size and refuse larger ones; evidence views encrypt as they stream.
DALIL_UPLOAD_MEMORY_MAX_BYTES = env_int("DALIL_UPLOAD_MEMORY_MAX_BYTES", 32 * 1024**2)
FILE_UPLOAD_HANDLERS = ["evidence.uploads.InMemoryOnlyUploadHandler"]
# S3-compatible object storage for blobs (ciphertext only) when a bucket is named.
if env_str("DALIL_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("DALIL_S3_BUCKET"),
            "endpoint_url": env_str("DALIL_S3_ENDPOINT_URL") or None,
            "region_name": env_str("DALIL_S3_REGION") or None,
            "access_key": env_str("DALIL_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("DALIL_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("DALIL_S3_PREFIX", ""),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
CELERY_BEAT_SCHEDULE["evidence-verify"] = {
    "task": "evidence.verify_all",
    "schedule": env_int("DALIL_EVIDENCE_VERIFY_HOURS", 24) * 3600.0,
}

# --- E-mail and notifications (casework/digest.py, docs/configuration.md) --
# Console in development (no DATABASE_URL), SMTP otherwise; the password can come from DALIL_EMAIL_PASSWORD_FILE.
EMAIL_BACKEND = env_str("DALIL_EMAIL_BACKEND", "") or (
    "django.core.mail.backends.console.EmailBackend" if EMBEDDED else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("DALIL_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DALIL_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DALIL_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("DALIL_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DALIL_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DALIL_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("DALIL_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DALIL_EMAIL_FROM", "dalil@localhost")
# The address the digest links to: by default the first trusted origin.
DALIL_BASE_URL = env_url("DALIL_BASE_URL") or (CSRF_TRUSTED_ORIGINS[0] if CSRF_TRUSTED_ORIGINS else "http://localhost:8000")
DALIL_DIGEST_HOUR = env_int("DALIL_DIGEST_HOUR", 7)  # local hour after which the daily digest goes out
CELERY_BEAT_SCHEDULE["casework-notifications-sweep"] = {
    "task": "casework.notifications_sweep", "schedule": env_int("DALIL_NOTIFICATION_SWEEP_MINUTES", 5) * 60.0,
}
CELERY_BEAT_SCHEDULE["casework-digests"] = {"task": "casework.digests_send", "schedule": 3600.0}

# --- Operations: backups (docs/operations.md) ------------------------------
DALIL_BACKUP_DIR = env_str("DALIL_BACKUP_DIR", "")
DALIL_BACKUP_KEEP = env_int("DALIL_BACKUP_KEEP", 14)
if DALIL_BACKUP_DIR:
    CELERY_BEAT_SCHEDULE["ops-backup"] = {"task": "ops.backup_run", "schedule": env_int("DALIL_BACKUP_EVERY_HOURS", 24) * 3600.0}

# --- Families report directly: the public form (intake/, docs/intake.md) ---
# "full": one process set serves the internal Dalil and the public form (the embedded default);
# "intake": only the public form, with its own database and only the intake public key (a separate host).
DALIL_MODE = env_str("DALIL_MODE", "full")
if DALIL_MODE not in ("full", "intake"):
    raise ImproperlyConfigured("DALIL_MODE must be 'full' or 'intake'.")
if DALIL_MODE == "intake":
    ROOT_URLCONF = "intake.site_urls"
# The organisation's intake public key (age1…); where unset, derived from the intake key of the key ring.
DALIL_INTAKE_PUBLIC_KEY = env_str("DALIL_INTAKE_PUBLIC_KEY", "")
DALIL_INTAKE_LANGUAGES = [("en", "English"), ("ru", "Русский"), ("uz", "Oʻzbekcha"), ("kk", "Қазақша"), ("ky", "Кыргызча"), ("tg", "Тоҷикӣ")]
DALIL_INTAKE_MAX_FILES = env_int("DALIL_INTAKE_MAX_FILES", 5)
DALIL_INTAKE_MAX_FILE_BYTES = env_int("DALIL_INTAKE_MAX_FILE_BYTES", 10 * 2**20)
DALIL_INTAKE_MAX_TEXT = env_int("DALIL_INTAKE_MAX_TEXT", 20_000)  # characters in all free-text answers
DALIL_INTAKE_RATE_PER_MINUTE = env_int("DALIL_INTAKE_RATE_PER_MINUTE", 600)  # all visitors together
DALIL_INTAKE_QUEUE_CAP = env_int("DALIL_INTAKE_QUEUE_CAP", 20_000)  # untriaged reports held before refusing more
DALIL_INTAKE_FOLLOWUP_TRIES_PER_HOUR = env_int("DALIL_INTAKE_FOLLOWUP_TRIES_PER_HOUR", 10)
DALIL_INTAKE_RETENTION_DAYS = env_int("DALIL_INTAKE_RETENTION_DAYS", 90)  # the default; admins set it on the queue page
# A separate public host: the internal side fetches sealed reports from it (docs/intake.md).
DALIL_INTAKE_FETCH_URL = env_str("DALIL_INTAKE_FETCH_URL", "")
DALIL_INTAKE_FETCH_TOKEN = env_str("DALIL_INTAKE_FETCH_TOKEN", "")
CELERY_BEAT_SCHEDULE["retention-review"] = {"task": "retention.review_prepare", "schedule": crontab(day_of_month="1", hour="3", minute="0")}
CELERY_BEAT_SCHEDULE["intake-destroy-expired"] = {"task": "intake.destroy_expired", "schedule": 6 * 3600.0}
CELERY_BEAT_SCHEDULE["intake-fetch"] = {"task": "intake.fetch", "schedule": 60.0}
