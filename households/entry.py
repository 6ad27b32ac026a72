"""The survey page's forms for one survey, and whether it may be changed now.

Shared by the survey page (``households.views.survey``), the average-living request page and the
REST API (``api.views``): a JSON write is validated by exactly the forms the page shows, filled
with what the page would show for whatever the body leaves out.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import selectors
from .forms import MEMBER_PREFIX, HouseholdForm, MemberFormSet, SurveyEntry, SurveyForm
from .models import Survey, SurveyStatus
from .privacy import mask_citizen_id
from .services import MEMBER_MODEL_FIELDS, submission_for


def survey_lock_reason(survey: Survey) -> str:
    """Why nobody may change the survey now; empty when it is open for entry."""
    round_ = survey.round
    if not round_.is_open:
        return _("Đợt rà soát %(round)s đã đóng.") % {"round": round_}
    submission = submission_for(round_, survey.commune)
    if submission and submission.is_locked:
        return _(
            "Kết quả rà soát của %(commune)s đã được gửi hoặc tiếp nhận: không thể sửa cho "
            "đến khi cán bộ huyện trả lại hoặc mở lại."
        ) % {"commune": survey.commune.label}
    return ""


def prefill_source(survey: Survey) -> Survey | None:
    """A surveyed survey shows its own facts; otherwise the household's last surveyed ones."""
    if survey.status == SurveyStatus.SURVEYED:
        return survey
    return selectors.survey_last_surveyed_before(survey)


def survey_entry(survey: Survey, data=None, *, reveal: bool = True) -> SurveyEntry:
    """The page's forms; ``reveal`` False (a read-only viewer) shows citizen IDs masked."""
    household = survey.household
    source = prefill_source(survey)
    initial = SurveyForm.initial_from(source) if source else {}
    initial["version"] = survey.version
    members = list(
        household.members.filter(is_current=True).order_by("pk").values(*MEMBER_MODEL_FIELDS)
    )
    if not reveal:
        for member in members:
            member["citizen_id"] = mask_citizen_id(member["citizen_id"])
    entry = SurveyEntry(
        SurveyForm(data, initial=initial, standard=survey.round.get_standard()),
        HouseholdForm(data, initial=HouseholdForm.initial_from(household)),
        MemberFormSet(
            data,
            initial=members,
            prefix=MEMBER_PREFIX,
            household=household,
            form_kwargs={"on": survey.round.reference_date},
        ),
    )
    entry.prefilled_from = source if source is not survey else None
    return entry
