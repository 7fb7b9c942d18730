from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "督办"

    def ready(self) -> None:
        # Editing a running plan (plans/editing/) does not delete a step marked done.
        from plans import extensions
        from supervision.plan_uses import milestone_uses

        extensions.milestone_uses_finder(milestone_uses)
