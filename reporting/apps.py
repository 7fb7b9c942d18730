from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "填报与审核"

    def ready(self) -> None:
        # Plans import nothing of reporting: importing an allocation table learns here which
        # units have approved figures, whose allocations it may not drop.
        from plans import extensions
        from reporting.selectors import approved_figure_pairs

        extensions.approved_figures_finder(approved_figure_pairs)
        # Editing a running plan in the browser (plans/editing/) learns here what units have
        # reported on an indicator or a step, and has the obligations follow the change.
        from reporting import plan_uses
        from reporting.services.obligations import obligations_follow

        extensions.indicator_uses_finder(plan_uses.indicator_uses)
        extensions.milestone_uses_finder(plan_uses.milestone_uses)
        extensions.obligations_follower(obligations_follow)
