"""The kinds of communication activity and the kinds of information support, as rows (editable
in the admin afterwards), loaded by migration 0002 and by tests after a flush.

None is ``confirmed``: the province's 2024 plan asks for "project 6 communication" without
listing the kinds; these follow the contents of project 6 in Decision 90/QĐ-TTg (sub-project 1:
information poverty; sub-project 2: communication on multidimensional poverty), to be checked and
edited by the province (docs/communication.md). The information kinds are added to the support
app's list (``support.SupportKind``) so that they are recorded on the household like any other
support, and listed in ``InformationKind``."""

ACTIVITY_KINDS = [
    # code, name, sub-project
    ("conference", "Hội nghị, đối thoại chính sách", "6.2"),
    ("training", "Tập huấn, bồi dưỡng về truyền thông giảm nghèo", "6.2"),
    ("media", "Tin, bài, phóng sự", "6.2"),
    ("broadcast", "Chương trình phát thanh, truyền hình", "6.2"),
    ("printed", "Tài liệu in: tờ rơi, pa-nô, áp phích", "6.2"),
    ("event", "Sự kiện, hội thi, tọa đàm", "6.2"),
    ("equipment", "Thiết bị thông tin cơ sở: loa, đài truyền thanh, bảng tin", "6.1"),
    ("info-content", "Sản xuất, phát sóng nội dung thông tin thiết yếu", "6.1"),
    ("other", "Hoạt động khác", "6.2"),
]

SUPPORT_KINDS = [
    # code, name, unit
    ("info-tv", "Hỗ trợ ti vi (giảm nghèo về thông tin)", "chiếc"),
    ("info-radio", "Hỗ trợ radio, loa (giảm nghèo về thông tin)", "chiếc"),
    ("info-phone", "Hỗ trợ điện thoại thông minh (giảm nghèo về thông tin)", "chiếc"),
    ("info-internet", "Hỗ trợ kết nối internet (giảm nghèo về thông tin)", "tháng"),
]
GROUP = "Dự án 6 – Truyền thông và giảm nghèo về thông tin"


def kinds_load(apps=None) -> None:
    """Add the kinds that are missing (migration 0002; tests after a flush): loading again adds
    nothing and changes no edited row. ``apps``: the migration's historical models."""
    if apps is None:
        from support.models import SupportKind

        from .models import ActivityKind, InformationKind
    else:
        ActivityKind = apps.get_model("communication", "ActivityKind")
        SupportKind = apps.get_model("support", "SupportKind")
        InformationKind = apps.get_model("communication", "InformationKind")
    for position, (code, name, subproject) in enumerate(ACTIVITY_KINDS, start=1):
        ActivityKind.objects.get_or_create(
            code=code, defaults={"name": name, "subproject": subproject, "position": position}
        )
    last = SupportKind.objects.order_by("-position").values_list("position", flat=True).first()
    for offset, (code, name, unit) in enumerate(SUPPORT_KINDS, start=1):
        kind, _created = SupportKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "group": GROUP,
                "unit": unit,
                "position": (last or 0) + offset,
                "confirmed": False,
            },
        )
        InformationKind.objects.get_or_create(support_kind=kind)
