"""The officer's loop (issue 12): open a survey from the filtered list, save, come back to the same
filters and page, or open the next pending survey; the list keeps each round's filters."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from households import flow
from households.models import Survey
from tests.households.factories import member, register
from tests.households.test_survey_page import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(cast, ba_to, round_):
    """Three households of Xã Ba Tơ, pending in the open round, in the list's order."""
    for name in ("Hồ Văn A", "Hồ Văn B", "Hồ Văn C"):
        register(cast.officer, ba_to, members=[member(name)])
    return list(Survey.objects.filter(round=round_).order_by("commune_id", "household_id"))


def list_params(url: str) -> dict:
    return parse_qs(urlparse(url).query)


def test_saving_returns_to_the_list_with_its_filters_and_page(client, cast, round_, pending):
    """Before: "Lưu phiếu" went back to /ho/?round=<id> and dropped "Chưa rà soát"."""
    client.force_login(cast.officer)
    query = f"round={round_.pk}&status=pending&village=Th%C3%B4n+1"
    listing = client.get(f"{reverse('household_list')}?{query}")
    assert listing.status_code == 200
    link = f"{reverse('survey_edit', args=[pending[0].pk])}?list="
    assert link in listing.content.decode()
    page = client.get(reverse("survey_edit", args=[pending[0].pk]), {"list": query})
    assert f'value="{flow.clean_query(query)}"' in page.content.decode().replace("&amp;", "&")
    saved = client.post(
        reverse("survey_edit", args=[pending[0].pk]), {**form_data(pending[0]), "list": query}
    )
    assert saved.status_code == 302
    back = list_params(saved["Location"])
    assert back["status"] == ["pending"] and back["village"] == ["Thôn 1"]
    assert back["round"] == [str(round_.pk)]


def test_save_and_open_the_next_pending_survey(client, cast, round_, pending):
    client.force_login(cast.officer)
    query = f"round={round_.pk}&status=pending"
    url = reverse("survey_edit", args=[pending[0].pk])
    response = client.post(url, {**form_data(pending[0]), "list": query, "next": "1"})
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert location.path == reverse("survey_edit", args=[pending[1].pk])
    assert parse_qs(location.query)["list"] == [flow.clean_query(query)]
    # the last one: back to the list, which says so
    for survey in pending[1:]:
        response = client.post(
            reverse("survey_edit", args=[survey.pk]),
            {**form_data(survey), "list": query, "next": "1"},
        )
    assert urlparse(response["Location"]).path == reverse("household_list")
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Không còn phiếu chưa rà soát trong danh sách đang lọc." in page
    assert not Survey.objects.filter(round=round_, status="pending").exists()


def test_the_list_keeps_each_rounds_filters_until_reset(client, cast, round_, pending):
    client.force_login(cast.officer)
    base = reverse("household_list")
    client.get(base, {"round": round_.pk, "status": "pending"})
    again = client.get(base, {"round": round_.pk})
    assert again.status_code == 302
    assert list_params(again["Location"])["status"] == ["pending"]
    page = client.get(again["Location"]).content.decode()
    assert 'data-testid="filters-reset"' in page
    reset = client.get(base, {"round": round_.pk, "reset": "1"})
    assert reset.status_code == 302
    assert "status" not in list_params(reset["Location"])
    assert client.get(base, {"round": round_.pk}).status_code == 200  # nothing kept now


@pytest.mark.parametrize(
    "crafted",
    ["https://evil.example/x", "//evil.example/", "round=1&next=https://evil.example", "a" * 5000],
)
def test_a_crafted_list_parameter_only_leads_back_to_the_list(
    client, cast, round_, pending, crafted
):
    client.force_login(cast.officer)
    url = reverse("survey_edit", args=[pending[0].pk])
    response = client.post(url, {**form_data(pending[0]), "list": crafted})
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert not location.netloc and location.path == reverse("household_list")
    assert "evil" not in response["Location"]
