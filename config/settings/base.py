"""Settings shared by every environment; development defaults (DEBUG on, SQLite file)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.contrib.messages import constants as message_constants

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_personal_keys,
    env_replica_database,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "common",
    "audit",
    "evidence",
    "orgs",
    "plans",
    "jobs",
    "reporting",
    "records",
    "supervision",
    "evaluations",
    "campaigns",
    "drafting",
    "dashboards",
    "assessment",
    "backups",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body (CSRF does): an oversized request answers 413 unread.
    "common.request_limits.RequestBodyLimitMiddleware",
    # Early, so that audit entries written by the middleware below carry the client address.
    "audit.context.AuditContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session has passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "orgs.middleware.SessionTimeoutMiddleware",
    # Before the forced password change: whoever holds only the password must not change it.
    "orgs.middleware.SecondFactorRequiredMiddleware",
    "orgs.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "common.middleware.NoStoreForSignedInMiddleware",
    # Inside the header middleware above, so that the page it writes gets their headers too.
    "common.middleware.MethodNotAllowedPageMiddleware",
    # A GET of a dashboards page reads from the replica, when there is one (config/dbrouter.py);
    # after everything above has read the session and the user from the primary.
    "config.dbrouter.DashboardReadMiddleware",
    # Last: turns a login refused for a locked account into the login page with a message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reporting.context_processors.notifications",
                "plans.context_processors.current_plan",
            ],
        },
    },
]

# DATABASE_URL selects the database; without it, an SQLite file in the project folder.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions: concurrent writers wait instead of failing with
    # "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# DATABASE_REPLICA_URL (optional, PostgreSQL): a streaming replica of the same database. When
# set, the dashboards' pages read their figures from it and everything else stays on the
# primary (config/dbrouter.py, docs/deploy.md); unset, everything reads and writes `default`.
_REPLICA = env_replica_database("DATABASE_REPLICA_URL", DATABASES["default"], conn_max_age=60)
if _REPLICA is not None:
    DATABASES["replica"] = _REPLICA
    DATABASE_ROUTERS = ["config.dbrouter.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Password policy (docs/security.md): 8-128 characters, 3 of 4 character classes, not the
# username, not a common password, none of the last 5 reused. Messages in Chinese.
# How many passwords back a new one must differ from (PasswordHistory keeps that many hashes).
UNIONPLAN_PASSWORD_HISTORY_COUNT = 5
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "orgs.passwords.LengthValidator",
        "OPTIONS": {"min_length": 8, "max_length": 128},
    },
    {"NAME": "orgs.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "orgs.passwords.UsernameValidator"},
    {"NAME": "orgs.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "orgs.passwords.HistoryValidator",
        "OPTIONS": {"count": UNIONPLAN_PASSWORD_HISTORY_COUNT},
    },
]
# A password older than this must be changed before anything else (等保: periodic change).
UNIONPLAN_PASSWORD_MAX_AGE = timedelta(days=90)
# Demo accounts made by `seed_demo` must change their printed password at first login.
# Accounts made by an administrator, and passwords reset by one, always must.
UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE = env_bool(
    "UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE", not DEBUG
)
# Accounts without a login for this long are disabled by `disable_dormant_accounts`.
UNIONPLAN_DORMANT_ACCOUNT_AGE = timedelta(days=90)

# Login lockout (django-axes, orgs/lockout.py): 5 failures for one username from one address
# lock that username for that address for 30 minutes, then it unlocks by itself. Not by
# username alone: usernames are unit codes, and anyone could keep any account locked; the
# owner, from their own address, still gets in. One address is also locked after 30 failures
# across all usernames (a spray), a figure well above the typos of a unit's office behind one
# NAT address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "orgs.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
UNIONPLAN_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("UNIONPLAN_LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_RESET_ON_SUCCESS = True
# Attempts while locked do not extend the lock: it ends 30 minutes after the fifth failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "orgs.views.login_locked_out"
# The same client address as the audit log: behind the reverse proxy, per address means per
# client, not per proxy.
AXES_CLIENT_IP_CALLABLE = "common.client_address.client_address"
AXES_VERBOSE = False

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated);
# empty: REMOTE_ADDR is the client. See common/client_address.py and docs/deploy.md.
UNIONPLAN_TRUSTED_PROXIES = env_networks("UNIONPLAN_TRUSTED_PROXIES", [])

# Second factor (orgs/otp.py): a TOTP authenticator app, required of the three administrators
# and open to everyone, with single-use recovery codes. After this many wrong codes in a row the
# session is logged out; each device also makes the user wait 1, 2, 4, 8… seconds after each
# wrong code (django-otp's throttling), across sessions.
UNIONPLAN_OTP_MAX_FAILURES = 5
UNIONPLAN_OTP_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = "工会专案通"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Sessions: idle timeout (shorter for the three administrators) and an absolute lifetime.
UNIONPLAN_SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
UNIONPLAN_SESSION_IDLE_TIMEOUT_ADMIN = timedelta(minutes=15)
UNIONPLAN_SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(UNIONPLAN_SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
_NODE = BASE_DIR / "node_modules"
# Front-end libraries come from npm (package-lock.json) and are served from here, never a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", _NODE / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", _NODE / "bootstrap-icons" / "font"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    ("vendor/echarts", _NODE / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Long work off the request (jobs/): django-tasks with its database backend, the queue kept in
# this database (no other service). `manage.py db_worker` runs it: `make run` starts one beside
# the server; production runs as many as it needs, on any app server (README).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Evidence files live outside the web root and are served only through a permission-checked view.
# Dashboards: completion trailing elapsed time by more than these shares is 滞后 / 严重滞后.
UNIONPLAN_BEHIND_MARGIN = env_str("UNIONPLAN_BEHIND_MARGIN", "0.10")
UNIONPLAN_FAR_BEHIND_MARGIN = env_str("UNIONPLAN_FAR_BEHIND_MARGIN", "0.30")

# A fixed "today" for demonstration and training copies (e.g. 2022-07-20 for the 2022 plan);
# empty in real use. Pages show a banner while it is set.
UNIONPLAN_TODAY = env_str("UNIONPLAN_TODAY", "")
UPLOAD_ROOT = Path(env_str("UNIONPLAN_UPLOAD_ROOT", str(BASE_DIR / "var" / "uploads")))
# Request bodies: the largest form sends 10 files of 20 MB (common/uploads.py), plus 1 MB
# for the other fields and the multipart framing. A larger body is refused with 413 before it
# is read (common/request_limits.py); the reverse proxy holds the same figure (docs/deploy.md,
# nginx `client_max_body_size 201m`).
UNIONPLAN_MAX_REQUEST_BYTES = 10 * 20 * 1024 * 1024 + 1024 * 1024
# Django's own figures, stated rather than inherited: a body that is not files (form fields,
# or a whole urlencoded POST) is read into memory up to 2.5 MB; an uploaded file above 2.5 MB
# is spooled to a temporary file, so ten 20 MB files never sit in memory at once.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Where `manage.py backup` writes (docs/deploy.md); keep it outside UPLOAD_ROOT and copy it off
# the machine.
BACKUP_DIR = Path(env_str("UNIONPLAN_BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
# Notifications and reminders go by e-mail too (reporting/services/notifications.py). In
# development mail is printed on the console, so `make run` needs no mail server; production
# sends through EMAIL_HOST (docs/deploy.md). A mail server that fails never fails a step.
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "unionplan@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Mail leaves inside the request that took the step: a server that does not answer must not
# hold the page for long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# Used by the file backend (DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.…) only.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
# Where the links in mails lead: the address users open the site at.
UNIONPLAN_SITE_URL = env_str("UNIONPLAN_SITE_URL", "http://127.0.0.1:8000")
# 企业微信 / 钉钉 group robots (orgs/robot_delivery.py): posted to from the request that took the
# step, so a robot that does not answer must not hold the page for long. Webhook addresses must
# be https://; http://127.0.0.1 and http://localhost only with DEBUG on or this switch (tests).
UNIONPLAN_ROBOT_TIMEOUT = env_int("UNIONPLAN_ROBOT_TIMEOUT", 5)
UNIONPLAN_ROBOT_LOCAL_HTTP = False
# messages.error shows as Bootstrap's red alert (base.html writes alert-<tag>).
MESSAGE_TAGS = {message_constants.ERROR: "danger"}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # Bootstrap draws the select arrow, the check mark and the invalid-field icon as data:
        # SVG images; an image cannot run script.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        # Forms post to this site only, so injected markup cannot send a form elsewhere.
        "form-action": [SELF],
    }
}
CSRF_FAILURE_VIEW = "orgs.views.csrf_failure"

# Personal data (ID numbers, phone numbers, income, health) is sealed with SM4-GCM and looked up
# by an HMAC-SM3 index (personal/crypto.py), with keys from UNIONPLAN_PERSONAL_KEYS or the file
# named by UNIONPLAN_PERSONAL_KEYS_FILE, never from the database: `k2:<32 hex>,k1:<32 hex>,
# index:<64 hex>`, the first SM4 key sealing, every one opening. These development keys are
# public; production.py refuses to start without real ones.
_DEV_PERSONAL_KEYS = (
    "dev1:7bb36f4b641b3eb9326de0f51173bcf5,"
    "index:b5072b488052486f14e078cf7beeb0ac607ff5b3991b68c44e40087d9e04b48a"
)
UNIONPLAN_PERSONAL_SEAL_KEYS, UNIONPLAN_PERSONAL_INDEX_KEY = env_personal_keys(
    "UNIONPLAN_PERSONAL_KEYS", _DEV_PERSONAL_KEYS
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
