"""Survey import from Excel (the issue "Import of surveys from a workbook").

- ``columns``: the sheets and columns, read by both the template and the reader.
- ``template``: the downloadable workbook (drop-downs, a README sheet), and ``write_rows``.
- ``forms``: the upload form (round, file; size and signature before any reading).
- ``files``: file-level safety (size, signature, zip), merged cells, the annotated error report.
- ``reader``: the workbook into typed rows, streaming (openpyxl read-only mode).
- ``checks``: the survey page's forms on every row, the household and database rules.
- ``plan``: what confirming will write, household by household, and the preview of it.
- ``apply``: the plan written through ``households.services`` in one transaction.
- ``services``: the import as a ``reports.models.Job``; ``tasks``: its Celery tasks.

The indicator recomputes of the many saves are batched with ``households.services.rollups_batched``
(one per commune, on commit).
"""
