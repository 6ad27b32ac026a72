"""Forms of the monitoring pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.forms.fields import DateField, UnitChoiceField

from .models import VisitKind, VisitStatus

FIRST_YEAR = 2021


def year_choices():
    return [(y, str(y)) for y in range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)]


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class ProjectsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} – {obj.title}"


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=VisitKind.choices)
    held_on = DateField(label=_("Ngày kiểm tra, giám sát"))
    organiser = forms.CharField(label=_("Cơ quan tổ chức"), max_length=200)
    team = forms.CharField(label=_("Thành phần đoàn"), max_length=255)
    lead = forms.CharField(label=_("Trưởng đoàn"), max_length=120, required=False)
    communes = UnitsField(label=_("Xã được kiểm tra, giám sát"), queryset=None, required=False)
    projects = ProjectsField(label=_("Dự án được kiểm tra"), queryset=None, required=False)
    findings = forms.CharField(
        label=_("Kết quả, phát hiện"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    status = forms.ChoiceField(label=_("Trạng thái"), choices=VisitStatus.choices)

    def __init__(self, *args, communes, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = communes
        self.fields["projects"].queryset = projects

    @staticmethod
    def initial_for(visit) -> dict:
        return {
            "kind": visit.kind,
            "held_on": visit.held_on,
            "organiser": visit.organiser,
            "team": visit.team,
            "lead": visit.lead,
            "communes": list(visit.communes.all()),
            "projects": list(visit.projects.all()),
            "findings": visit.findings,
            "status": visit.status,
        }


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Nội dung kiến nghị"), widget=forms.Textarea(attrs={"rows": 3}))
    commune = UnitChoiceField(label=_("Xã chịu trách nhiệm"), queryset=None)
    project = forms.ModelChoiceField(label=_("Dự án liên quan"), queryset=None, required=False)
    due_on = DateField(label=_("Hạn thực hiện"))

    def __init__(self, *args, communes, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["project"].queryset = projects


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}))
    on = DateField(label=_("Ngày"), required=False)


class FileForm(forms.Form):
    file = forms.FileField(label=_("Tệp (PDF, JPG, PNG, DOCX, XLSX; tối đa 10 MB)"))


class VisitFilter(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Năm"), choices=[("", _("Tất cả"))], coerce=int, required=False, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("Hình thức"), choices=[("", _("Tất cả")), *VisitKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả")), *VisitStatus.choices], required=False
    )
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=None, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Tất cả")), *year_choices()]
        self.fields["unit"].queryset = units


STATES = [
    ("", _("Tất cả")),
    ("open", _("Chưa xong (kể cả chờ xác nhận)")),
    ("pending", _("Xã chưa thực hiện")),
    ("overdue", _("Quá hạn")),
    ("reported", _("Chờ huyện xác nhận")),
    ("done", _("Đã thực hiện")),
]


class RecommendationFilter(forms.Form):
    state = forms.ChoiceField(label=_("Tình trạng"), choices=STATES, required=False)
    unit = UnitChoiceField(label=_("Xã / đơn vị chịu trách nhiệm"), queryset=None, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), choices=(), coerce=int)
    unit = UnitChoiceField(label=_("Địa bàn"), queryset=None, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["unit"].queryset = units
