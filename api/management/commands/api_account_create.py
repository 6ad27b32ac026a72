"""Create an integration account (a user who cannot sign in to the web pages) scoped by one
assignment, with a first API token printed once.

    manage.py api_account_create --username tinh.baocao --name "Hệ thống báo cáo của tỉnh" \\
        --role provincial_leader --unit 51 [--token-name "..."]
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.services import integration_account_create
from areas.models import Role, Unit, UnitGroup


class Command(BaseCommand):
    help = "Create an integration account with one assignment and print its first API token once."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", required=True, help="who or what uses the account")
        parser.add_argument("--role", required=True, choices=Role.values)
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--unit", help="unit code (valid today)")
        where.add_argument("--group", help="unit group code")
        parser.add_argument("--token-name", default="")

    def handle(self, *args, **opts):
        unit = group = None
        if opts["unit"]:
            unit = Unit.objects.valid_on(timezone.localdate()).filter(code=opts["unit"]).first()
            if unit is None:
                raise CommandError(f"no unit with code {opts['unit']} today")
        else:
            group = UnitGroup.objects.filter(code=opts["group"]).first()
            if group is None:
                raise CommandError(f"no unit group with code {opts['group']}")
        try:
            created = integration_account_create(
                username=opts["username"],
                name=opts["name"],
                role=opts["role"],
                unit=unit,
                group=group,
                token_name=opts["token_name"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            f"Account {opts['username']} created (it cannot sign in to the web pages).\n"
            f"API token (shown once, store it now): {created.secret}"
        )
