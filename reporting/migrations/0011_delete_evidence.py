from django.db import migrations


class Migration(migrations.Migration):
    # Kept apart from the copy (0010): on PostgreSQL, altering tables in the transaction that wrote
    # rows with deferred constraint checks can fail ("pending trigger events").
    dependencies = [
        ("reporting", "0010_evidence_to_evidence_app"),
    ]

    operations = [
        migrations.DeleteModel(
            name="Evidence",
        ),
    ]
