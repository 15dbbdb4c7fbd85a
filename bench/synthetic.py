"""Synthetic geodata at any scale, in the real schema, for measuring how cost grows with the data.

``make(folder, scale)`` writes a geodata folder with ``24 × scale`` units (a jagged grid over the
map's box, neighbours sharing every vertex of their common edges, ~240 vertices per unit like the
real layers), ``22 × scale`` events each moving a few units between holders, the real zones,
places and polities. It is valid by construction (a coverage, transfers from the current holder).
"""
from __future__ import annotations

import datetime as dt
import json
import math
import random
import shutil
from pathlib import Path

import numpy as np
import shapely
import yaml

ROOT = Path(__file__).resolve().parent.parent
GEODATA = ROOT / "geodata"
BOX = (40.0, 26.0, 64.0, 46.0)


def _grid(n: int, vertices_per_edge: int, rng: random.Random):
    """Return ``n`` jagged cells tiling BOX: a grid whose interior nodes are jittered, edges densified."""
    cols = max(1, round(math.sqrt(n * (BOX[2] - BOX[0]) / (BOX[3] - BOX[1]))))
    rows = math.ceil(n / cols)
    xs = np.linspace(BOX[0], BOX[2], cols + 1)
    ys = np.linspace(BOX[1], BOX[3], rows + 1)
    dx, dy = (xs[1] - xs[0]) * 0.25, (ys[1] - ys[0]) * 0.25
    nodes = {}
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            inner = 0 < i < cols and 0 < j < rows
            nodes[i, j] = (x + (rng.uniform(-dx, dx) if inner else 0), y + (rng.uniform(-dy, dy) if inner else 0))
    cells = []
    for i in range(cols):
        for j in range(rows):
            ring = [nodes[i, j], nodes[i + 1, j], nodes[i + 1, j + 1], nodes[i, j + 1], nodes[i, j]]
            poly = shapely.Polygon(ring)
            step = poly.length / 4 / vertices_per_edge
            cells.append(shapely.segmentize(poly, step))  # shared edges get the same vertices
            if len(cells) == n:
                return cells
    return cells


def make(folder: Path, scale: int, *, events_scale: int | None = None, seed: int = 1828) -> Path:
    """Write a synthetic geodata folder at ``scale`` × the real data's units (and events, unless ``events_scale``)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("zones.geojson", "countries.geojson", "places.yaml"):
        shutil.copy(GEODATA / name, folder / name)
    real = yaml.safe_load((GEODATA / "events.yaml").read_text(encoding="utf-8"))
    events_scale = scale if events_scale is None else events_scale
    n_units, n_events = 24 * scale, 22 * events_scale
    cells = _grid(n_units, 60, rng)
    feats = []
    for k, cell in enumerate(cells):
        coords = [[round(x, 4), round(y, 4)] for x, y in shapely.get_coordinates(shapely.orient_polygons(cell))]
        props = {"id": f"unit-{k:05d}", "name": f"Unit {k}", "name_fa": None, "name_ru": None,
                 "derivation": "Synthetic grid cell (benchmark)", "sources": ["bench/synthetic.py"]}
        feats.append({"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [coords]}})
    (folder / "units.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")

    holders = {f["properties"]["id"]: rng.choice(["persia", "russia"]) for f in feats}
    baseline = {uid: {"holder": h} for uid, h in holders.items()}
    zone_events = [e for e in real["events"] if any("begin" in x or "end" in x for x in e.get("effects", []))]
    events, day = [], dt.date(1600, 1, 1)
    for n in range(n_events):
        day += dt.timedelta(days=rng.randint(1, 5000 // events_scale))
        date = day.isoformat()
        moved = rng.sample(sorted(holders), k=min(len(holders), rng.randint(1, 4)))
        effects = []
        for uid in moved:
            to = "russia" if holders[uid] == "persia" else "persia"
            effects.append({"transfer": [uid], "kind": "cession" if to == "russia" else "return", "from": holders[uid], "to": to})
            holders[uid] = to
        events.append({"id": f"event-{n:05d}", "title": f"Synthetic event {n}", "kind": "treaty", "date": date,
                       "summary": "A synthetic event for the benchmark. " * 3, "sources": [{"title": "bench"}],
                       "effects": effects})
    # keep the real zones' begin/end pairs so zones are drawn too: attach them to the last events in order
    ops = [x for e in zone_events for x in e["effects"] if "begin" in x or "end" in x]
    for i, op in enumerate(ops):
        events[len(events) - len(ops) + i]["effects"].append({k: v for k, v in op.items() if k in ("begin", "end")})
    doc = {"polities": real["polities"], "baseline": {"note": "synthetic", "holders": baseline}, "events": events}
    (folder / "events.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    places = yaml.safe_load((folder / "places.yaml").read_text(encoding="utf-8"))
    for p in places["places"]:
        p["roles"] = [r for r in p.get("roles", []) if "event" not in r]
    (folder / "places.yaml").write_text(yaml.safe_dump(places, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder
