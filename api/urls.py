"""The API under ``/api/v1/`` (docs/api.md); the account page for one's own tokens."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from . import pages, views

urlpatterns = [
    path("units/", views.UnitList.as_view(), name="api_unit_list"),
    path("rounds/", views.RoundList.as_view(), name="api_round_list"),
    path("households/", views.HouseholdList.as_view(), name="api_household_list"),
    path("households/<int:pk>/", views.HouseholdDetail.as_view(), name="api_household_detail"),
    path("surveys/", views.SurveyList.as_view(), name="api_survey_list"),
    path("surveys/<int:pk>/", views.SurveyDetail.as_view(), name="api_survey_detail"),
    path("indicator-values/", views.IndicatorValues.as_view(), name="api_indicator_values"),
    path("targets/", views.TargetList.as_view(), name="api_target_list"),
    path("projects/", views.ProjectList.as_view(), name="api_project_list"),
    path("projects/<int:pk>/", views.ProjectDetail.as_view(), name="api_project_detail"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
]

account_urlpatterns = [
    path("tai-khoan/api/", pages.token_list, name="api_tokens"),
    path("tai-khoan/api/<int:pk>/thu-hoi/", pages.token_revoke_view, name="api_token_revoke"),
]
