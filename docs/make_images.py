"""Make the README's pictures again from the current data and code, so that they show what a build shows.

Run from the repository root after a change that shows in them:  python docs/make_images.py
Writes ``docs/atlas.png`` (the atlas page at the Treaty of Gulistan, 1280×800, opened in headless Chromium:
``apt-get install chromium``; ``MAPPER_CHROMIUM`` names another), ``docs/overview.png`` and
``docs/territory.png`` (the print figures at page size, 17 cm, at 150 dpi). Never part of the tests or the build.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import mapper
from mapper.chromium import ARGS, CHROMIUM
from mapper.web import write_html

DOCS = Path(__file__).resolve().parent
STEP = "gulistan-1813"  # the step the README's first picture shows


def atlas_picture(atlas: mapper.Atlas, path: Path) -> None:
    """The English atlas page at :data:`STEP`, as a reader on a laptop first sees it (reduced motion, offline)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="mapper-docs-") as tmp, sync_playwright() as p:
        write_html(atlas, Path(tmp), cdn=False, languages=("en",))
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
        page.route("http*://**/*", lambda route: route.abort())
        page.goto((Path(tmp) / "index.html").as_uri() + "#" + STEP)
        page.wait_for_function("window.mapperAtlas !== undefined && mapperAtlas.current() === '%s'" % STEP)
        page.wait_for_timeout(300)  # the labels placed after the step's frame
        page.screenshot(path=str(path))
        browser.close()


def main() -> None:
    atlas = mapper.load()
    for name in ("overview", "territory"):
        print("wrote", mapper.save_figure(atlas, name, DOCS / f"{name}.png", size="page", dpi=150))
    atlas_picture(atlas, DOCS / "atlas.png")
    print("wrote", DOCS / "atlas.png")


if __name__ == "__main__":
    main()
