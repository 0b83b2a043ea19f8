"""Shared fixtures: a tiny hand-made world that does not depend on the shipped baseline."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

TOY = textwrap.dedent(
    """\
    extends: none
    settings:
      title: toy
    states:
      - {iso3: AAA, name: Alpha, capital: A-town, capital_lat: 50.0, capital_lon: 10.0, source: test fixture}
      - {iso3: BBB, name: Beta, capital: B-town, capital_lat: 50.0, capital_lon: 20.0, source: test fixture}
      - {iso3: CCC, name: Gamma, capital: C-town, capital_lat: 50.0, capital_lon: 30.0, source: test fixture}
    capabilities:
      - {iso3: AAA, year: 2021, milex_usd_m: 100, personnel: 1000, warheads: 0, source: test fixture}
      - {iso3: BBB, year: 2021, milex_usd_m: 100, personnel: 1000, warheads: 0, source: test fixture}
      - {iso3: CCC, year: 2021, milex_usd_m: 100, personnel: 1000, warheads: 0, source: test fixture}
    alliances:
      - {id: ALPHA, name: Alpha pact, collective_defence: true, clause: "Art. 1", founded: 1990-01-01, source: test fixture}
    memberships:
      - {alliance: ALPHA, iso3: AAA, start: 1990-01-01, source: test fixture}
      - {alliance: ALPHA, iso3: BBB, start: 2000-01-01, end: 2010-01-01, source: test fixture}
    systems:
      - {id: msl, name: Missile, category: GLBM, role: offensive, regime: ballistic, range_km: 1000, source: test fixture}
    deployments:
      - {id: d1, owner: AAA, host: BBB, site: Site, lat: 50.0, lon: 20.0, system: msl, count: 4,
         unit: launchers, start: 2005-01-01, source: test fixture}
    """
)


@pytest.fixture
def toy_file(tmp_path: Path) -> Path:
    p = tmp_path / "toy.yaml"
    p.write_text(TOY, encoding="utf-8")
    return p


@pytest.fixture
def write(tmp_path: Path):
    def _write(text: str, name: str = "s.yaml") -> Path:
        p = tmp_path / name
        p.write_text(textwrap.dedent(text), encoding="utf-8")
        return p

    return _write
