from django.urls import path

from .urls_exports import urlpatterns as export_urls
from .urls_imports import urlpatterns as import_urls
from .urls_offline import urlpatterns as offline_urls
from .views import jobs

urlpatterns = [
    path("bao-cao/cua-toi/", jobs.job_list, name="job_list"),
    path("bao-cao/cua-toi/<int:pk>/", jobs.job_detail, name="job_detail"),
    path("bao-cao/cua-toi/<int:pk>/thu-lai/", jobs.job_retry, name="job_retry"),
    path("bao-cao/cua-toi/<int:pk>/<slug:which>/", jobs.job_download, name="job_download"),
    *export_urls,
    *import_urls,
    *offline_urls,
]
