from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from povertyportal.permissions import figures_line, render_markdown

DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"


class Command(BaseCommand):
    help = "Render the permission table (povertyportal/permissions.py) into docs/permissions.md."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default=str(DOC), help="where to write (default: %(default)s)"
        )

    def handle(self, *args, output, **options):
        Path(output).write_text(render_markdown(), encoding="utf-8")
        self.stdout.write(f"{output}: {figures_line()}")
