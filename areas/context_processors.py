"""Navigation for the site's shell: which menu entries a user sees depends on their roles."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .scope import Capability, request_scope

# (url name, label, capability needed). Apps add their entries here as they arrive: the daily
# work on top, the program's other records under "Chương trình" (PROGRAM) so that the bar stays
# on one line on a desktop.
MENU = (
    ("home", _("Trang chủ"), None),
    ("household_list", _("Hộ gia đình"), Capability.SEE),
    ("round_list", _("Đợt rà soát"), Capability.SEE),
    ("dashboard", _("Chỉ tiêu"), Capability.SEE),
    ("analysis", _("Phân tích"), "analyse"),  # leaders, administrators, district staff
    ("project_list", _("Dự án sinh kế"), Capability.SEE),
    ("project_queue", _("Chờ phê duyệt"), Capability.REVIEW),
    ("program", _("Chương trình"), None),
    ("export_index", _("Báo cáo"), Capability.SEE),
)
PROGRAM = (
    ("support_index", _("Hỗ trợ hộ nghèo"), Capability.SEE),
    ("model_register", _("Mô hình giảm nghèo"), Capability.SEE),
    ("course_list", _("Tập huấn, việc làm"), Capability.SEE),
    ("finance_plan_list", _("Vốn"), Capability.SEE),
    ("visit_list", _("Kiểm tra, giám sát"), Capability.SEE),
    ("labour_index", _("Lao động, việc làm"), Capability.SEE),
    ("contributions_list", _("Quỹ Vì người nghèo"), Capability.SEE),
    ("communication_list", _("Truyền thông"), Capability.SEE),
    ("unit_list", _("Đơn vị hành chính"), Capability.SEE),
)


def _entries(request, scope, menu) -> list[dict]:
    items = []
    for name, label, capability in menu:
        if capability == "analyse":
            from indicators.analysis import can_analyse

            allowed = can_analyse(scope)
        else:
            allowed = capability is None or scope.can(capability)
        if not allowed:
            continue
        if name == "program":
            children = _entries(request, scope, PROGRAM)
            if children:
                active = any(c["active"] for c in children)
                items.append({"label": label, "children": children, "active": active})
            continue
        url = reverse(name)
        active = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"url": url, "label": label, "active": active})
    return items


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    scope = request_scope(request)
    items = _entries(request, scope, MENU)
    return {
        "nav_items": items,
        "nav_admin": request.user.is_staff,
        "scope": scope,
    }
