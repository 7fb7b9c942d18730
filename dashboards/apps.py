from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "进度看板"

    def ready(self) -> None:
        # The consistency check (plans) learns here what the approved figures say of a part
        # and its whole (其中); plans import nothing of dashboards.
        from dashboards.parts import part_figure_findings
        from plans import extensions

        extensions.consistency_findings_source(part_figure_findings)
