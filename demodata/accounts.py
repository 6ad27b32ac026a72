"""Demo accounts for `make run` (never for production).

Passwords come from DEMO_PASSWORD, or are generated once and kept in
var/demo-passwords.txt (git-ignored, owner-readable only): seed_demo reuses and prints them.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from areas.models import Assignment, Role, Unit, UnitGroup
from areas.services import NEW_TREE_FROM, OLD_TREE_FROM, OLD_TREE_TO

PASSWORD_FILE = settings.VAR_DIR / "demo-passwords.txt"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    # (unit code or "group:<code>", valid_from, valid_to); units are matched at valid_from
    scopes: tuple[tuple[str, dt.date, dt.date | None], ...]
    superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount(
        "canbo.xa",
        "Phạm Thị Hoa",
        Role.COMMUNE_OFFICER,
        # Thị trấn Ba Tơ until the reform, then Xã Ba Tơ (same code 21484, new kind and area)
        (("21484", OLD_TREE_FROM, OLD_TREE_TO), ("21484", NEW_TREE_FROM, None)),
    ),
    DemoAccount(
        "canbo.huyen",
        "Đinh Văn Nam",
        Role.DISTRICT_STAFF,
        # the former-district group holds Huyện Ba Tơ and the communes made from it after 2025
        (("group:huyen-cu-535", OLD_TREE_FROM, None),),
    ),
    DemoAccount(
        "lanhdao.tinh",
        "Trần Quốc Minh",
        Role.PROVINCIAL_LEADER,
        (("51", OLD_TREE_FROM, OLD_TREE_TO), ("51", NEW_TREE_FROM, None)),
    ),
    DemoAccount(
        "quantri",
        "Lê Thanh Tâm",
        Role.ADMINISTRATOR,
        (("51", OLD_TREE_FROM, OLD_TREE_TO), ("51", NEW_TREE_FROM, None)),
        superuser=True,
    ),
)


def _passwords() -> dict[str, str]:
    if settings.DEMO_PASSWORD:
        return {a.username: settings.DEMO_PASSWORD for a in DEMO_ACCOUNTS}
    stored: dict[str, str] = {}
    if PASSWORD_FILE.exists():
        for line in PASSWORD_FILE.read_text(encoding="utf-8").splitlines():
            name, _, password = line.partition(" ")
            stored[name] = password
    missing = [a.username for a in DEMO_ACCOUNTS if a.username not in stored]
    if missing:
        stored.update({name: secrets.token_urlsafe(9) for name in missing})
        PASSWORD_FILE.write_text("".join(f"{k} {v}\n" for k, v in stored.items()), encoding="utf-8")
        os.chmod(PASSWORD_FILE, 0o600)
    return stored


@transaction.atomic
def demo_accounts_seed() -> list[tuple[DemoAccount, str]]:
    """Create the demo accounts and their assignments; a second run adds nothing."""
    User = get_user_model()
    passwords = _passwords()
    created = []
    for account in DEMO_ACCOUNTS:
        first, _, last = account.full_name.rpartition(" ")
        user, _ = User.objects.get_or_create(
            username=account.username,
            defaults={"first_name": last, "last_name": first},
        )
        user.is_staff = user.is_superuser = account.superuser
        if not user.check_password(passwords[account.username]):
            user.set_password(passwords[account.username])
        user.save()
        for scope, valid_from, valid_to in account.scopes:
            target = (
                {"group": UnitGroup.objects.get(code=scope.removeprefix("group:"))}
                if scope.startswith("group:")
                else {"unit": Unit.objects.valid_on(valid_from).get(code=scope)}
            )
            Assignment.objects.get_or_create(
                user=user,
                role=account.role,
                valid_from=valid_from,
                valid_to=valid_to,
                **target,
            )
        created.append((account, passwords[account.username]))
    return created
