from django.urls import path

from . import views

urlpatterns = [
    path("dong-gop/", views.contribution_list, name="contributions_list"),
    path("dong-gop/them/", views.contribution_create, name="contributions_create"),
    path("dong-gop/<int:pk>/", views.contribution_detail, name="contributions_detail"),
    path("dong-gop/<int:pk>/sua/", views.contribution_edit, name="contributions_edit"),
    path("dong-gop/su-dung/<int:pk>/xoa/", views.use_delete, name="contributions_use_delete"),
    path("dong-gop/tong-hop/", views.summary, name="contributions_summary"),
    path("dong-gop/tong-hop/excel/", views.summary_export, name="contributions_summary_export"),
]
