"""Putting a household on a regular (monthly) round's list: the picker's search and the entry."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import Arrival, EntryBasis
from ..services.rounds import NOTE_MAX

BASIS_CHOICES = [
    ("", _("— Chọn căn cứ —")),
    (EntryBasis.REQUEST.value, EntryBasis.REQUEST.label),
    (_("Hộ mới đến"), list(Arrival.choices)),
    (EntryBasis.OFFICER.value, EntryBasis.OFFICER.label),
]


class EntrySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm hộ theo mã hộ hoặc tên chủ hộ"), required=False, max_length=100
    )


class RoundEntryForm(forms.Form):
    household = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Chọn một hộ trong danh sách tìm được.")},
    )
    basis = forms.ChoiceField(label=_("Căn cứ đưa hộ vào danh sách"), choices=BASIS_CHOICES)
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=NOTE_MAX,
        help_text=_("Ví dụ: số, ngày giấy đề nghị; lý do cán bộ đề xuất."),
    )
