"""The fund's services: who may record, the checks (nothing saved on a refusal), the uses never
exceeding a contribution's value, also under concurrent saves (a locked row)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from contributions.models import Contribution, ContributionUse
from tests.conftest import require, unit

from .conftest import give, house, spend

pytestmark = pytest.mark.django_db


def counts():
    return Contribution.objects.count(), ContributionUse.objects.count()


def test_a_contribution_and_its_uses(cast, homes):
    gift = give(cast.officer, homes.ba_to, cash=30_000_000, in_kind="2 con bò giống",
                in_kind_value=30_000_000)  # fmt: skip
    assert gift.value == 60_000_000
    record = house(cast.officer, homes.poor)
    use = spend(cast.officer, gift, amount=40_000_000, records=[record],
                day=dt.date(2026, 4, 1))  # fmt: skip
    assert list(use.support_records.all()) == [record]
    spend(cast.officer, gift, amount=20_000_000)  # exactly the value
    assert counts() == (1, 2)


def test_uses_may_not_exceed_the_value(cast, homes):
    gift = give(cast.officer, homes.ba_to, cash=50_000_000)
    spend(cast.officer, gift, amount=30_000_000)
    with pytest.raises(ValidationError) as error:
        spend(cast.officer, gift, amount=20_000_001)
    assert "còn lại 20.000.000 đ" in str(error.value)
    assert counts() == (1, 1)


def test_a_contribution_cannot_shrink_below_its_uses(cast, homes):
    gift = give(cast.officer, homes.ba_to, cash=50_000_000)
    spend(cast.officer, gift, amount=30_000_000, day=dt.date(2026, 3, 10))
    fields = {"received_on": gift.received_on, "donor_name": "Công ty A"}
    fields["donor_kind"] = "enterprise"
    with pytest.raises(ValidationError, match=r"đã sử dụng 30\.000\.000 đ"):
        services_update(cast.officer, gift, cash_amount=29_000_000, **fields)
    with pytest.raises(ValidationError, match="lần chi đầu tiên"):
        services_update(cast.officer, gift, cash_amount=50_000_000,
                        **{**fields, "received_on": dt.date(2026, 3, 11)})  # fmt: skip
    gift.refresh_from_db()
    assert gift.cash_amount == 50_000_000 and gift.received_on == dt.date(2026, 3, 2)
    services_update(cast.officer, gift, cash_amount=35_000_000, **fields)
    gift.refresh_from_db()
    assert gift.cash_amount == 35_000_000


def services_update(by, gift, **kwargs):
    from contributions import services

    return services.contribution_update(by=by, contribution=gift, **kwargs)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"cash": 0}, "cash_amount"),
        ({"cash": 0, "in_kind": "Sách vở"}, "in_kind_value"),
        ({"cash": 0, "in_kind_value": 5_000_000}, "in_kind"),
        ({"day": "tomorrow"}, "received_on"),  # after today, whenever the suite runs
        ({"name": "  "}, "donor_name"),
        ({"donor_kind": "alien"}, "donor_kind"),
        ({"day": dt.date(2025, 8, 1), "where": "old"}, "received_on"),  # the old commune ended
    ],
)
def test_bad_contributions_are_refused(cast, homes, changes, field):
    where = unit("21484", dt.date(2025, 6, 30)) if changes.pop("where", None) else homes.ba_to
    if changes.get("day") == "tomorrow":
        changes["day"] = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        give(cast.officer, where, **changes)
    assert field in error.value.error_dict
    assert counts() == (0, 0)


def test_a_use_must_stay_under_the_funds_unit(cast, homes):
    gift = give(cast.officer, homes.ba_to)
    outside = house(cast.outsider, homes.outside)
    with pytest.raises(ValidationError) as error:
        spend(cast.officer, gift, records=[outside], day=dt.date(2026, 4, 1))
    assert homes.outside.code in str(error.value)
    with pytest.raises(ValidationError, match="không thuộc"):
        spend(cast.officer, gift, commune=homes.son_tinh)
    with pytest.raises(ValidationError, match="trước ngày tiếp nhận"):
        spend(cast.officer, gift, day=dt.date(2026, 3, 1))
    assert counts() == (1, 0)


def test_who_may_record(cast, homes):
    for user in (cast.district, cast.leader, cast.outsider):
        with pytest.raises(PermissionDenied):
            give(user, homes.ba_to)
    gift = give(cast.officer, homes.ba_to)
    for user in (cast.district, cast.leader, cast.outsider):
        with pytest.raises(PermissionDenied):
            spend(user, gift)
    # the province's fund: administrators; a former district's: its district staff
    give(cast.admin, unit("51"))
    with pytest.raises(PermissionDenied):
        give(cast.officer, unit("51"))
    old_district = unit("535", dt.date(2025, 6, 30))
    give(cast.district, old_district, day=dt.date(2025, 3, 1))
    with pytest.raises(PermissionDenied):
        give(cast.officer, old_district, day=dt.date(2025, 3, 1))
    assert counts() == (3, 0)


def test_a_wrong_use_is_deleted(cast, homes):
    from contributions import services

    gift = give(cast.officer, homes.ba_to)
    use = spend(cast.officer, gift, records=[house(cast.officer, homes.poor)],
                day=dt.date(2026, 4, 1))  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.use_delete(by=cast.leader, use=use)
    services.use_delete(by=cast.officer, use=use)
    assert counts() == (1, 0)
    assert ContributionUse.history.filter(history_type="-").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_uses_cannot_exceed_the_value(cast):
    """Six threads, each its own connection, spend 30 million of a 100 million contribution at
    once: three pass, three are refused (PostgreSQL: the contribution's row is locked)."""
    require(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    gift = give(cast.officer, unit("21484"), cash=100_000_000)
    barrier = threading.Barrier(6)
    done, refused, errors = [], [], []

    def take():
        try:
            barrier.wait(5)
            spend(cast.officer, gift, amount=30_000_000)
            done.append(1)
        except ValidationError:
            refused.append(1)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert (len(done), len(refused)) == (3, 3)
    assert sum(ContributionUse.objects.values_list("amount", flat=True)) == 90_000_000
