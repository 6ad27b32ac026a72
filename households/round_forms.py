"""Forms of the review pages: opening a round, and commenting a commune submission step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import STANDARD_CHOICES, RoundKind


class RoundOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2021, max_value=2035)
    kind = forms.ChoiceField(label=_("Loại rà soát"), choices=RoundKind.choices)
    starts_on = forms.DateField(label=_("Ngày bắt đầu"), help_text=_("dd/mm/yyyy"))
    ends_on = forms.DateField(label=_("Ngày kết thúc"), help_text=_("dd/mm/yyyy"))
    standard = forms.ChoiceField(
        label=_("Chuẩn nghèo"),
        required=False,
        choices=[("", _("Theo năm rà soát")), *STANDARD_CHOICES],
        help_text=_("Để trống: chuẩn nghèo đang có hiệu lực cho năm rà soát."),
    )
    standard_reason = forms.CharField(
        label=_("Lý do áp dụng chuẩn khác"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi chọn chuẩn nghèo khác chuẩn đang có hiệu lực cho năm rà soát."),
    )

    def clean(self):
        data = super().clean()
        starts, ends, year = data.get("starts_on"), data.get("ends_on"), data.get("year")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        if starts and year and starts.year != year:
            self.add_error("starts_on", _("Ngày bắt đầu phải thuộc năm rà soát."))
        return data


class SubmissionCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
