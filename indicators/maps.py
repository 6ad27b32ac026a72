"""Server-side SVG choropleth of the 96 commune-level units. Standard library only.

The boundaries are projected once per file (cached) into a fixed 600-unit-wide box, so a render is
only string joining: no JavaScript, no tiles, and the map works without network or client scripts.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from html import escape
from itertools import count, pairwise
from pathlib import Path
from types import MappingProxyType

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "areas/data/boundaries-2025-51.geojson"
WIDTH = 600  # viewBox units; the SVG has no width/height so CSS scales it to its container
PAD = 4  # keeps the outer strokes from being clipped at the edge of the viewBox
BREAKS = (2, 5, 10, 20, 30)
COLORS = ("#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15")  # ColorBrewer Reds
NO_DATA_COLOR = "#e9ecef"
NO_DATA = "Không có số liệu"
_ids = count(1)  # ids for aria-labelledby must stay unique when a page shows several maps


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    kind: str
    d: str  # SVG path data in viewBox units; rings are "M x y L x y ... Z", holes included
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1 in viewBox units


def load_boundaries(path: Path = DEFAULT_PATH) -> Mapping[str, Shape]:
    """code → Shape, projected into 0 0 WIDTH height. Read-only because the result is shared."""
    return _load(Path(path).resolve())  # one cache entry per file, however the path is spelt


@lru_cache(maxsize=4)
def _load(path: Path) -> Mapping[str, Shape]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    polygons = {f["properties"]["code"]: _polygons(f["geometry"]) for f in features}
    points = [pt for polys in polygons.values() for poly in polys for ring in poly for pt in ring]
    lon0, lon1 = min(p[0] for p in points), max(p[0] for p in points)
    lat0, lat1 = min(p[1] for p in points), max(p[1] for p in points)
    # Equirectangular with longitudes shrunk by cos(mid latitude): at ~15°N over 1.5° of latitude
    # this distorts shapes by well under 1%, and it needs no projection library.
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    scale = (WIDTH - 2 * PAD) / ((lon1 - lon0) * kx)

    def project(lon: float, lat: float) -> tuple[float, float]:
        # y is flipped: latitude grows northwards, SVG y grows downwards
        return round(PAD + (lon - lon0) * kx * scale, 1), round(PAD + (lat1 - lat) * scale, 1)

    shapes = {}
    for feature in features:
        props = feature["properties"]
        rings = [[project(*pt) for pt in ring] for poly in polygons[props["code"]] for ring in poly]
        rings = [r for r in map(_dedupe, rings) if len(r) >= 3]  # a collapsed islet draws nothing
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        shapes[props["code"]] = Shape(
            code=props["code"],
            name=props["name"],
            kind=props["kind"],
            d="".join(_ring_path(r) for r in rings),
            bbox=(min(xs), min(ys), max(xs), max(ys)),
        )
    return MappingProxyType(shapes)


def _polygons(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _dedupe(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop points that rounding made equal to their predecessor, and the closing point (Z)."""
    out = [pt for i, pt in enumerate(ring) if i == 0 or pt != ring[i - 1]]
    return out[:-1] if len(out) > 1 and out[0] == out[-1] else out


def _num(v: float) -> str:
    return f"{v:.1f}".removesuffix(".0")  # "12" rather than "12.0": 1 number in 10, ~3% of bytes


def _ring_path(ring: list[tuple[float, float]]) -> str:
    (x, y), rest = ring[0], ring[1:]
    return f"M{_num(x)} {_num(y)}L" + " ".join(f"{_num(a)} {_num(b)}" for a, b in rest) + "Z"


def class_of(value: Decimal | float, breaks: Sequence[float]) -> int:
    """Index of the colour class: 0 below breaks[0], len(breaks) from breaks[-1] up.

    A value exactly on a break belongs to the upper class, as the legend's "2–5" means [2, 5).
    """
    return bisect_right(breaks, value)


def _vn(value: Decimal, places: str) -> str:
    """Vietnamese number: "." groups thousands, "," marks decimals (1.234,5)."""
    return format(value, f",{places}").translate(str.maketrans(",.", ".,"))


def format_percent(value: Decimal | float) -> str:
    # via str() so that 0.125 rounds half up like the stored two-place rates, not like binary floats
    return _vn(Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP), ".2f") + "%"


def _break_label(b: float) -> str:
    d = Decimal(str(b))
    return _vn(d.normalize() if d == d.to_integral() else d, "f")


def legend_labels(breaks: Sequence[float]) -> list[str]:
    labels = [_break_label(b) for b in breaks]
    return [f"< {labels[0]}", *(f"{a}–{b}" for a, b in pairwise(labels)), f"≥ {labels[-1]}"]


def choropleth_svg(
    values: Mapping[str, Decimal | float | None],
    *,
    title: str,
    legend_title: str,
    breaks: Sequence[float] = BREAKS,
    colors: Sequence[str] = COLORS,
    no_data_color: str = NO_DATA_COLOR,
    link: Callable[[str], str | None] | None = None,
    labels: Mapping[str, str] | None = None,
    shapes: Mapping[str, Shape] | None = None,
) -> str:
    """An inline <svg> map: one <path> per unit, coloured by class of values[code].

    Codes in `values` without a boundary are ignored; units without a (finite) value get the
    no-data colour. `labels` overrides display names; `shapes` defaults to load_boundaries().
    """
    if len(colors) != len(breaks) + 1:
        raise ValueError(f"{len(breaks)} breaks need {len(breaks) + 1} colours, got {len(colors)}")
    if any(a >= b for a, b in pairwise(breaks)):
        raise ValueError("breaks must be strictly increasing")
    shapes = load_boundaries() if shapes is None else shapes
    labels = labels or {}
    uid = f"choropleth-{next(_ids)}"
    map_h = math.ceil(max((s.bbox[3] for s in shapes.values()), default=0) + PAD)

    units = []
    for code, shape in shapes.items():
        value = values.get(code)
        missing = value is None or not math.isfinite(value)  # NaN would fall in no class
        fill = no_data_color if missing else colors[class_of(value, breaks)]
        tip = f"{labels.get(code, shape.name)} ({code}): "
        tip += NO_DATA.lower() if missing else format_percent(value)
        path = (
            f'<path d="{shape.d}" fill="{escape(fill)}" data-code="{escape(code)}"'
            # not inherited from <g>: keeps strokes hairline-thin however large CSS draws the map
            f' vector-effect="non-scaling-stroke">'
            f"<title>{escape(tip)}</title></path>"
        )
        href = link(code) if link else None
        units.append(f'<a href="{escape(href)}">{path}</a>' if href else path)

    # Legend below the map, never over it: entries flow left to right and wrap at WIDTH.
    # Text width is estimated (≈7 units per character at 12px) since nothing is measured here.
    entries = [*zip(colors, legend_labels(breaks), strict=True), (no_data_color, NO_DATA)]
    legend, x, y = [], PAD, map_h + 26
    for color, text in entries:
        w = 18 + 7 * len(text) + 14
        if x + w > WIDTH and x > PAD:
            x, y = PAD, y + 20
        legend.append(
            f'<rect x="{x}" y="{y}" width="14" height="14" fill="{escape(color)}" stroke="#adb5bd"'
            f' stroke-width="0.5"/><text x="{x + 18}" y="{y + 11.5}">{escape(text)}</text>'
        )
        x += w
    height = y + 14 + PAD

    # role="img" hides the children from assistive technology, which would swallow the links;
    # a linked map is therefore a labelled group whose paths keep their own <title>s.
    role = "group" if link else "img"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="choropleth" role="{role}"'
        f' aria-labelledby="{uid}-title" viewBox="0 0 {WIDTH} {height}"'
        f' font-family="system-ui, sans-serif" font-size="12">'
        f'<title id="{uid}-title">{escape(title)}</title>'
        f'<g fill-rule="evenodd" stroke="#fff" stroke-width="0.5" stroke-linejoin="round">'
        f"{''.join(units)}</g>"
        f'<g class="choropleth-legend"><text x="{PAD}" y="{map_h + 16}" font-weight="bold">'
        f"{escape(legend_title)}</text>{''.join(legend)}</g></svg>"
    )
