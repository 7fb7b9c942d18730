from django.db import migrations


class Migration(migrations.Migration):
    # Kept apart from the copy (0012): on PostgreSQL, altering a table in the transaction that
    # wrote rows with deferred constraint checks can fail ("pending trigger events").
    dependencies = [
        ("reporting", "0012_city_figure_evidence_to_evidence_app"),
    ]

    operations = [
        migrations.RemoveField(model_name="cityfigure", name="evidence_content_type"),
        migrations.RemoveField(model_name="cityfigure", name="evidence_name"),
        migrations.RemoveField(model_name="cityfigure", name="evidence_sha256"),
        migrations.RemoveField(model_name="cityfigure", name="evidence_size"),
        migrations.RemoveField(model_name="cityfigure", name="evidence_stored_name"),
    ]
