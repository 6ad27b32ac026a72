from django.urls import path

from . import views

urlpatterns = [
    path("kiem-tra/", views.visit_list, name="visit_list"),
    path("kiem-tra/them/", views.visit_create, name="visit_create"),
    path("kiem-tra/bao-cao/", views.monitoring_report, name="monitoring_report"),
    path("kiem-tra/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("kiem-tra/<int:pk>/sua/", views.visit_edit, name="visit_edit"),
    path("kiem-tra/<int:pk>/kien-nghi/", views.recommendation_add, name="recommendation_add"),
    path("kiem-tra/<int:pk>/tep/", views.visit_file_upload, name="visit_file_upload"),
    path("kiem-tra/<int:pk>/tep/<int:file_pk>/", views.visit_file, name="visit_file"),
    path("kien-nghi/", views.recommendation_list, name="recommendation_list"),
    path("kien-nghi/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path(
        "kien-nghi/<int:pk>/<slug:action>/",
        views.recommendation_step,
        name="recommendation_step",
    ),
]
