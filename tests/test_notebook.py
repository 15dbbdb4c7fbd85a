"""Notebooks: the atlas in Jupyter, run for real with nbclient (a fresh kernel, no network needed).

A notebook adds a plain ``folium.Marker`` to ``folium_map()``, calls ``GeoDataFrame.explore()`` on
a state frame and shows the atlas itself. The map cell's output is then opened in headless
Chromium with every http(s) request blocked: the atlas draws and the marker's icon, a ``data:``
image, loads.
"""
from __future__ import annotations

import json

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

CELLS = [
    "import folium\nimport mapper\natlas = mapper.load()\natlas",
    "m = mapper.folium_map(atlas)\nfolium.Marker([35.6944, 51.4215], tooltip='Tehran').add_to(m)\nm",
    "frame = mapper.state_frame(atlas, '1830-01-01')\nexplored = frame.explore(column='holder')\n"
    "print(type(explored).__module__, type(explored).__name__)",
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in CELLS])
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path_factory.mktemp("nb"))}})
    client.execute()
    return nb


def _html(cell) -> str:
    return next(o["data"]["text/html"] for o in cell["outputs"] if "text/html" in o.get("data", {}))


def test_notebook_runs_and_shows_the_atlas_summary(executed):
    errors = [o for c in executed.cells for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, json.dumps(errors)[:2000]
    summary = _html(executed.cells[0])
    assert "Iran and Russia" in summary and "34 units" in summary and "72 events" in summary


def test_explore_works(executed):
    out = "".join(o.get("text", "") for o in executed.cells[2]["outputs"])
    assert "folium.folium Map" in out  # GeoDataFrame.explore() returned a folium map (mapclassify installed)


def test_folium_leaflet_is_inlined(executed):
    html = _html(executed.cells[1])
    assert "cdn.jsdelivr.net/npm/leaflet@" not in html  # Leaflet travels with the map
    assert "data:text/javascript;base64," in html and "data:text/css;base64," in html


@pytest.mark.browser
def test_marker_icon_loads_offline_in_chromium(executed, browser, tmp_path):
    path = tmp_path / "output.html"
    path.write_text("<!DOCTYPE html><html><body>" + _html(executed.cells[1]) + "</body></html>", encoding="utf-8")
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    blocked: list[str] = []
    context.route("http*://**/*", lambda route: (blocked.append(route.request.url), route.abort()))
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(path.as_uri())
    frame = next(f for f in pg.frames if f != pg.main_frame)  # folium shows its map in an iframe
    frame.wait_for_function("window.mapperAtlas !== undefined", timeout=20000)
    frame.wait_for_function("() => { const i = document.querySelector('img.leaflet-marker-icon');"
                            " return i && i.complete && i.naturalWidth > 0; }", timeout=10000)
    icon = frame.evaluate("""() => { const i = document.querySelector('img.leaflet-marker-icon');
                                     return {src: i.src.slice(0, 22), w: i.naturalWidth, h: i.naturalHeight}; }""")
    assert icon == {"src": "data:image/png;base64,", "w": 25, "h": 41}
    shadow = frame.evaluate("document.querySelector('img.leaflet-marker-shadow').naturalWidth")
    assert shadow == 41
    assert frame.locator("path[data-unit]").count() == 34  # the atlas drew too
    assert not errors, errors  # only folium's optional extras (jQuery, Bootstrap, Awesome Markers) were blocked
    assert not any("leaflet@" in u for u in blocked)
    pg.screenshot(path=str(tmp_path / "notebook.png"))  # looked at once: the atlas with the Tehran marker
    context.close()


def test_folium_map_in_another_language(atlas):
    """``folium_map(atlas, lang="ru")``: the payload in Russian (titles, names, words); Persian brings its font."""
    from mapper.errors import MapperError
    from mapper.web import folium_map

    ru = folium_map(atlas, "gulistan-1813", lang="ru").get_root().render()
    assert '"lang":"ru"' in ru and "Гюлистанский мирный договор" in ru and "12 октября 1813" in ru
    assert "\"title\":\"Treaty of Gulistan\"" not in ru and "Vazirmatn" not in ru
    fa = folium_map(atlas, "gulistan-1813", lang="fa").get_root().render()
    assert '"lang":"fa"' in fa and "عهدنامهٔ گلستان" in fa and "۲ آبان ۱۱۹۲" in fa and "font-family: \"Vazirmatn\"" in fa
    with pytest.raises(MapperError, match="unknown language 'de'"):
        folium_map(atlas, lang="de")
