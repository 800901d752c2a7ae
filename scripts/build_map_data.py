"""Build the country shapes the portal's maps draw (escp_portal/mapdata/countries.json).

Run once, when the geometry should change, from the npm package ``world-atlas`` (Natural Earth
4.1.0 as TopoJSON; ISC licence, the data public domain)::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_map_data.py package/

The maps are drawn on the server as SVG (no tiles, no script: the Content-Security-Policy allows
neither an outside server nor inline code), so the file holds what the SVG needs and no more: for
each view ("world", "europe") its viewBox, one path per country (projected, clipped to the view,
rounded to whole units, keyed by ISO 3166 alpha-2) and a point for the countries too small to
draw at that scale (Malta on the world map, Singapore, Caribbean islands…). The world is drawn
from the 1:110m shapes (Equal Earth projection), Europe from the 1:50m ones (the EU's Lambert
azimuthal equal-area).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import re
from pathlib import Path

from django_countries.data import ALT_CODES

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "escp_portal" / "mapdata" / "countries.json"
NUMERIC_TO_ALPHA2 = {numeric: alpha2 for alpha2, (_alpha3, numeric) in ALT_CODES.items()}


# --- TopoJSON ------------------------------------------------------------------------------------


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs in longitude/latitude (TopoJSON stores them quantised and delta-encoded)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def countries(topology: dict) -> dict[str, list[list[list[tuple[float, float]]]]]:
    """alpha-2 → polygons (each a list of rings), for the shapes that have an ISO code."""
    arcs = decode_arcs(topology)
    shapes = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        code = NUMERIC_TO_ALPHA2.get(int(numeric)) if numeric else None
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [[ring(arcs, r) for r in polygon] for polygon in polygons]
        # Shapes without an ISO code (Kosovo, N. Cyprus, Somaliland) are drawn as plain land.
        shapes[code or f"_{geometry['properties']['name']}"] = rings
    return shapes


# --- projections ---------------------------------------------------------------------------------


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Equal Earth (Šavrič, Patterson, Jenny 2018): equal-area and pleasant for a world map."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    theta = math.asin(math.sqrt(3) / 2 * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * math.sqrt(3)
        * math.radians(lon)
        * math.cos(theta)
        / (3 * (9 * a4 * t6 * t2 + 7 * a3 * t6 + 3 * a2 * t2 + a1))
    )
    y = theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2))
    return x, -y


def lambert_europe(lon: float, lat: float) -> tuple[float, float]:
    """Lambert azimuthal equal-area centred on 10°E 52°N: the EU's own ETRS89-LAEA frame."""
    lam, phi = math.radians(lon - 10), math.radians(lat)
    phi0 = math.radians(52)
    k = math.sqrt(
        2 / (1 + math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam))
    )
    x = k * math.cos(phi) * math.sin(lam)
    y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    return x, -y


# --- clipping (Sutherland-Hodgman against a rectangle; enough for filled shapes) ----------------


def clip(points, x0, y0, x1, y1):
    edges = [
        (lambda p: p[0] >= x0, lambda a, b: _cross_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _cross_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _cross_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _cross_y(a, b, y1)),
    ]
    for inside, cross in edges:
        if not points:
            break
        result = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    result.append(cross(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(cross(previous, point))
            previous = point
        points = result
    return points


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


# --- views ---------------------------------------------------------------------------------------

VIEWS = {
    # name: projection, the longitude/latitude window drawn, width of the viewBox
    "world": {
        "project": equal_earth,
        "window": (-180, -58, 180, 84),
        "margin": 0,
        "shapes": "110m",
        "outline": True,
        "anchors": [(-180, 0), (180, 0), (0, 84), (0, -58), (-180, 84), (180, -58)],
        "width": 1000,
    },
    # Iceland to the Caucasus, the North Cape to Cyprus and Malta.
    "europe": {
        "project": lambert_europe,
        "window": (-25, 33, 46, 72),
        "margin": 45,  # the clip of the window must fall outside the drawn rectangle
        "shapes": "50m",
        "anchors": [(-24.5, 66.5), (-24.5, 63.3), (-9.5, 36.9), (-5.6, 35.9), (33, 34.5)]
        + [(45, 41), (45, 39), (25.8, 71.2), (31, 70.3), (14.5, 35.8)],
        "width": 800,
    },
}
SKIP = {"AQ"}  # Antarctica: no market, a third of the world map's height
TOLERANCE = 0.6  # units of the viewBox (about a pixel at full width): simplification
TINY = 8  # a shape narrower than this (in units) also gets a marker


def build_view(spec, shapes, centres):
    project = spec["project"]
    lon0, lat0, lon1, lat1 = spec["window"]
    # The view is the rectangle (in the projection) around its anchor points, plus a margin.
    xs, ys = zip(*(project(lon, lat) for lon, lat in spec["anchors"]), strict=True)
    margin = 0.02 * (max(xs) - min(xs))
    box = (min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin)
    scale = spec["width"] / (box[2] - box[0])
    width, height = spec["width"], round((box[3] - box[1]) * scale)
    m = spec["margin"]
    window = (max(lon0 - m, -180), max(lat0 - m, -90), min(lon1 + m, 180), min(lat1 + m, 90))

    def to_view(lon, lat):
        x, y = project(lon, lat)
        return ((x - box[0]) * scale, (y - box[1]) * scale)

    paths = {}
    for code, polygons in sorted(shapes.items()):
        if code in SKIP:
            continue
        parts = []
        for polygon in polygons:
            for points in polygon:
                for piece in unwrapped(points):
                    # Clip in degrees first: a far-away point can blow up a projection.
                    piece = clip(piece, *window)
                    if piece:
                        projected = simplify([to_view(*p) for p in piece], TOLERANCE)
                        parts.append(_path(clip(projected, -2, -2, width + 2, height + 2)))
        if "".join(parts):
            paths[code] = "".join(parts)
    points = {}
    for code, (lon, lat) in sorted(centres.items()):
        if code in SKIP or (code in paths and not _tiny(paths[code])):
            continue
        x, y = to_view(lon, lat)
        if lon0 <= lon <= lon1 and lat0 <= lat <= lat1 and 0 <= x <= width and 0 <= y <= height:
            points[code] = [round(x, 1), round(y, 1)]
    view = {"width": width, "height": height, "paths": paths, "points": points}
    if spec.get("outline"):  # the world's edge: the window's meridians and parallels
        edge = [(lon0, lat) for lat in range(lat0, lat1 + 1)]
        edge += [(lon1, lat) for lat in range(lat1, lat0 - 1, -1)]
        view["outline"] = _path([to_view(*p) for p in edge])
    return view


def _tiny(path: str) -> bool:
    """Too small to find or to hover (Luxembourg on the world map): it gets a marker too."""
    xs, ys, x, y = [], [], 0, 0
    for command in re.findall(r"[Ml][^Mlz]*", path):
        numbers = [int(n) for n in re.findall(r"-?\d+", command[1:])]
        if command[0] == "M":
            x, y = numbers
            xs.append(x)
            ys.append(y)
        else:
            for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
                x, y = x + dx, y + dy
                xs.append(x)
                ys.append(y)
    return max(max(xs) - min(xs), max(ys) - min(ys)) < TINY


def simplify(points, tolerance):
    """Ramer-Douglas-Peucker: drop the points that move the outline less than the tolerance."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        far, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            else:
                distance = math.hypot(px - ax, py - ay)
            if distance > far:
                far, index = distance, i
        if index is not None and far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def unwrapped(points):
    """A ring that crosses the antimeridian (Russia, Fiji) made continuous, and drawn twice when
    it then runs past ±180°: once as it is, once a world further on; the window clips both."""
    out = [points[0]]
    shift = 0.0
    for (lon_a, _lat_a), (lon_b, lat_b) in itertools.pairwise(points):
        if lon_b - lon_a > 180:
            shift -= 360
        elif lon_a - lon_b > 180:
            shift += 360
        out.append((lon_b + shift, lat_b))
    lons = [lon for lon, _lat in out]
    pieces = [out]
    if max(lons) > 180:
        pieces.append([(lon - 360, lat) for lon, lat in out])
    if min(lons) < -180:
        pieces.append([(lon + 360, lat) for lon, lat in out])
    return pieces


def _path(points) -> str:
    """An SVG subpath in whole units, relative moves, repeated points dropped."""
    rounded = []
    for x, y in points:
        p = (round(x), round(y))
        if not rounded or p != rounded[-1]:
            rounded.append(p)
    if len(rounded) > 1 and rounded[0] == rounded[-1]:
        rounded.pop()
    if len(rounded) < 3:
        return ""
    out = [f"M{rounded[0][0]} {rounded[0][1]}"]
    moves = []
    for (ax, ay), (bx, by) in itertools.pairwise(rounded):
        moves.append(f"{bx - ax} {by - ay}")
    out.append("l" + " ".join(moves))
    return "".join(out).replace(" -", "-") + "z"


def centre(polygons) -> tuple[float, float]:
    """The centroid of a country's largest outer ring (where its marker goes)."""

    def area_and_centre(points):
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            a += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if a == 0:
            xs, ys = zip(*points, strict=True)
            return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
        return abs(a / 2), (cx / (3 * a), cy / (3 * a))

    return max((area_and_centre(polygon[0]) for polygon in polygons), key=lambda r: r[0])[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the unpacked world-atlas package folder")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    shapes = {
        scale: countries(json.loads((args.package / f"countries-{scale}.json").read_text()))
        for scale in ("110m", "50m")
    }
    centres = {
        code: centre(polygons)
        for code, polygons in shapes["50m"].items()
        if not code.startswith("_")
    }
    version = json.loads((args.package / "package.json").read_text())["version"]
    data = {
        "source": f"world-atlas {version}: Natural Earth 4.1.0 (public domain); ISC licence",
        "views": {
            name: build_view(spec, shapes[spec["shapes"]], centres) for name, spec in VIEWS.items()
        },
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"{args.output}: {args.output.stat().st_size} bytes")


if __name__ == "__main__":
    main()
