"""Filter forms of the list pages (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import CourseKind, ProjectForm, Sector, Status
from ..models import Course, Project
from .fields import UnitChoiceField

FIRST_YEAR = 2021


def year_choices():
    return [(y, str(y)) for y in range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)]


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Mã hoặc tên dự án"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=Status.choices, empty_label=_("Tất cả")
    )
    form = django_filters.ChoiceFilter(
        label=_("Hình thức"), choices=ProjectForm.choices, empty_label=_("Tất cả")
    )
    sector = django_filters.ChoiceFilter(
        label=_("Lĩnh vực"), choices=Sector.choices, empty_label=_("Tất cả")
    )
    unit = UnitFilter(
        label=_("Đơn vị"), queryset=None, method="filter_unit", empty_label=_("Tất cả")
    )
    year = django_filters.ChoiceFilter(
        label=_("Năm bắt đầu"), choices=year_choices, method="filter_year", empty_label=_("Tất cả")
    )
    priority = django_filters.BooleanFilter(
        field_name="is_priority",
        label=_("Ưu tiên"),
        widget=forms.Select(
            choices=[("", _("Tất cả")), ("true", _("Ưu tiên")), ("false", _("Không"))]
        ),
    )

    class Meta:
        model = Project
        fields = ["q", "status", "form", "sector", "unit", "year", "priority"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units
        self.form.fields["unit"].queryset = units

    def filter_q(self, queryset, name, value):
        term = value.strip()
        return (
            queryset.filter(Q(code__icontains=term) | Q(title__icontains=term))
            if term
            else queryset
        )

    def filter_unit(self, queryset, name, unit):
        links = Project.communes.through.objects.filter(
            project=OuterRef("pk"), unit__path__startswith=unit.path
        )
        return queryset.filter(Exists(links))

    def filter_year(self, queryset, name, year):
        return queryset.filter(starts_on__year=int(year))


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tên lớp"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("Loại"), choices=CourseKind.choices, empty_label=_("Tất cả")
    )
    year = django_filters.ChoiceFilter(
        label=_("Năm"), choices=year_choices, method="filter_year", empty_label=_("Tất cả")
    )

    class Meta:
        model = Course
        fields = ["q", "kind", "year"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(title__icontains=value.strip()) if value.strip() else queryset

    def filter_year(self, queryset, name, year):
        return queryset.filter(starts_on__year=int(year))
