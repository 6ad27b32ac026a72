from django.urls import path

from .views import average, lists, review, survey

urlpatterns = [
    # lists.py: household registry
    path("ho/", lists.household_list, name="household_list"),
    path("ho/tong-so/", lists.household_list_totals, name="household_list_totals"),
    path("ho/<int:pk>/", lists.household_detail, name="household_detail"),
    path("ho/<int:pk>/chuyen-xa/", lists.household_move, name="household_move"),
    path("ho/them/", survey.household_create, name="household_create"),
    # survey.py: survey entry, live preview, exclusion
    path("phieu/<int:pk>/", survey.survey_edit, name="survey_edit"),
    path("phieu/<int:pk>/xem-truoc/", survey.survey_preview, name="survey_preview"),
    path("phieu/<int:pk>/dua-ra/", survey.survey_exclude, name="survey_exclude"),
    # average.py: average-living requests of a household in a round
    path(
        "phieu/<int:pk>/muc-song-trung-binh/",
        average.average_request_list,
        name="average_request_list",
    ),
    path(
        "de-nghi-muc-song-trung-binh/<int:pk>/xet-duyet/",
        average.average_request_decide,
        name="average_request_decide",
    ),
    # review.py: rounds and commune submission
    path("dot-ra-soat/", review.round_list, name="round_list"),
    path("dot-ra-soat/mo/", review.round_open, name="round_open"),
    path("dot-ra-soat/<int:pk>/dong/", review.round_close, name="round_close"),
    path("dot-ra-soat/<int:pk>/", review.round_detail, name="round_detail"),
    path("dot-ra-soat/<int:pk>/thoi-han/", review.round_timetable, name="round_timetable"),
    path(
        "dot-ra-soat/<int:round_pk>/xa/<int:commune_pk>/",
        review.commune_round,
        name="commune_round",
    ),
    path(  # before the actions: "them-ho" is not one of them
        "dot-ra-soat/<int:round_pk>/xa/<int:commune_pk>/them-ho/",
        review.round_household_add,
        name="round_household_add",
    ),
    path(
        "dot-ra-soat/<int:round_pk>/xa/<int:commune_pk>/<slug:action>/",
        review.commune_round_act,
        name="commune_round_act",
    ),
]
