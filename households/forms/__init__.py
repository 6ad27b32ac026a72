"""Forms of the survey page and of household registration: input shape and field validation.

Nothing here saves. The views hand the cleaned data (``SurveyForm.facts()``,
``HouseholdForm.cleaned_data``, ``BaseMemberFormSet.members()``) to ``households.services``, which
re-checks what needs the database and classifies. Messages are Vietnamese msgids (docs/i18n.md).
"""

from .average import AverageDecisionForm, AverageRequestForm
from .fields import (
    CITIZEN_ID,
    EARLIEST_BIRTH,
    HOUSEHOLD_FIELDS,
    INCOME_HOUSEHOLD,
    INCOME_PER_PERSON,
    MAX_B1_SCORE,
    MAX_FLOOR_AREA,
    MAX_HOUSEHOLD_INCOME,
    MAX_INCOME_PER_PERSON,
    OPTIONAL_INDICATOR_FIELDS,
    SURVEY_BOOLEANS,
)
from .household import CommuneChoiceField, HouseholdCreateForm, HouseholdForm, HouseholdMoveForm
from .members import (
    MEMBER_PREFIX,
    BaseMemberFormSet,
    MemberForm,
    MemberFormSet,
    NewMemberFormSet,
    with_added_member,
)
from .survey import ExclusionForm, SurveyEntry, SurveyForm

__all__ = [
    "CITIZEN_ID",
    "EARLIEST_BIRTH",
    "HOUSEHOLD_FIELDS",
    "INCOME_HOUSEHOLD",
    "INCOME_PER_PERSON",
    "MAX_B1_SCORE",
    "MAX_FLOOR_AREA",
    "MAX_HOUSEHOLD_INCOME",
    "MAX_INCOME_PER_PERSON",
    "MEMBER_PREFIX",
    "OPTIONAL_INDICATOR_FIELDS",
    "SURVEY_BOOLEANS",
    "AverageDecisionForm",
    "AverageRequestForm",
    "BaseMemberFormSet",
    "CommuneChoiceField",
    "ExclusionForm",
    "HouseholdCreateForm",
    "HouseholdForm",
    "HouseholdMoveForm",
    "MemberForm",
    "MemberFormSet",
    "NewMemberFormSet",
    "SurveyEntry",
    "SurveyForm",
    "with_added_member",
]
