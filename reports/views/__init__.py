"""Report views: jobs.py (my jobs, progress, downloads), exports.py, imports.py."""
