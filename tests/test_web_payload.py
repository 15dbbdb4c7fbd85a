"""The page payload is the contract with the engine: named fields, every one read by the JS, safe in a page."""
from __future__ import annotations

import dataclasses
import json
import re

from mapper.web.data import atlas_payload, event_payload
from mapper.web.page import ENGINE, asset, template_source
from mapper.web.payload import Payload, field_names, to_json


def engine_source() -> str:
    return "\n".join(asset(name) for name in ENGINE)


def keys(value) -> set[str]:
    """Return every key of every object in a JSON value."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def test_the_js_reads_every_field_of_the_payload():
    js = engine_source()
    unread = sorted(f for f in field_names(Payload) if not re.search(r"\.%s\b" % re.escape(f), js))
    assert unread == []


def test_the_json_has_exactly_the_fields_of_the_records(atlas):
    """The JSON's keys are the records' fields; a member that is None or False is left out (the English
    page sends no English name beside the name, no empty Old Style date), and nothing else is."""
    payload = atlas_payload(atlas)
    doc = json.loads(to_json(payload))
    # keys of mappings keyed by data (holder codes, zone kinds) aside, the JSON's keys are the fields
    # (the words are a table by message key: checked apart, by test_every_text_of_the_engine_is_in_the_words)
    data_keys = set(payload.style.holders) | set(payload.style.zones) | {k for st in payload.steps for k in st.claims}
    assert set(doc.pop("words")) == set(payload.words)
    seen = keys(doc) - data_keys | {"words"}
    assert seen <= field_names(Payload)
    omitted = field_names(Payload) - seen  # never anything but None or False in this payload
    assert "name_en" in omitted and "date_local" in omitted and "holder_name" not in omitted
    values = {f.name: getattr(r, f.name) for rs in (payload.units, payload.zones, payload.places, payload.events, payload.base)
              for r in rs for f in dataclasses.fields(r) if f.name in omitted}
    assert set(map(repr, values.values())) <= {"None", "False"}, values
    fa = json.loads(to_json(atlas_payload(atlas, "fa")))
    assert fa["units"][0]["name_en"] == atlas.units[0].name and fa["events"][-1]["date_local"]
    one = json.loads(to_json(event_payload(atlas, 5)))
    assert one["embed"] is True and len(one["steps"]) == 1 and one["steps"][0]["event"] == atlas.events[5].id
    assert doc["steps"][0]["labels"] == [] or "above" not in doc["steps"][0]["labels"][0] or doc["steps"][0]["labels"][0]["above"]


def test_wikipedia_links_travel_as_their_titles(atlas):
    """A source whose link is the Wikipedia article its title names carries ``wiki`` instead of the address;
    written back as the engine writes it (encodeURI), it is the data's address."""
    from urllib.parse import quote

    payload = atlas_payload(atlas)
    by_title = {(e.id, s.title): s.url for e in atlas.events for s in e.sources}
    wiki = [(e.id, s) for e in payload.events for s in e.sources or [] if s.wiki]
    assert len(wiki) > 40 and all(s.url is None for _, s in wiki)
    for eid, s in wiki:
        article = s.title.split(": ", 1)[1].replace(" ", "_")
        assert "https://en.wikipedia.org/wiki/" + quote(article, safe=";,/?:@&=+$!*'()#") == by_title[(eid, s.title)]


def test_records_refer_to_each_other_by_id(atlas):
    p = atlas_payload(atlas)
    units, zones, events = {u.id for u in p.units}, {z.id for z in p.zones}, {e.id for e in p.events}
    places = {pl.id for pl in p.places}
    for st in p.steps:
        assert st.event in events
        assert {c.unit for c in st.changes} <= units
        assert set(st.zones) | set(st.zones_begun) | set(st.zones_ended) <= zones
        assert {c.to_holder for c in st.changes} | {lab.holder for lab in st.labels} <= {"persia", "russia", "other"}
    assert {h.unit for h in p.base} == units
    assert {e.place_id for e in p.events if e.place_id} <= places
    assert {u for z in p.zones for u in z.units} <= units


def test_to_json_is_safe_in_a_script_and_in_a_template():
    text = to_json({"a": "</script><!-- {{ 7*7 }} {% x %} {# c #} & \u2028", "b": {"c": {}}})
    for bad in ("</", "<!--", "{{", "{%", "{#", "&", "\u2028"):
        assert bad not in text, bad
    assert json.loads(text) == {"a": "</script><!-- {{ 7*7 }} {% x %} {# c #} & \u2028", "b": {"c": {}}}
    assert dataclasses.is_dataclass(Payload)


def test_engine_and_styles_hold_nothing_a_template_engine_would_evaluate():
    # folium (branca) compiles rendered macros again as Jinja templates: the engine must pass through unchanged
    from mapper.web.styles import css_variables

    for text in (engine_source(), asset("atlas.css"), css_variables()):
        assert not re.search(r"\{[{%#]", text)


def test_every_engine_file_opens_with_a_comment_naming_its_concern():
    for name in ENGINE:
        assert asset(name).startswith(f"/* mapper atlas engine, {name}: "), name
    assert "mapperAtlasInit" in template_source("folium.js.j2")


def test_the_stylesheet_reads_its_colours_from_the_palette_variables():
    from mapper.web.styles import css_variables

    css, root = asset("atlas.css"), css_variables()
    assert set(re.findall(r"#[0-9a-fA-F]{3,6}\b", css)) <= {"#fff"}  # only white is literal
    used = set(re.findall(r"var\(--([\w-]+)\)", css)) - {"k"}  # (--k: the zoom's scale, written by fixedsvg.js)
    defined = set(re.findall(r"--([\w-]+):", root))
    own = set(re.findall(r"--([\w-]+):", css))  # the stylesheet's own sizes (--thumb), none a colour
    assert not own & defined and all("#" not in v for v in re.findall(r"--[\w-]+:\s*([^;]+);", css))
    assert used and used <= defined | own, used - defined - own


def test_every_text_of_the_engine_is_in_the_words(atlas):
    """The script names its sentences by key (t("key"), tn("key", n)); every key is in the payload's words,
    and no English sentence is written in the script itself."""
    js = engine_source()
    words = atlas_payload(atlas).words
    used = set(re.findall(r"\bt\(\s*\"([\w.]+)\"", js)) | set(re.findall(r"\btn\(\s*\"([\w.]+)\"", js))
    used |= {k for pair in re.findall(r"t\(\s*[\w.\[\]]+\s*\?\s*\"(\w+)\"\s*:\s*\"(\w+)\"", js) for k in pair}
    used = {k for k in used if not k.endswith(".")}  # a prefix ("event." + kind), checked below
    assert used and used <= set(words), sorted(used - set(words))
    # prefixed keys: every event kind, holder, zone kind and change kind of the data has its text
    assert {f"event.{e.kind}" for e in atlas.events} <= set(words)
    # no sentence in the script: a quoted string of three or more words starting with a capital letter
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', "\n".join(l for l in js.splitlines() if not l.lstrip().startswith(("*", "/*", "//"))))
    english = [s for s in strings if re.match(r"^[A-Z][a-z]+( [a-z]+){2,}", s)]
    assert english == []


def test_web_borders_stay_within_a_km_and_each_shared_border_is_embedded_once(atlas):
    """The topology's units and zones stay within 1 km of the committed geometry (Hausdorff distance,
    east-west degrees taken at the shape's southern edge, so never shorter than they are), and a border
    between two units is one arc, walked forwards by one and backwards by the other."""
    import numpy as np
    import shapely

    from mapper.web.shapes import _unvarints, web_shapes, web_topology

    def km(a, b):
        c = np.cos(np.radians(min(a.bounds[1], b.bounds[1])))
        def f(g):
            return shapely.transform(g, lambda xy: xy * [c * 111.32, 111.32])
        return shapely.hausdorff_distance(f(a), f(b), densify=0.5)

    shapes = web_shapes(atlas)
    far = {r.id: round(km(r.geometry, web), 2) for layer, drawn in ((atlas.units, shapes.units), (atlas.zones, shapes.zones))
           for r in layer if km(r.geometry, web := drawn[r.id]) > 1.0}
    assert far == {}
    topo = web_topology(atlas)
    uses: dict[int, list[int]] = {}
    for geometry in topo.units.values():
        for poly in geometry:
            for ring in poly:
                for ref in _unvarints(ring):
                    uses.setdefault(ref if ref >= 0 else ~ref, []).append(ref)
    shared = [refs for refs in uses.values() if len(refs) > 1]
    assert len(shared) > len(atlas.units)  # neighbours share their borders
    assert all(len(refs) == 2 and (refs[0] >= 0) != (refs[1] >= 0) for refs in shared)


def test_a_change_label_written_above_its_land_stands_on_that_lands_edge(atlas):
    """A label too big for its land is written above it, anchored where a line due north from the land's label
    point leaves the land; a leader drawn to the anchor points at that land. (The anchor was the top of the land's
    bounding box plus 0.15°: all 40 such anchors lay 0.1° to 1.1° off their land, Gulistan's recognised conquests
    in Dagestan, ceded at the same step.)"""
    import shapely

    from mapper.timeline import steps
    from mapper.words import Words

    w, by_id = Words("en", atlas), {st.event.id: st for st in steps(atlas)}
    above = 0
    for st in atlas_payload(atlas).steps:
        for label in st.labels:
            land = shapely.union_all([atlas.unit(c.unit).geometry for c in by_id[st.event].changes
                                      if w.change_caption(c) == label.title])
            anchor = shapely.Point(label.lon, label.lat)
            if label.above:
                above += 1
                assert land.distance(anchor) < 0.05, (st.event, label.title)
            else:
                assert land.contains(anchor), (st.event, label.title)
    assert above >= 20
