from django.urls import path

from .views import exports

urlpatterns = [
    path("bao-cao/", exports.export_index, name="export_index"),
    path("bao-cao/xuat/", exports.export_create, name="export_create"),
    path(
        "bao-cao/xuat/ho-gia-dinh/",
        exports.export_households_shown,
        name="export_households_shown",
    ),
    path("bao-cao/xuat/du-an/", exports.export_projects_shown, name="export_projects_shown"),
]
