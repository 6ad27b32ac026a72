from django.urls import path

from . import views

urlpatterns = [
    path("tai-khoan/thong-bao/", views.notification_settings, name="notification_settings"),
]
