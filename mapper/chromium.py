"""Headless Chromium as the tests, the benches and docs/make_images.py launch it (the package itself never does)."""
from __future__ import annotations

import os

#: The browser: Debian's ``apt-get install chromium``, or the one the environment variable ``MAPPER_CHROMIUM`` names.
CHROMIUM = os.environ.get("MAPPER_CHROMIUM", "/usr/bin/chromium")
#: Its flags: headless, no sandbox (containers), no GPU, and none of its own network traffic.
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
