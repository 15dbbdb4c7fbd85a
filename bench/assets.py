"""Local copies of the scripts and styles folium links from CDNs, for measuring baselines offline.

Leaflet and jQuery come from the xstatic PyPI packages; the rest is fetched once from the npm
registry with ``npm pack`` into ``outputs/bench/cache`` (the benchmark may use the network; the
tests never do). An address with no local copy is answered with an empty body and reported.
"""
from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

import xstatic.pkg.jquery as xjquery
import xstatic.pkg.leaflet as xleaflet

NPM = {  # file name in a CDN address -> (npm package@version, path inside the package)
    "bootstrap.bundle.min.js": ("bootstrap@5.2.2", "dist/js/bootstrap.bundle.min.js"),
    "bootstrap.min.css": ("bootstrap@5.2.2", "dist/css/bootstrap.min.css"),
    "leaflet.awesome-markers.js": ("leaflet.awesome-markers@2.0.5", "dist/leaflet.awesome-markers.js"),
    "leaflet.awesome-markers.css": ("leaflet.awesome-markers@2.0.5", "dist/leaflet.awesome-markers.css"),
    "all.min.css": ("@fortawesome/fontawesome-free@6.2.0", "css/all.min.css"),
    "iso8601.min.js": ("iso8601-js-period@0.2.1", "iso8601.js"),  # the package ships no minified copy
    "leaflet.timedimension.min.js": ("leaflet-timedimension@1.1.1", "dist/leaflet.timedimension.min.js"),
    "leaflet.timedimension.control.css": ("leaflet-timedimension@1.1.1", "dist/leaflet.timedimension.control.css"),
    "moment.min.js": ("moment@2.18.1", "min/moment.min.js"),
    "jquery-ui.min.js": ("jquery-ui-dist@1.13.2", "jquery-ui.min.js"),
}


def _npm_file(cache: Path, spec: str, inner: str) -> bytes | None:
    folder = cache / spec.replace("/", "_").replace("@", "_")
    if not folder.exists():
        folder.mkdir(parents=True)
        try:
            r = subprocess.run(["npm", "pack", spec, "--silent"], cwd=folder, capture_output=True, text=True, timeout=120)
            tgz = folder / r.stdout.strip().splitlines()[-1]
            with tarfile.open(tgz) as t:
                t.extractall(folder, filter="data")
        except Exception:  # noqa: BLE001 - no npm, no network: serve an empty body instead
            return None
    f = folder / "package" / inner
    return f.read_bytes() if f.exists() else None


def local_copy(url: str, cache: Path) -> tuple[bytes, str] | None:
    """Return (body, content type) for a CDN address, or None if there is no local copy."""
    name = url.rsplit("/", 1)[-1].split("?")[0]
    ctype = "text/css" if name.endswith(".css") else "application/javascript"
    if name in ("leaflet.js", "leaflet.css"):
        return (Path(xleaflet.BASE_DIR) / name).read_bytes(), ctype
    if "/leaflet@" in url and name.endswith(".png") and (Path(xleaflet.BASE_DIR) / "images" / name).exists():
        return (Path(xleaflet.BASE_DIR) / "images" / name).read_bytes(), "image/png"
    if name.startswith("jquery") and name.endswith(".min.js") and "ui" not in name:
        files = sorted(Path(xjquery.BASE_DIR).glob("jquery*.min.js"))
        return files[0].read_bytes(), ctype
    if name in NPM:
        body = _npm_file(cache, *NPM[name])
        return (body, ctype) if body is not None else None
    return None
