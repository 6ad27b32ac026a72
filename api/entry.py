"""JSON bodies turned into the data of the pages' own forms, and their errors back into JSON.

A write through the API is validated by exactly the forms of the survey page (``SurveyForm``,
``HouseholdForm``, ``MemberFormSet`` bundled as ``SurveyEntry``, built by
``households.entry.survey_entry``) and of the registration page (``HouseholdCreateForm``,
``NewMemberFormSet``): the same checks and the same Vietnamese messages. Like the Excel import
(``reports/imports/checks.py``), typed values are handed to the forms as they are (booleans,
lists, numbers); dates as ISO strings.

A survey write may leave things out: answers, household fields and members not sent keep what
the page would show (the stored survey, or the household's last surveyed one).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from households.forms import (
    HOUSEHOLD_FIELDS,
    INCOME_HOUSEHOLD,
    INCOME_PER_PERSON,
    MEMBER_PREFIX,
    HouseholdCreateForm,
    HouseholdForm,
    MemberForm,
    SurveyEntry,
)
from households.forms.members import CHANGE_HEAD
from households.services import MEMBER_MODEL_FIELDS

MEMBER_FIELDS = [name for name in MEMBER_MODEL_FIELDS if name != "id"]
LIST_ANSWERS = ("devices", "causes", "needs")


class BadBody(Exception):
    """The body is not an object of the expected shape; ``errors`` is the 400's payload."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _object(body, name: str) -> dict:
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadBody({name: [_("Phải là một đối tượng JSON.")]})
    return value


def _rows(body, name: str) -> list[dict] | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        raise BadBody({name: [_("Phải là một danh sách đối tượng JSON.")]})
    return value


def _decimal(value):
    """A floor area sent as text is read with a dot as the decimal mark, whatever the language
    (the page's field reads the locale's format, where the dot groups thousands)."""
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return value
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def _member_data(rows: list[dict], prefix: str, initial_ids: list[int]) -> dict:
    """Formset data: the current members first in the page's order (matched by id), then the new
    rows. A row naming another id, or a current member left out, is refused by the formset's own
    check (``_check_rows_are_the_households``)."""
    by_id = {row.get("id"): row for row in rows if row.get("id") is not None}
    ordered = [by_id.get(pk, {"id": -1}) for pk in initial_ids]
    ordered += [row for row in rows if row.get("id") is None]
    ordered += [row for pk, row in by_id.items() if pk not in initial_ids]
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(ordered)),
        f"{prefix}-INITIAL_FORMS": str(len(initial_ids)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(ordered):
        for name in ("id", *MEMBER_FIELDS):
            if name in row and row[name] is not None:
                data[f"{prefix}-{index}-{name}"] = row[name]
        for name in MEMBER_FIELDS:  # the page's defaults for a field left out
            field = MemberForm.base_fields[name]
            if name not in row and field.initial not in (None, False):
                data[f"{prefix}-{index}-{name}"] = field.initial
        if row.get("left"):
            data[f"{prefix}-{index}-DELETE"] = True
    return data


def survey_data(body, entry: SurveyEntry, members: list[dict]) -> dict:
    """The survey page's POST data for ``body``, over what the page shows (``entry``, unbound)."""
    answers = _object(body, "answers")
    household = _object(body, "household_fields")
    rows = _rows(body, "members")
    survey_form, household_form = entry.survey_form, entry.household_form
    data: dict = {}
    for name in survey_form.fields:
        if name == "version":
            continue
        value = answers.get(name, survey_form.initial.get(name))
        if value is not None:
            data[name] = _decimal(value) if name == "floor_area" else value
    if "income_basis" not in answers:
        if answers.get("income_per_person") is not None:
            data["income_basis"] = INCOME_PER_PERSON
        elif answers.get("household_income") is not None:
            data["income_basis"] = INCOME_HOUSEHOLD
    data["version"] = body.get("version")
    for name in HouseholdForm.base_fields:
        value = household.get(name, household_form.initial.get(name))
        if value is not None:
            data[name] = value
    ids = [m["id"] for m in members]
    if rows is None:  # members left out: the current ones, unchanged
        rows = [dict(m) for m in members]
    else:  # a current member's fields left out keep their stored values
        stored = {m["id"]: m for m in members}
        rows = [{**stored.get(row.get("id"), {}), **row} for row in rows]
    data.update(_member_data(rows, MEMBER_PREFIX, ids))
    if body.get("change_head"):
        data[f"{MEMBER_PREFIX}-{CHANGE_HEAD}"] = "on"
    return data


def household_data(body) -> dict:
    """The registration page's POST data for ``body``."""
    rows = _rows(body, "members") or []
    data = {
        name: body[name]
        for name in ("commune", "code", "arrival", *HOUSEHOLD_FIELDS)
        if body.get(name) is not None
    }
    data.setdefault("arrival", HouseholdCreateForm.base_fields["arrival"].initial)
    data.update(_member_data(rows, MEMBER_PREFIX, []))
    return data


def _form_errors(form) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def member_errors(formset) -> dict:
    errors: dict = {}
    rows = [_form_errors(form) for form in formset.forms]
    if any(rows):
        errors["members"] = rows
    top = [str(m) for m in formset.non_form_errors()]
    if top:
        errors["members_errors"] = top
    return errors


def entry_errors(entry: SurveyEntry) -> dict:
    """The page's messages by field: ``answers`` (and ``version``), ``household_fields``,
    ``members`` (one object per row sent, in the formset's order), ``non_field_errors``."""
    errors: dict = {}
    answers = _form_errors(entry.survey_form)
    if "version" in answers:
        errors["version"] = answers.pop("version")
    if "__all__" in answers:
        errors.setdefault("non_field_errors", []).extend(answers.pop("__all__"))
    if answers:
        errors["answers"] = answers
    household = _form_errors(entry.household_form)
    if household:
        errors["household_fields"] = household
    errors.update(member_errors(entry.members))
    if entry.top_errors:
        errors.setdefault("non_field_errors", []).extend(str(m) for m in entry.top_errors)
    return errors


def create_errors(form, members) -> dict:
    errors = _form_errors(form)
    if "__all__" in errors:
        errors["non_field_errors"] = errors.pop("__all__")
    errors.update(member_errors(members))
    return errors
