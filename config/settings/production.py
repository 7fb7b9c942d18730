"""Production settings: secrets from the environment, HTTPS only, PostgreSQL expected."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_list, env_personal_keys, env_str, parse_personal_keys

from .base import *  # noqa: F403
from .base import _DEV_PERSONAL_KEYS

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
# Notification mail goes to the SMTP server of EMAIL_HOST, EMAIL_PORT… (docs/deploy.md).
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

# Personal-data keys: required, and never the public development ones (docs/security.md).
UNIONPLAN_PERSONAL_SEAL_KEYS, UNIONPLAN_PERSONAL_INDEX_KEY = env_personal_keys(
    "UNIONPLAN_PERSONAL_KEYS"
)
_dev_seal, _dev_index = parse_personal_keys(_DEV_PERSONAL_KEYS, "development keys")
_configured = {UNIONPLAN_PERSONAL_INDEX_KEY, *UNIONPLAN_PERSONAL_SEAL_KEYS.values()}
if _configured & {_dev_index, *_dev_seal.values()}:
    raise ImproperlyConfigured(
        "UNIONPLAN_PERSONAL_KEYS holds the public development keys; generate real ones."
    )

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31_536_000  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Accounts whose password someone else knows (demo accounts, if ever forced in) change it first.
UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE = True
