"""``indivisible search``: packages of measures under which no state's security falls."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from indivisible.exec.options import ExecutorOpt, RunsDirOpt, SchedulerOpt, WorkersOpt
from indivisible.options import (
    DEFAULT_DATE,
    ClaimOpt,
    FormatOpt,
    OutputOpt,
    ParamOpt,
    ParamsFileOpt,
    ScenarioOpt,
    SeedOpt,
    check_claims,
    model_params,
    parse_claims,
    parse_date,
)
from indivisible.output import Format, Section, emit

DEFAULT_MENU = "proposals-2021-2022"


def _names(ids: list[str]) -> str:
    return ", ".join(ids) if ids else "(none: the world as it is)"


def search_sections(data: dict[str, Any]) -> list[Section]:
    eps = data["epsilon"]
    pk = data["packages"]
    best = [p for p in pk if p["rank"] is not None]
    ranked_rows = [[p["rank"], _names(p["measures"]), p["min_delta"], p["sum_delta"],
                    p["robustness"], p["equivalent"]] for p in best]
    front_rows = [[k, _names(pk[k]["measures"]), pk[k]["sum_delta"], pk[k]["min_delta"],
                   ", ".join(pk[k]["losers"]) or "none", pk[k]["robustness"]]
                  for k in data["pareto"]]
    measure_rows = [[m["id"], m["alone"]["min_delta"], m["alone"]["sum_delta"],
                     len(m["alone"]["losers"]), m["group"],
                     "changes nothing at the date" if m["inert"] else
                     ("changes alliances or neutrality" if m["stance"] else "")]
                    for m in data["measures"]]
    objective = "smallest change across states" if data["objective"] == "min" else \
        "sum of changes"
    sections = [
        Section(
            f"Packages under which nobody loses more than epsilon = {eps:g}, by {objective}",
            ["rank", "measures", "min change", "sum of changes", "robustness", "equivalent"],
            ranked_rows,
            note=f"Robustness: share of {data['draws']} parameter draws (seed {data['seed']}) in "
                 "which nobody loses more than epsilon. Equivalent: packages giving exactly "
                 "these numbers (this one has the fewest measures).",
        ),
        Section(
            "Pareto front of (sum of changes, smallest change), over all packages",
            ["package", "measures", "sum of changes", "min change", "losers", "robustness"],
            front_rows,
            note="Package numbers index the JSON 'packages' list.",
        ),
        Section("Measures, each on its own", ["measure", "min change", "sum of changes",
                                               "losers", "group", "note"], measure_rows,
                note="Measures in the same group interact and are combined by direct "
                     "evaluation of every combination; groups add exactly."),
    ]
    if data["skipped"]:
        sections.append(Section("Items without an action (not in the menu)",
                                ["item", "document", "reason"],
                                [[s["id"], s["document"], s["reason"]]
                                 for s in data["skipped"]]))
    return sections


def _write_actions(folder: Path, result: Any, data: dict[str, Any]) -> list[Path]:
    """One action file per non-empty reported package, for ``indivisible assess FILE``."""
    import yaml

    from indivisible.errors import InputError
    from indivisible.output import write_atomic

    texts: list[tuple[Path, str]] = []
    for k, p in enumerate(data["packages"]):
        if not p["measures"]:
            continue
        action = result.menu.package_action(p["measures"])
        doc = {
            "name": f"{data['menu']}-package-{k}",
            "default_at": data["date"],
            "description": f"Package {k} of the search of menu {data['menu']} at "
                           f"{data['date']}: {', '.join(p['measures'])}",
            "sources": sorted({s for m in result.menu.measures if m.id in p["measures"]
                               for s in m.sources}),
            "action": action.model_dump(mode="json", exclude_none=True),
        }
        texts.append((folder / f"package-{k:02d}.yaml",
                      yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)))
    if folder.exists() and not folder.is_dir():
        raise InputError("expected a folder, not a file", file=folder, field="--actions-dir")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in texts:
            write_atomic(path, text)
    except OSError as exc:
        raise InputError(f"cannot write here ({exc.strerror})", file=folder,
                         field="--actions-dir") from None
    except InputError as exc:
        raise InputError(exc.message, file=exc.file, field="--actions-dir") from None
    return [p for p, _ in texts]


def search_command(
    menu: Annotated[str, typer.Option("--menu", "-m", help="A shipped menu id or a menu "
                                      "YAML file.")] = DEFAULT_MENU,
    at: Annotated[str, typer.Option("--at", help="Date (YYYY-MM-DD).")] = DEFAULT_DATE,
    objective: Annotated[str, typer.Option("--objective", help="Rank by the smallest change "
                                           "across states (min) or the sum (sum).")] = "min",
    draws: Annotated[int, typer.Option("--draws", "-n", help="Parameter draws for each "
                                       "reported package's robustness.")] = 100,
    seed: SeedOpt = 0,
    top: Annotated[int, typer.Option("--top", help="How many best packages to report.")] = 10,
    executor: ExecutorOpt = "local",
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    max_exhaustive: Annotated[int, typer.Option(
        "--max-exhaustive", help="Enumerate every package up to this many measures; "
        "beyond, a heuristic (reported as such).")] = 20,
    starts: Annotated[int, typer.Option("--starts", help="Starts of the heuristic.")] = 64,
    max_evaluations: Annotated[int, typer.Option(
        "--max-evaluations", help="Most combinations of interacting measures to evaluate on "
        "the world.")] = 2048,
    save: Annotated[bool | None, typer.Option(
        "--save/--no-save", help="Save the enumeration as a resumable run (default: from "
        "65,536 packages).")] = None,
    runs_dir: RunsDirOpt = None,
    actions_dir: Annotated[Path | None, typer.Option(
        "--actions-dir", help="Write each reported package as an action file that "
        "'indivisible assess FILE' evaluates.")] = None,
    scenario: ScenarioOpt = None,
    params_file: ParamsFileOpt = None,
    param: ParamOpt = None,
    claim: ClaimOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Find packages of measures under which no state's security falls by more than epsilon."""
    from indivisible.exec.executor import get_executor
    from indivisible.search.menu import load_menu
    from indivisible.search.run import search_packages
    from indivisible.world.loader import load_scenario

    date = parse_date(at)
    claims = parse_claims(claim)
    params = model_params(params_file, param)
    world = load_scenario(scenario)
    check_claims(world, claims)
    the_menu = load_menu(menu, world if scenario is not None else None)
    with get_executor(executor, scheduler, workers) as ex:
        result = search_packages(
            world, the_menu, at=date, params=params, objective=objective, draws=draws,
            seed=seed, top=top, claims=claims, executor=ex, max_exhaustive=max_exhaustive,
            starts=starts, max_evaluations=max_evaluations, save=save, runs_dir=runs_dir)
    data = result.to_json()
    from indivisible.security.claims import claim_lines, claims_used

    # The world before any measure: the sites a contested figure touches there.
    data["assumptions"] = {"claims": dict(claims),
                           "claims_used": claims_used([world.at(date)], claims)}
    if actions_dir is not None:
        data["action_files"] = [str(p) for p in _write_actions(actions_dir, result, data)]
    feasible = (f"{data['feasible']:,} under which nobody loses" if data["method"] ==
                "exhaustive" else f"{data['feasible']:,} of those visited with no loser")
    pre = (f"{the_menu.description}\nMethod: {data['method']}. Packages evaluated: "
           f"{data['evaluated']:,}; {feasible}. Measures: {len(the_menu.measures)} in "
           f"{len(data['groups'])} groups; {data['direct_evaluations']} worlds evaluated "
           f"directly. Executor: {data['executor'].get('executor')}."
           + "".join(f"\n{line}" for line in claim_lines(data["assumptions"]["claims_used"])))
    emit(data, fmt, title=f"Search: menu {data['menu']} at {data['date']}",
         sections=lambda: search_sections(data), preamble=pre, output=output)


def register(app: typer.Typer) -> None:
    app.command("search")(search_command)
