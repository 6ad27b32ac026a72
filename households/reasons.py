"""Display text of the deprivation reasons the rules give (translatable; the rules stay pure)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from . import choices
from .rules import REASON_CODES, Reason

# The level names a reason puts into its sentence ("đang học tiểu học ... (trung học cơ sở)").
SCHOOL_LEVELS = {
    "preschool": _("mầm non"),
    "primary": _("tiểu học"),
    "lower_secondary": _("trung học cơ sở"),
    "upper_secondary": _("trung học phổ thông"),
    "vocational": _("giáo dục nghề nghiệp"),
    "higher": _("đại học"),
}
HOUSE_PARTS = {"walls": _("tường"), "columns": _("cột"), "roof": _("mái")}

# The Vietnamese text matches Reason.describe_vi; English lives in the catalogue.
TEXT = {
    "unemployed": _("{member}, {age} tuổi, trong độ tuổi lao động, đang thất nghiệp"),
    "wage_no_contract": _("{member}, {age} tuổi, làm công ăn lương không có hợp đồng lao động"),
    "dependents_share": _("Người phụ thuộc chiếm {dependents}/{members} nhân khẩu (hơn một nửa)"),
    "stunted": _("{member}, {age} tuổi, suy dinh dưỡng thể thấp còi"),
    "underweight": _("{member}, {age} tuổi, suy dinh dưỡng thể nhẹ cân"),
    "no_insurance": _("{member}, {age} tuổi, không có bảo hiểm y tế"),
    "no_lower_secondary": _("{member}, {age} tuổi, chưa tốt nghiệp THCS, không đi học"),
    "no_upper_secondary": _(
        "{member}, {age} tuổi, chưa tốt nghiệp THPT hoặc học nghề, không đi học"
    ),
    "child_not_in_school": _("{member}, {age} tuổi, không đi học"),
    "child_below_level": _(
        "{member}, {age} tuổi, đang học {level}, chưa đúng cấp học theo độ tuổi ({fitting})"
    ),
    "nondurable_house": _("Nhà ở thiếu kiên cố: {parts} làm bằng vật liệu không bền chắc"),
    "small_floor_area": _(
        "Diện tích nhà ở bình quân {area_per_person} m²/người (dưới {minimum} m²)"
    ),
    "unclean_water": _("Không tiếp cận được nguồn nước sạch (đang dùng {source})"),
    "no_latrine": _("Không có nhà tiêu hợp vệ sinh"),
    "no_internet": _("Không có thành viên nào sử dụng dịch vụ internet"),
    "no_info_device": _("Không có phương tiện tiếp cận thông tin nào ({expected})"),
    "no_digital_services": _("Không có thành viên nào sử dụng dịch vụ số"),
    "no_waste_collection": _("Rác thải sinh hoạt không được thu gom, xử lý"),
}
assert set(TEXT) == REASON_CODES, "every reason code the rules produce needs a display text"


def to_json(reason: Reason) -> dict[str, Any]:
    return {"code": reason.code, "member": reason.member, "params": dict(reason.params)}


def describe(reason: dict[str, Any]) -> str:
    """The sentence for a stored (JSON) reason in the active language."""
    template = TEXT.get(reason["code"])
    if template is None:
        return reason["code"]
    values = {k: _display(k, v) for k, v in reason.get("params", {}).items()}
    return str(template).format(member=reason.get("member"), **values)


def _display(key: str, value) -> str:
    """A reason's parameter in the active language (labels translated, numbers localized)."""
    if key in ("area_per_person", "minimum"):
        return number_format(Decimal(str(value)))
    if key == "parts":
        return ", ".join(str(HOUSE_PARTS[p]) for p in str(value).split(",") if p in HOUSE_PARTS)
    if key == "source":
        return str(dict(choices.WATER).get(value, value)).lower()
    if key in ("level", "fitting"):
        return str(SCHOOL_LEVELS.get(value, value))
    if key == "expected":
        labels = dict(choices.DEVICES)
        return ", ".join(str(labels.get(c, c)).lower() for c in str(value).split(","))
    return str(value)
