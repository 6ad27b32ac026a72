"""Offline collection with ODK Collect / KoboCollect (issue 14, part 2).

- ``xlsform``: the survey of a round as an XLSForm workbook, built from the import template's
  column definitions (``reports.imports.columns``), and the optional household list (``ho.csv``)
  of one commune for ``select_one_from_file`` / ``pulldata``.
- ``submissions``: the exports of ODK Central (a zip of CSVs, or one CSV) and of KoboToolbox
  (.xlsx) read into the same rows as the import template (``reports.imports.reader.Parsed``), so
  that the import's checks, error list, preview and all-or-nothing confirm apply unchanged.

The round trip, for officers and for whoever runs ODK Central / KoboToolbox: ``docs/offline.md``.
"""
