"""Official Excel exports: one module per report, ``registry`` lists them, ``services`` starts and
runs them, ``tasks`` holds the Celery task; ``reports.xlsx`` has the openpyxl helpers."""
