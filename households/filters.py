"""The household list's filters: one round's entries (surveys), narrowed by the officer's questions.

The view hands in the entries of the chosen round that the user may see; every filter here only
narrows that queryset. Filters over related rows (deprivations, members) use ``Exists`` so that a
row never repeats and the totals stay one aggregate query.

The class filter reads the stored, indexed ``Survey.effective_class``: an entry not yet surveyed
counts with its previous class, as on the dashboards and in the official reports. The commune
choices are the communes of the user's scope at the round's date (``RoundCommunes``: no query
here).
"""

from __future__ import annotations

import re

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from areas.models import Kind

from . import choices
from .models import Household, Member, SurveyDeprivation, SurveyStatus
from .search import household_match
from .selectors import RoundCommunes
from .standards import Indicator, PovertyStandard

CITIZEN_ID = re.compile(r"\d{12}")
ALL = _("Tất cả")

# Household flags of the review (DOMAIN.md §7): one choice, "households that have this flag".
FLAGS = [
    (name, Household._meta.get_field(name).verbose_name)
    for name in (
        "is_farm_household",
        "no_working_capacity",
        "revolutionary_merit",
        "social_protection",
    )
]


def indicator_label(indicator: Indicator) -> str:
    """'9. Nguồn nước sinh hoạt': the number reports use, the name in the active language."""
    name = indicator.name_en if (get_language() or "").startswith("en") else indicator.name_vi
    return f"{indicator.number}. {name}"


class SurveyFilter(filters.FilterSet):
    commune = filters.ChoiceFilter(label=_("Xã"), method="filter_commune", empty_label=ALL)
    village = filters.CharFilter(
        label=_("Thôn / tổ dân phố"), method="filter_village", max_length=100
    )
    # The parameter keeps its name (?poverty_class=poor) so that saved links keep working.
    poverty_class = filters.ChoiceFilter(
        label=_("Phân loại"),
        field_name="effective_class",
        choices=choices.POVERTY_CLASS,
        empty_label=ALL,
        help_text=_("Hộ chưa rà soát trong đợt được tính theo phân loại kỳ trước, như số liệu."),
    )
    transition = filters.ChoiceFilter(
        label=_("Biến động"), choices=choices.TRANSITION, empty_label=ALL
    )
    status = filters.ChoiceFilter(
        label=_("Trạng thái phiếu"), choices=SurveyStatus.choices, empty_label=ALL
    )
    deprived = filters.ChoiceFilter(
        label=_("Thiếu hụt chỉ số"), method="filter_deprived", empty_label=ALL
    )
    is_ethnic_minority = filters.BooleanFilter(
        label=_("Hộ dân tộc thiểu số"),
        widget=forms.Select(choices=[("", ALL), ("true", _("Có")), ("false", _("Không"))]),
    )
    flag = filters.ChoiceFilter(
        label=_("Đặc điểm hộ"), choices=FLAGS, method="filter_flag", empty_label=ALL
    )
    cause = filters.ChoiceFilter(
        label=_("Nguyên nhân nghèo"),
        choices=choices.Cause.choices,
        method="filter_cause",
        empty_label=ALL,
    )
    q = filters.CharFilter(
        label=_("Tìm hộ"),
        method="filter_search",
        max_length=100,
        help_text=_("Mã hộ, tên chủ hộ (gõ có dấu hoặc không dấu) hoặc số định danh 12 số."),
    )

    def __init__(
        self,
        data=None,
        *,
        queryset: QuerySet,
        communes: RoundCommunes,
        standard: PovertyStandard,
        **kwargs,
    ):
        super().__init__(data, queryset=queryset, **kwargs)
        # The communes of the user's scope at the round's date: a round before the 2025 reform
        # has its entries in communes of the old tree.
        kinds = {k: str(v) for k, v in Kind.choices}  # translated once, not once per unit
        self.filters["commune"].extra["choices"] = [
            (str(c.pk), f"{kinds.get(c.kind, '')} {c.name} ({c.code})")
            for c in sorted(communes.communes, key=lambda c: (c.name_folded, c.code))
        ]
        self.filters["deprived"].extra["choices"] = [
            (indicator.code, indicator_label(indicator)) for indicator in standard.indicators
        ]

    def active(self) -> dict[str, object]:
        """The filters that narrow the rows, with their values (invalid ones are ignored)."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 (validates the form: cleaned_data keeps the valid values only)
        return {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}

    def filter_commune(self, queryset, name, value):
        return queryset.filter(commune_id=int(value))

    def filter_deprived(self, queryset, name, value):
        return queryset.filter(
            Exists(SurveyDeprivation.objects.filter(survey=OuterRef("pk"), indicator=value))
        )

    def filter_village(self, queryset, name, value):
        term = value.strip()
        # SQLite folds the case of ASCII letters only: "đông" would miss "Thôn Đông" there, so
        # the capitalised spelling is tried too (PostgreSQL's icontains needs no help).
        return queryset.filter(
            Q(household__village__icontains=term) | Q(household__village__contains=term.title())
        )

    def filter_flag(self, queryset, name, value):
        return queryset.filter(**{f"household__{value}": True})

    def filter_cause(self, queryset, name, value):
        # Survey.causes is comma-wrapped (",land,capital,"), so ",code," matches whole codes only.
        return queryset.filter(causes__contains=f",{value},")

    def filter_search(self, queryset, name, value):
        term = value.strip()
        if not term:
            return queryset
        match = household_match(term)
        if CITIZEN_ID.fullmatch(term):
            match |= Exists(
                Member.objects.filter(
                    household=OuterRef("household"), is_current=True, citizen_id=term
                )
            )
        return queryset.filter(match)
