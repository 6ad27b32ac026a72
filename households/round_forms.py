"""Forms of the review pages: opening a round, its timetable, and commenting a commune
submission step. The order of the due dates is checked by the services (households.timetable),
whose field errors the views put beside the fields."""

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

    commune_due = forms.DateField(
        label=_("Hạn xã gửi kết quả lên huyện"),
        required=False,
        help_text=_("Để trống: 15/11 với rà soát định kỳ, 5 ngày trước ngày kết thúc với rà soát "
                    "thường xuyên."),
    )  # fmt: skip
    district_due = forms.DateField(
        label=_("Hạn huyện tiếp nhận kết quả"),
        required=False,
        help_text=_("Để trống: 30/11 với rà soát định kỳ, 2 ngày trước ngày kết thúc với rà soát "
                    "thường xuyên."),
    )  # fmt: skip
    province_due = forms.DateField(
        label=_("Hạn tỉnh tổng hợp, báo cáo"),
        required=False,
        help_text=_("Để trống: ngày kết thúc đợt."),
    )

    def clean(self):
        data = super().clean()
        starts, ends, year = data.get("starts_on"), data.get("ends_on"), data.get("year")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        if starts and year and starts.year != year:
            self.add_error("starts_on", _("Ngày bắt đầu phải thuộc năm rà soát."))
        return data


class RoundTimetableForm(forms.Form):
    """The due dates of an open round, on its page (administrators)."""

    commune_due = forms.DateField(label=_("Hạn xã gửi kết quả lên huyện"))
    district_due = forms.DateField(label=_("Hạn huyện tiếp nhận kết quả"))
    province_due = forms.DateField(label=_("Hạn tỉnh tổng hợp, báo cáo"))


class SubmissionCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
