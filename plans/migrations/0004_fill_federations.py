"""Each unit and department gets the federation that owns it (orgs 0004): the issuer of the
oldest plan that names it. A federation owns itself. Units and departments that no plan
names keep no federation."""

from django.db import migrations


def fill(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    Unit = apps.get_model("orgs", "Unit")
    Department = apps.get_model("orgs", "Department")
    ProgrammeDepartment = apps.get_model("plans", "ProgrammeDepartment")
    Milestone = apps.get_model("plans", "Milestone")
    for plan in Plan.objects.order_by("id"):
        issuer = plan.issuer_id
        Unit.objects.filter(pk=issuer).update(federation_id=issuer)
        Unit.objects.filter(plans=plan, federation__isnull=True).update(federation_id=issuer)
        named = set(
            ProgrammeDepartment.objects.filter(programme__plan=plan).values_list(
                "department_id", flat=True
            )
        ) | set(
            Milestone.objects.filter(programme__plan=plan).values_list(
                "actor_departments", flat=True
            )
        )
        Department.objects.filter(pk__in=named - {None}, federation__isnull=True).update(
            federation_id=issuer
        )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_milestone_form_code"),
        ("orgs", "0004_federations_own_units_and_departments"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
