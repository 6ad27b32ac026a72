from django.core.management.base import BaseCommand

from projects.loading import program_load


class Command(BaseCommand):
    help = "Add the shipped program tree, state-share caps and approval levels. Idempotent."

    def handle(self, *args, **options):
        report = program_load()
        self.stdout.write(
            f"Program: {report.programs} programs, {report.components} components, "
            f"{report.caps} caps, {report.levels} approval levels added."
        )
