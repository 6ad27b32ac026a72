"""The budget step (issue 12, item 6): lines that do not add up are refused at the step with the
reasons and what was typed kept; the live sums and the "add a row" fragments (htmx) use the same
rule as the save and are scoped like the step."""

import re

import pytest
from django.urls import reverse

from projects.models import Project
from tests.projects.factories import proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast, ba_to, members):
    return proposal(cast.officer, [ba_to], members)


def budget_post(project, **over):
    data = {
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
    }
    data.update(over)
    return data


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_unequal_totals_are_refused_at_the_step_and_nothing_moves(client, cast, project):
    before = (project.version, project.total_cost, list(project.items.values_list("name")))
    client.force_login(cast.officer)
    response = client.post(
        reverse("project_budget", args=[project.pk]),
        budget_post(project, counterpart_labour="5.000.000", **{"items-1-quantity": "20"}),
    )
    assert response.status_code == 200  # the step again, not step 3
    body = text(response)
    assert "Cộng các nguồn vốn (59.000.000 đồng) phải bằng tổng kinh phí (60.000.000 đồng)" in body
    assert "Cộng thành tiền các nội dung hỗ trợ (58.000.000 đồng)" in body
    assert 'data-testid="budget-errors"' in body
    # what was typed is still there
    assert 'value="5.000.000"' in body and 'value="Công chăm sóc"' in body
    # and the totals beside it say by how much
    assert "thiếu 1.000.000 đồng" in body and "thiếu 2.000.000 đồng" in body
    project.refresh_from_db()
    after = (project.version, project.total_cost, list(project.items.values_list("name")))
    assert after == before


def test_equal_totals_are_saved_and_move_on(client, cast, project):
    client.force_login(cast.officer)
    response = client.post(reverse("project_budget", args=[project.pk]), budget_post(project))
    assert response.status_code == 302
    assert response["Location"] == reverse("project_participants", args=[project.pk])
    project.refresh_from_db()
    assert project.total_cost == 60_000_000 and project.counterpart_labour == 6_000_000
    assert list(project.items.values_list("amount", flat=True)) == [54_000_000, 6_000_000]


def test_deleted_rows_do_not_count_and_are_not_saved(client, cast, project):
    client.force_login(cast.officer)
    data = budget_post(
        project,
        **{"items-TOTAL_FORMS": "3", "items-2-name": "Thừa", "items-2-unit": "con"},
        **{"items-2-quantity": "1", "items-2-unit_cost": "1.000", "items-2-DELETE": "on"},
    )
    assert client.post(reverse("project_budget", args=[project.pk]), data).status_code == 302
    assert Project.objects.get(pk=project.pk).items.count() == 2


def test_the_step_shows_the_saved_sums(client, cast, project):
    client.force_login(cast.officer)
    body = text(client.get(reverse("project_budget", args=[project.pk])))
    assert 'data-testid="budget-totals"' in body
    assert "Các khoản đã khớp với tổng kinh phí." in body
    assert 'hx-post="' + reverse("project_budget_totals", args=[project.pk]) in body


def test_live_sums_give_totals_and_differences(client, cast, project):
    client.force_login(cast.officer)
    url = reverse("project_budget_totals", args=[project.pk])
    response = client.post(url, budget_post(project, state_support="50.000.000"))
    body = text(response)
    assert response.status_code == 200 and "<html" not in body  # a fragment
    assert 'data-testid="total-cost">60.000.000 đồng' in body
    assert "56.000.000 đồng" in body and "thiếu 4.000.000 đồng" in body
    assert "Cộng các nguồn vốn (56.000.000 đồng) phải bằng tổng kinh phí" in body
    # items: 20 × 2.700.000 + 30 × 200.000 = 60.000.000, equal
    assert body.count("khớp</span>") == 1
    over = text(client.post(url, budget_post(project, **{"items-1-quantity": "40"})))
    assert "62.000.000 đồng" in over and "thừa 2.000.000 đồng" in over
    even = text(client.post(url, budget_post(project)))
    assert "Các khoản đã khớp với tổng kinh phí." in even
    # nothing saved by any of these
    project.refresh_from_db()
    assert project.total_cost == 100_000_000


def test_live_sums_while_typing(client, cast, project):
    """Half-typed rows and empty fields count as 0; letters are pointed out."""
    client.force_login(cast.officer)
    url = reverse("project_budget_totals", args=[project.pk])
    data = {
        "total_cost": "10.000.000",
        "state_support": "abc",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-quantity": "2",
        "items-0-unit_cost": "1.000.000",
    }
    body = text(client.post(url, data))
    assert "2.000.000 đồng" in body and "thiếu 8.000.000 đồng" in body
    assert "chưa đọc được" in body
    assert client.post(url, {}).status_code == 200  # nothing typed: zeros, no error


def test_add_row_returns_the_items_with_one_more_row(client, cast, project):
    client.force_login(cast.officer)
    response = client.post(reverse("project_budget_row", args=[project.pk]), budget_post(project))
    body = text(response)
    assert response.status_code == 200 and "<html" not in body
    assert 'name="items-TOTAL_FORMS" value="3"' in body
    assert 'name="items-2-name"' in body and 'name="items-3-name"' not in body
    assert 'value="Dê cái giống"' in body and 'value="2.700.000"' in body  # typed values kept
    assert "invalid-feedback" not in body  # the new empty row is not judged
    project.refresh_from_db()
    assert project.total_cost == 100_000_000


def test_add_row_without_javascript(client, cast, project):
    client.force_login(cast.officer)
    data = budget_post(project, add_row="1", state_support="")
    response = client.post(reverse("project_budget", args=[project.pk]), data)
    body = text(response)
    assert response.status_code == 200
    assert 'name="items-TOTAL_FORMS" value="3"' in body and 'name="items-2-name"' in body
    assert "invalid-feedback" not in body and 'value="6.000.000"' in body
    project.refresh_from_db()
    assert project.total_cost == 100_000_000


@pytest.mark.parametrize("name", ["project_budget_totals", "project_budget_row"])
def test_fragments_are_scoped_like_the_step(client, cast, project, name):
    url = reverse(name, args=[project.pk])
    assert "/dang-nhap/" in client.post(url)["Location"]
    client.force_login(cast.officer)
    assert client.get(url).status_code == 405
    client.force_login(cast.outsider)
    assert client.post(url, budget_post(project)).status_code == 404
    client.force_login(cast.leader)
    assert client.post(url, budget_post(project)).status_code == 403
    client.force_login(cast.district)  # sees the project, does not edit proposals
    assert client.post(url, budget_post(project)).status_code == 403
    client.force_login(cast.officer)
    assert client.post(reverse(name, args=[999_999])).status_code == 404
