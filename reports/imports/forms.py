"""The upload form: which round, which file. Size and signature are checked here, before anything
reads the workbook; the check task looks at the rest."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from households.models import ReviewRound, RoundStatus
from reports.offline import submissions

from . import files

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_rounds():
    """Surveys are imported into an open round (the periodic one first)."""
    return ReviewRound.objects.filter(status=RoundStatus.OPEN).order_by("kind", "-starts_on")


class ImportForm(forms.Form):
    round = forms.ModelChoiceField(
        label=gettext_lazy("Đợt rà soát"), queryset=ReviewRound.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        help_text=gettext_lazy(
            "Tối đa 20 MB và 50.000 dòng mỗi trang, theo tệp mẫu. Dữ liệu xuất từ ODK Central "
            "(.zip, .csv) hoặc KoboToolbox (.xlsx) cũng được nhận."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.zip,.csv," + XLSX}),
        error_messages={
            "required": gettext_lazy("Chọn tệp Excel (.xlsx) để tải lên."),
            "empty": files.EMPTY,
        },
    )

    def __init__(self, *args, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = open_rounds()
        self.too_large = too_large

    def clean_file(self):
        # Checked before anything reads the workbook; the task checks again, and the rest.
        upload = self.cleaned_data["file"]
        message = files.size_error(upload.size)
        if not message:
            upload.seek(0)
            head = upload.read(16)
            upload.seek(0)
            # a CSV exported by ODK Central (reports.offline) is the one file that is no zip
            if not submissions.looks_like_csv(head, upload.name or ""):
                message = files.signature_error(head[:8])
        if message:
            raise ValidationError(message)
        return upload

    def clean(self):
        if self.too_large:
            self.errors.pop("file", None)
            self.add_error("file", files.too_large())
        return super().clean()
