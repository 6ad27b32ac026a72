"""A member row and the formsets of a household's current members."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.text import person_name

from .. import choices
from ..models import Household, Member
from ..services import MEMBER_MODEL_FIELDS
from .fields import (
    CITIZEN_ID,
    EARLIEST_BIRTH,
    _model_field,
)


class MemberForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    full_name = _model_field(Member, "full_name", error_messages={"required": _("Nhập họ và tên.")})
    sex = _model_field(Member, "sex", error_messages={"required": _("Chọn giới tính.")})
    birth_date = forms.DateField(
        label=_("Ngày sinh"),
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}
        ),
        error_messages={
            "required": _("Nhập ngày sinh."),
            "invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 01/03/1985."),
        },
    )
    relation = _model_field(
        Member, "relation", error_messages={"required": _("Chọn quan hệ với chủ hộ.")}
    )
    ethnicity = _model_field(Member, "ethnicity")
    citizen_id = forms.CharField(
        label=_("Số định danh cá nhân"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    has_health_insurance = _model_field(Member, "has_health_insurance")
    schooling = _model_field(
        Member, "schooling", error_messages={"required": _("Chọn tình trạng đi học.")}
    )
    education_level = _model_field(
        Member, "education_level", error_messages={"required": _("Chọn trình độ giáo dục.")}
    )
    employer_certified_training = _model_field(Member, "employer_certified_training")
    employment = _model_field(
        Member, "employment", error_messages={"required": _("Chọn tình trạng việc làm.")}
    )
    is_disabled = _model_field(Member, "is_disabled")
    has_monthly_social_allowance = _model_field(Member, "has_monthly_social_allowance")
    nutrition = _model_field(Member, "nutrition")

    def __init__(self, *args, on: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on  # the round's reference date, when the member is surveyed in a round

    def clean_full_name(self):
        return person_name(self.cleaned_data["full_name"])

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born > timezone.localdate():
            raise ValidationError(_("Ngày sinh không được sau ngày hôm nay."))
        if born < EARLIEST_BIRTH:
            raise ValidationError(_("Ngày sinh không được trước ngày 01/01/1900."))
        # A baby born after the round's first day is counted aged 0 (facts.age_at).
        return born

    def clean_citizen_id(self):
        value = re.sub(r"[\s.]", "", self.cleaned_data["citizen_id"])
        if value and not CITIZEN_ID.fullmatch(value):
            raise ValidationError(_("Số định danh cá nhân phải gồm đúng 12 chữ số."))
        return value


class BaseMemberFormSet(forms.BaseFormSet):
    """The household's current members. Rows marked for deletion leave the household (the service
    keeps them on record as no longer current); untouched blank rows are ignored."""

    def __init__(self, *args, household: Household | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        self.member_ids = (
            set(household.members.filter(is_current=True).values_list("pk", flat=True))
            if household
            else set()
        )

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if index is not None and index < self.initial_form_count():
            form.fields["DELETE"].label = _("Không còn trong hộ (đã mất, chuyển đi)")
        else:
            form.fields["DELETE"].label = _("Bỏ dòng này")

    def kept_forms(self) -> list[forms.Form]:
        return [
            form
            for form in self.forms
            if (form.has_changed() or not form.empty_permitted)
            and not self._should_delete_form(form)
        ]

    def clean(self):
        self._check_rows_are_the_households()
        kept = self.kept_forms()
        if not kept:
            raise ValidationError(_("Hộ phải có ít nhất một thành viên."))
        seen: dict[str, forms.Form] = {}
        for form in kept:
            citizen_id = form.cleaned_data.get("citizen_id")
            if not citizen_id:
                continue
            if citizen_id in seen:
                form.add_error(
                    "citizen_id", _("Hai thành viên trong hộ không thể có cùng số định danh.")
                )
            else:
                seen[citizen_id] = form
        self._check_citizen_ids_elsewhere(seen)
        relations = [form.cleaned_data.get("relation") for form in kept]
        if all(relations) and relations.count(choices.Relation.HEAD) != 1:
            raise ValidationError(_("Hộ phải có đúng một chủ hộ."))
        self._check_head_kept()

    def _check_rows_are_the_households(self) -> None:
        """The rows posted are the rows the page showed: one per current member of the household
        being edited, in the page's order (their ids), then new rows without an id. A tampered
        management form (more "initial" rows than members) or an id of another household's
        member is refused before anything is saved."""
        expected = [row.get("id") for row in (self.initial or [])]
        if self.initial_form_count() != len(expected):
            raise ValidationError(
                _(
                    "Danh sách thành viên gửi lên không khớp với hộ đang nhập (có thể trang đã "
                    "cũ): hãy tải lại trang rồi nhập lại."
                ),
                code="tampered",
            )
        for index, form in enumerate(self.forms):
            posted = form.cleaned_data.get("id") if hasattr(form, "cleaned_data") else None
            own = expected[index] if index < len(expected) else None
            if posted != own or (own is not None and own not in self.member_ids):
                form.add_error(None, _("Thành viên này không thuộc hộ đang nhập."))
                raise ValidationError(
                    _("Danh sách thành viên gửi lên không khớp với hộ đang nhập."), code="tampered"
                )

    @property
    def changing_head(self) -> bool:
        """The explicit "change the head" box of the survey page is ticked."""
        return self.is_bound and self.data.get(f"{self.prefix}-{CHANGE_HEAD}") in ("on", "1")

    def _check_head_kept(self) -> None:
        """The head's row is never silently replaced or removed: unless the user ticks "change
        the head" (the head died or left), the current head stays on the list, as its head."""
        if self.changing_head:
            return
        for index, row in enumerate(self.initial or []):
            if row.get("relation") != choices.Relation.HEAD:
                continue
            form = self.forms[index]
            if self._should_delete_form(form) or (
                form.cleaned_data.get("relation") not in (None, choices.Relation.HEAD)
            ):
                message = _(
                    "Không thể bỏ chủ hộ hoặc đổi quan hệ của chủ hộ mà không chọn “Đổi chủ hộ”. "
                    "Nếu chủ hộ đã mất hoặc chuyển đi, đánh dấu ô “Đổi chủ hộ” rồi lưu lại."
                )
                form.add_error(None, message)
                raise ValidationError(message, code="head")

    def _check_citizen_ids_elsewhere(self, by_id: dict[str, forms.Form]) -> None:
        # The service checks again inside its transaction; this puts the message beside the field.
        if not by_id:
            return
        taken = Member.objects.filter(citizen_id__in=list(by_id), is_current=True)
        if self.household is not None:
            taken = taken.exclude(household=self.household)
        for citizen_id in taken.values_list("citizen_id", flat=True).distinct():
            by_id[citizen_id].add_error(
                "citizen_id",
                _("Số định danh %(id)s đã thuộc về một người ở hộ khác.") % {"id": citizen_id},
            )

    def members(self) -> list[dict]:
        """The kept members as dicts of ``Member`` field values (``id`` None for new ones)."""
        return [
            {name: form.cleaned_data.get(name) for name in MEMBER_MODEL_FIELDS}
            for form in self.kept_forms()
        ]


MemberFormSet = forms.formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=0, can_delete=True, max_num=60, validate_max=True
)
NewMemberFormSet = forms.formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=1, can_delete=True, max_num=60, validate_max=True
)
MEMBER_PREFIX = "members"
CHANGE_HEAD = "change_head"  # the posted box, prefixed: members-change_head


def with_added_member(data, prefix: str = MEMBER_PREFIX):
    """A copy of posted data with one more member row holding the defaults: the "add member"
    button. The row counts as untouched, so it is skipped unless the user fills it in."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        index = max(int(data.get(key, 0)), 0)
    except ValueError:
        index = 0
    data[key] = str(index + 1)
    for name, field in MemberForm.base_fields.items():
        if field.initial not in (None, False):
            data[f"{prefix}-{index}-{name}"] = "on" if field.initial is True else field.initial
    return data
