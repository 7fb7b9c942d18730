"""Settings for the deadline-day surge (`make surge`, bench/surge.py): production's, served by
gunicorn over plain http on 127.0.0.1 to the load generator on the same machine.

Everything else is production's: DEBUG off, argon2, the login lockout, sessions, CSP, the
manifest static files served by WhiteNoise, secrets and keys from the environment (the surge
makes throwaway ones for its own database).
"""

from .production import *  # noqa: F403
from .production import BASE_DIR

# No TLS in front of the surge's server: cookies must travel over http and nothing may
# redirect to https. (HSTS is only ever sent on https requests, so it needs no change.)
ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# collectstatic for the surge writes here, not into the deployment's STATIC_ROOT.
STATIC_ROOT = BASE_DIR / "var" / "surge-static"
