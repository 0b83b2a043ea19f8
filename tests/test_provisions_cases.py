"""Every provision, tested from small cases (OpenFisca style).

Each file in tests/provisions_cases/ holds cases: a small world (``extends: none``), an
optional activities file, claims and parameter overrides, a date, and the exact set of
violations expected (provision, party, subject, and host where given). A case may also list
substrings its assumptions must contain, and the subjects it must report as not evaluated.
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


@pytest.mark.parametrize("case", CASES)
def test_case(case: dict[str, Any], tmp_path: Path) -> None:
    world = load_scenario(_dump(case["world"], tmp_path / "world.yaml"))
    acts = None
    if case.get("activities") is not None:
        acts = load_activities(_dump(case["activities"], tmp_path / "activities.yaml"), world)
    date = case["date"] if isinstance(case["date"], dt.date) else dt.date.fromisoformat(
        case["date"])
    overrides = [f"{k}={','.join(v) if isinstance(v, list) else v}"
                 for k, v in (case.get("params") or {}).items()]
    result = check(case["agreement"], world, date, activities=acts,
                   claims=case.get("claims") or {}, overrides=overrides)
    expected = case.get("expect") or []
    with_host = any("host" in e for e in expected)
    got = {(v.provision, v.party, v.subject) + ((v.host,) if with_host else ())
           for v in result.violations}
    want = {(e["provision"], e["party"], e["subject"]) + ((e.get("host"),) if with_host else ())
            for e in expected}
    details = "\n".join(f"  {v.provision} {v.party} {v.subject} {v.host}: {v.detail}"
                        for v in result.violations)
    assert got == want, f"violations differ; got:\n{details}"
    for text in case.get("assumptions_contain") or []:
        assert any(text in a for a in result.assumptions), (text, result.assumptions)
    if "not_evaluated" in case:
        assert {n["subject"] for n in result.not_evaluated} == set(case["not_evaluated"])
    # Every violation carries its clause and a citation; numbers are JSON-ready.
    for v in result.violations:
        assert v.clause == next(p.spec.clause for p in result.agreement.provisions
                                if p.id == v.provision)
        assert v.citation and v.detail


def test_every_provision_has_a_case() -> None:
    covered = set()
    for param in CASES:
        case = param.values[0]
        covered |= {e["provision"] for e in case.get("expect") or []}
    every = {p.id for a in catalogue().values() for p in a.provisions}
    assert every - covered == set(), "provisions without a violating case"


def test_every_provision_has_a_compliant_case() -> None:
    """Each provision also has a case in which it applies and flags nothing (or less)."""
    quiet: set[str] = set()
    for param in CASES:
        case = param.values[0]
        flagged = {e["provision"] for e in case.get("expect") or []}
        agreement = catalogue()[case["agreement"]]
        quiet |= {p.id for p in agreement.provisions if p.id not in flagged}
    every = {p.id for a in catalogue().values() for p in a.provisions}
    assert every - quiet == set()
