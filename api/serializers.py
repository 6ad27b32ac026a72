"""What the API returns: plain, typed serializers (the OpenAPI schema is generated from them).

Reads only: writes are validated by the pages' own forms (``api.entry``), not by serializers, so
that the API gives the same Vietnamese messages and runs the same checks as the survey page.
Citizen IDs are shown in full only to who enters data for the household's commune, as on the
pages (``households.privacy``).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from households.forms import HOUSEHOLD_FIELDS
from households.privacy import shown_citizen_id


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    kind = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    is_urban = serializers.BooleanField()
    is_mountainous = serializers.BooleanField()


class RoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    standard = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reference_date = serializers.DateField()
    commune_due = serializers.DateField()
    district_due = serializers.DateField()
    province_due = serializers.DateField()


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    sex = serializers.CharField()
    birth_date = serializers.DateField()
    relation = serializers.CharField()
    ethnicity = serializers.CharField()
    citizen_id = serializers.SerializerMethodField()
    has_health_insurance = serializers.BooleanField()
    schooling = serializers.CharField()
    education_level = serializers.CharField()
    employer_certified_training = serializers.BooleanField()
    employment = serializers.CharField()
    is_disabled = serializers.BooleanField()
    has_monthly_social_allowance = serializers.BooleanField()
    nutrition = serializers.CharField()

    @extend_schema_field(serializers.CharField())
    def get_citizen_id(self, member) -> str:
        return shown_citizen_id(member.citizen_id, self.context.get("reveal", False))


class HouseholdSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    commune = UnitRefSerializer()
    village = serializers.CharField()
    address = serializers.CharField()
    head_name = serializers.CharField()
    is_ethnic_minority = serializers.BooleanField()
    is_farm_household = serializers.BooleanField()
    no_working_capacity = serializers.BooleanField()
    revolutionary_merit = serializers.BooleanField()
    social_protection = serializers.BooleanField()
    requested_review = serializers.BooleanField()
    status = serializers.CharField()


class HouseholdDetailSerializer(HouseholdSerializer):
    members = serializers.SerializerMethodField()

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, household) -> list[dict]:
        return MemberSerializer(household.current_members, many=True, context=self.context).data


class HouseholdRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    head_name = serializers.CharField()


class SurveySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    household = HouseholdRefSerializer()
    round = serializers.IntegerField(source="round_id")
    commune = serializers.IntegerField(source="commune_id")
    status = serializers.CharField()
    arrival = serializers.CharField()
    poverty_class = serializers.CharField()
    previous_class = serializers.CharField()
    effective_class = serializers.CharField()
    transition = serializers.CharField()
    income_per_person = serializers.IntegerField(allow_null=True)
    deprived_count = serializers.IntegerField()
    member_count = serializers.IntegerField()
    version = serializers.IntegerField()


class AnswersSerializer(serializers.Serializer):
    """The survey page's answers (``households.forms.SurveyForm``), as stored."""

    income_basis = serializers.ChoiceField(choices=["per_person", "household"], required=False)
    income_per_person = serializers.IntegerField(allow_null=True, required=False)
    household_income = serializers.IntegerField(allow_null=True, required=False)
    b1_score = serializers.IntegerField(allow_null=True, required=False)
    walls_durable = serializers.BooleanField(required=False)
    columns_durable = serializers.BooleanField(required=False)
    roof_durable = serializers.BooleanField(required=False)
    floor_area = serializers.DecimalField(
        max_digits=7, decimal_places=2, coerce_to_string=False, allow_null=True, required=False
    )
    water_source = serializers.CharField(required=False)
    has_hygienic_latrine = serializers.BooleanField(required=False)
    uses_internet = serializers.BooleanField(required=False)
    devices = serializers.ListField(child=serializers.CharField(), required=False)
    uses_digital_services = serializers.BooleanField(required=False)
    waste_collected = serializers.BooleanField(required=False)
    causes = serializers.ListField(child=serializers.CharField(), required=False)
    needs = serializers.ListField(child=serializers.CharField(), required=False)


class HouseholdFieldsSerializer(serializers.Serializer):
    """The household's fields the survey page edits (``households.forms.HouseholdForm``)."""

    village = serializers.CharField(required=False)
    address = serializers.CharField(required=False, allow_blank=True)
    is_farm_household = serializers.BooleanField(required=False)
    no_working_capacity = serializers.BooleanField(required=False)
    revolutionary_merit = serializers.BooleanField(required=False)
    social_protection = serializers.BooleanField(required=False)
    requested_review = serializers.BooleanField(required=False)


class DeprivationSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    reasons = serializers.ListField(child=serializers.JSONField())


class SurveyDetailSerializer(SurveySerializer):
    household_fields = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()
    # The survey whose answers are shown: this one once surveyed; before that, as on the survey
    # page, the household's last surveyed entry of an earlier round (null: none).
    answers_from = serializers.IntegerField(allow_null=True)
    deprived = serializers.SerializerMethodField()
    b2_score = serializers.IntegerField()
    household_income = serializers.IntegerField(allow_null=True)
    surveyed_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(HouseholdFieldsSerializer())
    def get_household_fields(self, survey) -> dict:
        return {name: getattr(survey.household, name) for name in HOUSEHOLD_FIELDS}

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, survey) -> list[dict]:
        return MemberSerializer(survey.current_members, many=True, context=self.context).data

    @extend_schema_field(AnswersSerializer())
    def get_answers(self, survey) -> dict:
        return survey.answers

    @extend_schema_field(DeprivationSerializer(many=True))
    def get_deprived(self, survey) -> list[dict]:
        return [
            {"indicator": d.indicator, "reasons": d.reasons}
            for d in sorted(survey.deprivations.all(), key=lambda d: d.indicator)
        ]


class MemberInputSerializer(serializers.Serializer):
    """A member row of a write: ``id`` of a current member, none for a new one; ``left`` true
    when the member is no longer in the household (died, moved away)."""

    id = serializers.IntegerField(required=False, allow_null=True)
    full_name = serializers.CharField()
    sex = serializers.CharField()
    birth_date = serializers.DateField()
    relation = serializers.CharField()
    ethnicity = serializers.CharField(required=False)
    citizen_id = serializers.CharField(required=False, allow_blank=True)
    has_health_insurance = serializers.BooleanField(required=False)
    schooling = serializers.CharField()
    education_level = serializers.CharField()
    employer_certified_training = serializers.BooleanField(required=False)
    employment = serializers.CharField()
    is_disabled = serializers.BooleanField(required=False)
    has_monthly_social_allowance = serializers.BooleanField(required=False)
    nutrition = serializers.CharField(required=False)
    left = serializers.BooleanField(required=False)


class SurveyWriteSerializer(serializers.Serializer):
    """Only documents the body of ``PUT /surveys/{id}/``: the survey page's forms validate it.
    Answers, household fields and members left out keep their current values."""

    version = serializers.IntegerField()
    answers = AnswersSerializer(required=False)
    household_fields = HouseholdFieldsSerializer(required=False)
    members = MemberInputSerializer(many=True, required=False)
    change_head = serializers.BooleanField(required=False)


class HouseholdCreateSerializer(HouseholdFieldsSerializer):
    """Only documents the body of ``POST /households/``: the registration page's forms
    validate it."""

    commune = serializers.IntegerField()
    code = serializers.CharField(required=False, allow_blank=True)
    arrival = serializers.CharField(required=False)
    members = MemberInputSerializer(many=True)


class IndicatorValueSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name_vi")
    name_en = serializers.CharField(source="indicator.name_en")
    unit_of_measure = serializers.CharField(source="indicator.unit")
    numerator = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    denominator = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    provisional = serializers.BooleanField()
    computed_at = serializers.DateTimeField()


class OwnerSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["unit", "group"])
    id = serializers.IntegerField()
    label = serializers.CharField()


class IndicatorValuesSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    owner = OwnerSerializer()
    notice = serializers.CharField()
    values = IndicatorValueSerializer(many=True)


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="target.pk")
    indicator = serializers.CharField(source="target.indicator.code")
    year = serializers.IntegerField(source="target.year")
    unit = serializers.IntegerField(source="target.unit_id", allow_null=True)
    group = serializers.IntegerField(source="target.group_id", allow_null=True)
    kind = serializers.CharField(source="target.kind")
    low = serializers.DecimalField(
        source="target.low", max_digits=12, decimal_places=2, allow_null=True
    )
    high = serializers.DecimalField(
        source="target.high", max_digits=12, decimal_places=2, allow_null=True
    )
    actual = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    status = serializers.CharField(source="status.value")
    provisional = serializers.BooleanField()
    relation = serializers.CharField()


class ProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    form = serializers.CharField()
    component = serializers.CharField(source="component.number")
    sector = serializers.CharField()
    status = serializers.CharField()
    communes = serializers.SerializerMethodField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    participant_count = serializers.IntegerField()
    total_cost = serializers.IntegerField()
    decision_number = serializers.CharField()
    decision_date = serializers.DateField(allow_null=True)

    @extend_schema_field(UnitRefSerializer(many=True))
    def get_communes(self, project) -> list[dict]:
        return [{"id": c.pk, "code": c.code, "name": c.name} for c in project.communes.all()]


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TokenCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    token = serializers.CharField()
