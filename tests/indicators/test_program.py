"""Program outputs from projects, models, trainings and employment, stored with the rollup."""

import datetime as dt

import pytest

from households.models import Household, Survey
from indicators import services as indicator_services
from indicators.models import IndicatorValue, RollupRun
from projects import services
from tests.conftest import unit
from tests.households.factories import member, open_round, register
from tests.projects.factories import approved, classify, component, proposal

pytestmark = pytest.mark.django_db

# Approval decisions cannot be dated before the proposal was submitted (today), so the round is
# this year's.
YEAR = dt.date.today().year


@pytest.fixture
def program(db, settings, tmp_path):
    from projects.loading import program_load

    settings.MEDIA_ROOT = tmp_path / "media"
    program_load()


def value(round_, code, **owner):
    return IndicatorValue.objects.get(round=round_, indicator__code=code, **owner)


@pytest.fixture
def outputs(cast, program, django_capture_on_commit_callbacks):
    ba_to, ba_vinh = unit("21484"), unit("21490")
    cast.officer.assignments.create(
        role="commune_officer", unit=ba_vinh, valid_from=dt.date(2025, 7, 1)
    )
    with django_capture_on_commit_callbacks():
        round_ = open_round(cast.admin, YEAR)
        adults = [
            register(cast.officer, ba_to, members=[member(f"Lao động {i}")]) for i in range(2)
        ]
        other = register(cast.officer, ba_vinh, members=[member("Hộ Ba Vinh")])
        for household in [*adults, other]:
            classify(cast.officer, round_, household, "poor")
        # one project over two communes, approved this year: counted once for the province
        approved(proposal(cast.officer, [ba_to, ba_vinh], [adults[0], other]), cast.officer,
                 cast.district)  # fmt: skip
        approved(
            proposal(cast.officer, [ba_to], [adults[1]], form="model", component=component("2")),
            cast.officer,
            cast.district,
        )
        course = services.course_create(
            by=cast.officer, unit=ba_to, title="Kỹ thuật nuôi bò", kind="technique",
            component=component("3.1"), starts_on=dt.date(YEAR, 4, 1),
            ends_on=dt.date(YEAR, 4, 3), place="Thôn 1", organiser="Khuyến nông",
        )  # fmt: skip
        worker = adults[0].members.get()
        services.course_participants_add(by=cast.officer, course=course, members=[worker])
        participant = course.participants.get()
        services.course_attendance_save(
            by=cast.officer, course=course, rows={participant.pk: (True, True)}
        )
        services.employment_record_create(
            by=cast.officer, member=worker, contract="indefinite", starts_on=dt.date(YEAR, 1, 1),
            employer="HTX Ba Tơ", is_sustainable=True,
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        indicator_services.rollup_start(round_=round_)
    return round_


def test_projects_and_models_counted_once_per_area(cast, outputs):
    province, ba_to, ba_vinh = unit("51"), unit("21484"), unit("21490")
    assert value(outputs, "projects_approved", unit=province).value == 2
    assert value(outputs, "projects_approved", unit=ba_to).value == 2
    assert value(outputs, "projects_approved", unit=ba_vinh).value == 1
    assert value(outputs, "models_built", unit=province).value == 1
    assert not IndicatorValue.objects.filter(
        round=outputs, indicator__code="models_built", unit=ba_vinh
    ).exists()


def test_shares(cast, outputs):
    ba_to = unit("21484")
    supported = value(outputs, "workers_supported_share", unit=ba_to)
    assert (supported.numerator, supported.denominator, supported.value) == (1, 2, 50)
    employment = value(outputs, "sustainable_employment_share", unit=unit("51"))
    assert (employment.numerator, employment.denominator) == (1, 3)
    assert Survey.objects.filter(round=outputs, poverty_class="poor").count() == 3


def test_survey_save_leaves_program_values_a_project_approval_recounts_its_line(
    cast, outputs, django_capture_on_commit_callbacks
):
    """Program outputs do not depend on a survey save's cost: the save recomputes its commune's
    line of poverty figures only; an approval recounts the program values of its communes' lines
    (and leaves the other communes' values as they were)."""
    province, ba_to, ba_vinh = unit("51"), unit("21484"), unit("21490")
    program = IndicatorValue.objects.filter(round=outputs, indicator__kind="program")

    def stamps():
        rows = program.values_list("indicator__code", "unit_id", "group_id", "computed_at")
        return {(code, unit_id, group_id): at for code, unit_id, group_id, at in rows}

    before = stamps()
    poverty = value(outputs, "poor_households", unit=ba_to)

    survey = Survey.objects.filter(round=outputs, commune=ba_to).first()
    with django_capture_on_commit_callbacks(execute=True):
        classify(cast.officer, outputs, survey.household, "near_poor")
    # (the drain also does the rollups the fixture's saves owed: their commits ran no callback)
    run = RollupRun.objects.filter(round=outputs, full=False, commune=ba_to).latest("pk")
    assert run.status == "done"
    assert value(outputs, "poor_households", unit=ba_to).computed_at > poverty.computed_at
    assert stamps() == before  # not recomputed

    other = Household.objects.filter(commune=ba_vinh).first()
    with django_capture_on_commit_callbacks(execute=True):
        approved(proposal(cast.officer, [ba_vinh], [other]), cast.officer, cast.district)
    assert value(outputs, "projects_approved", unit=ba_vinh).value == 2
    assert value(outputs, "projects_approved", unit=province).value == 3
    after = stamps()
    key = ("projects_approved", ba_vinh.pk, None)
    assert after[key] > before[key]
    # Ba Tơ is not on Ba Vinh's line: its program values stay as the full run left them
    assert value(outputs, "projects_approved", unit=ba_to).value == 2
    ba_to_keys = [k for k in before if k[1] == ba_to.pk]
    assert ba_to_keys and all(after[k] == before[k] for k in ba_to_keys)
    # the province's shares, rewritten, add up every commune's stored totals: Ba Tơ's as its
    # survey save left them (the trained worker's household is near-poor now: neither its worker
    # nor the training count), Ba Vinh's one worker
    key = ("workers_supported_share", province.pk, None)
    assert after[key] > before[key]
    supported = value(outputs, "workers_supported_share", unit=province)
    assert (supported.numerator, supported.denominator) == (0, 2)


def test_program_refresh_matches_a_full_recompute(
    cast, outputs, django_capture_on_commit_callbacks
):
    ba_to = unit("21484")
    households = [s.household for s in Survey.objects.filter(round=outputs, commune=ba_to)]
    worker = households[-1].members.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.employment_record_create(
            by=cast.officer, member=worker, contract="indefinite", starts_on=dt.date(YEAR, 1, 1),
            employer="HTX Ba Tơ", is_sustainable=True,
        )  # fmt: skip
        course = services.course_create(
            by=cast.officer, unit=ba_to, title="Trồng keo", kind="vocational",
            component=component("3.1"), starts_on=dt.date(YEAR, 5, 1),
            ends_on=dt.date(YEAR, 5, 3), place="Thôn 2", organiser="Trung tâm GDNN",
        )  # fmt: skip
        services.course_participants_add(by=cast.officer, course=course, members=[worker])
        participant = course.participants.get()
        services.course_attendance_save(
            by=cast.officer, course=course, rows={participant.pk: (True, True)}
        )
    program = IndicatorValue.objects.filter(round=outputs, indicator__kind="program")
    columns = ("indicator__code", "unit_id", "group_id", "numerator", "denominator", "value")
    refreshed = set(program.values_list(*columns))
    employment = value(outputs, "sustainable_employment_share", unit=unit("51"))
    assert (employment.numerator, employment.denominator) == (2, 3)
    supported = value(outputs, "workers_supported_share", unit=ba_to)
    assert (supported.numerator, supported.denominator) == (2, 2)
    with django_capture_on_commit_callbacks(execute=True):
        indicator_services.rollup_start(round_=outputs)
    assert refreshed == set(program.values_list(*columns))


def test_projects_on_pre_reform_communes_count_through_the_crosswalk(
    cast, outputs, django_capture_on_commit_callbacks
):
    """A project filed on pre-reform communes (the links rewritten onto the old communes that
    went into Xã Ba Tơ and Xã Ba Vinh) counts in the new-tree round exactly as if it had been
    filed on the new communes: in each new commune, the former district's group and the
    province."""
    from areas.models import UnitGroup, UnitSuccession
    from areas.services import OLD_TREE_TO
    from projects.models import Project

    ba_to, ba_vinh, province = unit("21484"), unit("21490"), unit("51")
    group = UnitGroup.objects.get(code="huyen-cu-535")

    def stored(code, kind, owner):
        found = IndicatorValue.objects.filter(
            round=outputs, indicator__code=code, **{kind: owner}
        ).first()
        return found.value if found else None

    expected = {
        (code, key): stored(code, *key)
        for code in ("projects_approved", "models_built")
        for key in (("unit", ba_to), ("unit", ba_vinh), ("unit", province), ("group", group))
    }
    assert expected[("projects_approved", ("unit", ba_vinh))] == 1
    assert expected[("models_built", ("group", group))] == 1
    old_of = {
        new: UnitSuccession.objects.filter(new=new).order_by("old__code").first().old
        for new in (ba_to, ba_vinh)
    }
    assert all(not old.is_valid_on(outputs.reference_date) for old in old_of.values())
    assert old_of[ba_to].valid_to == OLD_TREE_TO
    links = Project.communes.through.objects
    for new, old in old_of.items():
        links.filter(unit=new).update(unit=old)
    assert not links.filter(unit__in=[ba_to, ba_vinh]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        indicator_services.rollup_start(round_=outputs)
    for (code, (kind, owner)), expected_value in expected.items():
        assert stored(code, kind, owner) == expected_value, (code, owner)
