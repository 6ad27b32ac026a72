"""Demo trainings for ``seed_demo``: a staff course, a production-technique course and a job
session with the employment found after it, in the first demo commune (see projects.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from areas.models import Unit
from households.models import HouseholdStatus, Member
from projects import services
from projects.models import Course, ProgramComponent


def _working_age(commune: Unit, limit: int) -> list[Member]:
    today = timezone.localdate()
    return list(
        Member.objects.filter(
            is_current=True,
            household__status=HouseholdStatus.ACTIVE,
            household__commune=commune,
            birth_date__lte=today.replace(year=today.year - 18),
            birth_date__gt=today.replace(year=today.year - 55),
        )
        .select_related("household__commune")
        .order_by("household__code", "id")[:limit]
    )


def _course(who, commune: Unit, number: str, **fields) -> Course:
    component = ProgramComponent.objects.get(program__code="2021-2025", number=number)
    return services.course_create(by=who, unit=commune, component=component, **fields)


def demo_trainings_seed(commune: Unit, users: dict, who: dict, report) -> None:
    """A staff course, a production-technique course, a job session with employment after it."""
    host, officer = who["reviewer"], who["officer"]
    staff = _course(
        host,
        commune,
        "7.1",
        title="Bồi dưỡng nghiệp vụ giảm nghèo năm 2026",
        kind="staff",
        starts_on=dt.date(2026, 5, 12),
        ends_on=dt.date(2026, 5, 14),
        place="Hội trường Ủy ban nhân dân xã",
        organiser="Sở Nông nghiệp và Môi trường",
    )
    services.course_participants_add(
        by=host, course=staff, users=[users["canbo.xa"], users["canbo.huyen"]]
    )
    rows = {p.pk: (True, p.user_id == users["canbo.xa"].pk) for p in staff.participants.all()}
    services.course_attendance_save(by=host, course=staff, rows=rows)
    people = _working_age(commune, 16)
    technique = _course(
        host,
        commune,
        "3.1",
        title="Tập huấn kỹ thuật chăn nuôi bò sinh sản",
        kind="technique",
        starts_on=dt.date(2026, 3, 3),
        ends_on=dt.date(2026, 3, 5),
        place="Nhà văn hóa thôn",
        organiser="Trạm Khuyến nông",
    )
    services.course_participants_add(by=host, course=technique, members=people[:10])
    rows = {p.pk: (i != 3, i not in (3, 7)) for i, p in enumerate(technique.participants.all())}
    services.course_attendance_save(by=host, course=technique, rows=rows)
    fair = _course(
        host,
        commune,
        "4.3",
        title="Phiên giao dịch việc làm lưu động",
        kind="job_fair",
        starts_on=dt.date(2026, 6, 20),
        ends_on=dt.date(2026, 6, 20),
        place="Sân vận động xã",
        organiser="Trung tâm Dịch vụ việc làm tỉnh",
    )
    services.course_participants_add(by=host, course=fair, members=people[8:16])
    services.course_attendance_save(
        by=host, course=fair, rows={p.pk: (True, False) for p in fair.participants.all()}
    )
    jobs = (
        ("Công ty TNHH may mặc Dung Quất", "long", False, True),
        ("", "self", False, True),
        ("Công ty xuất khẩu lao động (Nhật Bản)", "abroad", True, True),
        ("Cơ sở chế biến gỗ Tịnh Phong", "short", False, False),
    )
    for member, (employer, contract, abroad, sustainable) in zip(people[8:12], jobs, strict=False):
        services.employment_record_create(
            by=officer,
            member=member,
            employer=employer,
            contract=contract,
            starts_on=dt.date(2026, 7, 15),
            is_abroad=abroad,
            is_sustainable=sustainable,
            course=fair,
        )
        report.employment += 1
    report.courses += 3
    report.course_participants += sum(c.participants.count() for c in (staff, technique, fair))
