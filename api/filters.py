"""Query parameters of the API's lists, validated by small forms: a bad value is a 400 with the
form's message, never silently ignored (a list page may ignore it; a program should be told).

The survey list takes the household list page's own filters (``households.filters.SurveyFilter``
through ``households.listing``); the households list has the registry's few: commune, village,
status and the list's search (``households.search.household_match``).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import Level
from households.models import HouseholdStatus
from households.search import household_match


class HouseholdQuery(forms.Form):
    commune = forms.IntegerField(required=False, min_value=1)
    village = forms.CharField(required=False, max_length=100)
    status = forms.ChoiceField(required=False, choices=[("", ""), *HouseholdStatus.choices])
    q = forms.CharField(required=False, max_length=100)

    def apply(self, households):
        data = self.cleaned_data
        if data["commune"]:
            households = households.filter(commune_id=data["commune"])
        if data["status"]:
            households = households.filter(status=data["status"])
        term = data["village"].strip()
        if term:
            households = households.filter(
                Q(village__icontains=term) | Q(village__contains=term.title())
            )
        term = data["q"].strip()
        if term:
            households = households.filter(household_match(term, ""))
        return households


class UnitQuery(forms.Form):
    at = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Nhập ngày theo dạng YYYY-MM-DD, ví dụ 2025-07-01.")},
    )
    level = forms.ChoiceField(required=False, choices=[("", ""), *Level.choices])
    parent = forms.IntegerField(required=False, min_value=1)
    q = forms.CharField(required=False, max_length=100)

    def day(self) -> dt.date | None:
        return self.cleaned_data["at"]


class RoundQuery(forms.Form):
    round = forms.IntegerField(required=False, min_value=1)


class OwnerQuery(forms.Form):
    round = forms.IntegerField(required=False, min_value=1)
    unit = forms.IntegerField(required=False, min_value=1)
    group = forms.IntegerField(required=False, min_value=1)


def form_errors(form) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}
