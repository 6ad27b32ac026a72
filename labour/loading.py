"""The common trades of the training-needs survey (data: unconfirmed, editable in the admin),
loaded by migration 0002 and by tests after a flush; loading again changes no edited row."""

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


def trades_load(model=None) -> None:
    if model is None:
        from .models import Trade as model
    for order, (code, name) in enumerate(TRADES, start=1):
        model.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})
