from django.urls import path

from . import views

urlpatterns = [
    path("lao-dong/", views.labour_index, name="labour_index"),
    path("lao-dong/xa/<int:pk>/nhu-cau/", views.labour_needs, name="labour_needs"),
    path("lao-dong/xa/<int:pk>/nhu-cau/excel/", views.labour_needs_export,
         name="labour_needs_export"),
    path("lao-dong/xa/<int:pk>/nhu-cau/them/", views.labour_need_add, name="labour_need_add"),
    path("lao-dong/phien/", views.job_fair_list, name="job_fair_list"),
    path("lao-dong/phien/them/", views.job_fair_create, name="job_fair_create"),
    path("lao-dong/phien/<int:pk>/", views.job_fair_detail, name="job_fair_detail"),
    path("lao-dong/phien/<int:pk>/sua/", views.job_fair_edit, name="job_fair_edit"),
    path("lao-dong/phien/<int:pk>/tuyen-dung/", views.job_fair_hire_add,
         name="job_fair_hire_add"),
    path("lao-dong/viec-lam/", views.labour_placements, name="labour_placements"),
]  # fmt: skip
