"""The one palette: colours stay apart for readers with deuteranopia, text is readable, CSS carries it all."""
from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from mapper import style
from mapper.words import CHANGE_KINDS, HOLDERS, ZONE_KINDS

# Machado, Oliveira & Fernandes (2009): deuteranopia (severity 1.0) as a matrix on linear sRGB.
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968],
                         [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]])


def _rgb(hex_: str) -> np.ndarray:
    return np.array([int(hex_[i:i + 2], 16) / 255 for i in (1, 3, 5)])


def _linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _gamma(c: np.ndarray) -> np.ndarray:
    c = np.clip(c, 0, 1)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055)


def _lab(rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ _linear(rgb)
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def deuteranopia_distance(a: str, b: str) -> float:
    """CIE76 colour difference of two colours as a reader with deuteranopia sees them."""
    sim = [_gamma(DEUTERANOPIA @ _linear(_rgb(c))) for c in (a, b)]
    return float(np.linalg.norm(_lab(sim[0]) - _lab(sim[1])))


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio."""
    la, lb = (float(np.array([0.2126, 0.7152, 0.0722]) @ _linear(_rgb(c))) for c in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def test_the_simulation_tells_red_from_green_apart_only_in_lightness():
    assert deuteranopia_distance("#cc3333", "#33aa33") < 25 < deuteranopia_distance("#1d3f8f", "#d08c00")


def test_holder_fills_stay_apart_with_deuteranopia():
    fills = {h: s.fill for h, s in style.HOLDERS.items()} | {"land": style.LAND, "sea": style.SEA}
    for (a, ca), (b, cb) in itertools.combinations(fills.items(), 2):
        if {a, b} == {"land", "sea"}:
            continue
        assert deuteranopia_distance(ca, cb) >= 20, (a, b)


def test_zones_in_force_together_stay_apart_with_deuteranopia(atlas):
    from mapper.timeline import steps

    together = {frozenset(atlas.zone(z).kind for z in st.state.zones) for st in steps(atlas)}
    for kinds in together:
        for a, b in itertools.combinations(sorted(kinds), 2):
            ca, cb = style.ZONES[a].colour, style.ZONES[b].colour
            if ca != cb:  # kinds of one power share its colour and differ in hatch and dashes
                assert deuteranopia_distance(ca, cb) >= 20, (a, b)
            else:
                assert (style.ZONES[a].hatch, style.ZONES[a].line.dash) != (style.ZONES[b].hatch, style.ZONES[b].line.dash)


def test_holder_text_colours_are_readable_on_the_page():
    for h, s in style.HOLDERS.items():
        assert contrast(s.text, style.UI["paper"]) >= 4.5, h
        assert contrast(s.text, "#ffffff") >= 4.5, h


def test_every_vocabulary_has_a_style():
    assert set(style.HOLDERS) == set(HOLDERS)
    assert set(style.ZONES) == set(ZONE_KINDS)
    assert "cession" in CHANGE_KINDS


def test_css_variables_carry_the_palette():
    css = style.css_variables()
    assert css.startswith(":root {") and css.rstrip().endswith("}")
    props = dict(re.findall(r"--([a-z0-9-]+): ([^;]+);", css))
    assert props["holder-russia"] == style.HOLDERS["russia"].fill
    assert props["zone-british-occupation"] == style.ZONES["british_occupation"].colour
    assert props["sea"] == style.SEA and props["land"] == style.LAND and props["ink"] == style.UI["ink"]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", v) for k, v in props.items() if k != "font-sans")


@pytest.mark.parametrize("hatch, mpl, rotate", [
    (style.Hatch((45,)), "//", "rotate(45)"), (style.Hatch((135,)), "\\\\", "rotate(135)"),
    (style.Hatch((0,)), "--", "rotate(90)"), (style.Hatch((90,)), "||", None),
    (style.Hatch((45, 135)), "xx", "rotate(45)"), (style.Hatch((0, 90)), "++", "rotate(90)"),
    (style.Hatch(dots=True), "..", None),
])
def test_a_hatch_is_the_same_on_the_web_and_in_print(hatch, mpl, rotate):
    assert hatch.mpl() == mpl
    svg = style.svg_pattern("p", hatch, "#123456")
    assert ('patternTransform="rotate' in svg) == (rotate is not None)
    if rotate:
        assert rotate in svg
    assert svg.count("<line") == (0 if hatch.dots else len(hatch.angles))


def test_line_styles_for_both_media():
    occ = style.ZONES["soviet_occupation"].line
    assert occ.dasharray == "10 3 2 3" and occ.mpl_linestyle == (0, (10, 3, 2, 3))
    assert style.ZONES["republic_of_mahabad"].line.mpl_linestyle == "-"
