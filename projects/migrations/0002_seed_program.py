"""Seed the 2021–2025 program tree, state-share caps and approval levels (projects/data/)."""

from django.db import migrations


def seed(apps, schema_editor):
    from projects.loading import program_load

    program_load(apps)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
