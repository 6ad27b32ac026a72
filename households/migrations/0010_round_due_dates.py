"""A round's timetable: the due dates of the commune, district and province steps.

Existing rounds get the default timetable of households/timetable.py (copied here so that the
migration does not change if the defaults do): periodic rounds 15 November / 30 November /
ends_on, regular rounds ends_on − 5 days / ends_on − 2 days / ends_on, clamped to the round.
"""

import datetime as dt

from django.db import migrations, models
from django.db.models import F, Q


def _clamp(day, first, last):
    return min(max(day, first), last)


def dues_fill(apps, schema_editor):
    ReviewRound = apps.get_model("households", "ReviewRound")
    for round_ in ReviewRound.objects.all():
        start, end = round_.starts_on, round_.ends_on
        if round_.kind == "periodic":
            commune, district = dt.date(start.year, 11, 15), dt.date(start.year, 11, 30)
        else:
            commune, district = end - dt.timedelta(days=5), end - dt.timedelta(days=2)
        round_.commune_due = _clamp(commune, start, end)
        round_.district_due = _clamp(district, start, end)
        round_.province_due = end
        round_.save(update_fields=["commune_due", "district_due", "province_due"])


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0009_household_code_sequence"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewround",
            name="commune_due",
            field=models.DateField(null=True, verbose_name="hạn xã gửi kết quả lên huyện"),
        ),
        migrations.AddField(
            model_name="reviewround",
            name="district_due",
            field=models.DateField(null=True, verbose_name="hạn huyện tiếp nhận kết quả của xã"),
        ),
        migrations.AddField(
            model_name="reviewround",
            name="province_due",
            field=models.DateField(null=True, verbose_name="hạn tỉnh tổng hợp, báo cáo"),
        ),
        migrations.RunPython(dues_fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="reviewround",
            name="commune_due",
            field=models.DateField(verbose_name="hạn xã gửi kết quả lên huyện"),
        ),
        migrations.AlterField(
            model_name="reviewround",
            name="district_due",
            field=models.DateField(verbose_name="hạn huyện tiếp nhận kết quả của xã"),
        ),
        migrations.AlterField(
            model_name="reviewround",
            name="province_due",
            field=models.DateField(verbose_name="hạn tỉnh tổng hợp, báo cáo"),
        ),
        migrations.AddConstraint(
            model_name="reviewround",
            constraint=models.CheckConstraint(
                condition=Q(
                    commune_due__gte=F("starts_on"),
                    district_due__gte=F("commune_due"),
                    province_due__gte=F("district_due"),
                    ends_on__gte=F("province_due"),
                ),
                name="round_dues_ordered",
                violation_error_message=(
                    "Các hạn phải theo thứ tự trong thời gian của đợt: ngày bắt đầu ≤ hạn xã gửi "
                    "≤ hạn huyện tiếp nhận ≤ hạn tỉnh tổng hợp ≤ ngày kết thúc."
                ),
            ),
        ),
    ]
