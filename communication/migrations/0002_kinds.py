"""The kinds of communication activity and of information support, as rows
(communication/loading.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from communication.loading import kinds_load

    kinds_load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("communication", "0001_communication"),
        ("support", "0002_support_kinds"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
