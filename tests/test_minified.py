"""The committed minified engine (mapper/web/assets/minified.json) is what the minifier makes of today's scripts."""
from __future__ import annotations

from mapper.web import minify
from mapper.web.page import INLINE_SCRIPTS, asset


def test_the_committed_minified_scripts_are_current():
    committed = minify.committed()
    stale = [name for name in INLINE_SCRIPTS if minify._sha256(asset(name)) not in committed]
    assert stale == [], f"run `python -m mapper.web.minify` after editing {', '.join(stale)}"
    assert len(committed) == len(set(map(asset, INLINE_SCRIPTS)))  # nothing left over from older scripts
    for name in INLINE_SCRIPTS:  # and each is exactly what calmjs.parse makes of its source today
        assert committed[minify._sha256(asset(name))] == minify.minify_script(asset(name)), name


def test_a_script_without_a_committed_copy_is_minified_on_the_spot():
    src = "function add(first, second) { /* a comment */ return first + second; }\n"
    assert minify.script(src) == minify.minify_script(src) == "function add(b,a){return b+a;}\n"
