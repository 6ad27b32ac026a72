from django.urls import path

from . import views

urlpatterns = [
    path("chi-tieu/", views.dashboard, name="dashboard"),
    path("chi-tieu/ban-do/", views.dashboard_map, name="dashboard_map"),
    path("chi-tieu/bieu-do/", views.dashboard_charts, name="dashboard_charts"),
    path("chi-tieu/tinh-lai/<int:round_pk>/", views.recompute, name="rollup_start"),
    path("chi-tieu/lan-tinh/<int:pk>/", views.rollup_run, name="rollup_run"),
]
