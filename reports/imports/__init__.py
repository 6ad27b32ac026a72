"""Survey import from Excel (the issue "Import of surveys from a workbook").

- ``columns``: the sheets and columns, read by both the template and the reader.
- ``template``: the downloadable workbook (drop-downs, a README sheet), and ``write_rows``.
- ``forms``: the upload form (round, file; size and signature before any reading).
- ``files``: file-level safety (size, signature, zip), merged cells, the annotated error report.
- ``limits``: the zip's sizes and ratio, then every XML part streamed through expat: no DTD, rows,
  columns and characters per cell and in all, before openpyxl reads anything (settings
  ``IMPORT_MAX_*``; peak memory of hostile files: ``bench/hostile_uploads.py``).
- ``reader``: the workbook into typed rows, streaming (openpyxl read-only mode).
- ``checks``: the survey page's forms on every row, the household and database rules.
- ``plan``: what confirming will write, household by household, and the preview of it; the
  checked rows kept between the check and the confirm (``dump`` / ``load``).
- ``apply``: the plan written by ``households.services.surveys_save_bulk`` (set-based, one
  transaction): the same rows and history as ``household_create`` + ``survey_save`` one by one.
- ``services``: the import as a ``reports.models.Job``; ``tasks``: its Celery tasks.
- ``prefilled``: the template pre-filled with a commune's households for editing offline and
  re-importing, with a version column (an export job; ``docs/imports.md``).

Confirming does not read the workbook again: it loads the rows the forms cleaned at the check
and runs again only the checks that depend on the database and the user's rights
(``checks.Checker.recheck``), then compares the plan's digest with the preview's. The indicator
recomputes are batched with ``households.services.rollups_batched`` (one per commune, on commit).
"""
