"""The labour services: who is surveyed, one need a year, fairs' counts, hires as employment
records through the projects service, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from labour import services
from labour.models import FairHire, JobFair, TrainingNeed
from labour.rules import member_is_working_age
from projects.models import EmploymentRecord
from tests.conftest import unit
from tests.households.factories import member

from .factories import fair, hire, need

pytestmark = pytest.mark.django_db


def head(household):
    return household.members.order_by("pk").first()


def child(household):
    return household.members.order_by("pk").last()


def test_a_need_of_a_poor_worker(cast, homes):
    made = need(cast.officer, head(homes.poor))
    assert made.commune == homes.ba_to and made.year == 2026
    need(cast.officer, head(homes.near), code="construction", where="abroad")
    assert TrainingNeed.objects.count() == 2


def test_refusals(cast, homes):
    with pytest.raises(ValidationError, match="không thuộc diện hộ nghèo"):
        need(cast.officer, head(homes.average))
    with pytest.raises(ValidationError, match="độ tuổi lao động"):
        need(cast.officer, child(homes.poor))  # born 2012
    need(cast.officer, head(homes.poor))
    with pytest.raises(ValidationError, match="trong năm 2026"):
        need(cast.officer, head(homes.poor), on=dt.date(2026, 9, 1))
    need(cast.officer, head(homes.poor), on=dt.date(2025, 9, 1))  # another year is fine
    with pytest.raises(ValidationError):
        need(cast.officer, head(homes.near), on=dt.date(2030, 1, 1))  # in the future
    with pytest.raises(PermissionDenied):
        need(cast.outsider, head(homes.poor))
    with pytest.raises(PermissionDenied):
        need(cast.district, head(homes.poor))  # district staff read only
    with pytest.raises(PermissionDenied):
        need(cast.leader, head(homes.poor))
    assert TrainingNeed.objects.count() == 2


def test_working_age_is_the_households_rule():
    woman = member("Bà", born=dt.date(1966, 8, 1), sex="female")
    from households.models import Member

    m = Member(**{k: v for k, v in woman.items() if k in {f.name for f in Member._meta.fields}})
    # retirement 55y4m for August 1966 (Decree 135/2020): reached in December 2021
    assert member_is_working_age(m, dt.date(2021, 11, 30))
    assert not member_is_working_age(m, dt.date(2021, 12, 1))


def test_fairs_counts_and_scope(cast, homes):
    with pytest.raises(ValidationError) as e:
        fair(cast.officer, homes.ba_to, attendees=10, hires=11)
    assert "hires" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        fair(cast.officer, homes.ba_to, attendees=10, attendees_poor=11, hires=0)
    assert "attendees_poor" in e.value.error_dict
    with pytest.raises(PermissionDenied):
        fair(cast.outsider, homes.ba_to)
    with pytest.raises(PermissionDenied):
        fair(cast.leader, homes.ba_to)
    with pytest.raises(PermissionDenied):
        fair(cast.officer, unit("51"))  # the province: administrators
    fair(cast.district, homes.ba_to)
    fair(cast.admin, unit("51"))
    assert JobFair.objects.count() == 2


def test_a_hire_is_an_employment_record(cast, homes):
    made = fair(cast.officer, homes.ba_to, attendees=2, hires=0)
    link = hire(cast.officer, made, head(homes.poor), abroad=True)
    record = link.employment_record
    assert EmploymentRecord.objects.get() == record
    assert record.is_abroad and record.member == head(homes.poor)
    made.refresh_from_db()
    assert made.hires == 1  # raised to the named hires
    with pytest.raises(ValidationError, match="đã được ghi"):
        hire(cast.officer, made, head(homes.poor))
    hire(cast.officer, made, head(homes.near))
    with pytest.raises(ValidationError, match="lớn hơn số người tham dự"):
        hire(cast.officer, made, head(homes.average))
    with pytest.raises(ValidationError) as e:
        services.fair_update(by=cast.officer, fair=made, hires=1)
    assert "hires" in e.value.error_dict
    assert FairHire.objects.count() == 2


def test_a_hire_needs_entry_on_the_workers_commune(cast, homes):
    made = fair(cast.admin, unit("51"))
    with pytest.raises(PermissionDenied):  # fairs of the province: administrators only
        hire(cast.officer, made, head(homes.poor))
    district_fair = fair(cast.district, homes.ba_to)
    with pytest.raises(PermissionDenied):  # district staff do not enter employment records
        hire(cast.district, district_fair, head(homes.poor))
    with pytest.raises(ValidationError, match="địa bàn"):
        hire(cast.admin, district_fair, head(homes.outside))
    hire(cast.admin, made, head(homes.outside))
    assert EmploymentRecord.objects.count() == 1


def test_a_hire_is_of_a_poor_or_near_poor_household(cast, homes):
    made = fair(cast.officer, homes.ba_to)
    with pytest.raises(ValidationError, match="không thuộc diện hộ nghèo"):
        hire(cast.officer, made, head(homes.average))
    assert not EmploymentRecord.objects.exists()
