"""Translatable choices of the projects app (the rules in rules.py use the plain values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectForm(models.TextChoices):
    """Forms of production support (Decree 27/2022, amended by Decree 38/2023)."""

    COMMUNITY = "community", _("Dự án hỗ trợ phát triển sản xuất cộng đồng")
    VALUE_CHAIN = "value_chain", _("Dự án hỗ trợ phát triển sản xuất liên kết theo chuỗi giá trị")
    MODEL = "model", _("Mô hình giảm nghèo")


class Sector(models.TextChoices):
    CROPS = "crops", _("Trồng trọt")
    LIVESTOCK = "livestock", _("Chăn nuôi")
    FORESTRY = "forestry", _("Lâm nghiệp")
    AQUACULTURE = "aquaculture", _("Nuôi trồng thủy sản")
    FISHING = "fishing", _("Khai thác thủy sản")
    SALT = "salt", _("Diêm nghiệp")
    NON_FARM = "non_farm", _("Ngành nghề phi nông nghiệp")
    SERVICES = "services", _("Dịch vụ, du lịch")


class GroupKind(models.TextChoices):
    """Who proposes and runs the project."""

    HOUSEHOLD_GROUP = "household_group", _("Nhóm hộ được Ủy ban nhân dân xã công nhận")
    COOPERATIVE_GROUP = "cooperative_group", _("Tổ hợp tác")
    MASS_ORGANISATION = "mass_organisation", _("Nhóm hộ do tổ chức chính trị - xã hội chủ trì")
    VILLAGE_BOARD = "village_board", _("Nhóm hộ do Ban phát triển thôn chủ trì")
    PRESTIGIOUS_PERSON = "prestigious_person", _("Nhóm hộ do người có uy tín chủ trì")
    ENTERPRISE = "enterprise", _("Doanh nghiệp, hợp tác xã (chủ trì liên kết)")


class Category(models.TextChoices):
    """A participating household's beneficiary category when it joined the project."""

    POOR = "poor", _("Hộ nghèo")
    NEAR_POOR = "near_poor", _("Hộ cận nghèo")
    NEWLY_ESCAPED = "newly_escaped", _("Hộ mới thoát nghèo")
    DISABLED = "disabled", _("Người khuyết tật không có sinh kế ổn định")
    POOR_AREA = "poor_area", _("Người dân huyện nghèo, xã đặc biệt khó khăn")
    OTHER = "other", _("Hộ khác")


class AreaType(models.TextChoices):
    POOR_DISTRICT = "poor_district", _("Huyện nghèo / xã nghèo")
    COASTAL_DIFFICULT = (
        "coastal_difficult",
        _("Xã đặc biệt khó khăn vùng bãi ngang, ven biển, hải đảo"),
    )
    MOUNTAINOUS = "mountainous", _("Vùng miền núi")
    OTHER = "other", _("Địa bàn khác")


class ApprovalLevelChoice(models.TextChoices):
    COMMUNE = "commune", _("Ủy ban nhân dân cấp xã")
    DISTRICT = "district", _("Ủy ban nhân dân cấp huyện (nhóm huyện cũ sau 2025)")
    PROVINCE = "province", _("Ủy ban nhân dân cấp tỉnh")


class Status(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi, chờ thẩm định")
    UNDER_APPRAISAL = "under_appraisal", _("Đang thẩm định")
    RETURNED = "returned", _("Bị trả lại")
    REJECTED = "rejected", _("Không phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    COMPLETED = "completed", _("Đã hoàn thành")
    EVALUATED = "evaluated", _("Đã đánh giá")


class Action(models.TextChoices):
    CREATE = "create", _("Tạo đề xuất")
    SUBMIT = "submit", _("Gửi đề xuất")
    APPRAISE = "appraise", _("Nhận thẩm định")
    APPROVE = "approve", _("Phê duyệt")
    RETURN = "return", _("Trả lại")
    REJECT = "reject", _("Không phê duyệt")
    START = "start", _("Bắt đầu thực hiện")
    COMPLETE = "complete", _("Hoàn thành")
    EVALUATE = "evaluate", _("Đánh giá")
    AMEND = "amend", _("Điều chỉnh")


class Rating(models.TextChoices):
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    AVERAGE = "average", _("Trung bình")
    POOR = "poor", _("Kém")


class CourseKind(models.TextChoices):
    STAFF = "staff", _("Bồi dưỡng, tập huấn cán bộ làm công tác giảm nghèo")
    TECHNIQUE = "technique", _("Tập huấn kỹ thuật sản xuất nông, lâm, ngư, diêm nghiệp")
    VOCATIONAL = "vocational", _("Đào tạo nghề")
    JOB_FAIR = "job_fair", _("Sàn, phiên giao dịch việc làm")
    ABROAD = "abroad", _("Định hướng đi làm việc ở nước ngoài theo hợp đồng")


class Contract(models.TextChoices):
    NONE = "none", _("Không có hợp đồng")
    SHORT = "short", _("Hợp đồng dưới 12 tháng")
    LONG = "long", _("Hợp đồng từ 12 tháng trở lên")
    INDEFINITE = "indefinite", _("Hợp đồng không xác định thời hạn")
    ABROAD = "abroad", _("Hợp đồng đi làm việc ở nước ngoài")
    SELF = "self", _("Tự tạo việc làm")
