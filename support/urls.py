from django.urls import path

from . import views

urlpatterns = [
    path("ho-tro/", views.support_index, name="support_index"),
    path("ho-tro/xa/<int:pk>/", views.support_commune, name="support_commune"),
    path("ho-tro/xa/<int:pk>/excel/", views.support_export, name="support_export"),
    path("ho-tro/excel/", views.support_export_scope, name="support_export_scope"),
    path("ho/<int:pk>/giup-do/", views.support_helper_add, name="support_helper_add"),
    path("ho-tro/giup-do/<int:pk>/ket-thuc/", views.support_helper_end, name="support_helper_end"),
    path("ho-tro/giup-do/<int:pk>/tham-ho/", views.support_visit_add, name="support_visit_add"),
    path("ho/<int:pk>/ke-hoach-ho-tro/", views.support_plan_add, name="support_plan_add"),
    path(
        "ho-tro/ke-hoach/<int:pk>/tinh-trang/",
        views.support_plan_status,
        name="support_plan_status",
    ),
    path("ho/<int:pk>/ho-tro-da-nhan/", views.support_record_add, name="support_record_add"),
]
