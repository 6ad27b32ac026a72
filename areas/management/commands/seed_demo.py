from django.core.management.base import BaseCommand

from areas.services import units_load
from demodata.accounts import demo_accounts_seed
from demodata.households import demo_households_seed


class Command(BaseCommand):
    help = "Load the units and create the demo accounts (and demo data). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--households",
            type=int,
            default=2000,
            help="synthetic households with rounds 2023-2026 (default 2000; 0 for none). "
            "Added only once: nothing is added when the demo rounds exist.",
        )
        parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
        parser.add_argument(
            "--workers",
            type=int,
            help="PostgreSQL, no households yet: write them with this many processes (COPY, "
            "indexes rebuilt after; see docs/demo-data.md). Default: one transaction here.",
        )

    def handle(self, *args, **options):
        units_load()
        accounts = demo_accounts_seed()
        self.stdout.write("Demo accounts (username / password / role):")
        for account, password in accounts:
            self.stdout.write(f"  {account.username:14} {password:16} {account.role}")
        report = demo_households_seed(
            households=options["households"],
            seed=options["seed"],
            stdout=self.stdout,
            workers=options["workers"],
        )
        self.stdout.write(report.summary())
        from demodata.projects import projects_demo_seed  # projects, models, trainings

        self.stdout.write(projects_demo_seed(stdout=self.stdout).summary())
        from demodata.support import support_demo_seed  # helpers, plans, support received

        self.stdout.write(support_demo_seed(seed=options["seed"]).summary())
        from demodata.funds import funds_demo_seed  # capital plans, allocations, disbursements

        self.stdout.write(funds_demo_seed(seed=options["seed"]).summary())
        from demodata.monitoring import monitoring_demo_seed  # inspection, supervision visits

        self.stdout.write(monitoring_demo_seed())
        from demodata.contributions import contributions_demo_seed  # Vì người nghèo fund

        self.stdout.write(contributions_demo_seed(seed=options["seed"]).summary())
        from demodata.communication import communication_demo_seed  # project 6 communication

        self.stdout.write(communication_demo_seed(seed=options["seed"]))
        from demodata.labour import labour_demo_seed  # training needs, job fairs, hires

        self.stdout.write(labour_demo_seed())
        self._indicators()

    def _indicators(self):
        """The indicator catalog, the shipped targets, and a first rollup of every round (inline
        in embedded mode; queued to the worker in services mode)."""
        from households.models import ReviewRound
        from indicators.models import IndicatorValue
        from indicators.services import indicators_load, rollup_start
        from indicators.targets import targets_seed

        indicators_load()
        created = targets_seed()
        rounds = ReviewRound.objects.filter(kind="periodic").exclude(
            pk__in=IndicatorValue.objects.values("round_id")
        )
        for round_ in rounds:
            rollup_start(round_=round_)
        self.stdout.write(f"Indicators: {created} targets added, {len(rounds)} rounds rolled up")
        from demodata.analyses import demo_analyses_seed

        self.stdout.write(f"Saved analyses pinned on the home pages: {demo_analyses_seed()}")
