"""The scenario loader: snapshots, merging, and one clear error for each kind of bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from indivisible.errors import InputError
from indivisible.world.loader import load_scenario
from indivisible.yamlio import MAX_BYTES
from tests.conftest import TOY


def test_snapshot_resolves_spells(toy_file: Path) -> None:
    w = load_scenario(toy_file)
    assert w.at("1999-12-31").members("ALPHA") == ("AAA",)
    assert w.at("2000-01-01").members("ALPHA") == ("AAA", "BBB")
    # end is exclusive: gone on the day it ends
    assert w.at("2010-01-01").members("ALPHA") == ("AAA",)
    assert [d.id for d in w.at("2005-01-01").deployments] == ["d1"]
    assert w.at("2004-12-31").deployments == ()
    snap = w.at(dt.date(2005, 6, 1))
    assert snap.iso3 == ("AAA", "BBB", "CCC")
    assert snap.allied("AAA", "BBB") and not snap.allied("AAA", "CCC")


def test_world_is_immutable(toy_file: Path) -> None:
    w = load_scenario(toy_file)
    w2 = w.replace(deployments=[])
    assert len(w.deployments) == 1 and w2.deployments == ()
    with pytest.raises(ValidationError):
        w.states[0].name = "x"  # type: ignore[misc]


def test_capability_latest_not_after_date(write) -> None:
    p = write(
        TOY.replace(
            "  - {iso3: CCC, year: 2021",
            "  - {iso3: CCC, year: 2010, milex_usd_m: 50, source: test fixture}\n  - {iso3: CCC, year: 2021",
        )
    )
    w = load_scenario(p)
    assert w.at("2015-01-01").capability("CCC").milex_usd_m == 50
    assert w.at("2022-01-01").capability("CCC").milex_usd_m == 100
    assert w.at("2000-01-01").capability("CCC").year == 2010  # earliest when none before


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_scenario(path)
    return info.value


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("iso3: CCC, name: Gamma", "iso3: CC1, name: Gamma", "states[2].iso3", "pattern"),
        (
            "alliance: ALPHA, iso3: AAA",
            "alliance: ALPHA, iso3: ZZZ",
            "memberships.iso3",
            "unknown state",
        ),
        ("system: msl, count: 4", "system: nope, count: 4", "deployments.system", "unknown system"),
        ("count: 4", "count: -4", "deployments[0].count", "greater than or equal"),
        (
            "lat: 50.0, lon: 20.0",
            "lat: 95.0, lon: 20.0",
            "deployments[0].lat",
            "less than or equal",
        ),
        (
            "start: 2000-01-01, end: 2010-01-01",
            "start: 2000-01-01, end: 1999-01-01",
            "memberships[1]",
            "before start",
        ),
        (
            "iso3: BBB, start: 2000-01-01",
            "iso3: AAA, start: 2000-01-01",
            "memberships.start",
            "overlaps",
        ),
        ("name: Missile, ", "", "systems[0].name", "required field is missing"),
        (
            "name: Alpha, capital",
            "name: Alpha, colour: red, capital",
            "states[0].colour",
            "unknown field",
        ),
    ],
)
def test_bad_entries_name_file_line_field(write, old, new, field, words) -> None:
    assert old in TOY
    p = write(TOY.replace(old, new, 1))
    err = _error(p)
    assert err.file == str(p)
    assert err.line is not None and err.line > 1
    assert err.field is not None and err.field.startswith(field)
    assert words in err.message
    assert str(p) in str(err) and f":{err.line}:" in str(err)


def test_duplicate_id(write) -> None:
    dup = (
        TOY
        + "  - {id: d1, owner: AAA, host: AAA, site: X, lat: 1, lon: 1, system: msl, count: 1,\n"
        "     unit: launchers, start: 2005-01-01, source: test fixture}\n"
    )
    err = _error(write(dup))
    assert "duplicate entry d1" in err.message and err.line is not None


def test_malformed_yaml(write) -> None:
    err = _error(write("states: [\n  - {iso3: AAA\n"))
    assert "malformed YAML" in err.message and err.line is not None


def test_duplicate_key(write) -> None:
    err = _error(write("extends: none\nsettings: {title: a}\nsettings: {title: b}\n"))
    assert "duplicate key" in err.message and err.line == 3


def test_missing_file(tmp_path: Path) -> None:
    err = _error(tmp_path / "nope.yaml")
    assert err.message == "file not found"


def test_file_too_large(tmp_path: Path) -> None:
    p = tmp_path / "big.yaml"
    with p.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    assert "too large" in _error(p).message


def test_unknown_section_and_bad_extends(write) -> None:
    assert "unknown section" in _error(write("extends: none\nsatets: []\n")).message
    assert _error(write("extends: elsewhere\n")).field == "extends"


def test_cli_validate_exit_codes(toy_file: Path, write) -> None:
    from indivisible.cli import main

    # The toy's states have no territory: loading works, validation says the model cannot run.
    with pytest.raises(SystemExit) as toy:
        main(["world", "validate", str(toy_file)])
    assert toy.value.code == 2
    real = write("deployments:\n  - {id: x1, owner: POL, host: POL, site: s, lat: 52.2, lon: 21.0,"
                 " system: iskander-m, count: 1, unit: launchers, start: 2021-01-01,"
                 " source: test fixture}\n", "real.yaml")
    main(["world", "validate", str(real), "--format", "json"])  # returns: exit code 0
    bad = write(TOY.replace("count: 4", "count: -4"))
    with pytest.raises(SystemExit) as info:
        main(["world", "validate", str(bad)])
    assert info.value.code == 2


def test_replace_does_not_carry_stale_lookups(toy_file: Path) -> None:
    w = load_scenario(toy_file)
    assert w.system_by_id["msl"].range_km == 1000  # fill the cache
    longer = w.systems[0].model_copy(update={"range_km": 5000})
    w2 = w.replace(systems=[longer])
    assert w2.system_by_id["msl"].range_km == 5000
    assert w.system_by_id["msl"].range_km == 1000


def test_crimea_setting_decides_the_host_of_a_site_in_crimea() -> None:
    from indivisible.world.loader import load_baseline

    w = load_baseline()
    default = {d.id: d.host for d in w.at("2021-12-15").deployments}
    rus = w.replace(settings=w.settings.model_copy(update={"crimea": "RUS"}))
    moved = {d.id: d.host for d in rus.at("2021-12-15").deployments}
    changed = {k for k in default if default[k] != moved[k]}
    assert changed and all(default[k] == "UKR" and moved[k] == "RUS" for k in changed)
    assert all("crimea" in k or "sevastopol" in k or "black-sea" in k for k in changed), changed
