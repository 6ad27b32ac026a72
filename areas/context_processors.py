"""Navigation for the site's shell: which menu entries a user sees depends on their roles."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .scope import Capability, request_scope

# (url name, label, capability needed). Apps add their entries here as they arrive.
MENU = (
    ("home", _("Trang chủ"), None),
    ("household_list", _("Hộ gia đình"), Capability.SEE),
    ("round_list", _("Đợt rà soát"), Capability.SEE),
    ("dashboard", _("Chỉ tiêu"), Capability.SEE),
    ("analysis", _("Phân tích"), "analyse"),  # leaders, administrators, district staff
    ("unit_list", _("Đơn vị hành chính"), Capability.SEE),
    ("project_list", _("Dự án sinh kế"), Capability.SEE),
    ("project_queue", _("Chờ phê duyệt"), Capability.REVIEW),
    ("model_register", _("Mô hình giảm nghèo"), Capability.SEE),
    ("course_list", _("Tập huấn, việc làm"), Capability.SEE),
    ("support_index", _("Hỗ trợ hộ nghèo"), Capability.SEE),
    ("finance_plan_list", _("Vốn"), Capability.SEE),
    ("visit_list", _("Kiểm tra, giám sát"), Capability.SEE),
    ("labour_index", _("Lao động, việc làm"), Capability.SEE),
    ("export_index", _("Báo cáo"), Capability.SEE),
)


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    scope = request_scope(request)
    items = []
    for name, label, capability in MENU:
        if capability == "analyse":
            from indicators.analysis import can_analyse

            allowed = can_analyse(scope)
        else:
            allowed = capability is None or scope.can(capability)
        if allowed:
            url = reverse(name)
            active = request.path == url or (url != "/" and request.path.startswith(url))
            items.append({"url": url, "label": label, "active": active})
    return {
        "nav_items": items,
        "nav_admin": request.user.is_staff,
        "scope": scope,
    }
