"""Courses, participants, attendance, employment records, and the counts they feed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.models import Member, ReviewRound
from projects import rollups, services
from projects.models import CourseParticipant
from tests.projects.factories import (
    approved,
    classify,
    component,
    households,
    open_round,
    proposal,
)

pytestmark = pytest.mark.django_db


def course_data(**over):
    data = {
        "title": "Tập huấn kỹ thuật nuôi bò",
        "kind": "technique",
        "component": component("3.1"),
        "starts_on": dt.date(2026, 4, 1),
        "ends_on": dt.date(2026, 4, 3),
        "place": "Nhà văn hóa thôn 1",
        "organiser": "Trạm khuyến nông",
    }
    data.update(over)
    return data


@pytest.fixture
def course(cast, ba_to):
    return services.course_create(by=cast.officer, unit=ba_to, **course_data())


def test_who_holds_courses(cast, ba_to, ba_vinh, son_tinh):
    services.course_create(
        by=cast.district, unit=ba_vinh, **course_data(kind="staff", component=component("7.1"))
    )
    for who, where in ((cast.leader, ba_to), (cast.outsider, ba_to), (cast.officer, son_tinh)):
        with pytest.raises(PermissionDenied):
            services.course_create(by=who, unit=where, **course_data())
    with pytest.raises(ValidationError) as exc:
        services.course_create(by=cast.officer, unit=ba_to, **course_data(component=component("2")))
    assert "component" in exc.value.message_dict


def test_participants_and_attendance(cast, course, ba_to, son_tinh, members):
    member = Member.objects.filter(household=members[0]).get()
    added = services.course_participants_add(
        by=cast.officer, course=course, users=[cast.officer, cast.district], members=[member]
    )
    assert added == 3
    stranger = Member.objects.filter(household=households(cast.outsider, son_tinh, 1)[0]).get()
    with pytest.raises(ValidationError, match="không thuộc hộ cư trú"):
        services.course_participants_add(by=cast.officer, course=course, members=[stranger])
    with pytest.raises(ValidationError, match="cán bộ"):
        services.course_participants_add(by=cast.officer, course=course, users=[cast.leader])
    rows = {p.pk: (True, True) for p in course.participants.all()}
    assert services.course_attendance_save(by=cast.officer, course=course, rows=rows) == 3
    first = course.participants.first()
    with pytest.raises(ValidationError, match="chỉ ghi hoàn thành khi đã tham dự"):
        services.course_attendance_save(
            by=cast.officer, course=course, rows={first.pk: (False, True)}
        )
    with pytest.raises(PermissionDenied):
        services.course_attendance_save(by=cast.leader, course=course, rows=rows)


def test_course_pages(client, cast, course, members):
    member = Member.objects.filter(household=members[0]).get()
    client.force_login(cast.officer)
    response = client.get(reverse("course_participants", args=[course.pk]), {"q": members[0].code})
    assert member.full_name in response.content.decode()
    client.post(
        reverse("course_participants", args=[course.pk]),
        {"member": [member.pk], "user": [cast.officer.pk]},
    )
    participant = CourseParticipant.objects.get(course=course, member=member)
    client.post(
        reverse("course_detail", args=[course.pk]),
        {
            "participant": [participant.pk],
            "attended": [participant.pk],
            "completed": [participant.pk],
        },
    )
    participant.refresh_from_db()
    assert participant.attended and participant.completed
    client.force_login(cast.outsider)
    assert client.get(reverse("course_detail", args=[course.pk])).status_code == 404
    client.force_login(cast.leader)
    assert client.get(reverse("course_detail", args=[course.pk])).status_code == 200
    assert client.post(reverse("course_detail", args=[course.pk]), {}).status_code == 403
    assert client.get(reverse("course_create")).status_code == 403


def test_course_list_is_scoped_with_constant_queries(client, cast, ba_to, son_tinh):
    services.course_create(by=cast.officer, unit=ba_to, **course_data())
    services.course_create(by=cast.outsider, unit=son_tinh, **course_data(title="Lớp Sơn Tịnh"))
    client.force_login(cast.officer)
    body = client.get(reverse("course_list")).content.decode()
    assert "Tập huấn kỹ thuật nuôi bò" in body and "Lớp Sơn Tịnh" not in body
    client.force_login(cast.leader)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("course_list"))
    for i in range(5):
        services.course_create(by=cast.officer, unit=ba_to, **course_data(title=f"Lớp {i}"))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("course_list"))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "Chưa có lớp" in client.get(reverse("course_list"), {"kind": "abroad"}).content.decode()


def test_employment_records(client, cast, members, son_tinh):
    member = Member.objects.filter(household=members[0]).get()
    with pytest.raises(ValidationError) as exc:
        services.employment_record_create(
            by=cast.officer, member=member, contract="long", starts_on=dt.date(2026, 1, 5)
        )
    assert "employer" in exc.value.message_dict
    record = services.employment_record_create(
        by=cast.officer,
        member=member,
        contract="self",
        starts_on=dt.date(2026, 1, 5),
        is_sustainable=True,
    )
    assert record.is_self_employed
    for who in (cast.leader, cast.district, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.employment_record_create(
                by=who, member=member, contract="self", starts_on=dt.date(2026, 1, 5)
            )
    client.force_login(cast.officer)
    assert member.full_name in client.get(reverse("employment_list")).content.decode()
    response = client.post(
        reverse("employment_create", args=[member.pk]),
        {
            "employer": "Công ty may Dung Quất",
            "contract": "long",
            "starts_on": "01/06/2026",
            "is_sustainable": "on",
        },
    )
    assert response.status_code == 302 and member.employment_records.count() == 2
    client.force_login(cast.outsider)
    assert client.get(reverse("employment_create", args=[member.pk])).status_code == 404
    assert member.full_name not in client.get(reverse("employment_list")).content.decode()
    client.force_login(cast.leader)
    assert client.get(reverse("employment_create", args=[member.pk])).status_code == 403


# --- the counts that feed the targets --------------------------------------------------------


def test_rollups(cast, ba_to, members, course, django_assert_max_num_queries):
    # staff trained this year: the officer completes a staff course, the district staff does not
    staff_course = services.course_create(
        by=cast.officer, unit=ba_to, **course_data(kind="staff", component=component("7.1"))
    )
    services.course_participants_add(
        by=cast.officer, course=staff_course, users=[cast.officer, cast.district]
    )
    rows = {
        p.pk: (p.user_id == cast.officer.pk, p.user_id == cast.officer.pk)
        for p in staff_course.participants.all()
    }
    services.course_attendance_save(by=cast.officer, course=staff_course, rows=rows)
    with django_assert_max_num_queries(1):
        trained = rollups.staff_trained(2026, [ba_to.path])
    assert trained == {"staff": 2, "trained": 1}  # officer and district staff of Ba Tơ
    # workers supported: two members complete the technique course
    people = list(Member.objects.filter(household__in=members[:2]))
    services.course_participants_add(by=cast.officer, course=course, members=people)
    services.course_attendance_save(
        by=cast.officer, course=course, rows={p.pk: (True, True) for p in course.participants.all()}
    )
    assert rollups.workers_supported_by_commune(2026) == {ba_to.pk: 2}
    assert rollups.workers_supported_by_commune(2025) == {}
    # sustainable employment in poor households of a round
    round_ = open_round(cast.admin, 2026)
    classify(cast.officer, round_, members[0], "poor")
    classify(cast.officer, round_, members[1], "none")
    for household in members[:2]:
        services.employment_record_create(
            by=cast.officer, member=household.members.get(), contract="self",
            starts_on=dt.date(2026, 1, 1), is_sustainable=True,
        )  # fmt: skip
    assert rollups.sustainable_employment_households_by_commune(ReviewRound.objects.get()) == {
        ba_to.pk: 1
    }
    # projects approved and models built / replicated
    project = approved(proposal(cast.officer, [ba_to], members[2:]), cast.officer, cast.district)
    assert rollups.projects_approved_by_commune(project.decision_date.year) == {ba_to.pk: 1}
    model = approved(
        proposal(cast.officer, [ba_to], members[2:], form="model", component=component("2")),
        cast.officer,
        cast.district,
    )
    (row,) = rollups.models_by_commune_year()
    assert (row["unit_id"], row["year"], row["built"], row["replicated"]) == (
        ba_to.pk, model.starts_on.year, 1, 0,
    )  # fmt: skip


def test_employment_list_costs_the_same_whatever_the_rows(client, cast, ba_to):
    people = [h.members.get() for h in households(cast.officer, ba_to, 6)]

    def record(member):
        services.employment_record_create(
            by=cast.officer, member=member, contract="self", starts_on=dt.date(2026, 2, 1)
        )

    record(people[0])
    client.force_login(cast.leader)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("employment_list"))
    for member in people[1:]:
        record(member)
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("employment_list")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert all(m.full_name in body for m in people)
