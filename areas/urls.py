from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
]
