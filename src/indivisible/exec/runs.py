"""The runs directory: where sweeps keep their results, and how to find them again.

Each run is a folder ``<kind>-<UTC timestamp>-<key>`` (``key`` a short hash of what
determines its numbers) holding ``manifest.json`` and ``chunks/chunk-NNNNNN.parquet``.
The chunk files are the truth about progress — each is written whole or not at all —
and the manifest says what the run is: inputs, parameters, seed, chunk plan, code version.
The root is ``--runs-dir``, else ``$INDIVISIBLE_HOME/runs``, else ``~/.indivisible/runs``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indivisible.errors import InputError

MANIFEST = "manifest.json"
CHUNKS = "chunks"
FORMAT = "indivisible-run/1"
_CHUNK_RE = re.compile(r"^chunk-(\d{6,})\.parquet$")
_RUN_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_KIND_RE = re.compile(r"^[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*$")


def runs_home(override: str | Path | None = None) -> Path:
    """The runs root: the explicit option, else ``$INDIVISIBLE_HOME/runs``, else the home one."""
    if override is not None and str(override) != "":
        return Path(override).expanduser()
    home = os.environ.get("INDIVISIBLE_HOME", "").strip()
    if home:
        return Path(home).expanduser() / "runs"
    return Path.home() / ".indivisible" / "runs"


def chunk_name(index: int) -> str:
    return f"chunk-{index:06d}.parquet"


def chunk_files(run_dir: Path) -> dict[int, Path]:
    """The chunk files present in a run, by chunk index (temporary files excluded)."""
    folder = run_dir / CHUNKS
    out: dict[int, Path] = {}
    if not folder.is_dir():
        return out
    for entry in os.scandir(folder):
        m = _CHUNK_RE.match(entry.name)
        if m and entry.is_file():
            out[int(m.group(1))] = Path(entry.path)
    return dict(sorted(out.items()))


def check_kind(kind: str) -> str:
    if not isinstance(kind, str) or not _KIND_RE.match(kind):
        raise InputError(f"expected a run kind of lowercase letters, digits, '_' and '-', "
                         f"got {kind!r}", field="kind")
    return kind


def plain(value: Any, field: str) -> Any:
    """``value`` as plain JSON data (dicts, lists, str, finite numbers), or an InputError."""

    def default(o: Any) -> Any:
        if hasattr(o, "tolist"):
            return o.tolist()
        if hasattr(o, "isoformat"):
            return o.isoformat()
        if isinstance(o, Path):
            return str(o)
        if isinstance(o, set | frozenset | tuple):
            return sorted(o) if isinstance(o, set | frozenset) else list(o)
        raise TypeError(type(o).__name__)

    try:
        return json.loads(json.dumps(value, default=default, allow_nan=False, sort_keys=True))
    except (TypeError, ValueError) as exc:
        raise InputError(f"expected JSON data (finite numbers, text, lists, mappings): {exc}",
                         field=field) from None


def run_key(identity: dict[str, Any]) -> str:
    """A short, stable hash of what determines a run's numbers."""
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def iso(t: dt.datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def new_run_dir(root: Path, kind: str, key: str, created: dt.datetime) -> Path:
    """A folder name that does not exist yet: ``<kind>-<timestamp>-<key>[-n]``."""
    base = f"{check_kind(kind)}-{created.strftime('%Y%m%dT%H%M%SZ')}-{key}"
    path, n = root / base, 1
    while path.exists():
        n += 1
        path = root / f"{base}-{n}"
    return path


@functools.lru_cache(maxsize=1)
def _git_describe() -> str | None:
    """``git describe`` of the source tree this package runs from, if it is a checkout.

    Only when the checkout's ``src/indivisible`` is this very package (an installed copy
    inside some other repository must not report that repository), and read-only
    (``GIT_OPTIONAL_LOCKS=0``: never touch the index while others may be using git).
    """
    pkg = Path(__file__).resolve().parent.parent
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}

    def git(*args: str) -> str | None:
        try:
            res = subprocess.run(["git", "-C", str(pkg), *args], capture_output=True,
                                 text=True, timeout=5, env=env, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return res.stdout.strip() if res.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    if not top or (Path(top) / "src" / "indivisible").resolve() != pkg:
        return None
    desc = git("describe", "--always", "--tags")
    if desc is None:
        return None
    status = git("status", "--porcelain", "--untracked-files=no")
    return f"{desc}-dirty" if status else desc


def code_version() -> dict[str, str | None]:
    from indivisible import __version__

    return {"indivisible": __version__, "git": _git_describe()}


def read_manifest(run_dir: Path) -> dict[str, Any]:
    path = run_dir / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("not a run: no manifest.json", file=run_dir) from None
    except OSError as exc:
        raise InputError(f"cannot read the manifest: {exc.strerror}", file=path) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"the manifest is not valid JSON: {exc.msg}", file=path,
                         line=exc.lineno) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"expected a manifest of format {FORMAT!r}", file=path, field="format")
    return data


@dataclass(frozen=True)
class RunInfo:
    """One line of ``indivisible results``."""

    id: str
    kind: str | None
    created: str | None
    status: str
    chunks_done: int
    chunks_total: int | None
    seed: int | None
    code_version: str | None
    path: Path

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "created": self.created, "status": self.status,
                "chunks_done": self.chunks_done, "chunks_total": self.chunks_total,
                "seed": self.seed, "code_version": self.code_version, "path": str(self.path)}


def _version_text(cv: Any) -> str | None:
    if not isinstance(cv, dict):
        return None
    text = str(cv.get("indivisible"))
    return f"{text} ({cv['git']})" if cv.get("git") else text


def run_info(run_dir: Path) -> RunInfo:
    """What a run is and how far it got; ``unreadable`` rather than an error for listings."""
    try:
        m = read_manifest(run_dir)
    except InputError:
        return RunInfo(run_dir.name, None, None, "unreadable", len(chunk_files(run_dir)),
                       None, None, None, run_dir)
    total = int(m.get("plan", {}).get("n_chunks", 0))
    done = sum(1 for i in chunk_files(run_dir) if i < total)
    return RunInfo(
        id=run_dir.name,
        kind=m.get("kind"),
        created=m.get("created"),
        status="complete" if done == total else "partial",
        chunks_done=done,
        chunks_total=total,
        seed=m.get("seed"),
        code_version=_version_text(m.get("code_version")),
        path=run_dir,
    )


def list_runs(root: Path) -> list[RunInfo]:
    """Every run under ``root``, oldest first (an absent root simply has none)."""
    if not root.is_dir():
        if root.exists():
            raise InputError("expected a directory of runs", file=root, field="--runs-dir")
        return []
    runs = [run_info(Path(e.path)) for e in os.scandir(root)
            if e.is_dir() and (Path(e.path) / MANIFEST).exists()]
    return sorted(runs, key=lambda r: (r.created or "", r.id))


def resolve_run(root: Path, run_id: str) -> Path:
    """The folder of run ``run_id`` (exact name or unique prefix) under ``root``."""
    if not _RUN_ID_RE.match(run_id):
        raise InputError(f"expected a run id such as 'robustness-20240101T120000Z-0123abcd', "
                         f"got {run_id!r}", field="RUN_ID")
    exact = root / run_id
    if (exact / MANIFEST).is_file():
        return exact
    matches = [r.path for r in list_runs(root) if r.id.startswith(run_id)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise InputError(f"no run {run_id!r} (see 'indivisible results')", file=root,
                         field="RUN_ID")
    names = ", ".join(p.name for p in matches[:5])
    raise InputError(f"{run_id!r} matches {len(matches)} runs ({names}…); give more of the id",
                     file=root, field="RUN_ID")
