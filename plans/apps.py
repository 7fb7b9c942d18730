from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "工作方案"

    def ready(self) -> None:
        # Orgs import nothing of plans: the system administrator's bulk creation of unit
        # accounts learns here which plans an account works on (orgs/extensions.py).
        from orgs import extensions
        from plans.selectors import plan_get, plan_list

        extensions.plans_provider(plan_list=plan_list, plan_get=plan_get)
