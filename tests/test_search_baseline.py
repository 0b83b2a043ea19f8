"""Package search on the shipped baseline and from the command line.

Every reported package must give the same numbers as ``indivisible assess`` on the
package's composite action, and the shipped menu must hold exactly the proposal items
that have an action.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import numpy as np
import pytest

from indivisible.actions import Composite, Withdraw, library
from indivisible.assess.assessment import assess
from indivisible.cli import main
from indivisible.errors import InputError
from indivisible.exec import LocalExecutor
from indivisible.search import decompose, load_menu, search_packages, shipped_menus
from indivisible.search.menu import Measure, Menu
from indivisible.security import SecurityModel, load_params
from indivisible.world.loader import load_baseline

DOCUMENTS = {"draft-us-russia-2021", "draft-nato-russia-2021", "us-reply-2022",
             "nato-reply-2022"}


@pytest.fixture(scope="module")
def baseline():
    return load_baseline()


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_shipped_menu_holds_every_proposal_item_with_an_action():
    from indivisible.provisions.proposals import proposal_items

    assert "proposals-2021-2022" in shipped_menus()
    menu = load_menu("proposals-2021-2022")
    items = proposal_items()
    assert {i.document for i in items} <= DOCUMENTS
    with_action = [i.id for i in items if i.action is not None]
    assert list(menu.ids) == with_action and with_action
    assert {s["id"] for s in menu.skipped} == {i.id for i in items if i.action is None}
    for m in menu.measures:
        item = next(i for i in items if i.id == m.id)
        assert m.action == item.action and m.origin == f"proposal:{m.id}"


def _assert_same_as_assess(world, res, at) -> int:
    """Each non-empty reported package against assess() on its composite action."""
    checked = 0
    for p in res.packages:
        if not p.measures:
            assert p.min_delta == 0.0 and p.sum_delta == 0.0
            continue
        action = res.menu.package_action(p.measures)
        assert isinstance(action, Composite)
        a = assess(world, action, at=at, draws=0)
        delta = {s.iso3: s.delta for s in a.states}
        assert max(abs(delta[c] - p.delta[c]) for c in delta) <= 1e-9
        assert p.losers == a.losers and p.gainers == a.gainers
        assert p.min_delta == pytest.approx(min(delta.values()), abs=1e-9)
        assert p.sum_delta == pytest.approx(sum(delta.values()), abs=1e-9)
        checked += 1
    return checked


def test_every_reported_package_equals_assess_on_its_composite(baseline):
    at = dt.date(2024, 6, 1)  # after the Finnish and Swedish accessions: a stance group
    res = search_packages(baseline, load_menu("proposals-2021-2022"), at=at, draws=10, top=6,
                          executor=LocalExecutor(1), save=False)
    assert res.decomposition.stance_group  # foreclosing enlargement undoes the accessions
    assert _assert_same_as_assess(baseline, res, at) >= 5
    assert res.evaluated == 1 << len(res.menu.measures)


def test_random_packages_of_a_mixed_menu_equal_assess(baseline):
    """Accessions (stance), withdrawals of forces the accessions face, a proposal: the tables
    must give each package's numbers as assess does, to 1e-9."""
    lib = library()
    at = dt.date(2021, 12, 15)
    deps = ["iskander-m-kaliningrad", "efp-pol-2017", "b61-buechel-2021", "us-forces-deu-2021",
            "rus-forces-near-ukraine-2021-11"]
    measures = [Measure(id=c, action=lib[c].action, label=c, origin=f"case:{c}")
                for c in ("ukraine-joins-nato", "georgia-joins-nato")]
    measures += [Measure(id=f"w-{d}", action=Withdraw(deployments=(d,)), label=d,
                         origin="action") for d in deps]
    proposals = load_menu("proposals-2021-2022")
    measures.append(next(m for m in proposals.measures if m.id == "nato-draft-art4"))
    menu = Menu(id="mixed", description="", measures=tuple(measures))
    model = SecurityModel(load_params())
    d = decompose(baseline, at, model, [m.action for m in menu.measures], menu.ids)
    assert [menu.ids[i] for i in d.stance_group] == ["ukraine-joins-nato",
                                                     "georgia-joins-nato"]
    rng = np.random.default_rng(4)
    masks = [0b11111111, 0b00100011] + rng.integers(1, 1 << len(measures), 5).tolist()
    got = d.tables.deltas(d.tables.from_menu(np.array(masks, dtype=np.int64)))
    for mask, row in zip(masks, got, strict=True):
        ids = [m.id for k, m in enumerate(menu.measures) if mask >> k & 1]
        a = assess(baseline, menu.package_action(ids), at=at, draws=0)
        np.testing.assert_allclose(row, [s.delta for s in a.states], rtol=0, atol=1e-9)


# -- command line -----------------------------------------------------------------------


def test_search_command_json_contract_and_the_assess_round_trip(tmp_path, capsys):
    code, out, err = run(["search", "--draws", "5", "--top", "3", "--format", "json",
                          "--actions-dir", str(tmp_path / "pk")], capsys)
    assert code == 0, err
    data = json.loads(out)
    for key in ("menu", "date", "objective", "evaluated", "packages", "pareto", "method"):
        assert key in data
    assert data["menu"] == "proposals-2021-2022" and data["method"] == "exhaustive"
    assert data["date"] == "2021-12-15" and data["objective"] == "min"
    assert data["evaluated"] == 1 << len(data["measures"])
    for p in data["packages"]:
        assert set(p) >= {"measures", "min_delta", "sum_delta", "losers", "robustness"}
        assert 0.0 <= p["robustness"] <= 1.0
    assert all(0 <= k < len(data["packages"]) for k in data["pareto"])
    files = data["action_files"]
    assert files, "expected at least one non-empty package"
    # the first written package, assessed on its own from the command line
    k = int(Path(files[0]).stem.split("-")[1])
    code, out, err = run(["assess", files[0], "--draws", "0", "--format", "json"], capsys)
    assert code == 0, err
    a = json.loads(out)
    assert a["date"] == data["date"]
    for s in a["states"]:
        assert s["delta"] == pytest.approx(data["packages"][k]["delta"][s["iso3"]], abs=1e-12)


BAD_MENUS = [
    ("unknown section", "id: m\nmeasures: []\nextra: 1\n", "m.yaml:3: extra: unknown section"),
    ("no measures", "id: m\nmeasures: []\n", "m.yaml:2: measures: expected a non-empty list"),
    ("missing id", "id: m\nmeasures:\n  - action: {kind: withdraw, owner: USA}\n",
     "m.yaml:3: measures[0].id: required field is missing"),
    ("two sources", "id: m\nmeasures:\n  - id: a\n    case: efp-2017\n    proposal: x\n",
     "m.yaml:3: measures[0]: expected exactly one of"),
    ("bad kind", "id: m\nmeasures:\n  - id: a\n    action: {kind: teleport}\n",
     "m.yaml:4: measures[0].action: unknown action kind"),
    ("bad field", "id: m\nmeasures:\n  - id: a\n    action:\n      kind: withdraw\n"
     "      owner: usa\n", "m.yaml:6: measures[0].action.owner:"),
    ("unknown case", "id: m\nmeasures:\n  - id: a\n    case: ukraine-joins-nat\n",
     "m.yaml:4: measures[0].case: unknown case 'ukraine-joins-nat'; did you mean"),
    ("duplicate id", "id: m\nmeasures:\n  - id: a\n    case: efp-2017\n  - id: a\n"
     "    case: efp-2017\n", "m.yaml:5: measures[1].id: measure 'a' is already defined"),
    ("unknown field", "id: m\nmeasures:\n  - id: a\n    case: efp-2017\n    when: now\n",
     "m.yaml:5: measures[0].when: unknown field"),
    ("malformed", "id: m\nmeasures: [\n", "m.yaml:3: malformed YAML"),
]


@pytest.mark.parametrize("text,expected", [b[1:] for b in BAD_MENUS],
                         ids=[b[0] for b in BAD_MENUS])
def test_a_bad_menu_file_exits_2_naming_file_line_and_field(tmp_path, capsys, text, expected):
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(["search", "--menu", str(path), "--draws", "0"], capsys)
    assert code == 2 and out == ""
    assert "Traceback" not in err
    assert expected in " ".join(err.split()), err


def test_proposal_errors_name_the_item(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent("""\
        id: p
        measures:
          - id: talks
            proposal: us-reply-inf-talks
        """), encoding="utf-8")
    with pytest.raises(InputError, match=r"p.yaml:4: measures\[0\].proposal: proposal item "
                                         r"'us-reply-inf-talks' changes no force"):
        load_menu(path)
    with pytest.raises(InputError, match=r"unknown menu 'proposals-2021' \(.*\); did you mean"):
        load_menu("proposals-2021")


@pytest.mark.parametrize("argv,field", [
    (["--objective", "max"], "--objective"),
    (["--at", "2021-13-01"], "--at"),
    (["--executor", "spark"], "--executor"),
    (["--draws", "-3"], "--draws"),
])
def test_bad_options_exit_2(capsys, argv, field):
    code, out, err = run(["search", *argv], capsys)
    assert code == 2 and out == "" and field in err and "Traceback" not in err
