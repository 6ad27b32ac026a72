"""The import pages (reports/views/imports.py)."""

from django.urls import path

from .views import imports

urlpatterns = [
    path("nhap-phieu/", imports.import_upload, name="import_upload"),
    path("nhap-phieu/tep-mau/", imports.import_template, name="import_template"),
    path("nhap-phieu/co-san-du-lieu/", imports.import_prefilled, name="import_prefilled"),
    path("nhap-phieu/<int:pk>/", imports.import_detail, name="import_detail"),
    path("nhap-phieu/<int:pk>/xac-nhan/", imports.import_confirm, name="import_confirm"),
]
