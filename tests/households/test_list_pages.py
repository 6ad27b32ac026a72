"""The household list at province scale: scope by commune ids at the round's date, keyset pages,
totals from the stored rollup or counted after the page (issue 9, item 2)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.models import Role, UnitGroup
from households.models import Survey
from households.paging import KEY
from households.services import household_move
from tests.conftest import make_user, unit
from tests.households.factories import POOR_FIELDS, open_round, register, save
from tests.households.test_lists import LIST, codes, totals
from tests.reports.conftest import review  # noqa: F401 (the fixture: 2024 old tree, 2025 new)

pytestmark = pytest.mark.django_db

BA_TO, BA_VINH, SON_TINH = "21484", "21490", "21220"


def listed(client, user, round_, **params) -> list[str]:
    client.force_login(user)
    return codes(client.get(LIST, {"round": round_.pk, **params}))


def keys(households, *names) -> set[str]:
    return {households[n].code for n in names}


def independent_totals(round_, commune_ids, keep=lambda row: True) -> dict[str, int]:
    """The totals counted in Python from the raw rows: an entry not yet surveyed counts with its
    previous class (the stored ``effective_class`` is not read)."""
    out = dict.fromkeys(("entries", "poor", "near_poor", "average", "persons"), 0)
    for row in Survey.objects.filter(round=round_, commune_id__in=commune_ids).values(
        "status",
        "poverty_class",
        "previous_class",
        "member_count",
        "is_ethnic_minority",
        "household__head_name_folded",
    ):
        cls = row["previous_class"] if row["status"] == "pending" else row["poverty_class"]
        if not keep({**row, "cls": cls}):
            continue
        out["entries"] += 1
        out["persons"] += row["member_count"]
        if cls in ("poor", "near_poor", "average"):
            out[cls] += 1
    return out


# --- scope ------------------------------------------------------------------------------------


def test_each_role_sees_the_entries_of_its_communes_at_the_rounds_date(client, cast, review):  # noqa: F811
    h = review.households
    ba_to = keys(h, "injected", "stuck", "escaped", "worse", "fine")
    ba_vinh_24 = keys(h, "died", "steady", "waiting", "farm")
    ba_vinh_25 = keys(h, "steady", "waiting", "farm", "newcomer")  # "died" left the list
    son_tinh = keys(h, "well", "far")
    for round_, ba_vinh in ((review.r24, ba_vinh_24), (review.r25, ba_vinh_25)):
        # 2024: the communes of the old tree (Thị trấn Ba Tơ...); 2025: the new ones.
        assert set(listed(client, cast.officer, round_)) == ba_to, round_
        assert set(listed(client, cast.district, round_)) == ba_to | ba_vinh, round_
        assert set(listed(client, cast.leader, round_)) == ba_to | ba_vinh | son_tinh, round_
        assert set(listed(client, cast.outsider, round_)) == son_tinh, round_

    # The commune drop-down: the communes of the user's scope at the round's date.
    def choices(user, round_) -> list[str]:
        client.force_login(user)
        body = client.get(LIST, {"round": round_.pk}).content.decode()
        select = re.search(r'<select name="commune".*?</select>', body, re.S).group(0)
        return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)

    assert choices(cast.officer, review.r24) == [f"Thị trấn Ba Tơ ({BA_TO})"]
    assert choices(cast.officer, review.r25) == [f"Xã Ba Tơ ({BA_TO})"]
    group = UnitGroup.objects.get(code="huyen-cu-535")
    communes = group.members.filter(level="commune", valid_to__isnull=True)
    assert len(choices(cast.district, review.r25)) == communes.count() == 8
    assert f"Xã Ba Vinh ({BA_VINH})" in choices(cast.district, review.r25)


def test_an_entry_stays_on_the_list_of_the_commune_it_was_surveyed_in(client, cast, review):  # noqa: F811
    """Moving a household during the open 2025 round moves its 2025 entry to the new commune;
    its 2024 entry stays on old Ba Tơ's list, where the officer still sees it, without a link to
    a household that is no longer in their scope."""
    moved = review.households["fine"]
    household_move(by=cast.admin, household=moved, to_commune=unit(BA_VINH), village="Thôn 2")
    assert moved.code not in listed(client, cast.officer, review.r25)
    assert moved.code in listed(client, cast.district, review.r25, commune=unit(BA_VINH).pk)
    assert moved.code in listed(client, cast.officer, review.r24)
    client.force_login(cast.officer)
    body = client.get(LIST, {"round": review.r24.pk}).content.decode()
    assert reverse("household_detail", args=[moved.pk]) not in body
    assert reverse("household_detail", args=[review.households["stuck"].pk]) in body
    assert client.get(reverse("household_detail", args=[moved.pk])).status_code == 404


def test_an_officer_assigned_during_a_round_sees_its_entries(client, cast, review):  # noqa: F811
    today = timezone.localdate()
    newcomer = make_user("moi", Role.COMMUNE_OFFICER, (unit(BA_VINH), today, None))
    assert review.r25.reference_date < today
    expected = keys(review.households, "steady", "waiting", "farm", "newcomer")
    assert set(listed(client, newcomer, review.r25)) == expected
    assert listed(client, newcomer, review.r24) == []  # the old tree: not theirs
    body = client.get(LIST, {"round": review.r25.pk}).content.decode()
    assert reverse("survey_edit", args=[Survey.objects.get(
        household=review.households["waiting"], round=review.r25).pk]) in body  # fmt: skip


# --- totals -------------------------------------------------------------------------------------


STORED = [
    {},
    {"poverty_class": "poor"},
    {"poverty_class": "near_poor"},
    {"commune": BA_VINH},
    {"commune": BA_VINH, "poverty_class": "poor"},
]
COUNTED = [
    ({"status": "surveyed"}, lambda r: r["status"] == "surveyed"),
    ({"is_ethnic_minority": "true"}, lambda r: r["is_ethnic_minority"]),
    ({"poverty_class": "none"}, lambda r: r["cls"] == "none"),
    ({"q": "chủ hộ st"}, lambda r: "chu ho st" in r["household__head_name_folded"]),
]


def test_totals_equal_an_independent_count_of_the_rows(client, cast, review):  # noqa: F811
    """Filters that match a stored breakdown (none, a commune, a class) read the rollup's
    per-commune totals, shown with the time they were computed; other filters are counted by
    the fragment the page loads after it is shown. Both equal a count of the raw rows."""
    for user in (cast.leader, cast.district, cast.officer):
        client.force_login(user)
        for params in STORED:
            params = {**params}
            cls = params.get("poverty_class")
            if "commune" in params:
                params["commune"] = unit(params["commune"]).pk
            response = client.get(LIST, {"round": review.r25.pk, **params})
            source, found = totals(client, response)
            assert source == "stored", (user, params)
            assert "Số liệu tính lúc" in response.content.decode()
            ids = [params["commune"]] if "commune" in params else _scope_ids(response)
            if user is cast.officer and "commune" in params:
                ids = _scope_ids(response)  # not a commune of theirs: the filter is ignored
                assert "Đã bỏ qua bộ lọc" in response.content.decode()
            expected = independent_totals(
                review.r25, ids, lambda r, cls=cls: cls is None or r["cls"] == cls
            )
            assert found == expected, (user, params)
            assert found["entries"] == len(codes(response))  # and the rows shown (one page)
        for params, keep in COUNTED:
            response = client.get(LIST, {"round": review.r25.pk, **params})
            assert 'data-source="pending"' in response.content.decode()
            source, found = totals(client, response)
            assert source == "counted"
            assert found == independent_totals(review.r25, _scope_ids(response), keep)
            assert found["entries"] == len(codes(response))

    # A pending entry counts with its previous class, and the class column says so.
    waiting = review.households["waiting"]
    assert waiting.code in listed(client, cast.district, review.r25, poverty_class="poor")
    body = client.get(LIST, {"round": review.r25.pk, "q": waiting.code}).content.decode()
    row = re.search(rf'data-household="{waiting.code}".*?</tr>', body, re.S).group(0)
    assert "Hộ nghèo" in row and "kỳ trước" in row and "Chưa rà soát" in row


def _scope_ids(response) -> list[int]:
    body = response.content.decode()
    select = re.search(r'<select name="commune".*?</select>', body, re.S).group(0)
    return [int(v) for v in re.findall(r'<option value="(\d+)"', select)]


# --- keyset pages ---------------------------------------------------------------------------


@pytest.fixture
def crowd(cast):
    """120 households in Ba Tơ (every third one poor) and 5 in Ba Vinh, in the open 2026 round."""
    round_ = open_round(cast.admin, 2026)
    for i in range(120):
        household = register(cast.officer, unit(BA_TO), village=f"Thôn {i % 4}")
        if i % 3 == 0:
            save(cast.officer, Survey.objects.get(household=household, round=round_), **POOR_FIELDS)
    for _ in range(5):
        register(cast.admin, unit(BA_VINH))
    return round_


def expected_order(round_, communes, **filters) -> list[str]:
    rows = Survey.objects.filter(round=round_, commune__code__in=communes, **filters)
    return [
        code
        for *_key, code in sorted(
            rows.values_list(*KEY, "household__code"), key=lambda r: (r[0], r[1])
        )
    ]


def link(response, name: str) -> str | None:
    found = re.search(rf'data-page="{name}" href="\?([^"]+)"', response.content.decode())
    return LIST + "?" + html.unescape(found.group(1)) if found else None


def walk_forward(client, url) -> list[list[str]]:
    pages = []
    while url:
        response = client.get(url)
        pages.append(codes(response))
        url = link(response, "next")
    return pages


def test_keyset_pages_first_next_last_previous(client, cast, crowd):
    client.force_login(cast.district)
    expected = expected_order(crowd, [BA_TO, BA_VINH])
    assert len(expected) == 125
    pages = walk_forward(client, f"{LIST}?round={crowd.pk}")
    assert [len(p) for p in pages] == [50, 50, 25]
    assert [code for page in pages for code in page] == expected
    first = client.get(LIST, {"round": crowd.pk})
    assert link(first, "previous") is None and link(first, "first") is None

    # the last page, and back
    last = client.get(LIST, {"round": crowd.pk, "last": "1"})
    assert codes(last) == expected[-50:]
    assert link(last, "next") is None and link(last, "last") is None
    before = client.get(link(last, "previous"))
    assert codes(before) == expected[-100:-50]
    assert link(before, "next") is not None
    start = client.get(link(before, "previous"))
    assert codes(start) == expected[:-100]  # the 25 rows before: the start of the list
    assert link(start, "previous") is None
    assert codes(client.get(link(last, "first"))) == expected[:50]
    # next from a previous page continues where it left off
    assert codes(client.get(link(before, "next"))) == expected[-50:]


def test_pages_under_a_class_filter_and_for_scattered_communes(client, cast, crowd):
    client.force_login(cast.officer)
    poor = expected_order(crowd, [BA_TO], effective_class="poor")
    assert len(poor) == 40
    pages = walk_forward(client, f"{LIST}?round={crowd.pk}&poverty_class=poor")
    assert [code for page in pages for code in page] == poor
    last = client.get(LIST, {"round": crowd.pk, "poverty_class": "poor", "last": "1"})
    assert codes(last) == poor[-50:]
    # Two communes far apart (an IN list, not a range of unit keys): same order, same pages.
    both = make_user(
        "hai-xa",
        Role.COMMUNE_OFFICER,
        (unit(BA_TO), dt.date(2025, 7, 1), None),
        (unit(SON_TINH), dt.date(2025, 7, 1), None),
    )
    register(both, unit(SON_TINH))
    client.force_login(both)
    expected = expected_order(crowd, [BA_TO, SON_TINH])
    pages = walk_forward(client, f"{LIST}?round={crowd.pk}")
    assert [code for page in pages for code in page] == expected
    assert codes(client.get(LIST, {"round": crowd.pk, "last": "1"})) == expected[-50:]
