"""The HTML assessment report: self-contained, complete, coloured by sign, in two languages.

The fixture tests/data/assessment_sample.json is a hand-made assessment (illustrative
numbers, not model output) in the shape of ``Assessment.to_json()``: 57 states, two
Iskander-M sites, three readings with different verdicts.
"""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from pyproj import Geod

from indivisible.errors import InputError
from indivisible.report import (
    LANGUAGES,
    contribution_bars,
    delta_colour,
    map_svg,
    render_assessment_html,
)
from indivisible.report.charts import most_affected
from indivisible.report.labels import UI, labels
from indivisible.report.maps import NEUTRAL, range_ring, vmax_of

SAMPLE = Path(__file__).parent / "data" / "assessment_sample.json"


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def doc_en(data: dict) -> str:
    return render_assessment_html(data)


@pytest.fixture(scope="module")
def doc_fr(data: dict) -> str:
    return render_assessment_html(data, lang="fr")


def _luminance(hex_colour: str) -> float:
    r, g, b = to_rgb(hex_colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _state(data: dict, iso3: str) -> dict:
    return next(s for s in data["states"] if s["iso3"] == iso3)


# ------------------------------------------------------------------ colour function


def test_delta_colour_sign_and_neutrality() -> None:
    loss, gain = delta_colour(-0.01, 0.02, 0.001), delta_colour(0.01, 0.02, 0.001)
    lr, _, lb = to_rgb(loss)
    gr, _, gb = to_rgb(gain)
    assert lr > lb + 0.2, loss  # a loss is red
    assert gb > gr + 0.2, gain  # a gain is blue
    for d in (0.0, 0.001, -0.001, 0.0004, -1e-9):
        assert delta_colour(d, 0.02, 0.001) == NEUTRAL
    assert delta_colour(0.01, 0.0, 0.0) == NEUTRAL  # nothing changed anywhere
    assert delta_colour(float("nan"), 0.02, 0.001) == NEUTRAL


def test_delta_colour_darkens_with_magnitude_and_saturates_at_vmax() -> None:
    vmax, eps = 0.02, 0.0005
    for sign in (-1.0, 1.0):
        mags = np.linspace(0.001, vmax, 12)
        lum = [_luminance(delta_colour(sign * m, vmax, eps)) for m in mags]
        assert all(a > b for a, b in zip(lum, lum[1:], strict=False)), lum
        # Beyond the limit the colour does not change (clipped, not wrapped).
        assert delta_colour(sign * 5 * vmax, vmax, eps) == delta_colour(sign * vmax, vmax, eps)


def test_vmax_is_the_largest_change_either_way() -> None:
    assert vmax_of([0.003, -0.02, 0.01, float("nan")]) == 0.02
    assert vmax_of([]) == 0.0


# ------------------------------------------------------------------------- map


def test_map_fills_loser_gainer_and_unchanged_with_their_colours(data: dict) -> None:
    deltas = {s["iso3"]: s["delta"] for s in data["states"]}
    svg = map_svg(deltas, data["sites"], "UKR", actors=data["actors"], epsilon=data["epsilon"])
    vmax = vmax_of(deltas.values())

    def fill(iso3: str) -> str:
        m = re.search(rf'<g id="state-{iso3}">\s*<path [^>]*style="fill: (#[0-9a-f]{{6}})', svg)
        assert m, f"no filled path for {iso3}"
        return m.group(1)

    loser, gainer, flat = "LTU", "RUS", "ESP"
    assert deltas[loser] < -data["epsilon"] and deltas[gainer] > data["epsilon"]
    assert abs(deltas[flat]) <= data["epsilon"]
    assert fill(loser) == delta_colour(deltas[loser], vmax, data["epsilon"])
    assert fill(gainer) == delta_colour(deltas[gainer], vmax, data["epsilon"])
    assert fill(flat) == NEUTRAL
    r, _, b = to_rgb(fill(loser))
    assert r > b
    r, _, b = to_rgb(fill(gainer))
    assert b > r
    # One range circle and one marker per site; states off the frame get a swatch.
    for i in range(len(data["sites"])):
        assert f'id="range-{i}"' in svg and f'id="site-{i}"' in svg
    assert 'id="state-USA-swatch"' in svg and 'id="state-CAN-swatch"' in svg
    assert "Iskander-M · 500 km" in svg


def test_range_ring_is_geodesic_at_the_range() -> None:
    lon, lat = range_ring(21.81557, 54.63345, 500.0)
    assert len(lon) == 181 and lon[0] == lon[-1] and lat[0] == lat[-1]
    _, _, dist = Geod(ellps="WGS84").inv(np.full(lon.size, 21.81557), np.full(lon.size, 54.63345),
                                         lon, lat)
    np.testing.assert_allclose(dist, 500_000.0, atol=1e-3)


def test_map_rejects_bad_sites_and_settings(data: dict) -> None:
    deltas = {"POL": -0.01}
    bad = [dict(data["sites"][0], lat=123.0)]
    with pytest.raises(InputError, match=r"sites\[0\]\.lat"):
        map_svg(deltas, bad)
    with pytest.raises(InputError, match="scenario.crimea"):
        map_svg(deltas, [], crimea="XXX")


# ----------------------------------------------------------------------- chart


def test_contribution_bars_add_up_to_every_change(data: dict) -> None:
    for s in data["states"]:
        bars = contribution_bars(s, top=3)
        assert sum(v for _, v in bars) == pytest.approx(s["delta"], abs=1e-12)
        assert len(bars) <= 4
    # With the rest lumped, the element bars are the largest by magnitude.
    ltu = _state(data, "LTU")
    bars = contribution_bars(ltu, top=2)
    assert bars[-1][0] == "other elements"
    values = sorted((abs(e["value"]) for e in ltu["contributions"]["top_elements"]), reverse=True)
    assert [abs(v) for _, v in bars[:2]] == values[:2]


def test_most_affected_always_explains_the_worst_other_loser(data: dict) -> None:
    chosen = most_affected(data["states"], data["actors"], n=1)
    assert [s["iso3"] for s in chosen] == ["LTU"]  # RUS gains more, but is an actor
    chosen = most_affected(data["states"], data["actors"], n=3)
    assert {s["iso3"] for s in chosen} >= {"RUS", "LTU"}


# ------------------------------------------------------------------- document


def test_document_is_self_contained(doc_en: str) -> None:
    assert doc_en.startswith("<!doctype html>") and doc_en.rstrip().endswith("</html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", doc_en, re.I)
    assert "<script" not in doc_en.lower()
    assert "@import" not in doc_en
    assert not re.search(r"url\((?!#)", doc_en)  # only references inside the page
    assert "<link" not in doc_en.lower()


def test_every_state_is_in_the_table_sorted_by_change(data: dict, doc_en: str) -> None:
    table = doc_en[doc_en.index(labels("en")["states_table"]):]
    codes = re.findall(r"<td><code>([A-Z]{3})</code></td>", table)
    assert sorted(codes) == sorted(s["iso3"] for s in data["states"])
    expected = [s["iso3"] for s in sorted(data["states"], key=lambda s: (s["delta"], s["iso3"]))]
    assert codes == expected


def test_every_verdict_and_citation_appears(data: dict, doc_en: str) -> None:
    for reading, v in data["verdicts"].items():
        card = re.search(rf"<article class='verdict [a-z]*' id='verdict-{reading}'>(.*?)</article>",
                         doc_en, re.S)
        assert card, reading
        assert f">{v['verdict']}</span>" in card.group(1)
        assert f"{v['robustness']:.0%}" in card.group(1)
        for clause in v["clauses"]:
            assert html.escape(data["citations"][clause], quote=True) in card.group(1)
    for clause, citation in data["citations"].items():
        assert html.escape(citation, quote=True) in doc_en, clause
    for clause in data["rights_invoked"] + data["obligations_engaged"]:
        assert f"<code>{clause}</code>" in doc_en


def test_indicators_are_labelled_and_settings_stated(data: dict, doc_en: str) -> None:
    section = doc_en[doc_en.index("<h2>Indicators"):doc_en.index(labels("en")["states_table"])]
    assert section.count("indicator, not a verdict") >= 3
    assert "BLR" in section and "1.51" in section
    assert "Crimea counted as part of Ukraine (UN GA res. 68/262" in doc_en
    assert "<b>Seed</b>0" in doc_en and "<b>Parameter draws</b>1000" in doc_en
    assert "<code>lambda_km</code> = 1500" in doc_en
    for source in data["sources"]:
        assert html.escape(source) in doc_en


def test_crimea_setting_changes_the_statement(data: dict) -> None:
    alt = copy.deepcopy(data)
    alt["scenario"]["crimea"] = "RUS"
    alt["states"] = [s for s in alt["states"] if s["iso3"] in ("RUS", "UKR", "POL")]
    doc = render_assessment_html(alt)
    assert "Crimea counted as part of Russia" in doc
    assert "Crimea counted as part of Ukraine" not in doc


def test_text_from_the_data_is_escaped(data: dict) -> None:
    hostile = copy.deepcopy(data)
    hostile["description"] = "<script>alert(1)</script>"
    hostile["states"] = hostile["states"][:5]
    doc = render_assessment_html(hostile)
    assert "<script" not in doc and "&lt;script&gt;" in doc


def test_french_labels(data: dict, doc_fr: str) -> None:
    assert "<html lang='fr'>" in doc_fr
    for word in ("Verdicts selon chaque lecture", "indicateur, pas un verdict",
                 "variation de la sécurité S", "non permis", "dépend des hypothèses",
                 "Droits invoqués", "Obligations en jeu", "Crimée"):
        assert word in doc_fr, word
    assert "Verdicts by reading" not in doc_fr
    # Data stays as given: reasons and citations are not translated.
    assert html.escape(data["verdicts"]["indivisible"]["reason"], quote=True) in doc_fr


def test_every_language_has_every_label() -> None:
    assert set(LANGUAGES) >= {"en", "fr"}
    for lang in LANGUAGES:
        assert set(UI[lang]) == set(UI["en"]), lang
    with pytest.raises(InputError, match="lang"):
        labels("de")


def test_bad_input_is_a_clear_error(data: dict) -> None:
    broken = {k: v for k, v in data.items() if k != "states"}
    with pytest.raises(InputError, match="states"):
        render_assessment_html(broken)
    broken = copy.deepcopy(data)
    broken["states"][2]["delta"] = "big"
    with pytest.raises(InputError, match=r"states\[2\]\.delta"):
        render_assessment_html(broken)


def test_same_input_same_document(data: dict, doc_en: str) -> None:
    assert render_assessment_html(data) == doc_en
