"""Embedding from any site: a host page on another origin drives the atlas in an iframe by postMessage.

Two local web servers on different ports are two origins: the atlas (``index.html`` and
``maps/``) on one, a host page on the other. In headless Chromium the host cannot touch the
frame's ``window.mapperAtlas`` (the browser refuses: cross-origin), but it hears
``mapper:ready`` and a ``mapper:step`` for every step, and its ``mapper:go`` / ``mapper:next`` /
``mapper:prev`` messages move the map. Everything but the two local servers is blocked.
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from mapper.timeline import steps

pytestmark = pytest.mark.browser

HOST_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A host page</title></head>
<body>
<h1>Somebody's article</h1>
<iframe id="atlas" src="{src}" width="900" height="600" title="Iran–Russia atlas"></iframe>
<script>
  window.heard = [];
  window.addEventListener("message", function (e) {{
    if (e.data && typeof e.data.type === "string" && e.data.type.indexOf("mapper:") === 0)
      window.heard.push({{origin: e.origin, data: e.data}});
  }});
  function send(msg) {{ document.getElementById("atlas").contentWindow.postMessage(msg, "*"); }}
</script>
</body></html>
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


def _serve(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def site(en_site):
    """The English atlas and its maps (what an embed shows)."""
    return en_site


@pytest.fixture(scope="module")
def origins(site, tmp_path_factory):
    host = tmp_path_factory.mktemp("embed-host")
    atlas_server, atlas_origin = _serve(site)
    host_server, host_origin = _serve(host)
    assert atlas_origin != host_origin
    yield host, atlas_origin, host_origin
    atlas_server.shutdown()
    host_server.shutdown()


@pytest.fixture
def host(browser, origins):
    folder, atlas_origin, host_origin = origins
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    allowed = (atlas_origin, host_origin)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(allowed) else route.abort())
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))

    def open_host(src: str):
        name = f"host-{abs(hash(src))}.html"
        (folder / name).write_text(HOST_PAGE.format(src=atlas_origin + src), encoding="utf-8")
        pg.goto(f"{host_origin}/{name}")
        pg.wait_for_function("window.heard.some(m => m.data.type === 'mapper:ready')", timeout=20000)
        return pg

    yield open_host, atlas_origin
    context.close()


def _steps(pg) -> list[dict]:
    return [m["data"] for m in pg.evaluate("window.heard") if m["data"]["type"] == "mapper:step"]


def _wait_step(pg, event_id: str) -> dict:
    pg.wait_for_function(f"window.heard.some(m => m.data.type === 'mapper:step' && m.data.event === {event_id!r})",
                         timeout=10000)
    return [s for s in _steps(pg) if s["event"] == event_id][-1]


def test_host_on_another_origin_drives_the_atlas(atlas, host):
    open_host, atlas_origin = host
    pg = open_host("/index.html")
    all_steps = steps(atlas)
    # the browser keeps the two origins apart: no direct access to the atlas's API
    blocked = pg.evaluate("""() => { try { return !document.getElementById('atlas').contentWindow.mapperAtlas; }
                                     catch (e) { return e.name; } }""")
    assert blocked == "SecurityError"
    heard = pg.evaluate("window.heard")
    ready = next(m for m in heard if m["data"]["type"] == "mapper:ready")
    assert ready["origin"] == atlas_origin
    assert ready["data"]["events"] == [st.event.id for st in all_steps]
    first = _wait_step(pg, all_steps[0].event.id)
    assert first["index"] == 0 and first["title"] == all_steps[0].event.title

    pg.evaluate("send({type: 'mapper:go', event: 'turkmenchay-1828'})")
    k = next(st.index for st in all_steps if st.event.id == "turkmenchay-1828")
    got = _wait_step(pg, "turkmenchay-1828")
    assert got == {"type": "mapper:step", "event": "turkmenchay-1828", "index": k, "title": "Treaty of Turkmenchay",
                   "date": got["date"]} and "1828" in got["date"]
    frame = pg.frame_locator("#atlas")
    assert "Turkmenchay" in frame.locator("body").inner_text()

    pg.evaluate("send({type: 'mapper:next'})")
    assert _wait_step(pg, all_steps[k + 1].event.id)["index"] == k + 1
    pg.evaluate("send({type: 'mapper:prev'}); send({type: 'mapper:prev'})")
    assert _wait_step(pg, all_steps[k - 1].event.id)["index"] == k - 1
    pg.evaluate("send({type: 'mapper:go', event: 'no-such-event'}); send({type: 'nonsense'}); send('text')")
    pg.wait_for_timeout(600)
    assert _steps(pg)[-1]["event"] == all_steps[k - 1].event.id  # unknown commands change nothing
    assert not pg.errors


def test_steps_taken_inside_the_frame_are_told_to_the_host(atlas, host):
    """A reader's own clicks in the frame (not the host's commands) reach the host too."""
    open_host, _ = host
    pg = open_host("/index.html#gulistan-1813")
    _wait_step(pg, "gulistan-1813")  # the #event-id route opens that step
    all_steps = steps(atlas)
    k = next(st.index for st in all_steps if st.event.id == "gulistan-1813")
    pg.frame_locator("#atlas").locator("#atlas-next").click()  # the reader's own "next" button in the frame
    assert _wait_step(pg, all_steps[k + 1].event.id)["index"] == k + 1


def test_per_event_map_says_ready_and_its_step(atlas, host):
    open_host, _ = host
    pg = open_host("/maps/turkmenchay-1828.html")
    ready = next(m["data"] for m in pg.evaluate("window.heard") if m["data"]["type"] == "mapper:ready")
    assert ready["events"] == ["turkmenchay-1828"]
    assert _wait_step(pg, "turkmenchay-1828")["index"] == 0


def test_top_level_page_posts_nothing(site, browser):
    """Opened directly (no parent frame), the page runs as before: no listeners, no messages."""
    context = browser.new_context()
    context.route("http*://**/*", lambda route: route.abort())
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.add_init_script("window.__posted = 0; const _pm = window.postMessage.bind(window);"
                       "window.postMessage = function () { window.__posted++; return _pm.apply(null, arguments); };")
    pg.goto((site / "index.html").as_uri())
    pg.wait_for_function("window.mapperAtlas !== undefined")
    pg.evaluate("window.mapperAtlas.next()")
    pg.wait_for_timeout(400)
    assert pg.evaluate("window.__posted") == 0 and not errors
    context.close()
