urlpatterns: list = []  # the import pages (reports/views/imports.py)
