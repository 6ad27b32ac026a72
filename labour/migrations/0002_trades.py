"""The common trades of the training-needs survey (data: unconfirmed, editable in the admin)."""

from django.db import migrations

TRADES = [
    ("agriculture", "Trồng trọt, chăn nuôi"),
    ("forestry", "Lâm nghiệp"),
    ("construction", "Xây dựng"),
    ("mechanics", "Cơ khí, sửa chữa"),
    ("electrical", "Điện dân dụng, điện công nghiệp"),
    ("garment", "May mặc"),
    ("cooking", "Nấu ăn, chế biến món ăn"),
    ("beauty", "Làm đẹp"),
    ("driving", "Lái xe"),
    ("it", "Tin học"),
    ("other", "Nghề khác"),
]


def seed(apps, schema_editor):
    Trade = apps.get_model("labour", "Trade")
    for order, (code, name) in enumerate(TRADES, start=1):
        Trade.objects.update_or_create(code=code, defaults={"name": name, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("labour", "0001_needs_fairs")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
