"""The server-side SVG choropleth (pure: no database, no Django needed)."""

import csv
import itertools
import json
import math
import re
import xml.etree.ElementTree as ET  # parses only our own output, so no defusedxml
from decimal import Decimal as D
from pathlib import Path

import pytest

from indicators.maps import (
    COLORS,
    DEFAULT_PATH,
    NO_DATA_COLOR,
    WIDTH,
    choropleth_svg,
    class_of,
    format_percent,
    legend_labels,
    load_boundaries,
)


def fromstring(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - the SVG under test, not untrusted input


NS = {"svg": "http://www.w3.org/2000/svg"}
UNITS_2025 = DEFAULT_PATH.parent / "units-2025.csv"
RING = re.compile(r"M[\d.]+ [\d.]+L[\d. ]+Z")


def render(values=None, **kwargs):
    kwargs.setdefault("title", "Tỷ lệ hộ nghèo 2025")
    kwargs.setdefault("legend_title", "Tỷ lệ (%)")
    return choropleth_svg(values or {}, **kwargs)


def paths(svg: str) -> dict[str, ET.Element]:
    root = fromstring(svg)
    return {p.get("data-code"): p for p in root.iterfind(".//svg:path", NS)}


def points(d: str) -> list[tuple[float, float]]:
    nums = [float(n) for n in re.split(r"[MLZ ]+", d) if n]
    return list(zip(nums[::2], nums[1::2], strict=True))


def test_loads_the_96_new_units():
    shapes = load_boundaries()
    with UNITS_2025.open(encoding="utf-8") as f:
        communes = {r["code"]: r for r in csv.DictReader(f) if r["level"] == "commune"}
    assert len(shapes) == 96
    assert set(shapes) == set(communes)
    assert all(
        s.name == communes[c]["name"] and s.kind == communes[c]["kind"] for c, s in shapes.items()
    )
    assert (shapes["21484"].name, shapes["21484"].kind) == ("Ba Tơ", "Xã")
    assert (shapes["21548"].name, shapes["21548"].kind) == ("Lý Sơn", "Đặc khu")


def test_loading_is_cached_and_read_only():
    shapes = load_boundaries()
    assert load_boundaries() is shapes
    assert load_boundaries(DEFAULT_PATH) is shapes
    with pytest.raises(TypeError):
        shapes["99999"] = shapes["21484"]  # type: ignore[index]


def test_ly_son_is_the_offshore_island_in_the_north_east():
    shapes = load_boundaries()
    x0, y0, x1, y1 = shapes["21548"].bbox
    assert x0 > 0.9 * WIDTH and y1 < 0.1 * WIDTH  # off the old Bình Sơn coast
    assert x1 == max(s.bbox[2] for s in shapes.values())  # the easternmost unit
    for code, shape in shapes.items():  # an island: clear of every other unit
        if code != "21548":
            ox0, oy0, ox1, oy1 = shape.bbox
            assert ox1 < x0 or ox0 > x1 or oy1 < y0 or oy0 > y1, code


def test_path_data_is_compact_and_inside_the_viewbox():
    svg = render()
    x0, y0, width, height = map(float, fromstring(svg).get("viewBox").split())
    assert (x0, y0, width) == (0, 0, WIDTH)
    assert 450 < height < 650  # the province is a little taller than wide, plus the legend
    for code, path in paths(svg).items():
        d = path.get("d")
        assert RING.sub("", d) == "", code  # only "M x y L x y ... Z" rings
        pts = points(d)
        assert all(0 <= x <= width and 0 <= y <= height for x, y in pts), code
        assert all(p != q for p, q in itertools.pairwise(pts)), code  # no consecutive duplicates
        assert all(re.fullmatch(r"\d+(\.\d)?", n) for n in re.split(r"[MLZ ]+", d) if n)


def test_projection_keeps_proportions_and_holes(tmp_path: Path):
    # a 1°×1° square at the equator with a hole, and a two-part unit further east
    square = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    hole = [[0.4, 0.4], [0.4, 0.6], [0.6, 0.6], [0.6, 0.4], [0.4, 0.4]]
    parts = [[[[2, 0], [3, 0], [3, 0.5], [2, 0], [2, 0]]], [[[2, 0.6], [3, 0.6], [3, 1], [2, 0.6]]]]
    path = tmp_path / "b.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    feature("1", "A", {"type": "Polygon", "coordinates": [*square, hole]}),
                    feature("2", "B", {"type": "MultiPolygon", "coordinates": parts}),
                ],
            }
        ),
        encoding="utf-8",
    )
    shapes = load_boundaries(path)
    a, b = shapes["1"], shapes["2"]
    assert a.d.count("M") == 2 and b.d.count("M") == 2
    assert a.d.startswith("M4 ")  # PAD, then y flipped: north (lat 1) at the top
    assert b.bbox[2] == WIDTH - 4
    width = a.bbox[2] - a.bbox[0]
    assert math.isclose(a.bbox[3] - a.bbox[1], width / math.cos(math.radians(0.5)), rel_tol=1e-3)
    first = points(b.d.split("Z")[0])
    assert first == [(398.7, 201.3), (596.0, 201.3), (596.0, 102.7)]  # (2, 0) only once


def feature(code, name, geometry):
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "kind": "Xã"},
        "geometry": geometry,
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-1, 0),
        (0, 0),
        (1.99, 0),
        (2, 1),  # exactly on a break: the upper class
        (D("2.00"), 1),
        (4.99, 1),
        (5, 2),
        (D("19.99"), 3),
        (20, 4),
        (29.999, 4),
        (30, 5),
        (100, 5),
    ],
)
def test_class_of(value, expected):
    assert class_of(value, (2, 5, 10, 20, 30)) == expected


def test_colours_follow_the_classes():
    values = {"21484": D("1.50"), "21548": D("5.00"), "21025": 12.3, "23548": D("30")}
    fills = {c: p.get("fill") for c, p in paths(render(values)).items()}
    assert fills["21484"] == COLORS[0]
    assert fills["21548"] == COLORS[2]
    assert fills["21025"] == COLORS[3]
    assert fills["23548"] == COLORS[5]
    custom = render({"21484": 7}, breaks=(5,), colors=("#000", "#fff"), no_data_color="#123")
    assert paths(custom)["21484"].get("fill") == "#fff"
    assert paths(custom)["21548"].get("fill") == "#123"


def test_missing_values_get_the_no_data_colour_and_unknown_codes_are_ignored():
    svg = render({"21484": None, "21548": float("nan"), "99999": 12, "": 3})
    found = paths(svg)
    assert len(found) == 96
    assert "99999" not in found
    assert found["21484"].get("fill") == NO_DATA_COLOR
    assert found["21548"].get("fill") == NO_DATA_COLOR
    assert found["21025"].get("fill") == NO_DATA_COLOR  # no entry at all
    assert found["21484"].find("svg:title", NS).text == "Ba Tơ (21484): không có số liệu"


def test_tooltips_use_the_vietnamese_decimal_comma():
    svg = render({"21484": D("12.34"), "21548": 0.125, "21025": D("1234.5")})
    titles = {c: p.find("svg:title", NS).text for c, p in paths(svg).items()}
    assert titles["21484"] == "Ba Tơ (21484): 12,34%"
    assert titles["21548"] == "Lý Sơn (21548): 0,13%"  # half up, as the stored rates are
    assert titles["21025"] == "Cẩm Thành (21025): 1.234,50%"
    assert format_percent(D("-0.5")) == "-0,50%"


def test_legend():
    assert legend_labels((2, 5, 10, 20, 30)) == ["< 2", "2–5", "5–10", "10–20", "20–30", "≥ 30"]
    assert legend_labels((2.5, 1000)) == ["< 2,5", "2,5–1.000", "≥ 1.000"]
    root = fromstring(render(legend_title="Tỷ lệ hộ nghèo (%)"))
    legend = root.find("svg:g[@class='choropleth-legend']", NS)
    texts = [t.text for t in legend.iterfind("svg:text", NS)]
    assert texts == [
        "Tỷ lệ hộ nghèo (%)",
        "< 2",
        "2–5",
        "5–10",
        "10–20",
        "20–30",
        "≥ 30",
        "Không có số liệu",
    ]
    boxes = [r.get("fill") for r in legend.iterfind("svg:rect", NS)]
    assert boxes == [*COLORS, NO_DATA_COLOR]
    _, _, width, height = map(float, root.get("viewBox").split())
    for r in legend.iterfind("svg:rect", NS):
        assert float(r.get("x")) + 14 <= width and float(r.get("y")) + 14 <= height


def test_accessible_svg():
    root = fromstring(render(title="Bản đồ"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    title = root.find("svg:title", NS)
    assert title.text == "Bản đồ"
    assert root.get("aria-labelledby") == title.get("id")
    assert fromstring(render()).get("aria-labelledby") != title.get("id")  # unique per map
    group = root.find("svg:g", NS)
    assert (group.get("fill-rule"), group.get("stroke")) == ("evenodd", "#fff")


def test_every_text_is_escaped():
    evil = "<script>alert('x')</script>"
    svg = render(
        {"21484": 1},
        title=f"A & B {evil}",
        legend_title=evil,
        labels={"21484": evil},
        link=lambda code: f'/x?a=1&b="{code}"',
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    root = fromstring(svg)
    assert root.find("svg:title", NS).text == f"A & B {evil}"
    assert paths(svg)["21484"].find("svg:title", NS).text == f"{evil} (21484): 1,00%"
    hrefs = {a.get("href") for a in root.iterfind(".//svg:a", NS)}
    assert '/x?a=1&b="21484"' in hrefs


def test_names_from_the_file_are_escaped_too(tmp_path: Path):
    path = tmp_path / "evil.geojson"
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    data = {"type": "FeatureCollection", "features": [feature('1"><script>', "<script>", square)]}
    path.write_text(json.dumps(data), encoding="utf-8")
    svg = render({}, shapes=load_boundaries(path))
    assert "<script>" not in svg
    assert paths(svg)['1"><script>'].find("svg:title", NS).text.startswith("<script> (")


def test_links_wrap_paths():
    svg = render(
        {"21484": 3}, link=lambda code: f"/don-vi/{code}/" if code.startswith("21") else None
    )
    root = fromstring(svg)
    assert root.get("role") == "group"  # role="img" would hide the links from screen readers
    links = {
        a.find("svg:path", NS).get("data-code"): a.get("href")
        for a in root.iterfind(".//svg:a", NS)
    }
    assert links["21484"] == "/don-vi/21484/"
    assert len(links) == 56  # the old Quảng Ngãi units; the 40 Kon Tum (23xxx) paths are bare
    bare = root.findall("svg:g/svg:path", NS)
    assert len(bare) == 40 and all(p.get("data-code").startswith("23") for p in bare)


def test_rejects_inconsistent_classes():
    with pytest.raises(ValueError, match="colours"):
        render(breaks=(1, 2), colors=("#000", "#111"))
    with pytest.raises(ValueError, match="increasing"):
        render(breaks=(5, 2), colors=("#000", "#111", "#222"))
