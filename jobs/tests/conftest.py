import pytest


@pytest.fixture
def queue_kept(settings):
    """The database backend, with no worker: a started job stays queued until the test runs
    it (`db_worker --batch`) or moves it on through the services."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
