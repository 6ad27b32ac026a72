"""Translatable labels for the rule enums, as Django choices (the rules stay free of Django)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .standards import (
    Device,
    EducationLevel,
    Employment,
    Nutrition,
    PovertyClass,
    Schooling,
    Sex,
    Transition,
    WaterSource,
)

SEX = [(Sex.MALE.value, _("Nam")), (Sex.FEMALE.value, _("Nữ"))]
# The level attended now; indicator 6 compares it with the level that fits the child's age.
SCHOOLING = [
    (Schooling.NOT_IN_SCHOOL.value, _("Không đi học")),
    (Schooling.PRESCHOOL.value, _("Đang học mầm non")),
    (Schooling.PRIMARY.value, _("Đang học tiểu học")),
    (Schooling.LOWER_SECONDARY.value, _("Đang học trung học cơ sở")),
    (Schooling.UPPER_SECONDARY.value, _("Đang học trung học phổ thông")),
    (Schooling.VOCATIONAL.value, _("Đang học nghề (sơ cấp, trung cấp, cao đẳng)")),
    (Schooling.HIGHER.value, _("Đang học đại học")),
]
EDUCATION = [
    (EducationLevel.NONE.value, _("Chưa tốt nghiệp tiểu học")),
    (EducationLevel.PRIMARY.value, _("Tiểu học")),
    (EducationLevel.LOWER_SECONDARY.value, _("Trung học cơ sở")),
    (EducationLevel.UPPER_SECONDARY.value, _("Trung học phổ thông")),
    (EducationLevel.VOCATIONAL.value, _("Trung cấp, cao đẳng nghề")),
    (EducationLevel.HIGHER.value, _("Cao đẳng, đại học trở lên")),
]
EMPLOYMENT = [
    (Employment.WAGE_WITH_CONTRACT.value, _("Làm công ăn lương, có hợp đồng lao động")),
    (Employment.WAGE_NO_CONTRACT.value, _("Làm công ăn lương, không có hợp đồng lao động")),
    (Employment.SELF_EMPLOYED.value, _("Tự làm (nông nghiệp, buôn bán...)")),
    (Employment.UNEMPLOYED.value, _("Thất nghiệp")),
    (Employment.NOT_IN_LABOUR_FORCE.value, _("Không tham gia lao động (đi học, nội trợ, già yếu)")),
]
NUTRITION = [
    (Nutrition.NORMAL.value, _("Bình thường")),
    (Nutrition.STUNTED.value, _("Suy dinh dưỡng thấp còi")),
    (Nutrition.UNDERWEIGHT.value, _("Suy dinh dưỡng nhẹ cân")),
    (Nutrition.UNKNOWN.value, _("Không áp dụng / chưa rõ")),
]
WATER = [
    (WaterSource.PIPED.value, _("Nước máy")),
    (WaterSource.DRILLED_WELL.value, _("Giếng khoan")),
    (WaterSource.PROTECTED_DUG_WELL.value, _("Giếng đào được bảo vệ")),
    (WaterSource.PROTECTED_SPRING.value, _("Nước khe, mó được bảo vệ")),
    (WaterSource.RAIN.value, _("Nước mưa")),
    (WaterSource.BOTTLED.value, _("Nước đóng chai, bình")),
    (WaterSource.UNPROTECTED_WELL.value, _("Giếng đào không được bảo vệ")),
    (WaterSource.UNPROTECTED_SPRING.value, _("Nước khe, mó không được bảo vệ")),
    (WaterSource.SURFACE.value, _("Nước sông, suối, ao, hồ")),
    (WaterSource.OTHER.value, _("Nguồn khác")),
]
DEVICES = [
    (Device.TV.value, _("Ti vi")),
    (Device.RADIO.value, _("Radio")),
    (Device.COMPUTER.value, _("Máy tính")),
    (Device.PHONE.value, _("Điện thoại cố định / di động thường")),
    (Device.SMARTPHONE.value, _("Điện thoại thông minh")),
    (Device.TABLET.value, _("Máy tính bảng")),
]
POVERTY_CLASS = [
    (PovertyClass.POOR.value, _("Hộ nghèo")),
    (PovertyClass.NEAR_POOR.value, _("Hộ cận nghèo")),
    (PovertyClass.AVERAGE.value, _("Hộ có mức sống trung bình")),
    (PovertyClass.NONE.value, _("Không nghèo")),
]
TRANSITION = [
    (Transition.STILL_POOR.value, _("Vẫn nghèo")),
    (Transition.STILL_NEAR_POOR.value, _("Vẫn cận nghèo")),
    (Transition.STILL_NONE.value, _("Vẫn không nghèo")),
    (Transition.POOR_TO_NEAR_POOR.value, _("Thoát nghèo, trở thành cận nghèo")),
    (Transition.POOR_TO_NONE.value, _("Thoát nghèo, vượt chuẩn cận nghèo")),
    (Transition.NEAR_POOR_TO_POOR.value, _("Từ cận nghèo thành nghèo")),
    (Transition.NEAR_POOR_TO_NONE.value, _("Thoát cận nghèo")),
    (Transition.RE_POOR.value, _("Tái nghèo")),
    (Transition.NEWLY_POOR.value, _("Nghèo phát sinh")),
    (Transition.RE_NEAR_POOR.value, _("Tái cận nghèo")),
    (Transition.NEWLY_NEAR_POOR.value, _("Cận nghèo phát sinh")),
    (Transition.OTHER_INCREASE_POOR.value, _("Tăng khác (nghèo)")),
    (Transition.OTHER_INCREASE_NEAR_POOR.value, _("Tăng khác (cận nghèo)")),
    (Transition.OTHER_DECREASE_POOR.value, _("Giảm khác (nghèo)")),
    (Transition.OTHER_DECREASE_NEAR_POOR.value, _("Giảm khác (cận nghèo)")),
    (Transition.ARRIVED_NONE.value, _("Hộ mới, không nghèo")),
    (Transition.DEPARTED_NONE.value, _("Hộ ra khỏi danh sách, không nghèo")),
]


class Relation(models.TextChoices):
    HEAD = "head", _("Chủ hộ")
    SPOUSE = "spouse", _("Vợ/chồng")
    CHILD = "child", _("Con")
    PARENT = "parent", _("Cha/mẹ")
    GRANDCHILD = "grandchild", _("Cháu")
    SIBLING = "sibling", _("Anh/chị/em")
    OTHER = "other", _("Khác")


class Ethnicity(models.TextChoices):
    """The groups living in the province (Quảng Ngãi and former Kon Tum), then "other"."""

    KINH = "kinh", _("Kinh")
    HRE = "hre", _("Hrê")
    COR = "cor", _("Cor")
    CA_DONG = "ca_dong", _("Ca Dong")
    XO_DANG = "xo_dang", _("Xơ Đăng")
    BA_NA = "ba_na", _("Ba Na")
    GIE_TRIENG = "gie_trieng", _("Giẻ Triêng")
    GIA_RAI = "gia_rai", _("Gia Rai")
    BRAU = "brau", _("Brâu")
    RO_MAM = "ro_mam", _("Rơ Măm")
    HOA = "hoa", _("Hoa")
    OTHER = "other", _("Dân tộc khác")


class Cause(models.TextChoices):
    """Causes of poverty recorded by the review (DOMAIN.md §7)."""

    LAND = "land", _("Thiếu đất sản xuất")
    CAPITAL = "capital", _("Thiếu vốn")
    LABOUR = "labour", _("Thiếu lao động")
    TOOLS = "tools", _("Thiếu phương tiện sản xuất")
    KNOWHOW = "knowhow", _("Không biết cách làm ăn")
    SKILLS = "skills", _("Thiếu kỹ năng lao động, tay nghề")
    ILLNESS = "illness", _("Có người ốm đau, bệnh nặng, tai nạn")
    OTHER = "other", _("Nguyên nhân khác")


class Need(models.TextChoices):
    HEALTH = "health", _("Y tế")
    EDUCATION = "education", _("Giáo dục")
    PRODUCTION = "production", _("Hỗ trợ sản xuất")
    CREDIT = "credit", _("Vay vốn tín dụng")
    HOUSING = "housing", _("Nhà ở")
    OTHER = "other", _("Khác")


class Arrival(models.TextChoices):
    """Why a household joins a commune's list this round ("tăng khác" when poor/near-poor)."""

    MOVED_IN = "moved_in", _("Chuyển đến")
    SPLIT = "split", _("Tách hộ")
    MERGED_IN = "merged_in", _("Nhập hộ")
    NEW = "new", _("Hộ mới đăng ký")


class ExclusionReason(models.TextChoices):
    """Why a household leaves a commune's list ("giảm khác" when it was poor/near-poor)."""

    MOVED_OUT = "moved_out", _("Chuyển đi")
    MERGED = "merged", _("Nhập vào hộ khác")
    DIED = "died", _("Thành viên duy nhất đã chết")
    OTHER = "other", _("Lý do khác")


class EntryBasis(models.TextChoices):
    """Why a household is put on a regular (monthly) round's list besides an arrival
    (``Arrival``, which the entry keeps in its own field)."""

    REQUEST = "request", _("Hộ có giấy đề nghị rà soát")
    OFFICER = "officer", _("Cán bộ xã đề xuất")
