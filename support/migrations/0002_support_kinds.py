"""The kinds of support of the province's plan, as rows (support/loading.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from support.loading import kinds_load

    kinds_load(apps.get_model("support", "SupportKind"))


class Migration(migrations.Migration):
    dependencies = [("support", "0001_household_support")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
