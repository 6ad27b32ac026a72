from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api.urls import account_urlpatterns

from .health import favicon, healthz

urlpatterns = [
    path("", include("areas.urls")),
    path("", include("households.urls")),
    path("", include("projects.urls")),
    path("", include("indicators.urls")),
    path("", include("reports.urls")),
    path("", include("notifications.urls")),
    path("", include("support.urls")),
    path("", include("finance.urls")),
    path("", include("contributions.urls")),
    path("", include("monitoring.urls")),
    path("", include("communication.urls")),
    path("", include("labour.urls")),
    path("", include(account_urlpatterns)),
    path("api/v1/", include("api.urls")),
    path(
        "dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
]

handler404 = "areas.views.error_404"
handler500 = "areas.views.error_500"
handler403 = "areas.views.error_403"
