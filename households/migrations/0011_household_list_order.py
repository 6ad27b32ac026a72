"""The API's households list in its key order, (commune, id): one commune's page read the primary
key through nearly every household at 1,000,000 (bench/results/api-pages.txt)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
        ("households", "0010_round_due_dates"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["commune", "id"], name="household_list_order"),
        ),
    ]
