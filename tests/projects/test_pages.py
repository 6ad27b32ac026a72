"""Project pages as anonymous (login), outsider (404), read-only (403) and allowed users; the
proposal through the pages; filters, totals and constant query counts of the lists."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import Project
from tests.projects.factories import approved, component, evaluated_model, households, proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast, ba_to, members):
    return proposal(cast.officer, [ba_to], members)


def urls(pk):
    return [
        reverse("project_detail", args=[pk]),
        reverse("project_edit", args=[pk]),
        reverse("project_budget", args=[pk]),
        reverse("project_participants", args=[pk]),
        reverse("project_minutes", args=[pk]),
        reverse("project_evaluate", args=[pk]),
        reverse("project_amend", args=[pk]),
        reverse("model_replicate", args=[pk]),
    ]


def test_anonymous_is_sent_to_login(client, project):
    lists = ["project_list", "project_queue", "model_register", "project_create", "course_list"]
    for url in [reverse(n) for n in lists] + urls(project.pk):
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"], url
    response = client.post(reverse("project_step", args=[project.pk, "submit"]))
    assert response.status_code == 302


def test_outsider_gets_404_everywhere(client, cast, project):
    client.force_login(cast.outsider)
    for url in urls(project.pk):
        assert client.get(url).status_code == 404, url
    for action in ("submit", "approve", "return"):
        assert client.post(reverse("project_step", args=[project.pk, action])).status_code == 404
    assert client.post(reverse("project_participants", args=[project.pk])).status_code == 404


def test_leader_reads_but_gets_403_on_writes(client, cast, project):
    client.force_login(cast.leader)
    assert client.get(reverse("project_detail", args=[project.pk])).status_code == 200
    for url in [*urls(project.pk)[1:4], reverse("project_create")]:
        assert client.get(url).status_code == 403, url
    for action in ("submit", "appraise", "approve", "start"):
        assert client.post(reverse("project_step", args=[project.pk, action])).status_code == 403
    project.refresh_from_db()
    assert project.status == "draft"


def test_bad_ids_and_unknown_steps_are_404(client, cast, project):
    client.force_login(cast.admin)
    assert client.get(reverse("project_detail", args=[999999])).status_code == 404
    assert client.post(reverse("project_step", args=[project.pk, "delete"])).status_code == 404
    assert client.post(reverse("project_step", args=[999999, "submit"])).status_code == 404
    assert client.get(reverse("project_minutes", args=[project.pk])).status_code == 404  # no file


def test_menu_entries_follow_roles(client, cast):
    client.force_login(cast.officer)
    body = client.get(reverse("home")).content.decode()
    assert reverse("project_list") in body and reverse("project_queue") not in body
    client.force_login(cast.district)
    assert reverse("project_queue") in client.get(reverse("home")).content.decode()


# --- the proposal through the pages ----------------------------------------------------------


def dossier_post(**over):
    data = {
        "title": "Nuôi dê sinh sản",
        "form": "community",
        "component": component().pk,
        "sector": "livestock",
        "group_kind": "household_group",
        "group_name": "Nhóm hộ nuôi dê thôn Gò Khôi",
        "starts_on": "01/03/2026",
        "ends_on": "31/12/2026",
    }
    data.update(over)
    return data


def test_proposal_in_steps(client, cast, ba_to, members):
    client.force_login(cast.officer)
    page = client.get(reverse("project_create")).content.decode()
    assert "checked" in page  # the officer's only commune is ticked
    minutes = SimpleUploadedFile("Biên bản.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        reverse("project_create"), {**dossier_post(communes=[ba_to.pk]), "minutes": minutes}
    )
    project = Project.objects.get(title="Nuôi dê sinh sản")
    assert response.status_code == 302 and response["Location"] == reverse(
        "project_budget", args=[project.pk]
    )
    assert project.starts_on.isoformat() == "2026-03-01" and project.minutes_name == "Biên bản.pdf"
    response = client.post(
        reverse("project_budget", args=[project.pk]),
        {
            "version": project.version,
            "total_cost": "60.000.000",
            "state_support": "54.000.000",
            "counterpart_cash": "0",
            "counterpart_kind": "0",
            "counterpart_labour": "6.000.000",
            "policy_credit": "0",
            "other_funds": "0",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-name": "Dê cái giống",
            "items-0-unit": "con",
            "items-0-quantity": "20",
            "items-0-unit_cost": "2.700.000",
            "items-1-name": "Công chăm sóc",
            "items-1-unit": "công",
            "items-1-quantity": "30",
            "items-1-unit_cost": "200.000",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.total_cost == 60_000_000 and project.items.count() == 2
    page = client.get(reverse("project_participants", args=[project.pk]), {"q": "Chủ hộ"})
    assert members[0].code in page.content.decode()
    post = {"household": [h.pk for h in members]}
    post |= {f"category_{h.pk}": "poor" for h in members}
    client.post(reverse("project_participants", args=[project.pk]), post)
    project.refresh_from_db()
    assert project.participant_count == 5 and project.is_priority
    body = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "Hồ sơ đạt các điều kiện" in body
    response = client.post(reverse("project_step", args=[project.pk, "submit"]), follow=True)
    assert "Đã gửi, chờ thẩm định" in response.content.decode()
    # the minutes: to users who see the project, as an attachment
    response = client.get(reverse("project_minutes", args=[project.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    client.force_login(cast.outsider)
    assert client.get(reverse("project_minutes", args=[project.pk])).status_code == 404


def test_dossier_errors_are_shown_beside_the_fields(client, cast, ba_to):
    client.force_login(cast.officer)
    bad = SimpleUploadedFile("virus.exe", b"MZ")
    response = client.post(
        reverse("project_create"),
        {
            **dossier_post(communes=[ba_to.pk], ends_on="01/01/2026", starts_on="32/01/2026"),
            "minutes": bad,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Chỉ nhận tệp PDF, JPG, PNG hoặc DOCX" in body
    assert "invalid-feedback" in body
    assert not Project.objects.exists()


def test_budget_form_rejects_letters(client, cast, project):
    client.force_login(cast.officer)
    response = client.post(
        reverse("project_budget", args=[project.pk]),
        {"total_cost": "mười triệu", "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"},
    )
    assert "Nhập số tiền bằng chữ số" in response.content.decode()


def test_failing_checks_are_listed_and_submit_refused(client, cast, ba_to, members):
    project = proposal(cast.officer, [ba_to], members[:2], categories=["other", "other"])
    client.force_login(cast.officer)
    body = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "Chưa gửi được đề xuất" in body and "cần ít nhất 50%" in body
    response = client.post(reverse("project_step", args=[project.pk, "submit"]))
    assert "cần ít nhất 50%" in response.content.decode()
    project.refresh_from_db()
    assert project.status == "draft"


def test_district_approves_through_the_page(client, cast, project):
    services.project_submit(by=cast.officer, project=project)
    client.force_login(cast.district)
    client.post(reverse("project_step", args=[project.pk, "appraise"]))
    response = client.post(
        reverse("project_step", args=[project.pk, "approve"]), {"approve-comment": ""}
    )
    assert (
        response.status_code == 200 and "Nhập số quyết định phê duyệt" in response.content.decode()
    )
    response = client.post(
        reverse("project_step", args=[project.pk, "approve"]),
        {
            "approve-decision_number": "7/QĐ-UBND",
            "approve-decision_date": timezone.localdate().strftime("%d/%m/%Y"),
        },
        follow=True,
    )
    assert "Đã phê duyệt" in response.content.decode()
    project.refresh_from_db()
    assert project.status == "approved" and project.decision_number == "7/QĐ-UBND"


def test_amendment_and_evaluation_pages(client, cast, project, members):
    approved(project, cast.officer, cast.district)
    client.force_login(cast.officer)
    assert client.get(reverse("project_amend", args=[project.pk])).status_code == 403
    client.force_login(cast.district)
    assert client.get(reverse("project_amend", args=[project.pk])).status_code == 200
    item = project.items.get()
    response = client.post(
        reverse("project_amend", args=[project.pk]),
        {
            "reason": "Một hộ chuyển đi",
            "total_cost": "100000000", "state_support": "90000000", "counterpart_cash": "10000000",
            "counterpart_kind": "0", "counterpart_labour": "0", "policy_credit": "0",
            "other_funds": "0",
            "remove": [str(members[0].pk)],
            "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "1",
            "items-0-name": item.name, "items-0-unit": item.unit,
            "items-0-quantity": "10", "items-0-unit_cost": str(item.unit_cost),
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert project.amendments.count() == 1 and project.participants.count() == 4
    services.project_start(by=cast.officer, project=project)
    services.project_complete(by=cast.officer, project=project)
    response = client.post(
        reverse("project_evaluate", args=[project.pk]),
        {"economic_rating": "good", "social_rating": "fair", "environmental_rating": "average"},
    )
    assert response.status_code == 302
    body = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "Đã đánh giá" in body and "Lần 1" in body


# --- lists ---------------------------------------------------------------------------


@pytest.fixture
def many(cast, ba_to, son_tinh):
    ours = households(cast.officer, ba_to, 4)
    theirs = households(cast.outsider, son_tinh, 2)
    a = proposal(cast.officer, [ba_to], ours[:2], title="Nuôi bò", sector="livestock")
    b = proposal(cast.officer, [ba_to], ours[2:], categories=["poor", "other"], title="Trồng keo",
                 sector="forestry", form="model", component=component("2"))  # fmt: skip
    c = proposal(
        cast.outsider, [son_tinh], theirs, title="Nuôi cá", sector="aquaculture", state=60_000_000
    )
    approved(a, cast.officer, cast.district)
    return a, b, c


def codes(response) -> set[str]:
    return set(re.findall(r"<code>([^<]+)</code>", response.content.decode()))


def test_list_is_scoped_and_filtered(client, cast, many):
    a, b, c = many
    client.force_login(cast.officer)
    assert codes(client.get(reverse("project_list"))) == {a.code, b.code}
    client.force_login(cast.leader)
    url = reverse("project_list")
    assert codes(client.get(url)) == {a.code, b.code, c.code}
    assert codes(client.get(url, {"status": "approved"})) == {a.code}
    assert codes(client.get(url, {"form": "model"})) == {b.code}
    assert codes(client.get(url, {"sector": "aquaculture"})) == {c.code}
    assert codes(client.get(url, {"priority": "true"})) == {a.code, c.code}
    assert codes(client.get(url, {"priority": "false"})) == {b.code}
    assert codes(client.get(url, {"year": "2026"})) == {a.code, b.code, c.code}
    assert codes(client.get(url, {"year": "2025"})) == set()
    assert codes(client.get(url, {"unit": c.communes.get().pk})) == {c.code}
    assert codes(client.get(url, {"q": "keo"})) == {b.code}
    body = client.get(url, {"sector": "fishing"}).content.decode()
    assert "Không có dự án nào khớp" in body


def test_list_totals_by_source(client, cast, many):
    client.force_login(cast.leader)
    response = client.get(reverse("project_list"))
    totals = response.context["totals"]
    assert totals["projects"] == 3
    assert totals["total_cost"] == 300_000_000
    assert totals["state_support"] == 90_000_000 * 2 + 60_000_000
    assert totals["counterpart_cash"] == 10_000_000 * 2 + 40_000_000
    assert totals["households"] == 6
    assert "240.000.000" in response.content.decode()
    response = client.get(reverse("project_list"), {"status": "approved"})
    assert response.context["totals"]["total_cost"] == 100_000_000


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["project_list", "project_queue", "model_register"])
def test_list_pages_cost_the_same_whatever_the_rows(client, cast, ba_to, name):
    ours = households(cast.officer, ba_to, 6)
    client.force_login(cast.admin)
    url = reverse(name)

    def add(n):
        for i in range(n):
            p = proposal(
                cast.officer, [ba_to], ours[i : i + 1], form="model", component=component("2")
            )
            services.project_submit(by=cast.officer, project=p)

    add(1)
    few = count_queries(client, url)
    add(5)
    assert count_queries(client, url) == few
    assert count_queries(client, url, status="submitted", form="model", year="2026") <= few + 1


def test_pagination(client, cast, ba_to):
    ours = households(cast.officer, ba_to, 1)
    for _ in range(27):
        proposal(cast.officer, [ba_to], ours)
    client.force_login(cast.officer)
    assert len(client.get(reverse("project_list")).context["page"].object_list) == 25
    response = client.get(reverse("project_list"), {"page": 2})
    assert len(response.context["page"].object_list) == 2
    assert "Trang 2/2" in response.content.decode()


def test_queue_and_model_register_pages(client, cast, many):
    a, b, _c = many
    services.project_submit(by=cast.officer, project=b)
    client.force_login(cast.district)
    assert codes(client.get(reverse("project_queue"))) == {b.code}
    client.force_login(cast.officer)
    assert "Bạn không có quyền thẩm định" in client.get(reverse("project_queue")).content.decode()
    client.force_login(cast.leader)
    body = client.get(reverse("model_register")).content.decode()
    assert b.title in body and a.title not in body


def test_replicate_page(client, cast, ba_to, members):
    source = evaluated_model(cast, [ba_to], members)
    client.force_login(cast.leader)
    assert client.get(reverse("model_replicate", args=[source.pk])).status_code == 403
    client.force_login(cast.officer)
    assert (
        "Nhân rộng mô hình"
        in client.get(reverse("project_detail", args=[source.pk])).content.decode()
    )
    response = client.post(
        reverse("model_replicate", args=[source.pk]),
        {
            "title": "Nhân rộng ở thôn 3",
            "communes": [ba_to.pk],
            "group_kind": "household_group",
            "group_name": "Nhóm hộ thôn 3",
            "starts_on": "01/01/2027",
            "ends_on": "31/12/2027",
        },
    )
    copy = Project.objects.get(title="Nhân rộng ở thôn 3")
    assert response.status_code == 302 and copy.replicated_from == source
    body = client.get(reverse("model_register")).content.decode()
    assert "Nhân rộng từ" in body
