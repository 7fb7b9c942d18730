"""The task framework, imported from one place.

django-tasks is the reference implementation of DEP 14, which Django 6.0 ships as
`django.tasks`: upgrading Django means importing these names from there instead.
"""

from django_tasks import task
from django_tasks.base import Task

__all__ = ["Task", "task"]
