"""The offline collection pages (reports/views/offline.py)."""

from django.urls import path

from .views import offline

urlpatterns = [
    path("nhap-phieu/odk/", offline.odk_page, name="import_odk"),
    path("nhap-phieu/odk/bieu-mau/", offline.odk_form, name="import_odk_form"),
    path("nhap-phieu/odk/ho.csv", offline.odk_households, name="import_odk_households"),
]
