"""Limits and field helpers shared by the household forms."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

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
