"""The proposal in steps: 1 dossier, 2 budget and support items, 3 participants."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..choices import Category, GroupKind, ProjectForm, Sector
from ..files import MINUTES_VALIDATORS
from ..models import ProgramComponent
from ..models.project import SOURCES, Project
from .fields import DateField, UnitMultipleChoiceField, VndField


class ComponentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        label = f"{obj.program.code} · {obj}"
        if not obj.confirmed:
            label += " " + str(_("(chưa đối chiếu văn bản)"))
        return label


class DossierForm(forms.Form):
    code = forms.CharField(
        label=_("Mã dự án"),
        max_length=30,
        required=False,
        help_text=_("Để trống để hệ thống tự đặt mã (DA-mã xã-năm-số thứ tự)."),
    )
    title = forms.CharField(label=_("Tên dự án"), max_length=255)
    form = forms.ChoiceField(label=_("Hình thức"), choices=ProjectForm.choices)
    component = ComponentChoiceField(
        label=_("Thuộc dự án / tiểu dự án của Chương trình"), queryset=ProgramComponent.objects
    )
    sector = forms.ChoiceField(label=_("Lĩnh vực"), choices=Sector.choices)
    communes = UnitMultipleChoiceField(
        label=_("Xã thực hiện"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    group_kind = forms.ChoiceField(label=_("Nhóm đề xuất"), choices=GroupKind.choices)
    group_name = forms.CharField(label=_("Tên nhóm / đơn vị chủ trì"), max_length=200)
    group_leader = forms.CharField(label=_("Người đại diện"), max_length=100, required=False)
    starts_on = DateField(label=_("Ngày bắt đầu"))
    ends_on = DateField(label=_("Ngày kết thúc"))
    expected_outputs = forms.CharField(
        label=_("Kết quả, sản phẩm dự kiến"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    income_effect = forms.CharField(
        label=_("Hiệu quả về thu nhập dự kiến"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    minutes = forms.FileField(
        label=_("Biên bản họp cộng đồng"),
        required=False,
        validators=MINUTES_VALIDATORS,
        help_text=_("PDF, JPG, PNG hoặc DOCX, tối đa 10 MB."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = communes
        self.fields["component"].queryset = ProgramComponent.objects.filter(
            for_projects=True
        ).select_related("program", "parent")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    @staticmethod
    def initial_for(project: Project) -> dict:
        return {
            "code": project.code,
            "title": project.title,
            "form": project.form,
            "component": project.component_id,
            "sector": project.sector,
            "communes": list(project.communes.all()),
            "group_kind": project.group_kind,
            "group_name": project.group_name,
            "group_leader": project.group_leader,
            "starts_on": project.starts_on,
            "ends_on": project.ends_on,
            "expected_outputs": project.expected_outputs,
            "income_effect": project.income_effect,
            "version": project.version,
        }


class BudgetForm(forms.Form):
    total_cost = VndField(label=_("Tổng kinh phí (đồng)"))
    state_support = VndField(label=_("Ngân sách nhà nước hỗ trợ"))
    counterpart_cash = VndField(label=_("Đối ứng bằng tiền"))
    counterpart_kind = VndField(label=_("Đối ứng bằng hiện vật"))
    counterpart_labour = VndField(label=_("Đối ứng bằng ngày công lao động"))
    policy_credit = VndField(label=_("Vốn tín dụng chính sách"))
    other_funds = VndField(label=_("Nguồn khác"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def sources(self) -> dict[str, int]:
        return {f: self.cleaned_data[f] for f in SOURCES}

    @staticmethod
    def initial_for(project: Project) -> dict:
        return {**project.budget(), "version": project.version}


class ItemForm(forms.Form):
    name = forms.CharField(label=_("Nội dung hỗ trợ"), max_length=200)
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=30)
    quantity = forms.DecimalField(
        label=_("Số lượng"), min_value=0, max_digits=12, decimal_places=2, localize=True
    )
    unit_cost = VndField(label=_("Đơn giá (đồng)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "DELETE":
                css = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"form-control form-control-sm {css}".strip()
                field.widget.attrs["aria-label"] = field.label


MAX_ITEMS = 100
ItemFormSet = forms.formset_factory(
    ItemForm, extra=1, can_delete=True, max_num=MAX_ITEMS, validate_max=True
)


def item_rows(formset) -> list[dict]:
    """Filled rows of the items formset (empty extra rows and deleted rows dropped)."""
    return [
        {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def _unread(form, names) -> bool:
    """Some of these fields hold something typed that is not a number."""
    return any(name in form.errors and (form.data.get(form.add_prefix(name)) or "").strip()
               for name in names)  # fmt: skip


def typed_totals(form: BudgetForm, formset) -> tuple[rules.BudgetTotals, bool]:
    """The budget step's sums as typed so far, by the same rule that the save checks
    (``rules.budget_totals``); an amount that does not read as a number counts as 0, and the
    second value says whether there was one. Deleted rows do not count. Validates both forms."""
    form.is_valid()
    formset.is_valid()
    data = getattr(form, "cleaned_data", {})
    unread = _unread(form, ("total_cost", *SOURCES))
    amounts = []
    for f in formset.forms:
        row = getattr(f, "cleaned_data", {})
        if row.get("DELETE"):
            continue
        unread = unread or _unread(f, ("quantity", "unit_cost"))
        if row.get("quantity") is not None and row.get("unit_cost") is not None:
            amounts.append(rules.item_amount(row["quantity"], row["unit_cost"]))
    totals = rules.budget_totals(
        total_cost=data.get("total_cost") or 0,
        sources={f: data.get(f) or 0 for f in SOURCES},
        item_amounts=amounts,
    )
    return totals, unread


def with_one_more_row(data, prefix: str = "items"):
    """The POSTed data with one more (empty) row in the items formset."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        count = max(int(data.get(key, 0)), 0)
    except ValueError:
        count = 0
    data[key] = str(min(count + 1, MAX_ITEMS))
    data.setdefault(f"{prefix}-INITIAL_FORMS", "0")
    return data


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm hộ theo tên chủ hộ hoặc mã hộ"), required=False, max_length=100
    )


CATEGORY_CHOICES = Category.choices
