from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = "单位与人员"

    def ready(self) -> None:
        from orgs import signals  # noqa: F401 - connects the audit receivers
