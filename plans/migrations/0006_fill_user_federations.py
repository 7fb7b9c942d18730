"""Each account gets its federation (orgs 0006): a department's staff their department's, a
unit's users their unit's owner, and leaders and administrators the one federation when the
database has exactly one (an earlier single-city deployment). With several federations their
accounts are left without one, and see no plan until an administrator's command sets it."""

from django.db import migrations
from django.db.models import F


def fill(apps, schema_editor):
    Unit = apps.get_model("orgs", "Unit")
    User = apps.get_model("orgs", "User")
    for user in User.objects.filter(federation__isnull=True).select_related("unit", "department"):
        if user.department_id:
            federation_id = user.department.federation_id
        elif user.unit_id:
            federation_id = user.unit.federation_id
        else:
            federations = list(
                Unit.objects.filter(federation_id=F("pk")).values_list("pk", flat=True)[:2]
            )
            federation_id = federations[0] if len(federations) == 1 else None
        if federation_id:
            User.objects.filter(pk=user.pk).update(federation_id=federation_id)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_plan_life"),
        ("orgs", "0006_user_federation"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
