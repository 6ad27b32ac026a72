"""Household forms: flags, registration, moving to another commune."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Unit

from .. import choices
from ..models import Household
from .fields import (
    HOUSEHOLD_FIELDS,
    _model_field,
)


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
    code = _model_field(
        Household,
        "code",
        required=False,
        help_text=_(
            "Để trống: cổng tự cấp mã theo xã (mã xã - số thứ tự). Hộ đã có mã trong sổ giấy "
            "của xã thì nhập mã đó."
        ),
    )
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
