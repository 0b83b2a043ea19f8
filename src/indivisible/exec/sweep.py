"""Long runs that survive being killed: results saved chunk by chunk, resumed where they stopped.

A sweep is a chunk plan plus a function from a chunk to a table. Each finished chunk is
written to its own Parquet file atomically (temporary file, fsync, ``os.replace``), so a
chunk file is either complete or absent; the manifest is rewritten atomically after
each. Rerunning the same sweep in the same folder computes only the missing chunks, and
because each chunk's numbers depend only on its bounds and seed, the result equals that
of an uninterrupted run. A folder holding a different run (other inputs, parameters,
seed, plan or package version) is refused rather than mixed.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from indivisible.errors import InputError
from indivisible.exec.chunks import Chunk, plan_chunks
from indivisible.exec.executor import Executor
from indivisible.exec.progress import Progress
from indivisible.exec.runs import (
    CHUNKS,
    FORMAT,
    MANIFEST,
    check_kind,
    chunk_files,
    chunk_name,
    code_version,
    iso,
    new_run_dir,
    now_utc,
    plain,
    read_manifest,
    run_key,
    runs_home,
)
from indivisible.output import to_json, write_atomic

ChunkFn = Callable[[Chunk], "pa.Table | Mapping[str, Any]"]

#: Manifest fields that must agree before a folder's chunks may be reused.
IDENTITY = ("kind", "inputs", "parameters", "seed", "plan", "package")


@dataclass(frozen=True)
class Sweep:
    """A run: where it lives, what it computes, and its chunk plan.

    ``inputs`` and ``parameters`` are JSON data that, with the seed and the plan, fix the
    numbers; pass digests for large inputs (for example a scenario file's SHA-256, not
    the world itself). They are checked when the sweep is made.
    """

    run_dir: Path
    kind: str
    inputs: Mapping[str, Any]
    seed: int
    n_items: int
    chunk_size: int
    parameters: Mapping[str, Any] | None = None
    chunks: tuple[Chunk, ...] = field(init=False, repr=False, compare=False)
    _identity: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_kind(self.kind)
        object.__setattr__(self, "run_dir", Path(self.run_dir))
        object.__setattr__(self, "chunks",
                           tuple(plan_chunks(self.n_items, self.chunk_size, self.seed)))
        identity = {
            "kind": self.kind,
            "inputs": plain(dict(self.inputs), "inputs"),
            "parameters": plain(dict(self.parameters or {}), "parameters"),
            "seed": int(self.seed),
            "plan": {"n_items": int(self.n_items), "chunk_size": int(self.chunk_size),
                     "n_chunks": len(self.chunks)},
            "package": code_version()["indivisible"],
        }
        object.__setattr__(self, "_identity", json.dumps(identity, sort_keys=True))

    # -- identity -------------------------------------------------------------------
    def identity(self) -> dict[str, Any]:
        """What determines the numbers: two runs agreeing on all of it give equal results."""
        return json.loads(self._identity)

    @property
    def key(self) -> str:
        return run_key(self.identity())

    def chunk_path(self, index: int) -> Path:
        return self.run_dir / CHUNKS / chunk_name(index)

    def done(self) -> set[int]:
        """Indices of the chunks already saved (per the files, not the manifest)."""
        n = len(self.chunks)
        return {i for i in chunk_files(self.run_dir) if i < n}

    # -- manifest -------------------------------------------------------------------
    def _manifest(self, created: str, status: str, done: int,
                  executor: dict[str, Any] | None) -> dict[str, Any]:
        ident = self.identity()
        ident["plan"]["seeding"] = "chunk i uses numpy SeedSequence(seed).spawn(...)[i]"
        return {
            "format": FORMAT,
            "id": self.run_dir.name,
            **ident,
            "key": self.key,
            "code_version": code_version(),
            "created": created,
            "updated": iso(now_utc()),
            "status": status,
            "chunks_done": done,
            "chunks_total": len(self.chunks),
            "executor": executor,
        }

    def check_manifest(self, manifest: Mapping[str, Any]) -> None:
        """Refuse a folder whose run differs from this one in anything that sets its numbers."""
        mine = self.identity()
        for name in IDENTITY:
            theirs = manifest.get(name)
            ours = mine[name]
            if name == "plan" and isinstance(theirs, dict):
                theirs = {k: theirs.get(k) for k in ours}
            if theirs != ours:
                raise InputError(
                    f"this folder holds a different run ({name} differs: it has "
                    f"{_short(theirs)}, this run has {_short(ours)}); use another run folder",
                    file=self.run_dir / MANIFEST, field=name)

    def prepare(self) -> dict[str, Any]:
        """Create the run folder and manifest, or check that an existing one is this run."""
        d = self.run_dir
        if (d / MANIFEST).exists():
            manifest = read_manifest(d)
            self.check_manifest(manifest)
            return manifest
        if d.exists() and (not d.is_dir() or any(d.iterdir())):
            raise InputError("expected an empty or new folder for a run (no manifest.json "
                             "here, yet it is not empty)", file=d)
        try:
            (d / CHUNKS).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create the run folder here ({exc.strerror})", file=d,
                             field="--runs-dir") from None
        manifest = self._manifest(iso(now_utc()), "partial", 0, None)
        write_atomic(d / MANIFEST, to_json(manifest) + "\n")
        return manifest

    def table(self) -> pa.Table:
        """All saved chunks, in chunk order, as one table."""
        files = [self.chunk_path(i) for i in sorted(self.done())]
        if not files:
            return pa.table({})
        return pa.concat_tables([pq.ParquetFile(f).read() for f in files])


def _short(value: Any, limit: int = 80) -> str:
    text = to_json(value).replace("\n", " ")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_table(result: Any, chunk: Chunk) -> pa.Table:
    if isinstance(result, pa.Table):
        return result
    if isinstance(result, pa.RecordBatch):
        return pa.Table.from_batches([result])
    if isinstance(result, Mapping):
        return pa.table(dict(result))
    raise TypeError(f"a sweep's chunk function must return a pyarrow Table or a mapping of "
                    f"columns; chunk {chunk.index} returned {type(result).__name__}")


def _write_chunk(path: Path, table: pa.Table) -> None:
    """Write ``table`` so that ``path`` is either absent or a complete Parquet file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _readable(path: Path) -> bool:
    try:
        pq.read_metadata(path)
    except (OSError, pa.ArrowException):
        return False
    return True


def _tidy(sweep: Sweep) -> set[int]:
    """Drop temporary files of an interrupted write and unreadable chunk files; what is left."""
    folder = sweep.run_dir / CHUNKS
    folder.mkdir(parents=True, exist_ok=True)
    for entry in os.scandir(folder):
        if entry.name.startswith(".chunk-") and entry.name.endswith(".tmp"):
            Path(entry.path).unlink(missing_ok=True)
    done = set()
    for i in sweep.done():
        if _readable(sweep.chunk_path(i)):
            done.add(i)
        else:
            sweep.chunk_path(i).unlink(missing_ok=True)
    return done


@contextlib.contextmanager
def _locked(run_dir: Path) -> Iterator[None]:
    """One process per run folder at a time (released by the OS if the process dies)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(run_dir / ".lock", "a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError("this run is being computed by another process",
                             file=run_dir) from None
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def run_sweep(
    fn: ChunkFn, sweep: Sweep, executor: Executor, progress: Progress | None = None
) -> pa.Table:
    """Compute the chunks of ``sweep`` not yet saved, saving each as it finishes; all results.

    ``fn(chunk)`` returns a pyarrow Table (or a mapping of columns) for the chunk's items;
    every chunk must return the same columns. ``progress`` advances by items.
    """
    manifest = sweep.prepare()
    created = str(manifest.get("created") or iso(now_utc()))
    with _locked(sweep.run_dir):
        done = _tidy(sweep)
        todo = [c for c in sweep.chunks if c.index not in done]
        if progress is not None:
            progress.advance(sum(c.size for c in sweep.chunks if c.index in done))
        info = executor.describe()

        def save_manifest() -> None:
            status = "complete" if len(done) == len(sweep.chunks) else "partial"
            write_atomic(sweep.run_dir / MANIFEST,
                         to_json(sweep._manifest(created, status, len(done), info)) + "\n")

        save_manifest()
        for pos, result in executor.imap_unordered(fn, todo):
            chunk = todo[pos]
            _write_chunk(sweep.chunk_path(chunk.index), _as_table(result, chunk))
            done.add(chunk.index)
            save_manifest()
            if progress is not None:
                progress.advance(chunk.size)
        if not todo:
            save_manifest()
    return sweep.table()


def find_run(root: Path, sweep_like: Sweep) -> Path | None:
    """The newest run under ``root`` that is exactly this run (same identity), if any."""
    if not root.is_dir():
        return None
    key = sweep_like.key
    best: tuple[str, Path] | None = None
    for entry in os.scandir(root):
        if not (entry.is_dir() and entry.name.startswith(f"{sweep_like.kind}-")
                and f"-{key}" in entry.name):
            continue
        try:
            manifest = read_manifest(Path(entry.path))
            sweep_like.check_manifest(manifest)
        except InputError:
            continue
        stamp = str(manifest.get("created", ""))
        if best is None or (stamp, entry.name) > (best[0], best[1].name):
            best = (stamp, Path(entry.path))
    return best[1] if best else None


def open_sweep(
    kind: str,
    inputs: Mapping[str, Any],
    seed: int,
    n_items: int,
    chunk_size: int,
    *,
    parameters: Mapping[str, Any] | None = None,
    runs_dir: str | Path | None = None,
    resume: bool = True,
) -> Sweep:
    """The sweep for this request under the runs root: the matching earlier run (to resume
    it, or reuse it when complete) unless ``resume`` is false, else a new folder."""
    root = runs_home(runs_dir)
    probe = Sweep(root / "_", kind, inputs, seed, n_items, chunk_size, parameters)
    found = find_run(root, probe) if resume else None
    run_dir = found or new_run_dir(root, kind, probe.key, now_utc())
    return Sweep(run_dir, kind, inputs, seed, n_items, chunk_size, parameters)
