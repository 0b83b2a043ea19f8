"""``indivisible results``: the runs saved so far, and SQL over any one of them."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from indivisible.exec.options import RunsDirOpt
from indivisible.options import OutputOpt
from indivisible.output import Format, Section, emit

results_app = typer.Typer(help="Saved runs: list them, or query one with SQL (DuckDB).")

InheritFormatOpt = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="table (default), json, markdown or html."),
]

_LIST_COLUMNS = ["id", "kind", "created", "status", "chunks", "seed", "code version"]


def _list_rows(runs: list[Any]) -> list[list[Any]]:
    return [[r.id, r.kind, r.created, r.status,
             f"{r.chunks_done}/{r.chunks_total if r.chunks_total is not None else '?'}",
             r.seed, r.code_version] for r in runs]


@results_app.callback(invoke_without_command=True)
def results(
    ctx: typer.Context,
    runs_dir: RunsDirOpt = None,
    fmt: InheritFormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """List past runs: id, kind, created, status (complete/partial), chunks, seed, version."""
    ctx.obj = {"runs_dir": runs_dir, "fmt": fmt}
    if ctx.invoked_subcommand is not None:
        return
    from indivisible.exec.runs import list_runs, runs_home

    root = runs_home(runs_dir)
    runs = list_runs(root)
    payload = {"runs_dir": str(root), "runs": [r.as_dict() for r in runs]}
    note = None if runs else f"No runs yet in {root}."
    emit(payload, fmt or Format.table, title=f"Runs in {root}",
         sections=[Section("Runs", _LIST_COLUMNS, _list_rows(runs), note=note)], output=output)


@results_app.command("show")
def show(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix of it).")],
    sql: Annotated[
        str | None,
        typer.Option("--sql", help="SQL over the table 'results' (default: its first 20 rows)."),
    ] = None,
    runs_dir: RunsDirOpt = None,
    fmt: InheritFormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Show a run's manifest and query its saved chunks with DuckDB (table 'results')."""
    from indivisible.exec.query import DEFAULT_SQL, query_run
    from indivisible.exec.runs import read_manifest, resolve_run, run_info, runs_home

    parent = ctx.obj or {}
    root = runs_home(runs_dir if runs_dir is not None else parent.get("runs_dir"))
    fmt = fmt or parent.get("fmt") or Format.table
    run_dir = resolve_run(root, run_id)
    info = run_info(run_dir)
    manifest = read_manifest(run_dir)
    query = sql if sql is not None else DEFAULT_SQL
    columns, rows = query_run(run_dir, query)
    run = {**info.as_dict(), "inputs": manifest.get("inputs"),
           "parameters": manifest.get("parameters"), "plan": manifest.get("plan"),
           "executor": manifest.get("executor")}
    payload = {"run": run, "sql": query, "columns": columns, "rows": rows}
    about = [
        ["status", f"{info.status} ({info.chunks_done}/{info.chunks_total} chunks)"],
        ["kind", info.kind], ["created", info.created], ["seed", info.seed],
        ["code version", info.code_version], ["path", str(run_dir)],
    ]
    about += [[f"input {k}", _brief(v)] for k, v in sorted((run["inputs"] or {}).items())]
    about += [[f"parameter {k}", _brief(v)]
              for k, v in sorted((run["parameters"] or {}).items())]
    sections = [
        Section("Run", ["field", "value"], about),
        Section("Query", columns or ["(no columns)"], rows, note=f"SQL: {query}"),
    ]
    emit(payload, fmt, title=f"Run {info.id}", sections=sections, output=output)


def _brief(value: Any, limit: int = 60) -> str:
    from indivisible.output import to_json

    text = value if isinstance(value, str) else " ".join(to_json(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def register(app: typer.Typer) -> None:
    app.add_typer(results_app, name="results")
