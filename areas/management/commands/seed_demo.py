from django.core.management.base import BaseCommand

from areas.demo import demo_accounts_seed
from areas.services import units_load


class Command(BaseCommand):
    help = "Load the units and create the demo accounts (and demo data). Idempotent."

    def handle(self, *args, **options):
        units_load()
        accounts = demo_accounts_seed()
        self.stdout.write("Demo accounts (username / password / role):")
        for account, password in accounts:
            self.stdout.write(f"  {account.username:14} {password:16} {account.role}")
