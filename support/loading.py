"""The kinds of support of the province's plan, as rows (editable in the admin afterwards).

None is ``confirmed``: the province's 2024 plan (plan-2024.txt) asks for support "from every
program" without listing the kinds; these are the usual national policies for poor and near-poor
households, to be checked and edited by the province (docs/support.md). Loaded by migration
0002 and by tests that start from a flushed database (``kinds_load``); loading again adds
nothing and changes no edited row."""

KINDS = [
    # code, name, group (policy/program), unit, confirmed
    ("health-insurance", "Cấp thẻ bảo hiểm y tế", "Chính sách hỗ trợ bảo hiểm y tế", "thẻ", False),
    ("housing", "Hỗ trợ nhà ở", "Dự án 5 – Hỗ trợ nhà ở cho hộ nghèo, cận nghèo", "căn", False),
    ("credit", "Vay vốn tín dụng ưu đãi (NHCSXH)", "Ngân hàng Chính sách xã hội", "đồng", False),
    (
        "tuition",
        "Miễn, giảm học phí, hỗ trợ chi phí học tập",
        "Chính sách giáo dục",
        "học sinh",
        False,
    ),
    (
        "vocational",
        "Đào tạo nghề, giải quyết việc làm",
        "Dự án 4 – Phát triển giáo dục nghề nghiệp, việc làm bền vững",
        "người",
        False,
    ),
    (
        "livelihood",
        "Hỗ trợ sinh kế, phát triển sản xuất",
        "Dự án 2, Dự án 3 – Đa dạng hóa sinh kế, hỗ trợ phát triển sản xuất",
        "đồng",
        False,
    ),
    ("electricity", "Hỗ trợ tiền điện", "Chính sách hỗ trợ tiền điện cho hộ nghèo", "đồng", False),
    (
        "water",
        "Hỗ trợ nước sinh hoạt",
        "Chương trình nước sạch, nước sinh hoạt",
        "công trình",
        False,
    ),
    ("legal-aid", "Trợ giúp pháp lý", "Trợ giúp pháp lý cho người nghèo", "lượt", False),
    ("other", "Hỗ trợ khác", "", "", False),
]


def kinds_load(model=None) -> None:
    if model is None:
        from .models import SupportKind as model
    for position, (code, name, group, unit, confirmed) in enumerate(KINDS, start=1):
        model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "unit": unit,
                "position": position,
                "confirmed": confirmed,
            },
        )
