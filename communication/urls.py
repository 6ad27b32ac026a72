from django.urls import path

from . import views

urlpatterns = [
    path("truyen-thong/", views.activity_list, name="communication_list"),
    path("truyen-thong/them/", views.activity_create, name="communication_create"),
    path("truyen-thong/tong-hop/", views.activity_summary, name="communication_summary"),
    path("truyen-thong/<int:pk>/", views.activity_detail, name="communication_detail"),
    path("truyen-thong/<int:pk>/sua/", views.activity_edit, name="communication_edit"),
    path("truyen-thong/<int:pk>/xoa/", views.activity_delete, name="communication_delete"),
]
