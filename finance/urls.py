from django.urls import path

from . import views

urlpatterns = [
    path("von/", views.plan_list, name="finance_plan_list"),
    path("von/ke-hoach/them/", views.plan_create, name="finance_plan_create"),
    path("von/ke-hoach/<int:pk>/", views.plan_detail, name="finance_plan_detail"),
    path("von/ke-hoach/<int:pk>/sua/", views.plan_edit, name="finance_plan_edit"),
    path("von/phan-bo/<int:pk>/", views.allocation_detail, name="finance_allocation_detail"),
    path("von/phan-bo/<int:pk>/sua/", views.allocation_edit, name="finance_allocation_edit"),
    path("von/phan-bo/<int:pk>/xoa/", views.allocation_delete, name="finance_allocation_delete"),
    path(
        "von/giai-ngan/<int:pk>/xoa/", views.disbursement_delete, name="finance_disbursement_delete"
    ),
    path("von/giai-ngan/", views.summary, name="finance_summary"),
    path("von/giai-ngan/excel/", views.summary_export, name="finance_summary_export"),
]
