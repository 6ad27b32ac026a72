"""Who sees and acts on which project: communes today, or at the start for old-tree communes;
the approval queue; the list and the project page agree."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from areas.models import Role, UnitGroup
from areas.scope import user_reach
from areas.services import NEW_TREE_FROM, OLD_TREE_FROM, OLD_TREE_TO
from projects import services
from projects.models import Project
from projects.selectors.projects import (
    project_can,
    project_get_for_change,
    project_get_for_user,
    project_list_for_user,
    project_queue_for_user,
)
from tests.conftest import make_user, unit
from tests.projects.factories import component, households, proposal

pytestmark = pytest.mark.django_db


def old_project(creator, code="21484", **over) -> Project:
    """A 2024 project of Thị trấn Ba Tơ (old tree), as the portal kept it after the reform."""
    data = {
        "code": f"OLD-{code}",
        "title": "Trồng keo 2024",
        "form": "community",
        "component": component(),
        "sector": "forestry",
        "group_kind": "household_group",
        "group_name": "Nhóm hộ",
        "starts_on": dt.date(2024, 3, 1),
        "ends_on": dt.date(2024, 12, 31),
        "status": "in_progress",
        "decision_number": "1/QĐ",
        "created_by": creator,
        **over,
    }
    project = Project.objects.create(**data)
    project.communes.set([unit(code, OLD_TREE_TO)])
    return project


def visible(user, project) -> bool:
    reach = user_reach(user)
    in_list = project_list_for_user(reach).filter(pk=project.pk).exists()
    try:
        project_get_for_user(reach, project.pk)
        on_page = True
    except Http404:
        on_page = False
    assert in_list == on_page
    return in_list


def test_current_project_seen_by_its_units_only(cast, ba_to, members):
    project = proposal(cast.officer, [ba_to], members)
    assert [visible(u, project) for u in cast.all()] == [True, True, True, True, False]


def test_old_tree_project_seen_at_its_start(cast, program):
    project = old_project(cast.admin)
    assert [visible(u, project) for u in cast.all()] == [True, True, True, True, False]
    # an officer assigned to the new Xã Ba Tơ only after the reform did not work on it
    newcomer = make_user("moi", Role.COMMUNE_OFFICER, (unit("21484"), NEW_TREE_FROM, None))
    assert not visible(newcomer, project)
    # the outsider's old commune: Thị trấn Tịnh Hà 21220
    theirs = old_project(cast.admin, code="21220")
    assert visible(cast.outsider, theirs) and not visible(cast.officer, theirs)


def test_old_tree_project_needs_the_capability_today_to_act(cast, program):
    project = old_project(cast.admin)
    assert project_can(user_reach(cast.district), project, "complete") is False  # officer's step
    assert project_can(user_reach(cast.officer), project, "complete") is True
    retired = make_user(
        "huu",
        Role.DISTRICT_STAFF,
        (UnitGroup.objects.get(code="huyen-cu-535"), OLD_TREE_FROM, OLD_TREE_TO),
    )
    assert visible(retired, project)
    with pytest.raises(PermissionDenied):
        project_get_for_change(user_reach(retired), project.pk, "amend")
    project_get_for_change(user_reach(cast.district), project.pk, "amend")


def test_outsider_gets_404_not_403(cast, ba_to, members):
    project = proposal(cast.officer, [ba_to], members)
    with pytest.raises(Http404):
        project_get_for_change(user_reach(cast.outsider), project.pk, "submit")
    with pytest.raises(PermissionDenied):
        project_get_for_change(user_reach(cast.leader), project.pk, "submit")


def test_queue_oldest_first_and_only_for_its_reviewers(cast, ba_to, members):
    first = proposal(cast.officer, [ba_to], members[:2])
    second = proposal(cast.officer, [ba_to], members[2:])
    services.project_submit(by=cast.officer, project=second)
    services.project_submit(by=cast.officer, project=first)
    Project.objects.filter(pk=second.pk).update(submitted_at=timezone.now() - dt.timedelta(days=3))
    queue = list(project_queue_for_user(user_reach(cast.district)))
    assert queue == [second, first]
    services.project_appraise(by=cast.district, project=first)
    assert list(project_queue_for_user(user_reach(cast.district))) == [second, first]
    for user in (cast.officer, cast.leader, cast.outsider):
        assert not project_queue_for_user(user_reach(user)).exists()
    assert project_queue_for_user(user_reach(cast.admin)).count() == 2


def test_queue_follows_the_approving_level(cast, ba_to, members):
    project = proposal(cast.officer, [ba_to], members, form="value_chain")
    services.project_submit(by=cast.officer, project=project)
    assert not project_queue_for_user(user_reach(cast.district)).exists()
    assert list(project_queue_for_user(user_reach(cast.admin))) == [project]


def test_project_over_two_districts_goes_to_whoever_covers_both(cast, ba_to, son_tinh):
    ours = households(cast.officer, ba_to, 2)
    theirs = households(cast.outsider, son_tinh, 2)
    project = proposal(cast.admin, [ba_to, son_tinh], ours + theirs, state=60_000_000)
    services.project_submit(by=cast.admin, project=project)
    assert visible(cast.district, project) and visible(cast.outsider, project)
    assert not project_queue_for_user(user_reach(cast.district)).exists()
    with pytest.raises(PermissionDenied):
        services.project_appraise(by=cast.district, project=project)
    assert list(project_queue_for_user(user_reach(cast.admin))) == [project]
