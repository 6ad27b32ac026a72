urlpatterns: list = []  # the export pages (reports/views/exports.py)
