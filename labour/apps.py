from django.apps import AppConfig


class LabourConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "labour"
    verbose_name = "Lao động, việc làm (Dự án 4)"
