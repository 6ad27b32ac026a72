"""Demo inspection and supervision visits for ``seed_demo``, through the monitoring services:
two visits per former district of the demo communes (``projects._communes``) in each of 2025
and 2026, with recommendations in every state (open, overdue, in progress, reported done,
confirmed, reopened) and their follow-up notes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction

from areas.models import Unit, UnitGroup
from monitoring import services
from monitoring.models import Visit
from projects.models import Project

from .projects import PREFIX, _actors, _communes, _who

# (held on, kind, organiser, team) of each former district's two visits of a year
VISITS = {
    2025: (
        (dt.date(2025, 9, 16), "check", "Ban Chỉ đạo các Chương trình MTQG tỉnh",
         "Đoàn kiểm tra liên ngành tỉnh"),
        (dt.date(2025, 11, 20), "community", "Ban Giám sát đầu tư cộng đồng xã",
         "Ban Giám sát đầu tư cộng đồng"),
    ),
    2026: (
        (dt.date(2026, 4, 14), "monitoring", "HĐND tỉnh",
         "Đoàn giám sát của Ban Dân tộc HĐND tỉnh"),
        (dt.date(2026, 10, 6), "inspection", "Thanh tra tỉnh", "Đoàn thanh tra chuyên đề"),
    ),
}  # fmt: skip

TEXTS = (
    "Rà soát, bổ sung hồ sơ hộ nghèo còn thiếu chữ ký của chủ hộ",
    "Công khai danh sách hộ được hỗ trợ tại nhà văn hóa thôn",
    "Hoàn thiện sổ theo dõi cấp phát giống, vật tư cho hộ tham gia dự án",
    "Tổ chức họp thôn bình xét lại các hộ có khiếu nại",
)


def _groups(communes: list[Unit]) -> dict[int, list[Unit]]:
    """The demo communes by former district (the 'huyen-cu-' groups)."""
    found: dict[int, list[Unit]] = defaultdict(list)
    links = UnitGroup.members.through.objects.filter(
        unitgroup__code__startswith="huyen-cu-", unit__in=communes
    ).values_list("unitgroup_id", "unit_id")
    by_pk = {c.pk: c for c in communes}
    for group, commune in links:
        found[group].append(by_pk[commune])
    return found


def _recommendations(visit: Visit, commune: Unit, who: dict) -> int:
    """Four recommendations: each reaches a different state, by ``visit.held_on`` plus a few
    months (those due after today stay open)."""
    reviewer, officer = who["reviewer"], who["officer"]
    day = visit.held_on
    made = [
        services.recommendation_add(
            by=reviewer,
            visit=visit,
            text=text,
            commune=commune,
            due_on=day + dt.timedelta(days=45 + 30 * i),
        )
        for i, text in enumerate(TEXTS)
    ]
    first, second, third, _fourth = made  # the fourth stays open
    note = day + dt.timedelta(days=20)
    services.follow_up_add(by=officer, recommendation=first, on=note, note="Đã rà soát 12/15 hộ.")
    services.recommendation_report(
        by=officer, recommendation=first, on=note + dt.timedelta(days=10),
        note="Đã bổ sung đủ chữ ký, lưu hồ sơ tại xã.",
    )  # fmt: skip
    services.recommendation_confirm(
        by=reviewer, recommendation=first, on=note + dt.timedelta(days=15),
        note="Đã kiểm tra hồ sơ: đạt.",
    )  # fmt: skip
    services.recommendation_report(
        by=officer, recommendation=second, on=note, note="Đã niêm yết danh sách tại 5 thôn."
    )
    if day.year == 2025:  # a report sent back, then the work goes on
        services.recommendation_reopen(
            by=reviewer, recommendation=second, on=note + dt.timedelta(days=7),
            note="Thôn 3 chưa niêm yết: đề nghị bổ sung.",
        )  # fmt: skip
    services.follow_up_add(
        by=officer, recommendation=third, on=note, note="Đang lập sổ theo mẫu của huyện."
    )
    return len(made)


def monitoring_demo_seed() -> str:
    if Visit.objects.exists():
        return "Demo visits already exist: nothing added."
    users = _actors()
    communes = _communes()
    if users is None or not communes:
        return "No demo accounts or communes: no demo visit."
    visits = recommendations = 0
    for group_communes in _groups(communes).values():
        commune = group_communes[0]
        who = _who(users, commune)
        projects = list(
            Project.objects.filter(code__startswith=PREFIX, communes=commune, status="approved")[:1]
        )
        for year, plans in VISITS.items():
            for n, (held_on, kind, organiser, team) in enumerate(plans):
                with transaction.atomic():
                    visit = services.visit_create(
                        by=who["reviewer"],
                        kind=kind,
                        held_on=held_on,
                        organiser=organiser,
                        team=team,
                        lead="Phó Trưởng đoàn thường trực",
                        communes=group_communes[:2],
                        projects=projects if (n == 1 and year == 2026) else [],
                        findings=(
                            "Xã triển khai đúng đối tượng; hồ sơ một số hộ chưa đầy đủ, "
                            "việc công khai danh sách chưa kịp thời."
                        ),
                        status="closed" if held_on.year == 2025 else "draft",
                    )
                    visits += 1
                    recommendations += _recommendations(visit, commune, who)
    return f"Demo visits: {visits} visits, {recommendations} recommendations."
