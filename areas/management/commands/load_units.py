from django.core.management.base import BaseCommand

from areas.services import units_load


class Command(BaseCommand):
    help = "Load the administrative units (2024 and 2025 trees), crosswalk and groups. Idempotent."

    def handle(self, *args, **options):
        report = units_load()
        self.stdout.write(
            f"Units: {report.units}, crosswalk rows: {report.successions}, groups: {report.groups}"
        )
