"""Every provision, tested from small cases (OpenFisca style).

Each file in tests/provisions_cases/ holds cases: a small world (``extends: none``), an
optional activities file, claims and parameter overrides, a date, and the exact set of
violations expected (provision, party, subject, and host where given). An expected violation
that turns on a contested figure says so (``contested: {holds_under, fails_under}``); any
other must be uncontested. A case may also list substrings its assumptions must contain, and
the subjects it must report as not evaluated.

A case's ``near_misses`` show a provision staying quiet for the right reason: the subject is
there, in scope, and not flagged, and a small stated change (``flips_with``: parameters,
claims, scenario settings or the date) makes the same provision flag the same subject. Every
provision needs one, so "compliant" is never just "nothing relevant was present".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from indivisible.provisions.activities import load_activities
from indivisible.provisions.catalogue import catalogue
from indivisible.provisions.check import check
from indivisible.world.loader import load_scenario

CASES_DIR = Path(__file__).parent / "provisions_cases"


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            out.append(pytest.param(case, id=f"{path.stem}[{i}] {case['name']}"))
    return out


CASES = _cases()


def _dump(data: Any, path: Path) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _run(case: dict[str, Any], tmp_path: Path, change: dict[str, Any] | None = None):
    change = change or {}
    world_data = dict(case["world"])
    if "settings" in change:
        world_data["settings"] = {**(world_data.get("settings") or {}), **change["settings"]}
    world = load_scenario(_dump(world_data, tmp_path / "world.yaml"))
    acts = None
    if case.get("activities") is not None:
        acts = load_activities(_dump(case["activities"], tmp_path / "activities.yaml"), world)
    raw_date = change.get("date", case["date"])
    date = raw_date if isinstance(raw_date, dt.date) else dt.date.fromisoformat(raw_date)
    params = {**(case.get("params") or {}), **(change.get("params") or {})}
    overrides = [f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in params.items()]
    claims = {**(case.get("claims") or {}), **(change.get("claims") or {})}
    return check(case["agreement"], world, date, activities=acts, claims=claims,
                 overrides=overrides)


@pytest.mark.parametrize("case", CASES)
def test_case(case: dict[str, Any], tmp_path: Path) -> None:
    result = _run(case, tmp_path)
    expected = case.get("expect") or []
    with_host = any("host" in e for e in expected)

    def key(v) -> tuple:
        return (v.provision, v.party, v.subject) + ((v.host,) if with_host else ())

    got = {key(v): v for v in result.violations}
    want = {(e["provision"], e["party"], e["subject"]) + ((e.get("host"),) if with_host else ()):
            e for e in expected}
    details = "\n".join(f"  {v.provision} {v.party} {v.subject} {v.host} [{v.status()}]: "
                        f"{v.detail}" for v in result.violations)
    assert set(got) == set(want), f"violations differ; got:\n{details}"
    for k, e in want.items():
        v = got[k]
        if "contested" in e:
            assert v.contested, (k, v.status())
            assert v.holds_under == e["contested"]["holds_under"], (k, v.status())
            assert v.fails_under == e["contested"]["fails_under"], (k, v.status())
        else:
            assert not v.contested, (k, v.status())
    counts = result.counts()
    assert counts["uncontested"] + counts["contested"] == counts["violations"] == len(got)
    for text in case.get("assumptions_contain") or []:
        assert any(text in a for a in result.assumptions), (text, result.assumptions)
    if "not_evaluated" in case:
        assert {n["subject"] for n in result.not_evaluated} == set(case["not_evaluated"])
    # Every violation carries its clause and a citation; numbers are JSON-ready.
    for v in result.violations:
        assert v.clause == next(p.spec.clause for p in result.agreement.provisions
                                if p.id == v.provision)
        assert v.citation and v.detail
    # Near misses: in force, not flagged, and flagged after the stated change.
    applies = {r.provision.id: r.applies for r in result.results}
    flagged = {(v.provision, v.subject) for v in result.violations}
    for miss in case.get("near_misses") or []:
        prov, subject = miss["provision"], miss["subject"]
        assert miss.get("why"), f"near miss {prov} {subject} must say why it is one"
        assert applies[prov] != "not in force", f"{prov} is not in force: not a near miss"
        assert (prov, subject) not in flagged, f"near miss {prov} {subject} was flagged"
        flipped = _run(case, tmp_path, miss["flips_with"])
        hits = {(v.provision, v.subject) for v in flipped.violations}
        assert (prov, subject) in hits, (
            f"near miss {prov} {subject} is not flagged with {miss['flips_with']}: the case "
            "does not show what the provision would catch")


def test_every_provision_has_a_case() -> None:
    covered = set()
    for param in CASES:
        case = param.values[0]
        covered |= {e["provision"] for e in case.get("expect") or []}
    every = {p.id for a in catalogue().values() for p in a.provisions}
    assert every - covered == set(), "provisions without a violating case"


def test_every_provision_has_a_near_miss() -> None:
    """Each provision has a compliant case where the relevant subject is present and in
    scope but not flagged (under the threshold, outside the band or zone, with consent),
    and a stated small change flags it (checked in test_case)."""
    near: set[str] = set()
    for param in CASES:
        case = param.values[0]
        near |= {m["provision"] for m in case.get("near_misses") or []}
    every = {p.id for a in catalogue().values() for p in a.provisions}
    assert every - near == set(), "provisions without a near-miss case"


def test_both_sides_of_a_contested_figure_appear_in_the_cases() -> None:
    """The cases exercise contested findings of more than one party (no side's claims only)."""
    parties = set()
    for param in CASES:
        case = param.values[0]
        parties |= {e["party"] for e in case.get("expect") or [] if "contested" in e}
    assert {"USA", "RUS"} <= parties
