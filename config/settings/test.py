"""Test settings: fast hashing and no outgoing mail."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher"
]  # speed only; never in production
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEBUG = False
# Serve static files straight from the finders (node_modules, static/) without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

import tempfile  # noqa: E402

UPLOAD_ROOT = Path(tempfile.mkdtemp(prefix="unionplan-uploads-"))  # noqa: F405

# Tasks run inside the request that queues them, so no test needs a worker; the worker's own
# test switches to the database backend (jobs/tests/test_worker.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Tests run with the production rule: initial passwords must be changed at first login.
UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE = True

# Live-server threads (browser tests) must not keep connections open, or the test database
# cannot be dropped at the end of a PostgreSQL run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Group robots are tested against a fake server on http://127.0.0.1 (orgs/tests/robots.py).
UNIONPLAN_ROBOT_LOCAL_HTTP = True
