"""What a folium user would build from the same slices, for comparison with the atlas.

(a) ``layers``: one ``folium.GeoJson`` layer per step at the slices' full precision, in one map
    with a layer switch (only the first step shown);
(b) ``timestamped``: folium's own time plugin, ``TimestampedGeoJson``, one feature per unit and
    step with that step's time.

Both link their scripts from CDNs, as folium does by default; the browser measurement serves
those addresses from local copies (see ``assets``).
"""
from __future__ import annotations

from pathlib import Path

import folium
from folium.plugins import TimestampedGeoJson

from mapper.exports import slice_collection
from mapper.model import Atlas
from mapper.timeline import steps

COLOURS = {"persia": "#2a9d8f", "russia": "#c0392b", "other": "#c8b38a"}


def _style(feature):
    p = feature["properties"]
    if p["layer"] == "zone":
        return {"color": "#333", "weight": 1, "fillOpacity": 0.1, "dashArray": "4"}
    return {"fillColor": COLOURS[p["holder"]], "color": "#555", "weight": 1, "fillOpacity": 0.7}


def layers_baseline(atlas: Atlas, path: Path) -> Path:
    """Write baseline (a): one GeoJson layer per step with a LayerControl."""
    m = folium.Map(location=[37, 50], zoom_start=5, tiles=None)
    for i, st in enumerate(steps(atlas)):
        doc = slice_collection(atlas, st.state)
        layer = folium.GeoJson(doc, name=st.event.title, style_function=_style, show=(i == 0),
                               tooltip=folium.GeoJsonTooltip(["name", "holder"]) if i == 0 else None)
        layer._id = f"step{i}"
        layer.add_to(m)
    folium.LayerControl().add_to(m)
    m.save(str(path))
    return path


def timestamped_baseline(atlas: Atlas, path: Path) -> Path:
    """Write baseline (b): TimestampedGeoJson with each step's features at that step's date."""
    feats = []
    for st in steps(atlas):
        day = st.event.date.date
        when = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
        for f in slice_collection(atlas, st.state)["features"]:
            p = f["properties"]
            style = _style(f)
            feats.append({"type": "Feature", "geometry": f["geometry"],
                          "properties": {"times": [when], "style": style, "popup": p["name"]}})
    m = folium.Map(location=[37, 50], zoom_start=5, tiles=None)
    TimestampedGeoJson({"type": "FeatureCollection", "features": feats}, period="P1D", duration="P1D",
                       auto_play=False, add_last_point=False).add_to(m)
    m.save(str(path))
    return path


def event_time_ms(event) -> int:
    """Return the event's date as JavaScript milliseconds since 1970 (proleptic Gregorian, UTC)."""
    import datetime as dt

    return (event.date.date - dt.date(1970, 1, 1)).days * 86_400_000
