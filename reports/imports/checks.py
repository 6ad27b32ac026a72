"""Check the workbook's rows with the survey page's own forms and against the database, and make
the plan of what confirming will write (``plan``).

Each household row goes through ``HouseholdForm`` and ``SurveyForm``, each member row through
``MemberForm`` (households.forms): the field rules (required, ranges, formats, the income basis,
the citizen ID's 12 digits) are theirs, and so are their messages. The member formset's household
rules (one head, no repeated citizen ID, none that belongs to another household) and the services'
rules (scope, locked communes, one survey per round) are checked here set-based, with a handful of
queries for the whole file instead of some per row.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from areas.models import Unit
from areas.scope import Capability, user_scope
from households import facts
from households.forms import HOUSEHOLD_FIELDS, HouseholdForm, MemberForm, SurveyForm
from households.models import (
    CommuneSubmission,
    Household,
    Member,
    ReviewRound,
    RoundKind,
    RoundStatus,
    Survey,
    SurveyStatus,
)
from households.services import MEMBER_MODEL_FIELDS, approved_requests

from . import columns as C
from .plan import (
    CHANGE,
    ENTER,
    MEMBER_FIELDS,
    NEW,
    SAME,
    Item,
    Plan,
    household_changes,
    match_members,
    survey_changes,
    version_token,
)
from .reader import Parsed, Row, Sheet

CHUNK = 900  # ids per IN (...): under SQLite's variable limit on any build
SURVEY_FORM_FIELDS = {c.key for c in C.HOUSEHOLD_COLUMNS} - {
    "commune", "code", C.ROW_VERSION, *HOUSEHOLD_FIELDS
}  # fmt: skip
_CODE_FIELD = Household._meta.get_field("code").formfield()


class _Forms:
    """The survey page's forms, built once per file and copied for each row.

    Django deep-copies every field when a form is instantiated: for a 10,000-household file that
    was most of the check's time. Validation does not change the fields, so a shallow copy of one
    prototype per row (own data, own errors, shared fields) validates exactly as a new form.
    """

    def __init__(self, standard, on):
        self.household = HouseholdForm(data={})
        self.survey = SurveyForm(data={}, standard=standard)
        self.member = MemberForm(data={}, on=on)

    @staticmethod
    def bind(prototype, data: dict):
        form = copy.copy(prototype)
        form.data = data
        form._errors = None
        form._bound_fields_cache = {}
        return form


class Checker:
    def __init__(self, parsed: Parsed, *, user, round_: ReviewRound):
        self.parsed, self.user, self.round_ = parsed, user, round_
        self.standard = round_.get_standard()
        self.on = round_.reference_date
        self.forms = _Forms(self.standard, self.on)
        self.scope = user_scope(user)  # the services check today's scope
        self.items: dict[str, Item] = {}

    def error(self, sheet: Sheet, row: int | None, key: str, message) -> None:
        self.parsed.error(sheet, row, key, message)

    def run(self, progress=None) -> Plan:
        communes = self._communes()
        hh_sheet = self.parsed.households
        for n, row in enumerate(hh_sheet.rows, start=1):
            self._household(row, communes)
            if progress and n % 500 == 0:
                progress(0.3 * n / len(hh_sheet.rows))
        mb_sheet = self.parsed.members
        for n, row in enumerate(mb_sheet.rows, start=1):
            self._member(row)
            if progress and n % 1000 == 0:
                progress(0.3 + 0.4 * n / max(len(mb_sheet.rows), 1))
        items = list(self.items.values())
        self._household_rules(items)
        on_list = self._against_database(items)
        if progress:
            progress(1.0)
        return Plan(round_=self.round_, items=items, on_list=on_list)

    def recheck(self, items: list[Item]) -> Plan:
        """The checks that depend on the database or on the user's rights, for rows the forms
        already cleaned (``plan.load``): what ``run`` does after the forms, on the same rows.
        Confirming calls it: the file has not changed since it was checked, the data may have."""
        codes = {i.row.values["commune"] for i in items}
        units = Unit.objects.valid_on(self.on).communes().filter(code__in=codes)
        communes = {u.code: u for u in units}
        for item in items:
            item.commune = self._commune(item.row, communes)
            item.ok = item.commune is not None
            self.items[item.code] = item
        self._household_rules(items)
        on_list = self._against_database(items, predict=False)
        return Plan(round_=self.round_, items=items, on_list=on_list)

    # --- rows --------------------------------------------------------------------------------

    def _communes(self) -> dict[str, Unit]:
        codes = {r.values.get("commune") for r in self.parsed.households.rows} - {None, ""}
        units = Unit.objects.valid_on(self.on).communes().filter(code__in=codes)
        return {u.code: u for u in units}

    def _household(self, row: Row, communes: dict[str, Unit]) -> None:
        sheet, values = self.parsed.households, row.values
        token = values.get(C.ROW_VERSION) or ""
        # A pre-filled row of an entry never surveyed, left without answers: not entered
        # (``_plan_existing``), so its blank cells are no error.
        unanswered = bool(token) and all(
            values.get(k) in (None, "", []) for k in SURVEY_FORM_FIELDS if k in sheet.columns
        )
        skip = SURVEY_FORM_FIELDS if unanswered else ()
        ok = self._answers(sheet, row, C.HOUSEHOLD_COLUMNS, skip=skip)
        code = None
        if "code" not in row.bad:
            try:
                code = _CODE_FIELD.clean(values["code"])
            except ValidationError as exc:  # the model field's own messages
                for message in exc.messages:
                    self.error(sheet, row.number, "code", message)
        if code and code in self.items:
            self.error(
                sheet, row.number, "code",
                _("Mã hộ %(code)s trùng với dòng %(row)s.")
                % {"code": code, "row": self.items[code].row.number},
            )  # fmt: skip
            return
        commune = self._commune(row, communes)
        household_form = self.forms.bind(
            self.forms.household, {f: values[f] for f in HOUSEHOLD_FIELDS}
        )
        data = {k: values[k] for k in SURVEY_FORM_FIELDS if k in values}
        # "version" guards the page against stale saves; the import checks versions itself
        survey_form = self.forms.bind(self.forms.survey, {**data, "version": 1})
        ok &= self._form_errors(sheet, row, household_form)
        if not unanswered:
            ok &= self._form_errors(sheet, row, survey_form)
        if not code:
            return
        item = Item(row=row, code=code, commune=commune, ok=ok and commune is not None)
        item.token, item.unanswered = token, unanswered
        if item.ok:
            item.household_data = household_form.cleaned_data
            item.survey_data = {} if unanswered else survey_form.facts()
        self.items[code] = item

    def _answers(self, sheet: Sheet, row: Row, spec: Iterable[C.Column], skip=()) -> bool:
        """Cells the forms cannot judge: a yes/no left blank (a checkbox on the page always has
        an answer), a value in the column of an indicator the round's standard does not have."""
        ok = not row.bad
        for column in spec:
            value = row.values.get(column.key)
            if column.key in row.bad or column.key not in sheet.columns or column.key in skip:
                continue
            if not column.used_by(self.standard):
                if value not in (None, "", [], False):
                    ok = False
                    self.error(
                        sheet, row.number, column.key,
                        _("Chuẩn nghèo của đợt này không có chỉ số này: để trống cột."),
                    )  # fmt: skip
            elif column.kind == C.YES_NO and value is None:
                ok = False
                self.error(sheet, row.number, column.key, _("Nhập Có hoặc Không (hoặc 1 / 0)."))
        return ok

    def _commune(self, row: Row, communes: dict[str, Unit]) -> Unit | None:
        sheet, code = self.parsed.households, row.values.get("commune")
        if "commune" in row.bad:
            return None
        if not code:
            self.error(sheet, row.number, "commune", _("Nhập mã xã."))
            return None
        unit = communes.get(code)
        if unit is None:
            self.error(
                sheet, row.number, "commune",
                _("Không có xã mã %(code)s vào ngày %(day)s (ngày bắt đầu đợt rà soát).")
                % {"code": code, "day": date_format(self.on, "SHORT_DATE_FORMAT")},
            )  # fmt: skip
            return None
        if not self.scope.covers(unit, Capability.ENTER):
            self.error(
                sheet, row.number, "commune",
                _("Bạn không được nhập liệu cho %(commune)s (mã %(code)s).")
                % {"commune": unit.label, "code": code},
            )  # fmt: skip
            return None
        return unit

    def _form_errors(self, sheet: Sheet, row: Row, form) -> bool:
        if form.is_valid():
            return True
        for name, messages in form.errors.items():
            if name in row.bad:
                continue  # the cell's own error says it already
            fallback = "code" if "code" in sheet.columns else "household"
            key = name if name in sheet.columns else fallback
            for message in messages:
                self.error(sheet, row.number, key, message)
        return False

    def _member(self, row: Row) -> None:
        sheet, values = self.parsed.members, row.values
        ok = self._answers(sheet, row, C.MEMBER_COLUMNS)
        code = values.get("household")
        item = self.items.get(code) if code else None
        if "household" not in row.bad:
            if not code:
                self.error(sheet, row.number, "household", _("Nhập mã hộ."))
            elif item is None:
                self.error(
                    sheet, row.number, "household",
                    _("Mã hộ %(code)s không có trên trang “%(sheet)s”.")
                    % {"code": code, "sheet": self.parsed.households.title},
                )  # fmt: skip
        form = self.forms.bind(self.forms.member, {f: values.get(f) for f in MEMBER_FIELDS})
        ok &= self._form_errors(sheet, row, form)
        if item is None:
            return
        if ok:
            item.members.append((row, {f: form.cleaned_data.get(f) for f in MEMBER_FIELDS}))
        else:
            item.ok = False
            item.members.append((row, {}))

    # --- households as a whole ---------------------------------------------------------------

    def _household_rules(self, items: list[Item]) -> None:
        """The member formset's rules, and citizen IDs repeated across the file's households."""
        hh, mb = self.parsed.households, self.parsed.members
        seen_ids: dict[str, tuple[int, str]] = {}
        for item in items:
            if not item.members:
                item.ok = False
                self.error(
                    hh, item.row.number, "code",
                    _("Hộ chưa có thành viên nào trên trang “%(sheet)s”.") % {"sheet": mb.title},
                )  # fmt: skip
                continue
            if len(item.members) > C.MAX_MEMBERS:
                item.ok = False
                self.error(hh, item.row.number, "code", _("Hộ có quá 60 thành viên."))
            if not all(data for _row, data in item.members):
                continue  # the member rows' errors come first
            heads = [row for row, data in item.members if data["relation"] == "head"]
            if not heads:
                item.ok = False
                self.error(hh, item.row.number, "code", _("Hộ phải có đúng một chủ hộ."))
            for row in heads[1:]:
                item.ok = False
                self.error(mb, row.number, "relation", _("Hộ phải có đúng một chủ hộ."))
            in_household: set[str] = set()
            for row, data in item.members:
                cid = data["citizen_id"]
                if not cid:
                    continue
                if cid in in_household:
                    item.ok = False
                    self.error(
                        mb, row.number, "citizen_id",
                        _("Hai thành viên trong hộ không thể có cùng số định danh."),
                    )  # fmt: skip
                elif cid in seen_ids:
                    item.ok = False
                    other_row, other_code = seen_ids[cid]
                    self.error(
                        mb, row.number, "citizen_id",
                        _("Số định danh %(id)s trùng với dòng %(row)s (hộ %(code)s).")
                        % {"id": cid, "row": other_row, "code": other_code},
                    )  # fmt: skip
                in_household.add(cid)
                seen_ids.setdefault(cid, (row.number, item.code))

    def _against_database(self, items: list[Item], predict: bool = True) -> dict[int, int]:
        hh, mb = self.parsed.households, self.parsed.members
        existing = _households([i.code for i in items])
        owners = _citizen_id_owners(
            [d["citizen_id"] for i in items for _r, d in i.members if d.get("citizen_id")]
        )
        for item in items:  # every household, so that these errors come with the others
            household = existing.get(item.code)
            for row, data in item.members:
                theirs = owners.get(data.get("citizen_id"), set()) - {getattr(household, "pk", 0)}
                if data.get("citizen_id") and theirs:
                    item.ok = False
                    self.error(
                        mb, row.number, "citizen_id",
                        _("Số định danh %(id)s đã thuộc về một người ở hộ khác.")
                        % {"id": data["citizen_id"]},
                    )  # fmt: skip
        items = [i for i in items if i.ok]
        found = [existing[i.code] for i in items if i.code in existing]
        surveys = _surveys(self.round_, [h.pk for h in found])
        # a pre-filled row of an entry not surveyed yet holds the last surveyed answers
        sources = last_surveyed(
            self.round_,
            [
                pk
                for i in items
                if i.token and (pk := getattr(existing.get(i.code), "pk", None)) in surveys
                and surveys[pk].status != SurveyStatus.SURVEYED
            ],
        )  # fmt: skip
        members = _current_members([h.pk for h in found])
        requests = approved_requests(self.round_, [h.pk for h in found]) if predict else {}
        communes = {i.commune.pk for i in items}
        locked = set(
            CommuneSubmission.objects.filter(
                round=self.round_, commune__in=communes, status__in=("submitted", "accepted")
            ).values_list("commune_id", flat=True)
        )
        on_list = dict(
            Survey.objects.filter(round=self.round_, commune__in=communes)
            .values("commune")
            .annotate(n=Count("pk"))
            .values_list("commune", "n")
        )
        for item in items:
            household = existing.get(item.code)
            if household is None:
                self._plan_new(item)
            else:
                self._plan_existing(
                    item, household, surveys.get(household.pk), members, sources.get(household.pk)
                )
            if item.ok and item.action != SAME and item.commune.pk in locked:
                item.ok = False
                self.error(
                    hh, item.row.number, "commune",
                    _(
                        "Kết quả rà soát của %(commune)s đã được gửi hoặc tiếp nhận: không thể "
                        "sửa cho đến khi cán bộ huyện trả lại hoặc mở lại."
                    ) % {"commune": item.commune.label},
                )  # fmt: skip
            if item.ok and predict and not item.unanswered:  # the preview; writing classifies again
                evaluated = facts.assess(
                    members=[d for _r, d in item.members],
                    survey=item.survey_data,
                    on=self.on,
                    is_urban=item.commune.is_urban,
                    is_farm_household=item.household_data["is_farm_household"],
                    standard=self.standard,
                    average_request=requests.get(getattr(household, "pk", None)),
                )
                item.predicted_class = evaluated.assessment.poverty_class.value
        return on_list

    def _plan_new(self, item: Item) -> None:
        if item.token:
            item.ok = False
            self.error(
                self.parsed.households, item.row.number, C.ROW_VERSION,
                _(
                    "Chưa có hộ mã %(code)s nhưng dòng có phiên bản của tệp có sẵn dữ liệu: "
                    "không sửa mã hộ; với hộ mới, để trống ô Phiên bản."
                ) % {"code": item.code},
            )  # fmt: skip
            return
        open_periodic = self.round_.kind == RoundKind.PERIODIC and self.round_.is_open
        if not open_periodic or not item.commune.is_valid_on(self.scope.day):
            item.ok = False
            self.error(
                self.parsed.households, item.row.number, "code",
                _(
                    "Chưa có hộ mã %(code)s: hộ mới chỉ được đăng ký vào đợt rà soát định kỳ "
                    "đang mở, ở xã đang có hiệu lực."
                ) % {"code": item.code},
            )  # fmt: skip
            return
        item.action = NEW
        item.member_ids = [None] * len(item.members)

    def _plan_existing(self, item: Item, household, survey, members, source=None) -> None:
        hh = self.parsed.households
        if household.commune_id != item.commune.pk:
            item.ok = False
            if self.scope.covers(household.commune, Capability.ENTER):
                message = _(
                    "Hộ %(code)s đang thuộc %(commune)s, không phải xã trong tệp: chuyển xã trên "
                    "trang của hộ trước khi nhập."
                ) % {"code": item.code, "commune": household.commune.label}
            else:
                message = _("Mã hộ %(code)s đã được dùng cho một hộ ở xã khác.") % {
                    "code": item.code
                }
            self.error(hh, item.row.number, "code", message)
            return
        if survey is None or survey.commune_id != item.commune.pk:
            item.ok = False
            self.error(
                hh, item.row.number, "code",
                _("Hộ %(code)s không có trong danh sách rà soát của %(round)s ở xã này.")
                % {"code": item.code, "round": self.round_},
            )  # fmt: skip
            return
        current_token = version_token(survey.version, household.version)
        if item.token and item.token != current_token:
            # The pre-filled workbook was downloaded before someone saved this survey or
            # household in the portal: writing the file's row would undo their change.
            item.ok = False
            self.error(
                hh, item.row.number, C.ROW_VERSION,
                _(
                    "Dòng %(row)s, hộ %(code)s: hộ đã được sửa trên cổng sau khi tải tệp "
                    "(phiên bản trong tệp %(file)s, hiện nay %(now)s). Không có gì được ghi: "
                    "hãy tải lại tệp có sẵn dữ liệu của xã và sửa lại trên tệp mới."
                ) % {"row": item.row.number, "code": item.code, "file": item.token,
                     "now": current_token},
            )  # fmt: skip
            return
        item.survey_id, item.survey_version = survey.pk, survey.version
        item.household_version = household.version
        item.previous_class = survey.poverty_class if survey.status == SurveyStatus.SURVEYED else ""
        if item.unanswered:
            self._plan_unanswered(item, household, survey, members.get(household.pk, []))
            return
        current = members.get(household.pk, [])
        incoming = [d for _r, d in item.members]
        item.member_ids, removed = match_members(incoming, current)
        by_id = {m["id"]: m for m in current}
        item.members_removed = len(removed)
        item.members_changed = sum(
            1
            for data, pk in zip(incoming, item.member_ids)  # noqa: B905
            if pk and any(by_id[pk][f] != data[f] for f in MEMBER_FIELDS)
        )
        # a pre-filled row of an entry not surveyed yet: compared with the answers it was
        # pre-filled with (the last surveyed ones), so that an untouched row is "same"
        compared = source if item.token and source is not None else survey
        item.changes = household_changes(household, item) + survey_changes(compared, item)
        added = item.member_ids.count(None)
        if added or item.members_removed or item.members_changed:
            item.changes.append(
                _("Thành viên: thêm %(added)s, bớt %(removed)s, sửa %(changed)s")
                % {"added": added, "removed": item.members_removed, "changed": item.members_changed}
            )
        if survey.status != SurveyStatus.SURVEYED:
            item.action = ENTER if item.changes or compared is survey else SAME
        else:
            item.action = CHANGE if item.changes else SAME

    def _plan_unanswered(self, item: Item, household, survey, current: list[dict]) -> None:
        """A pre-filled row without any answer of the survey: left as it is ("same") when the
        entry is not surveyed yet and nothing else on the row changed; an error otherwise."""
        hh = self.parsed.households
        incoming = [d for _r, d in item.members]
        ids, removed = match_members(incoming, current)
        by_id = {m["id"]: m for m in current}
        edited = (
            household_changes(household, item)
            or removed
            or None in ids
            or any(by_id[pk][f] != d[f] for d, pk in zip(incoming, ids) for f in MEMBER_FIELDS)  # noqa: B905
        )
        if survey.status == SurveyStatus.SURVEYED or edited:
            item.ok = False
            self.error(
                hh, item.row.number, "income_per_person",
                _(
                    "Dòng chưa có câu trả lời nào của phiếu: nhập đủ câu trả lời để ghi thay "
                    "đổi của hộ (hoặc để nguyên dòng nếu hộ chưa rà soát)."
                ),
            )  # fmt: skip
            return
        item.survey_id, item.survey_version = survey.pk, survey.version
        item.household_version = household.version
        item.member_ids = ids
        item.action = SAME


# --- set-based reads ---------------------------------------------------------------------------


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _households(codes: list[str]) -> dict[str, Household]:
    found = {}
    for chunk in _chunks(codes):
        for h in Household.objects.filter(code__in=chunk).select_related("commune"):
            found[h.code] = h
    return found


def _surveys(round_: ReviewRound, household_ids: list[int]) -> dict[int, Survey]:
    found = {}
    for chunk in _chunks(household_ids):
        rows = Survey.objects.filter(round=round_, household_id__in=chunk).defer("members_snapshot")
        found.update({s.household_id: s for s in rows})
    return found


def last_surveyed(round_: ReviewRound, household_ids: list[int]) -> dict[int, Survey]:
    """Each household's last surveyed entry of an earlier round (what the survey page and the
    pre-filled workbook pre-fill a new survey with: ``selectors.survey_last_surveyed_before``),
    for many households in a query per chunk."""
    found: dict[int, Survey] = {}
    for chunk in _chunks(household_ids):
        rows = (
            Survey.objects.filter(
                household_id__in=chunk,
                status=SurveyStatus.SURVEYED,
                round__starts_on__lt=round_.starts_on,
            )
            .defer("members_snapshot")
            .order_by("household_id", "-round__starts_on")
        )
        for survey in rows:
            found.setdefault(survey.household_id, survey)
    return found


def _current_members(household_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = defaultdict(list)
    for chunk in _chunks(household_ids):
        rows = (
            Member.objects.filter(household_id__in=chunk, is_current=True)
            .order_by("pk")
            .values("household_id", *MEMBER_MODEL_FIELDS)
        )
        for row in rows:
            found[row.pop("household_id")].append(row)
    return found


def _citizen_id_owners(ids: list[str]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = defaultdict(set)
    for chunk in _chunks(sorted(set(ids))):
        rows = Member.objects.filter(citizen_id__in=chunk, is_current=True).values_list(
            "citizen_id", "household_id"
        )
        for cid, household_id in rows:
            found[cid].add(household_id)
    return found


def round_error(round_: ReviewRound) -> str:
    if round_.status != RoundStatus.OPEN:
        return _("Đợt rà soát %(round)s đã đóng.") % {"round": round_}
    return ""


__all__ = ["Checker", "round_error"]
