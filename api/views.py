"""The API's endpoints: thin views over the portal's selectors and services.

Reads are scoped exactly as the pages are: households and surveys through
``households.selectors`` / ``households.listing`` (the list page's filters), units through
``areas.selectors``, indicator values and targets through the dashboards' ``owner_for`` and
``targets_for`` (``indicators.visibility``), projects through the projects' reach rules. A bad id
or an object outside the caller's scope is a 404; a caller who may see but not change it gets a
403. Writes go through ``households.services`` after the pages' own forms (``api.entry``).

Throttles are checked before permissions (``PortalApiView.initial``) so that refused anonymous
calls count against the anonymous rate too.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from areas.scope import Capability, request_reach, request_scope, user_scope
from areas.selectors import unit_list_for_user
from households import listing, selectors, services

# The survey page's own helpers (households/entry.py): its forms with what the page shows, the
# prefill source, and why an entry is locked. One definition each, for the page and the API.
from households.entry import prefill_source, survey_entry, survey_lock_reason
from households.forms import MEMBER_PREFIX, HouseholdCreateForm, NewMemberFormSet, SurveyForm
from households.models import Household, Member, PersonalDataAction, Survey
from households.privacy import can_see_citizen_ids
from indicators import selectors as indicator_selectors
from projects.selectors.projects import project_get_for_user, project_list_for_user, project_rows

from . import entry as E
from . import serializers as S
from .filters import HouseholdQuery, OwnerQuery, RoundQuery, UnitQuery, form_errors
from .pagination import KeysetPagination

ERRORS = {
    400: OpenApiResponse(description=_("Dữ liệu không hợp lệ: thông báo theo từng trường.")),
    401: OpenApiResponse(S.ErrorSerializer, description="Unauthenticated"),
    403: OpenApiResponse(S.ErrorSerializer, description="Forbidden"),
    404: OpenApiResponse(S.ErrorSerializer, description="Not found"),
    429: OpenApiResponse(S.ErrorSerializer, description="Throttled"),
}


def _errors(*codes):
    return {code: ERRORS[code] for code in codes}


def _query(form_class, data):
    form = form_class(data)
    if not form.is_valid():
        raise ApiValidationError(form_errors(form))
    return form


class PortalApiView(generics.GenericAPIView):
    def initial(self, request, *args, **kwargs):
        # DRF's order with the throttles moved before the permissions (see module docstring).
        self.format_kwarg = self.get_format_suffix(**kwargs)
        neg = self.perform_content_negotiation(request)
        request.accepted_renderer, request.accepted_media_type = neg
        version, scheme = self.determine_version(request, *args, **kwargs)
        request.version, request.versioning_scheme = version, scheme
        self.perform_authentication(request)
        self.check_throttles(request)
        self.check_permissions(request)


# --- units and rounds -------------------------------------------------------------------------


UNIT_PARAMS = [
    OpenApiParameter("at", OpenApiTypes.DATE, description="Ngày (YYYY-MM-DD); mặc định hôm nay"),
    OpenApiParameter("level", str, enum=["province", "district", "commune"]),
    OpenApiParameter("parent", int),
    OpenApiParameter("q", str, description="Mã hoặc tên đơn vị"),
]


@extend_schema(
    parameters=UNIT_PARAMS, responses={200: S.UnitSerializer(many=True), **_errors(400, 401, 429)}
)
class UnitList(PortalApiView, generics.ListAPIView):
    """Units valid at a date (``at``, default today) that the caller's assignments of that date
    cover: the 2025 reform changed the tree, so a date picks it."""

    serializer_class = S.UnitSerializer

    def get_queryset(self):
        query = _query(UnitQuery, self.request.query_params)
        scope = user_scope(self.request.user, query.day())
        data = query.cleaned_data
        units = unit_list_for_user(scope, search=data["q"], level=data["level"])
        if data["parent"]:
            units = units.filter(parent_id=data["parent"])
        return units


@extend_schema(responses={200: S.RoundSerializer(many=True), **_errors(401, 429)})
class RoundList(PortalApiView, generics.ListAPIView):
    """Review rounds: not personal data, every signed-in caller may list them."""

    serializer_class = S.RoundSerializer
    queryset = selectors.round_list()


# --- households -------------------------------------------------------------------------------


def _with_members(queryset):
    current = Member.objects.filter(is_current=True).order_by("pk")
    return queryset.prefetch_related(Prefetch("members", current, to_attr="current_members"))


HOUSEHOLD_PARAMS = [
    OpenApiParameter("commune", int),
    OpenApiParameter("village", str),
    OpenApiParameter("status", str, enum=["active", "removed"]),
    OpenApiParameter("q", str, description="Mã hộ hoặc tên chủ hộ"),
]


class HouseholdList(PortalApiView, generics.ListAPIView):
    """Households whose commune the caller sees today; ``POST`` registers one."""

    serializer_class = S.HouseholdSerializer
    pagination_class = KeysetPagination
    keyset = ("commune_id", "id")

    def get_queryset(self):
        query = _query(HouseholdQuery, self.request.query_params)
        # The households of the communes the caller sees today (``household_list_for_user``'s
        # rule), named by commune id as the list page names them (``RoundCommunes``): a range of
        # ids for a contiguous scope, read in (commune, id) order from the commune index; with
        # ``commune IN (subquery on unit paths)`` the planner read every household of the scope
        # and sorted them (bench/results/api-pages.txt).
        communes = selectors.round_communes_for_user(request_scope(self.request))
        households = Household.objects.filter(communes.condition()).select_related("commune")
        return query.apply(households)

    @extend_schema(
        parameters=HOUSEHOLD_PARAMS,
        responses={200: S.HouseholdSerializer(many=True), **_errors(400, 401, 429)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=S.HouseholdCreateSerializer,
        responses={201: S.HouseholdDetailSerializer, **_errors(400, 401, 403, 429)},
    )
    def post(self, request, *args, **kwargs):
        """Register a household: the registration page's forms and ``household_create``."""
        scope = request_scope(request)
        if not scope.can(Capability.ENTER):
            raise PermissionDenied
        if not hasattr(request.data, "get"):
            raise ApiValidationError({"non_field_errors": [_("Phải là một đối tượng JSON.")]})
        try:
            data = E.household_data(request.data)
        except E.BadBody as bad:
            raise ApiValidationError(bad.errors) from None
        form = HouseholdCreateForm(data, communes=scope.communes(Capability.ENTER).order_by("code"))
        members = NewMemberFormSet(data, prefix=MEMBER_PREFIX)
        if not all([form.is_valid(), members.is_valid()]):
            raise ApiValidationError(E.create_errors(form, members))
        try:
            household = services.household_create(
                by=request.user, members=members.members(), **form.service_kwargs()
            )
        except ValidationError as exc:
            raise ApiValidationError(_service_errors(exc)) from None
        household = _with_members(selectors.household_list_for_user(scope)).get(pk=household.pk)
        context = {"reveal": True, "request": request}
        return Response(S.HouseholdDetailSerializer(household, context=context).data, status=201)


def _service_errors(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return {"non_field_errors": list(exc.messages)}


@extend_schema(responses={200: S.HouseholdDetailSerializer, **_errors(401, 404, 429)})
class HouseholdDetail(PortalApiView, generics.RetrieveAPIView):
    """One household with its current members (404 outside the caller's scope)."""

    serializer_class = S.HouseholdDetailSerializer

    def get_object(self):
        scope = request_scope(self.request)
        household = selectors.household_get_for_user(scope, self.kwargs["pk"])
        household.current_members = list(household.members.filter(is_current=True).order_by("pk"))
        reveal = can_see_citizen_ids(scope, household.commune)
        self.reveal = reveal
        services.personal_data_access_record(
            user=self.request.user,
            action=PersonalDataAction.VIEW_HOUSEHOLD,
            household=household,
            citizen_ids_shown=reveal,
        )
        return household

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "reveal": getattr(self, "reveal", False)}


# --- surveys ----------------------------------------------------------------------------------


SURVEY_PARAMS = [
    OpenApiParameter("round", int, description="Đợt rà soát; mặc định đợt đang mở"),
    OpenApiParameter("commune", int),
    OpenApiParameter("village", str),
    OpenApiParameter("poverty_class", str, enum=["poor", "near_poor", "not_poor"]),
    OpenApiParameter("transition", str),
    OpenApiParameter("status", str),
    OpenApiParameter("deprived", str, description="Mã chỉ số thiếu hụt"),
    OpenApiParameter("is_ethnic_minority", bool),
    OpenApiParameter("flag", str),
    OpenApiParameter("cause", str),
    OpenApiParameter("q", str, description="Mã hộ, tên chủ hộ hoặc số định danh 12 số"),
]


@extend_schema(
    parameters=SURVEY_PARAMS,
    responses={200: S.SurveySerializer(many=True), **_errors(400, 401, 404, 429)},
)
class SurveyList(PortalApiView, generics.ListAPIView):
    """A round's entries in the communes the caller sees in that round, with the household list
    page's filters (``households.filters.SurveyFilter``)."""

    serializer_class = S.SurveySerializer
    pagination_class = KeysetPagination
    keyset = ("commune_id", "household_id")  # the household list page's order

    def get_queryset(self):
        picked = _query(RoundQuery, self.request.query_params).cleaned_data["round"]
        round_ = selectors.round_get(picked) if picked else selectors.round_current()
        if round_ is None:
            raise Http404
        found = listing.round_list_for_user(
            self.request.user, request_scope(self.request), round_, self.request.query_params
        )
        if not found.filter.is_valid():
            raise ApiValidationError(form_errors(found.filter.form))
        return found.entries.select_related("household")


class SurveyDetail(PortalApiView, generics.GenericAPIView):
    """One survey (entry of a household in a round); ``PUT`` saves it as the survey page does."""

    serializer_class = S.SurveyDetailSerializer

    def _detail(self, survey, reveal: bool):
        survey = (
            Survey.objects.select_related("household", "round", "commune")
            .prefetch_related("deprivations")
            .get(pk=survey.pk)
        )
        survey.current_members = list(
            survey.household.members.filter(is_current=True).order_by("pk")
        )
        source = prefill_source(survey)
        survey.answers = _answers(source) if source else {}
        survey.answers_from = source.pk if source else None
        context = {"reveal": reveal, "request": self.request}
        return S.SurveyDetailSerializer(survey, context=context).data

    @extend_schema(responses={200: S.SurveyDetailSerializer, **_errors(401, 404, 429)})
    def get(self, request, pk: int):
        scope = request_scope(request)
        survey = selectors.survey_get_for_user(scope, pk)
        reveal = scope.covers(survey.commune, Capability.ENTER) or can_see_citizen_ids(
            scope, survey.household.commune
        )
        services.personal_data_access_record(
            user=request.user,
            action=PersonalDataAction.VIEW_SURVEY,
            household=survey.household,
            citizen_ids_shown=reveal,
        )
        return Response(self._detail(survey, reveal))

    @extend_schema(
        request=S.SurveyWriteSerializer,
        responses={
            200: S.SurveyDetailSerializer,
            409: OpenApiResponse(S.ErrorSerializer, description="Conflict"),
            **_errors(400, 401, 403, 404, 429),
        },
    )
    def put(self, request, pk: int):
        scope = request_scope(request)
        survey = selectors.survey_get_for_change(scope, pk)
        reason = survey_lock_reason(survey)
        if reason:
            return Response({"detail": reason}, status=status.HTTP_409_CONFLICT)
        if not hasattr(request.data, "get"):
            raise ApiValidationError({"non_field_errors": [_("Phải là một đối tượng JSON.")]})
        shown = survey_entry(survey)
        try:
            data = E.survey_data(request.data, shown, list(shown.members.initial or []))
        except E.BadBody as bad:
            raise ApiValidationError(bad.errors) from None
        page = survey_entry(survey, data)
        if not page.is_valid():
            raise ApiValidationError(E.entry_errors(page))
        try:
            services.survey_save(
                by=request.user,
                survey=survey,
                expected_version=page.survey_form.cleaned_data["version"],
                household_data=page.household_form.cleaned_data,
                members=page.members.members(),
                survey_data=page.survey_form.facts(),
            )
        except services.ConcurrentEdit as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            page.add_service_error(exc)
            raise ApiValidationError(E.entry_errors(page)) from None
        return Response(self._detail(survey, True))


def _answers(survey) -> dict:
    """The answers the survey page shows, as its form's initial values (the fields of the
    round's standard only)."""
    answers = SurveyForm.initial_from(survey)
    standard = survey.round.get_standard()
    form_fields = SurveyForm(standard=standard).fields
    return {k: v for k, v in answers.items() if k in form_fields}


# --- indicators, targets, projects ------------------------------------------------------------


OWNER_PARAMS = [
    OpenApiParameter("round", int, description="Đợt rà soát; mặc định đợt mới nhất có số liệu"),
    OpenApiParameter("unit", int),
    OpenApiParameter("group", int),
]


def _owner(request):
    data = _query(OwnerQuery, request.query_params).cleaned_data
    round_ = indicator_selectors.dashboard_round(str(data["round"]) if data["round"] else None)
    if round_ is None:
        raise Http404
    owner, scope = indicator_selectors.owner_for(
        request.user, round_, unit_pk=data["unit"], group_pk=data["group"]
    )
    return round_, owner, scope


def _owner_json(owner) -> dict:
    if owner.unit:
        return {"kind": "unit", "id": owner.unit.pk, "label": owner.label}
    return {"kind": "group", "id": owner.group.pk, "label": owner.label}


class IndicatorValues(PortalApiView):
    """The stored indicator values of a unit or group for a round, as the dashboard shows them
    (``indicators.selectors.owner_for``: a unit or group the caller may not see is a 404, or their
    own area with a ``notice``), each with its ``computed_at`` and ``provisional`` flag."""

    serializer_class = S.IndicatorValuesSerializer
    pagination_class = None

    @extend_schema(
        parameters=OWNER_PARAMS,
        responses={200: S.IndicatorValuesSerializer, **_errors(400, 401, 404, 429)},
    )
    def get(self, request):
        round_, owner, _scope = _owner(request)
        values = sorted(
            indicator_selectors.values_for(round_, owner).values(),
            key=lambda v: (v.indicator.order, v.indicator.code),
        )
        body = {
            "round": round_.pk,
            "owner": _owner_json(owner),
            "notice": str(owner.notice or ""),
            "values": values,
        }
        return Response(S.IndicatorValuesSerializer(body).data)


class TargetList(PortalApiView):
    """The year's targets a dashboard about the unit or group shows, with actual and status."""

    serializer_class = S.TargetSerializer
    pagination_class = None

    @extend_schema(
        parameters=OWNER_PARAMS,
        responses={200: S.TargetSerializer(many=True), **_errors(400, 401, 404, 429)},
    )
    def get(self, request):
        round_, owner, scope = _owner(request)
        rows = indicator_selectors.targets_for(round_, scope, owner)
        return Response(S.TargetSerializer(rows, many=True).data)


@extend_schema(responses={200: S.ProjectSerializer(many=True), **_errors(401, 429)})
class ProjectList(PortalApiView, generics.ListAPIView):
    """Projects with a commune the caller reaches (today, or at the start for old-tree
    communes)."""

    serializer_class = S.ProjectSerializer

    def get_queryset(self):
        return project_rows(project_list_for_user(request_reach(self.request)))


@extend_schema(responses={200: S.ProjectSerializer, **_errors(401, 404, 429)})
class ProjectDetail(PortalApiView, generics.RetrieveAPIView):
    serializer_class = S.ProjectSerializer

    def get_object(self):
        return project_get_for_user(request_reach(self.request), self.kwargs["pk"])
