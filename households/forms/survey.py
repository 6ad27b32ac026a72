"""The survey form, the exclusion form, and the survey page's bundle of forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import choices
from ..facts import join_codes, split_codes
from ..models import Survey
from .fields import (
    INCOME_HOUSEHOLD,
    INCOME_PER_PERSON,
    MAX_B1_SCORE,
    MAX_FLOOR_AREA,
    MAX_HOUSEHOLD_INCOME,
    MAX_INCOME_PER_PERSON,
    OPTIONAL_INDICATOR_FIELDS,
    SURVEY_BOOLEANS,
    _checkboxes,
    _integer,
    _model_field,
)


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
