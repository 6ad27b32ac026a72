"""Forms of the survey page and of household registration: input shape and field validation.

Nothing here saves. The views hand the cleaned data (``SurveyForm.facts()``,
``HouseholdForm.cleaned_data``, ``BaseMemberFormSet.members()``) to ``households.services``, which
re-checks what needs the database and classifies. Messages are Vietnamese msgids (docs/i18n.md).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Unit

from . import choices
from .facts import join_codes, split_codes
from .models import Household, Member, Survey
from .services import MEMBER_MODEL_FIELDS

# Sanity ceilings: far above any real household, low enough to catch a typing slip (extra zeros).
MAX_INCOME_PER_PERSON = 1_000_000_000  # VND per person per month
MAX_HOUSEHOLD_INCOME = 10_000_000_000  # VND per household per month
MAX_FLOOR_AREA = Decimal(5000)  # m²
MAX_B1_SCORE = 1000
EARLIEST_BIRTH = dt.date(1900, 1, 1)
CITIZEN_ID = re.compile(r"\d{12}")

SURVEY_BOOLEANS = (
    "walls_durable",
    "columns_durable",
    "roof_durable",
    "has_hygienic_latrine",
    "uses_internet",
    "uses_digital_services",
    "waste_collected",
)
# Shown only when the round's standard has the indicator (Decree 351/2025 from the 2027 review).
OPTIONAL_INDICATOR_FIELDS = {
    "uses_digital_services": "digital_services",
    "waste_collected": "waste",
}
HOUSEHOLD_FIELDS = (
    "village",
    "address",
    "is_farm_household",
    "no_working_capacity",
    "revolutionary_merit",
    "social_protection",
    "requested_review",
)
INCOME_PER_PERSON, INCOME_HOUSEHOLD = "per_person", "household"


def _model_field(model, name: str, **kwargs) -> forms.Field:
    """The model's own form field (label, choices, default), so labels live in one place."""
    return model._meta.get_field(name).formfield(**kwargs)


def _integer(label, **kwargs) -> forms.IntegerField:
    # localize: Vietnamese officers type and read "1.500.000"; the English UI "1,500,000".
    return forms.IntegerField(
        label=label,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": _("Nhập một số nguyên, ví dụ 1.500.000.")},
        **kwargs,
    )


def _checkboxes(label, choice_list) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, choices=choice_list, widget=forms.CheckboxSelectMultiple
    )


# --- the survey's facts (forms B1 and B2) ---------------------------------------------------------


class SurveyForm(forms.Form):
    # The survey's version when the page was loaded: a save from a stale page is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    income_basis = forms.ChoiceField(
        label=_("Cách tính thu nhập bình quân"),
        required=False,
        choices=[
            (INCOME_PER_PERSON, _("Nhập trực tiếp thu nhập bình quân đầu người")),
            (INCOME_HOUSEHOLD, _("Tính từ tổng thu nhập của hộ chia cho số nhân khẩu")),
        ],
        widget=forms.RadioSelect,
    )
    income_per_person = _integer(_("Thu nhập bình quân (đồng/người/tháng)"))
    household_income = _integer(_("Tổng thu nhập của hộ (đồng/tháng)"))
    b1_score = _integer(_("Điểm B1 (nếu có)"))
    walls_durable = _model_field(Survey, "walls_durable")
    columns_durable = _model_field(Survey, "columns_durable")
    roof_durable = _model_field(Survey, "roof_durable")
    floor_area = forms.DecimalField(
        label=_("Diện tích nhà ở (m²)"),
        max_digits=7,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": _("Nhập diện tích nhà ở."),
            "invalid": _("Nhập một số, ví dụ 36 hoặc 36,5."),
        },
    )
    water_source = _model_field(
        Survey,
        "water_source",
        required=True,
        error_messages={"required": _("Chọn nguồn nước sinh hoạt.")},
    )
    has_hygienic_latrine = _model_field(Survey, "has_hygienic_latrine")
    uses_internet = _model_field(Survey, "uses_internet")
    devices = _checkboxes(_("Phương tiện tiếp cận thông tin của hộ"), choices.DEVICES)
    uses_digital_services = _model_field(Survey, "uses_digital_services")
    waste_collected = _model_field(Survey, "waste_collected")
    causes = _checkboxes(_("Nguyên nhân nghèo"), choices.Cause.choices)
    needs = _checkboxes(_("Nhu cầu hỗ trợ"), choices.Need.choices)

    def __init__(self, *args, standard, **kwargs):
        super().__init__(*args, **kwargs)
        codes = {indicator.code for indicator in standard.indicators}
        for field, indicator in OPTIONAL_INDICATOR_FIELDS.items():
            if indicator not in codes:
                del self.fields[field]

    def clean_income_per_person(self):
        return self._income("income_per_person", MAX_INCOME_PER_PERSON)

    def clean_household_income(self):
        return self._income("household_income", MAX_HOUSEHOLD_INCOME)

    def _income(self, name: str, ceiling: int) -> int | None:
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        if value < 0:
            raise ValidationError(_("Thu nhập không được là số âm."))
        if value > ceiling:
            if name == "income_per_person":
                raise ValidationError(
                    _("Thu nhập bình quân không được vượt quá 1.000.000.000 đồng/người/tháng.")
                )
            raise ValidationError(
                _("Tổng thu nhập của hộ không được vượt quá 10.000.000.000 đồng/tháng.")
            )
        return value

    def clean_b1_score(self):
        value = self.cleaned_data.get("b1_score")
        if value is not None and not 0 <= value <= MAX_B1_SCORE:
            raise ValidationError(_("Điểm B1 phải từ 0 đến 1.000."))
        return value

    def clean_floor_area(self):
        value = self.cleaned_data["floor_area"]
        if value <= 0:
            raise ValidationError(_("Diện tích nhà ở phải lớn hơn 0."))
        if value > MAX_FLOOR_AREA:
            raise ValidationError(_("Diện tích nhà ở không được vượt quá 5.000 m²."))
        return value

    def clean(self):
        data = super().clean()
        per_person, household = data.get("income_per_person"), data.get("household_income")
        if "income_per_person" in self.errors or "household_income" in self.errors:
            return data
        basis = data.get("income_basis") or (
            INCOME_PER_PERSON if per_person is not None else INCOME_HOUSEHOLD
        )
        data["income_basis"] = basis
        if per_person is None and household is None:
            self.add_error(
                "income_per_person",
                _("Nhập thu nhập bình quân đầu người hoặc tổng thu nhập của hộ."),
            )
        elif basis == INCOME_PER_PERSON and per_person is None:
            self.add_error(
                "income_per_person",
                _("Nhập thu nhập bình quân đầu người, hoặc chọn tính từ tổng thu nhập của hộ."),
            )
        elif basis == INCOME_HOUSEHOLD and household is None:
            self.add_error(
                "household_income",
                _("Nhập tổng thu nhập của hộ, hoặc chọn nhập trực tiếp thu nhập bình quân."),
            )
        return data

    def facts(self) -> dict:
        """The survey's model field values for ``survey_save`` and ``facts.assess``."""
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in ("household_income", "b1_score", "floor_area", "water_source")
        }
        values["income_per_person"] = (
            None if data["income_basis"] == INCOME_HOUSEHOLD else data["income_per_person"]
        )
        values.update({name: data[name] for name in SURVEY_BOOLEANS if name in self.fields})
        for name in ("devices", "causes", "needs"):
            values[name] = join_codes(data[name])
        return values

    @staticmethod
    def initial_from(survey: Survey) -> dict:
        """Initial values from a stored survey (this one, or the household's last one)."""
        initial = {name: getattr(survey, name) for name in SURVEY_BOOLEANS}
        initial.update(
            income_per_person=survey.income_per_person,
            household_income=survey.household_income,
            b1_score=survey.b1_score,
            floor_area=survey.floor_area,
            water_source=survey.water_source,
            devices=split_codes(survey.devices),
            causes=split_codes(survey.causes),
            needs=split_codes(survey.needs),
        )
        # Income saved from the household total shows the computed quotient as income per
        # person: keep the household total as the basis, or editing it would change nothing.
        computed = (
            survey.household_income is not None
            and survey.member_count
            and survey.income_per_person == survey.household_income // survey.member_count
        )
        initial["income_basis"] = INCOME_HOUSEHOLD if computed else INCOME_PER_PERSON
        return initial


# --- the household --------------------------------------------------------------------------------


class HouseholdForm(forms.Form):
    village = _model_field(Household, "village")
    address = _model_field(Household, "address")
    is_farm_household = _model_field(Household, "is_farm_household")
    no_working_capacity = _model_field(Household, "no_working_capacity")
    revolutionary_merit = _model_field(Household, "revolutionary_merit")
    social_protection = _model_field(Household, "social_protection")
    requested_review = _model_field(Household, "requested_review")

    @staticmethod
    def initial_from(household: Household) -> dict:
        return {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.label} ({obj.code})"


class HouseholdCreateForm(HouseholdForm):
    commune = CommuneChoiceField(label=_("Xã"), queryset=Unit.objects.none())
    code = _model_field(Household, "code", help_text=_("Mã hộ trong sổ theo dõi của xã."))
    arrival = forms.ChoiceField(
        label=_("Lý do bổ sung vào danh sách"),
        choices=choices.Arrival.choices,
        initial=choices.Arrival.NEW,
    )
    field_order = ["commune", "code", *HOUSEHOLD_FIELDS, "arrival"]

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        if len(communes) == 1:
            self.fields["commune"].initial = communes[0].pk

    def service_kwargs(self) -> dict:
        """Keyword arguments of ``services.household_create`` besides ``by`` and ``members``."""
        names = ("commune", "code", "arrival", *HOUSEHOLD_FIELDS)
        return {name: self.cleaned_data[name] for name in names}


# --- members --------------------------------------------------------------------------------------


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
        return " ".join(self.cleaned_data["full_name"].split())

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
        kept = self.kept_forms()
        if not kept:
            raise ValidationError(_("Hộ phải có ít nhất một thành viên."))
        for form in kept:
            member_id = form.cleaned_data.get("id")
            if member_id and member_id not in self.member_ids:
                form.add_error(None, _("Thành viên này không thuộc hộ đang nhập."))
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


class ExclusionForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Lý do"),
        choices=[("", _("— Chọn lý do —")), *choices.ExclusionReason.choices],
        error_messages={"required": _("Chọn lý do đưa hộ ra khỏi danh sách.")},
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=200)
    leaves_registry = forms.BooleanField(
        label=_("Hộ không còn trong sổ theo dõi (không đưa vào các đợt rà soát sau)"),
        required=False,
        initial=True,
    )


# --- the page as a whole --------------------------------------------------------------------------


class SurveyEntry:
    """The three forms of one survey page, validated, disabled and reported on together."""

    def __init__(self, survey_form, household_form, member_formset):
        self.survey_form = survey_form
        self.household_form = household_form
        self.members = member_formset
        self.top_errors: list[str] = []

    def is_valid(self) -> bool:
        # Validate all three so that every message shows at once.
        results = [form.is_valid() for form in (self.survey_form, self.household_form)]
        return all([*results, self.members.is_valid()])

    def disable(self) -> None:
        """Read-only page: every input shown disabled, with the values it is bound to (a refused
        post keeps showing what the user typed)."""
        for form in (self.survey_form, self.household_form, *self.members.forms):
            for field in form.fields.values():
                field.widget.attrs["disabled"] = True

    def add_service_error(self, exc: ValidationError) -> None:
        """Show a service's ``ValidationError`` beside its field when it names one of ours."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                for form in (self.survey_form, self.household_form):
                    if field in form.fields:
                        form.add_error(field, errors)
                        break
                else:
                    self.top_errors.extend(e for error in errors for e in error.messages)
        else:
            self.top_errors.extend(exc.messages)

    def error_list(self) -> list[tuple[str, str]]:
        """(where, message) pairs for the preview panel, in page order."""
        found: list[tuple[str, str]] = [("", message) for message in self.top_errors]
        found.extend(_form_errors(self.household_form, ""))
        found.extend(("", str(message)) for message in self.members.non_form_errors())
        for number, form in enumerate(self.members.forms, start=1):
            if self.members.can_delete and self.members._should_delete_form(form):
                continue
            found.extend(_form_errors(form, _("Thành viên %(n)s") % {"n": number}))
        found.extend(_form_errors(self.survey_form, ""))
        return found


def _form_errors(form: forms.Form, where: str) -> list[tuple[str, str]]:
    rows = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        place = " · ".join(str(part) for part in (where, label) if part)
        rows.extend((place, str(message)) for message in errors)
    return rows


class HouseholdMoveForm(forms.Form):
    to_commune = forms.ModelChoiceField(
        label=_("Xã chuyển đến"),
        queryset=Unit.objects.none(),
        empty_label=_("Chọn xã"),
        help_text=_("Bạn chỉ chuyển được hộ đến xã trong phạm vi được phân công."),
    )
    village = forms.CharField(label=_("Thôn / tổ dân phố ở xã mới"), max_length=100)

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        # Anywhere in the province today; the service checks the user may see the destination.
        self.fields["to_commune"].queryset = (
            Unit.objects.valid_on(timezone.localdate())
            .communes()
            .exclude(pk=household.commune_id)
            .order_by("name_folded", "code")
        )
