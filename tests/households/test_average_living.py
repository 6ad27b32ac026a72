"""The average-living class on the household's request (Decree 07/2021; DOMAIN §7): the request
and its decision, the class of the entry they give, who may file and decide, and the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from households.models import AverageLivingRequest, RequestDecision, Survey
from households.services import (
    average_request_create,
    average_request_decide,
    list_entry,
    round_close,
)
from tests.conftest import unit
from tests.households.factories import member, open_round, register, save

pytestmark = pytest.mark.django_db

IN_BAND = {"income_per_person": 2_000_000}  # rural: above the 1,500,000 line, within 2,250,000
FOUR = [
    member("Đinh Văn Bốn", citizen_id=""),
    member("Đinh Thị Năm", relation="spouse", sex="female", born=dt.date(1987, 2, 3)),
    member("Đinh Văn Sáu", relation="child", born=dt.date(1960, 1, 1)),
    member("Đinh Thị Bảy", relation="child", sex="female", born=dt.date(1962, 1, 1)),
]


@pytest.fixture
def farm(cast):
    """A farm household in Ba Tơ surveyed in the 2025 round with an income within the band."""
    household = register(cast.officer, unit("21484"), members=FOUR, is_farm_household=True)
    round_ = open_round(cast.admin, 2025)
    survey = save(cast.officer, Survey.objects.get(household=household, round=round_), **IN_BAND)
    return survey


def file(officer, survey, per_person: int, members: int = 4) -> AverageLivingRequest:
    return average_request_create(
        by=officer,
        household=survey.household,
        round_=survey.round,
        requested_on=survey.round.starts_on,
        income_12_months=per_person * 12 * members,
        member_count=members,
    )


def test_the_survey_alone_does_not_make_a_farm_household_average(farm):
    assert farm.poverty_class == "none"


# per person a month on the request, decision, then the entry's class
DECISIONS = [
    ("line", 1_500_000, "approved", "rejected", "none"),
    ("line+1", 1_500_001, "approved", "approved", "average"),
    ("band-upper", 2_250_000, "approved", "approved", "average"),
    ("band-upper+1", 2_250_001, "approved", "rejected", "none"),
    ("refused", 2_000_000, "refused", "refused", "none"),
]


@pytest.mark.parametrize(
    ("per_person", "decision", "outcome", "cls"), [pytest.param(*r[1:], id=r[0]) for r in DECISIONS]
)
def test_a_decision_reclassifies_the_entry(cast, farm, per_person, decision, outcome, cls):
    request = file(cast.officer, farm, per_person)
    version = Survey.objects.get(pk=farm.pk).version
    try:
        average_request_decide(by=cast.officer, request=request, decision=decision, reason="x")
    except ValidationError as error:
        assert outcome == "rejected", error.messages
        assert "không thể công nhận" in error.messages[0]
    request.refresh_from_db()
    assert request.decision == ("pending" if outcome == "rejected" else outcome)
    survey = Survey.objects.get(pk=farm.pk)
    assert survey.poverty_class == cls
    assert survey.version == version + (cls == "average")
    if outcome != "rejected":
        assert request.decided_by == cast.officer
        assert request.decided_on is not None


def test_an_approved_request_holds_when_the_survey_is_saved_again(cast, farm):
    request = file(cast.officer, farm, 2_000_000)
    average_request_decide(by=cast.officer, request=request, decision="approved")
    assert save(cast.officer, farm, **IN_BAND).poverty_class == "average"
    # the survey's own income now says near-poor: the request does not lift it
    assert save(cast.officer, farm, income_per_person=1_400_000).poverty_class == "near_poor"
    assert save(cast.officer, farm, **IN_BAND).poverty_class == "average"


def test_a_request_decided_before_the_survey_counts_when_it_is_entered(cast):
    household = register(cast.officer, unit("21484"), members=FOUR, is_farm_household=True)
    round_ = open_round(cast.admin, 2025)
    survey = Survey.objects.get(household=household, round=round_)
    request = file(cast.officer, survey, 2_000_000)
    average_request_decide(by=cast.officer, request=request, decision="approved")
    assert Survey.objects.get(pk=survey.pk).poverty_class == ""  # still pending
    assert save(cast.officer, survey, **IN_BAND).poverty_class == "average"


def test_only_for_the_round_of_the_request(cast, farm):
    average_request_decide(
        by=cast.officer, request=file(cast.officer, farm, 2_000_000), decision="approved"
    )
    round_close(by=cast.admin, round_=farm.round)
    r26 = open_round(cast.admin, 2026)
    entry = Survey.objects.get(household=farm.household, round=r26)
    assert (entry.status, entry.poverty_class) == ("carried_over", "none")
    assert save(cast.officer, entry, **IN_BAND).poverty_class == "none"


def test_list_entry_does_not_carry_average_over():
    row = list_entry(
        last="average", before="average", requested=False, persons=3,
        is_ethnic_minority=False, is_urban=False,
    )  # fmt: skip
    assert (row["status"], row["poverty_class"]) == ("carried_over", "none")


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not-farm", "Chỉ hộ làm nông nghiệp"),
        ("twice", "Hộ đã có đề nghị trong đợt này"),
        ("future", "Ngày đề nghị không được sau ngày hôm nay"),
    ],
)
def test_requests_that_cannot_be_filed(cast, farm, case, message):
    household, requested_on = farm.household, farm.round.starts_on
    if case == "not-farm":
        household.is_farm_household = False
        household.save()
    elif case == "twice":
        file(cast.officer, farm, 2_000_000)
    else:
        requested_on = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        average_request_create(
            by=cast.officer, household=household, round_=farm.round, requested_on=requested_on,
            income_12_months=96_000_000, member_count=4,
        )  # fmt: skip
    assert message in error.value.messages[0]


def test_a_refusal_needs_a_reason_and_a_decision_is_final(cast, farm):
    request = file(cast.officer, farm, 2_000_000)
    with pytest.raises(ValidationError):
        average_request_decide(by=cast.officer, request=request, decision="refused", reason=" ")
    average_request_decide(by=cast.officer, request=request, decision="refused", reason="Sai")
    with pytest.raises(ValidationError):
        average_request_decide(by=cast.officer, request=request, decision="approved")


@pytest.mark.parametrize("who", ["outsider", "district", "leader"])
def test_only_the_communes_officer_files_and_decides(cast, farm, who):
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        file(user, farm, 2_000_000)
    request = file(cast.officer, farm, 2_000_000)
    with pytest.raises(PermissionDenied):
        average_request_decide(by=user, request=request, decision="approved")
    assert AverageLivingRequest.objects.get(pk=request.pk).decision == RequestDecision.PENDING


def test_the_page_files_and_decides(client, cast, farm):
    client.force_login(cast.officer)
    url = reverse("average_request_list", args=[farm.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="request-form"' in page.content.decode()
    posted = client.post(
        url,
        {"requested_on": "15/10/2025", "income_12_months": "96000000", "member_count": "4"},
    )
    assert posted.status_code == 302
    request = AverageLivingRequest.objects.get(household=farm.household)
    assert request.income_per_person == 2_000_000
    decide = reverse("average_request_decide", args=[request.pk])
    assert client.post(decide, {"decision": "approved", "reason": ""}).status_code == 302
    assert Survey.objects.get(pk=farm.pk).poverty_class == "average"
    page = client.get(url).content.decode()
    assert "Được công nhận" in page
    assert 'data-testid="decide-form"' not in page


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("district", 403)])
def test_the_page_is_scoped(client, cast, farm, who, status):
    request = file(cast.officer, farm, 2_000_000)
    client.force_login(getattr(cast, who))
    page = client.get(reverse("average_request_list", args=[farm.pk]))
    if status == 404:
        assert page.status_code == 404
    else:  # district staff see it, without the forms
        assert page.status_code == 200
        body = page.content.decode()
        assert 'data-testid="request-form"' not in body
        assert 'data-testid="decide-form"' not in body
    decide = reverse("average_request_decide", args=[request.pk])
    assert client.post(decide, {"decision": "approved"}).status_code == status
    assert AverageLivingRequest.objects.get(pk=request.pk).decision == "pending"
