from django.urls import path

from . import views

urlpatterns = [
    path("chi-tieu/", views.dashboard, name="dashboard"),
    path("chi-tieu/ban-do/", views.dashboard_map, name="dashboard_map"),
    path("chi-tieu/bieu-do/", views.dashboard_charts, name="dashboard_charts"),
    path("chi-tieu/tinh-lai/<int:round_pk>/", views.recompute, name="rollup_start"),
    path("chi-tieu/lan-tinh/<int:pk>/", views.rollup_run, name="rollup_run"),
    path("phan-tich/", views.analysis_page, name="analysis"),
    path("phan-tich/xlsx/", views.analysis_download, name="analysis_xlsx"),
    path("phan-tich/luu/", views.analysis_save, name="analysis_save"),
    path("phan-tich/<int:pk>/sua/", views.analysis_saved_edit, name="analysis_saved_edit"),
    path("phan-tich/<int:pk>/ghim/", views.analysis_saved_pin, name="analysis_saved_pin"),
    path("phan-tich/<int:pk>/xoa/", views.analysis_saved_delete, name="analysis_saved_delete"),
]
