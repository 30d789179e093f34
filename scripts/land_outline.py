"""Generate streams/static/land.json: a low-detail land outline for the live page's map.

Input: ``land-110m.json`` of the npm package world-atlas 2.0.2 (TopoJSON of Natural
Earth's public-domain 1:110m land, ISC licence, Copyright 2013-2019 Michael Bostock):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/land_outline.py package/land-110m.json > streams/static/land.json

Output: a JSON list of rings, each a list of [lon, lat] rounded to half a degree, with
rings smaller than a few points dropped: a few kilobytes the browser draws as one path.
"""

from __future__ import annotations

import json
import sys

STEP = 0.5
MIN_POINTS = 4


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def _compact(value: float) -> float:
    """36.0 -> 36: whole degrees are written without a fraction."""
    return int(value) if value == int(value) else value


def snap(points: list[tuple[float, float]]) -> list[list[float]]:
    snapped: list[list[float]] = []
    for lon, lat in points:
        point = [_compact(round(lon / STEP) * STEP), _compact(round(lat / STEP) * STEP)]
        if not snapped or snapped[-1] != point:
            snapped.append(point)
    return snapped


def main() -> None:
    topology = json.load(open(sys.argv[1]))
    arcs = decode_arcs(topology)
    rings = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                points = snap(ring_points(ring, arcs))
                if len(points) >= MIN_POINTS:
                    rings.append(points)
    json.dump(rings, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
