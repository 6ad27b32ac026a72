"""docs/permissions.md is what `manage.py permissions_doc` renders from the permission table."""

from django.core.management import call_command

from areas.management.commands.permissions_doc import DOC


def test_the_committed_doc_is_current(tmp_path):
    fresh = tmp_path / "permissions.md"
    call_command("permissions_doc", output=str(fresh))
    assert DOC.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
        "docs/permissions.md is out of date: run `.venv/bin/python manage.py permissions_doc`"
    )
