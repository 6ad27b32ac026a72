"""The common trades of the training-needs survey (labour/loading.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from labour.loading import trades_load

    trades_load(apps.get_model("labour", "Trade"))


class Migration(migrations.Migration):
    dependencies = [("labour", "0001_needs_fairs")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
