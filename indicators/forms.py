"""Forms of the analysis page (a GET form: the URL is the analysis) and of saved analyses."""

from __future__ import annotations

import re

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import analysis
from .models import SavedAnalysis

AREA = re.compile(r"^(unit|group):(\d{1,10})$")


class AnalysisForm(forms.Form):
    indicators = forms.MultipleChoiceField(
        label=_("Chỉ tiêu"),
        error_messages={
            "required": _("Chọn ít nhất một chỉ tiêu."),
            "invalid_choice": _("Chỉ tiêu %(value)s không có trong danh mục."),
        },
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    rows = forms.ChoiceField(
        label=_("Hàng"),
        choices=analysis.ROWS,
        initial="children",
        required=False,
        error_messages={"invalid_choice": _("Cách chia hàng không hợp lệ.")},
    )
    columns = forms.ChoiceField(
        label=_("Cột"),
        choices=analysis.COLUMNS,
        initial="rounds",
        required=False,
        error_messages={"invalid_choice": _("Cách chia cột không hợp lệ.")},
    )
    rounds = forms.MultipleChoiceField(
        label=_("Đợt rà soát"),
        required=False,  # none: the newest rounds with figures (the newest for a breakdown)
        error_messages={
            "invalid_choice": _("Đợt rà soát %(value)s không có hoặc không phải đợt định kỳ."),
        },
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    area = forms.CharField(label=_("Địa bàn"), required=False, max_length=40)

    MAX_INDICATORS = 6
    MAX_ROUNDS = 6

    def __init__(self, *args, indicators, rounds, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._indicators = {i.code: i for i in indicators}
        self._rounds = {str(r.pk): r for r in rounds}
        self._round_list = list(rounds)
        self.fields["indicators"].choices = [(i.code, i.name) for i in indicators]
        self.fields["rounds"].choices = [
            (str(r.pk), gettext("Năm %(year)s") % {"year": r.year}) for r in rounds
        ]  # periodic rounds only: the year names them
        self.area_choices = list(areas)

    def clean_indicators(self):
        codes = self.cleaned_data["indicators"]
        if len(codes) > self.MAX_INDICATORS:
            raise forms.ValidationError(
                _("Chọn tối đa %(n)s chỉ tiêu."), params={"n": self.MAX_INDICATORS}
            )
        return codes

    def clean_rows(self):
        return self.cleaned_data["rows"] or "children"

    def clean_columns(self):
        return self.cleaned_data["columns"] or "rounds"

    def clean_rounds(self):
        picked = self.cleaned_data["rounds"]
        if len(picked) > self.MAX_ROUNDS:
            raise forms.ValidationError(
                _("Chọn tối đa %(n)s đợt rà soát."), params={"n": self.MAX_ROUNDS}
            )
        return sorted((self._rounds[pk] for pk in picked), key=lambda r: r.starts_on, reverse=True)

    def clean_area(self):
        value = self.cleaned_data["area"].strip()
        if not value:
            return None
        found = AREA.match(value)
        if not found:
            raise forms.ValidationError(_("Địa bàn không hợp lệ."))
        return found[1], int(found[2])

    def clean(self):
        data = super().clean()
        columns, rounds, codes = data.get("columns"), data.get("rounds"), data.get("indicators")
        if "rounds" in data and not rounds:
            rounds = data["rounds"] = analysis.default_rounds(self._round_list)
            if columns in analysis.BREAKDOWNS:
                rounds = data["rounds"] = rounds[:1]
            if not rounds:
                self.add_error("rounds", _("Chưa có đợt rà soát định kỳ nào."))
        if columns in analysis.BREAKDOWNS and rounds and len(rounds) != 1:
            self.add_error(
                "rounds", _("Khi chia cột theo nhóm hộ hoặc loại địa bàn, chọn đúng một đợt.")
            )
        if columns in analysis.BREAKDOWNS and codes:
            unsplit = [
                str(self._indicators[c].name)
                for c in codes
                if not analysis.splits(self._indicators[c], columns)
            ]
            if unsplit:
                self.add_error(
                    "indicators",
                    _("Không có số liệu lưu sẵn để chia theo cột đã chọn cho: %(names)s.")
                    % {"names": "; ".join(unsplit)},
                )
        return data

    def spec(self) -> analysis.Spec:
        d = self.cleaned_data
        return analysis.Spec(
            codes=tuple(d["indicators"]),
            rows=d["rows"],
            columns=d["columns"],
            rounds=tuple(d["rounds"]),
            area=d["area"],
        )


class SavedAnalysisForm(forms.ModelForm):
    class Meta:
        model = SavedAnalysis
        fields = ["name", "pinned"]
        error_messages = {"name": {"required": _("Đặt tên cho phân tích.")}}


class SaveAnalysisForm(forms.Form):
    """Saving the analysis on the page: a name, and the page's query string (which must be a
    valid analysis)."""

    name = forms.CharField(
        label=_("Tên phân tích"),
        max_length=120,
        error_messages={"required": _("Đặt tên cho phân tích.")},
    )
    query = forms.CharField(
        max_length=2000,
        widget=forms.HiddenInput,
        error_messages={"required": _("Chưa có phân tích nào để lưu: hãy xem bảng trước.")},
    )
    pinned = forms.BooleanField(label=_("Ghim lên trang chủ"), required=False)

    def __init__(self, *args, indicators, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self._choices = {"indicators": indicators, "rounds": rounds}

    def clean_query(self):
        query = self.cleaned_data["query"]
        form = AnalysisForm(QueryDict(query), **self._choices)
        if not form.is_valid():
            raise forms.ValidationError(_("Phân tích không hợp lệ: hãy xem lại bảng rồi lưu."))
        return form.spec().query()
