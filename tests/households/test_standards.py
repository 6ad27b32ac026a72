"""The poverty standards as data: report order, lines, and the guards on their shape."""

from __future__ import annotations

import dataclasses

import pytest

from households.standards import (
    ND07_2021,
    ND351_2025,
    STANDARDS,
    Dimension,
    EducationLevel,
    WaterSource,
    standard_by_code,
)

D = Dimension


def test_decree_07_indicators_in_report_order():
    assert [(i.number, i.code, i.dimension) for i in ND07_2021.indicators] == [
        (1, "employment", D.EMPLOYMENT),
        (2, "dependents", D.EMPLOYMENT),
        (3, "nutrition", D.HEALTH),
        (4, "health_insurance", D.HEALTH),
        (5, "adult_education", D.EDUCATION),
        (6, "child_schooling", D.EDUCATION),
        (7, "housing_quality", D.HOUSING),
        (8, "floor_area", D.HOUSING),
        (9, "water", D.WATER_SANITATION),
        (10, "latrine", D.WATER_SANITATION),
        (11, "telecom", D.INFORMATION),
        (12, "info_assets", D.INFORMATION),
    ]


def test_decree_351_replaces_the_information_indicators_and_adds_waste():
    codes = [i.code for i in ND351_2025.indicators]
    assert codes[:10] == [i.code for i in ND07_2021.indicators[:10]]
    assert codes[10:] == ["digital_services", "waste"]
    assert [i.number for i in ND351_2025.indicators] == list(range(1, 13))
    assert ND351_2025.indicator("digital_services").dimension == D.INFORMATION
    assert ND351_2025.indicator("waste").dimension == D.WATER_SANITATION


@pytest.mark.parametrize(
    ("standard", "years", "rural", "urban", "band_rural", "band_urban", "provisional"),
    [
        pytest.param(
            ND07_2021,
            (2022, 2026),
            1_500_000,
            2_000_000,
            2_250_000,
            3_000_000,
            False,
            id="ND07_2021",
        ),
        pytest.param(
            ND351_2025, (2027, 2030), 2_200_000, 2_800_000, None, None, True, id="ND351_2025"
        ),
    ],
)
def test_lines_and_bands(standard, years, rural, urban, band_rural, band_urban, provisional):
    assert (standard.first_review_year, standard.last_review_year) == years
    assert (standard.line_for(False), standard.line_for(True)) == (rural, urban)
    assert (standard.band_upper_for(False), standard.band_upper_for(True)) == (
        band_rural,
        band_urban,
    )
    assert standard.provisional is provisional
    assert standard.deprivation_cutoff == 3


def test_standard_by_code():
    assert standard_by_code("ND351_2025") is ND351_2025
    with pytest.raises(LookupError):
        standard_by_code("ND00_1999")


def test_unknown_indicator_code():
    with pytest.raises(KeyError):
        ND351_2025.indicator("info_assets")  # dropped by Decree 351/2025


def test_standards_do_not_overlap():
    years = [y for s in STANDARDS for y in range(s.first_review_year, s.last_review_year + 1)]
    assert len(years) == len(set(years))


@pytest.mark.parametrize(
    "indicators",
    [
        pytest.param(ND07_2021.indicators[1:], id="numbering-gap"),
        pytest.param(ND07_2021.indicators[::-1], id="out-of-order"),
    ],
)
def test_misnumbered_indicators_are_rejected(indicators):
    with pytest.raises(ValueError):
        dataclasses.replace(ND07_2021, indicators=indicators)


def test_duplicate_indicator_codes_are_rejected():
    twin = dataclasses.replace(ND07_2021.indicators[0], number=2)
    with pytest.raises(ValueError):
        dataclasses.replace(ND07_2021, indicators=(ND07_2021.indicators[0], twin))


def test_clean_water_sources():
    assert {w.value for w in ND07_2021.clean_water_sources} == {
        "piped",
        "drilled_well",
        "protected_dug_well",
        "protected_spring",
        "rain",
        "bottled",
    }
    assert WaterSource.SURFACE not in ND351_2025.clean_water_sources


def test_education_levels_are_ordered_by_attainment():
    ranks = [level.rank for level in EducationLevel]
    assert ranks == sorted(ranks) == list(range(len(EducationLevel)))
    assert EducationLevel.VOCATIONAL.rank > EducationLevel.LOWER_SECONDARY.rank


def test_standards_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ND07_2021.rural_line = 1  # type: ignore[misc]
