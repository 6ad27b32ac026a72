"""Every write of the "Vì người nghèo" fund: contributions received and their uses.

Keyword-only, atomic. Who: the fund of a commune is kept by its commune officers (ENTER over the
commune); the fund of a former district or of the province by district staff or administrators
(REVIEW over that unit); leaders only read. The rule that guards money (the uses of a
contribution add up to at most its value, cash plus in-kind) locks the contribution's row first
(``select_for_update``) and then adds up what is there: two uses saved at the same moment queue
on the lock. A refusal raises ``ValidationError`` with a Vietnamese message and writes nothing.
Changes to a commune's fund refresh its program indicators (``contributions_received``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Level, Unit, UnitSuccession
from areas.scope import Capability, reached, user_reach
from finance.rules import money
from indicators.services import program_changed
from support.models import SupportKind, SupportRecord

from .models import Contribution, ContributionUse, DonorKind

FIRST_YEAR = 2021


# --- who may -----------------------------------------------------------------------------------


def fund_capability(unit: Unit) -> str:
    """A commune's fund is kept by those who enter the commune's records; a district's or the
    province's by reviewers (district staff, administrators)."""
    return Capability.ENTER if unit.level == Level.COMMUNE else Capability.REVIEW


def can_record(reach, unit: Unit, day: dt.date) -> bool:
    return reached(reach, fund_capability(unit), [unit], day)


def contribution_can_edit(reach, contribution: Contribution) -> bool:
    return can_record(reach, contribution.unit, contribution.received_on)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _changed(unit: Unit, *communes: Unit | None) -> None:
    ids = [u.pk for u in (unit, *communes) if u is not None and u.level == Level.COMMUNE]
    if ids:
        program_changed(communes=ids)


# --- helpers -----------------------------------------------------------------------------------


def used_total(contribution: Contribution, *, excluding: int | None = None) -> int:
    rows = ContributionUse.objects.filter(contribution=contribution)
    if excluding:
        rows = rows.exclude(pk=excluding)
    return rows.aggregate(s=Sum("amount"))["s"] or 0


def covers(unit: Unit, commune: Unit) -> bool:
    """Is the commune under the fund's unit, directly or through the 2025 crosswalk (a commune
    of today made from one under a former district, and the other way round)?"""
    if commune.path.startswith(unit.path):
        return True
    return (
        UnitSuccession.objects.filter(new=commune, old__path__startswith=unit.path).exists()
        or UnitSuccession.objects.filter(old=commune, new__path__startswith=unit.path).exists()
    )


def _check(
    *,
    unit: Unit,
    received_on: dt.date,
    donor_name: str,
    donor_kind: str,
    cash_amount: int,
    in_kind: str,
    in_kind_value: int,
) -> None:
    errors = {}
    if not donor_name.strip():
        errors["donor_name"] = _("Ghi tên nhà tài trợ (doanh nghiệp, tổ chức hoặc cá nhân).")
    if donor_kind not in DonorKind.values:
        errors["donor_kind"] = _("Chọn loại nhà tài trợ.")
    if received_on > timezone.localdate():
        errors["received_on"] = _("Ngày tiếp nhận không được sau hôm nay.")
    elif received_on.year < FIRST_YEAR:
        errors["received_on"] = _("Ngày tiếp nhận phải từ năm %(year)s.") % {"year": FIRST_YEAR}
    elif not unit.is_valid_on(received_on):
        errors["received_on"] = _("%(unit)s không có hiệu lực vào ngày %(day)s.") % {
            "unit": unit.label,
            "day": received_on.strftime("%d/%m/%Y"),
        }
    if cash_amount < 0 or in_kind_value < 0 or cash_amount + in_kind_value <= 0:
        errors["cash_amount"] = _("Nhập số tiền mặt hoặc giá trị hiện vật (lớn hơn 0).")
    if in_kind_value > 0 and not in_kind.strip():
        errors["in_kind"] = _("Ghi hiện vật được tặng (ví dụ: 10 con bò giống, 50 bộ sách).")
    if in_kind.strip() and in_kind_value <= 0:
        errors["in_kind_value"] = _("Nhập giá trị ước tính của hiện vật.")
    if errors:
        raise ValidationError(errors)


# --- contributions -----------------------------------------------------------------------------


@transaction.atomic
def contribution_create(
    *,
    by,
    unit: Unit,
    received_on: dt.date,
    donor_name: str,
    donor_kind: str,
    cash_amount: int = 0,
    in_kind: str = "",
    in_kind_value: int = 0,
    purpose: str = "",
    purpose_kind: SupportKind | None = None,
    reference: str = "",
    note: str = "",
    anonymous: bool = False,
) -> Contribution:
    _check(
        unit=unit,
        received_on=received_on,
        donor_name=donor_name,
        donor_kind=donor_kind,
        cash_amount=cash_amount,
        in_kind=in_kind,
        in_kind_value=in_kind_value,
    )
    _require(can_record(user_reach(by), unit, received_on))
    contribution = Contribution.objects.create(
        unit=unit,
        received_on=received_on,
        donor_name=donor_name.strip(),
        donor_kind=donor_kind,
        anonymous=anonymous,
        cash_amount=cash_amount,
        in_kind=in_kind.strip(),
        in_kind_value=in_kind_value,
        purpose=purpose.strip(),
        purpose_kind=purpose_kind,
        reference=reference.strip(),
        note=note.strip(),
        created_by=by,
    )
    _changed(unit)
    return contribution


@transaction.atomic
def contribution_update(
    *,
    by,
    contribution: Contribution,
    received_on: dt.date,
    donor_name: str,
    donor_kind: str,
    cash_amount: int = 0,
    in_kind: str = "",
    in_kind_value: int = 0,
    purpose: str = "",
    purpose_kind: SupportKind | None = None,
    reference: str = "",
    note: str = "",
    anonymous: bool = False,
) -> Contribution:
    """The fund's unit does not change (a wrong unit: delete the uses and enter it again)."""
    reach = user_reach(by)
    _require(contribution_can_edit(reach, contribution))
    locked = Contribution.objects.select_for_update().select_related("unit").get(pk=contribution.pk)
    _check(
        unit=locked.unit,
        received_on=received_on,
        donor_name=donor_name,
        donor_kind=donor_kind,
        cash_amount=cash_amount,
        in_kind=in_kind,
        in_kind_value=in_kind_value,
    )
    _require(can_record(reach, locked.unit, received_on))
    used = used_total(locked)
    if cash_amount + in_kind_value < used:
        raise ValidationError(
            {
                "cash_amount": _(
                    "Không giảm được giá trị đóng góp xuống %(value)s: đã sử dụng %(used)s."
                )
                % {"value": money(cash_amount + in_kind_value), "used": money(used)}
            }
        )
    first = locked.uses.order_by("used_on").values_list("used_on", flat=True).first()
    if first and first < received_on:
        raise ValidationError(
            {
                "received_on": _("Ngày tiếp nhận không được sau lần chi đầu tiên (%(day)s).")
                % {"day": first.strftime("%d/%m/%Y")}
            }
        )
    locked.received_on, locked.donor_name, locked.donor_kind = (
        received_on,
        donor_name.strip(),
        donor_kind,
    )
    locked.cash_amount, locked.in_kind, locked.in_kind_value = (
        cash_amount,
        in_kind.strip(),
        in_kind_value,
    )
    locked.purpose, locked.purpose_kind = purpose.strip(), purpose_kind
    locked.reference, locked.note, locked.anonymous = reference.strip(), note.strip(), anonymous
    locked.save()
    _changed(locked.unit)
    return locked


# --- uses --------------------------------------------------------------------------------------


@transaction.atomic
def use_create(
    *,
    by,
    contribution: Contribution,
    used_on: dt.date,
    amount: int,
    description: str,
    commune: Unit | None = None,
    support_records: Iterable[SupportRecord] = (),
) -> ContributionUse:
    """Part of a contribution spent: on these households' support records (what it paid for),
    or on a described item in a commune under the fund's unit."""
    _require(contribution_can_edit(user_reach(by), contribution))
    locked = Contribution.objects.select_for_update().select_related("unit").get(pk=contribution.pk)
    records = list(support_records)
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = _("Số tiền, giá trị chi phải lớn hơn 0.")
    if not description.strip():
        errors["description"] = _("Ghi nội dung chi (đã dùng cho việc gì).")
    if used_on < locked.received_on:
        errors["used_on"] = _("Ngày chi không được trước ngày tiếp nhận (%(day)s).") % {
            "day": locked.received_on.strftime("%d/%m/%Y")
        }
    elif used_on > timezone.localdate():
        errors["used_on"] = _("Ngày chi không được sau hôm nay.")
    if commune is not None and (commune.level != Level.COMMUNE or not covers(locked.unit, commune)):
        errors["commune"] = _("%(commune)s không thuộc %(unit)s (đơn vị nhận đóng góp).") % {
            "commune": commune.label,
            "unit": locked.unit.label,
        }
    outside = [r.household.code for r in records if not covers(locked.unit, r.household.commune)]
    if outside:
        errors["support_records"] = _("Hỗ trợ của hộ không thuộc %(unit)s: %(codes)s.") % {
            "unit": locked.unit.label,
            "codes": ", ".join(outside),
        }
    if errors:
        raise ValidationError(errors)
    used = used_total(locked)
    left = locked.value - used
    if amount > left:
        raise ValidationError(
            {
                "amount": _(
                    "Vượt giá trị đóng góp: còn lại %(left)s để sử dụng (đóng góp %(value)s, đã "
                    "sử dụng %(used)s)."
                )
                % {"left": money(max(left, 0)), "value": money(locked.value), "used": money(used)}
            }
        )
    use = ContributionUse.objects.create(
        contribution=locked,
        used_on=used_on,
        amount=amount,
        description=description.strip(),
        commune=commune,
        created_by=by,
    )
    if records:
        use.support_records.set(records)
    _changed(locked.unit)
    return use


@transaction.atomic
def use_delete(*, by, use: ContributionUse) -> None:
    """A wrong entry is deleted (its history is kept) by those who may record it."""
    contribution = use.contribution
    _require(contribution_can_edit(user_reach(by), contribution))
    Contribution.objects.select_for_update().get(pk=contribution.pk)
    use.support_records.clear()
    ContributionUse.objects.filter(pk=use.pk).delete()
    _changed(contribution.unit)
