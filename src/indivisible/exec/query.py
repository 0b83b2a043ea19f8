"""SQL over a run's saved chunks with DuckDB, the table exposed as ``results``.

The connection may read only the run's own chunk folder: external access is switched
off and the configuration locked before the user's SQL runs, so a query cannot read
other files, write any, or load extensions (defence in depth; the CLI runs with the
user's own rights anyway).
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from pathlib import Path
from typing import Any

from indivisible.errors import InputError
from indivisible.exec.runs import CHUNKS, chunk_files, read_manifest

DEFAULT_SQL = "SELECT * FROM results LIMIT 20"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _value(v: Any) -> Any:
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, bytes | bytearray | memoryview):
        return bytes(v).hex()
    if isinstance(v, uuid.UUID | dt.timedelta):
        return str(v)
    if isinstance(v, list | tuple):
        return [_value(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _value(x) for k, x in v.items()}
    return v


def query_run(run_dir: Path, sql: str = DEFAULT_SQL) -> tuple[list[str], list[list[Any]]]:
    """Run ``sql`` against the run's saved chunks; column names and rows."""
    import duckdb

    manifest = read_manifest(run_dir)
    total = int(manifest.get("plan", {}).get("n_chunks", 0))
    files = [str(p.resolve()) for i, p in chunk_files(run_dir).items() if i < total]
    if not files:
        raise InputError("this run has no saved chunks yet", file=run_dir)
    if not sql or not sql.strip():
        raise InputError("expected an SQL query over the table 'results'", field="--sql")
    folder = str((run_dir / CHUNKS).resolve()) + "/"
    con = duckdb.connect(":memory:", config={
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    })
    try:
        con.execute(f"SET allowed_directories = [{_quote(folder)}]")
        con.execute("CREATE VIEW results AS SELECT * FROM read_parquet(["
                    + ", ".join(_quote(f) for f in files) + "])")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        try:
            cur = con.execute(sql)
            if cur.description is None:
                return [], []
            columns = [d[0] for d in cur.description]
            rows = [[_value(v) for v in row] for row in cur.fetchall()]
        except duckdb.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise InputError(f"the query failed: {first}", field="--sql") from None
    finally:
        con.close()
    return columns, rows
