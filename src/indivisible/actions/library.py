"""Load actions by name from the shipped library of real cases, or from a YAML file.

The library (``data/actions/library.yaml``) is data: each case names the action, the
date at which it is assessed by default (usually the day before it took effect, so
that the baseline does not already contain it), a description and its sources.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from indivisible.actions.kinds import AnyAction, BaseAction
from indivisible.errors import InputError
from indivisible.yamlio import LineDict, line_of, load_yaml_file

_ADAPTER: TypeAdapter[Any] = TypeAdapter(AnyAction)


@dataclass(frozen=True)
class Case:
    """A named action with the date it is assessed at by default and its sources."""

    name: str
    action: BaseAction
    default_at: dt.date | None
    description: str
    sources: tuple[str, ...]
    #: Where the action was read (file and line), for errors found when it is applied.
    origin: tuple[str, int | None] | None = None


def parse_action(
    raw: Any, file: str | Path = "<action>", line: int | None = None, field: str = "action"
) -> BaseAction:
    """Validate one action mapping; errors name the file, line and field."""
    if not isinstance(raw, dict):
        raise InputError("expected a mapping with a 'kind'", file=file, line=line, field=field)
    try:
        return _ADAPTER.validate_python(_plain(raw))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err.get("loc", ()))
        msg = err.get("msg", "invalid value")
        if err.get("type") == "missing":
            msg = "required field is missing"
        elif err.get("type") == "extra_forbidden":
            msg = "unknown field"
        elif err.get("type") == "union_tag_invalid":
            msg = f"unknown action kind; {msg}"
        msg = msg.removeprefix("Value error, ")
        # The discriminator value appears in loc; drop it for the field path.
        path = [str(p) for p in loc if p not in _KINDS]
        where = line_of(raw, tuple(p for p in loc if p not in _KINDS)[:1]) or line
        raise InputError(
            msg, file=file, line=where, field=".".join([field, *path]) if path else field
        ) from None


_KINDS = {
    "join-alliance",
    "leave-alliance",
    "declare-neutrality",
    "deploy",
    "withdraw",
    "exercise",
    "patrol",
    "change-capability",
    "composite",
}


def _plain(raw: Any) -> Any:
    if isinstance(raw, dict):
        return {k: _plain(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_plain(v) for v in raw]
    return raw


def _case_from(raw: Any, file: str, line: int | None) -> Case:
    if not isinstance(raw, dict):
        raise InputError("expected a mapping", file=file, line=line, field="cases")
    for required in ("name", "action"):
        if required not in raw:
            raise InputError("required field is missing", file=file, line=line, field=required)
    action_line = raw.key_lines.get("action", line) if isinstance(raw, LineDict) else line
    action = parse_action(raw["action"], file, action_line)
    at = raw.get("default_at")
    try:
        default_at = dt.date.fromisoformat(str(at)) if at else None
    except ValueError:
        raise InputError(
            "expected a date YYYY-MM-DD", file=file, line=line, field="default_at"
        ) from None
    sources = raw.get("sources") or []
    if not isinstance(sources, list):
        raise InputError("expected a list", file=file, line=line, field="sources")
    return Case(
        name=str(raw["name"]),
        action=action,
        default_at=default_at,
        description=str(raw.get("description", "")),
        sources=tuple(map(str, sources)),
        origin=(str(file), action_line),
    )


def library_path() -> Path:
    return Path(str(resources.files("indivisible") / "data" / "actions" / "library.yaml"))


@lru_cache(maxsize=1)
def library() -> dict[str, Case]:
    """The shipped real cases, by name."""
    path = library_path()
    data = load_yaml_file(path)
    cases = data.get("cases", []) if isinstance(data, dict) else []
    out: dict[str, Case] = {}
    for i, raw in enumerate(cases):
        line = cases.item_lines[i] if hasattr(cases, "item_lines") else None
        case = _case_from(raw, str(path), line)
        if case.name in out:
            raise InputError(f"duplicate case {case.name!r}", file=path, line=line, field="name")
        out[case.name] = case
    return out


def load_case(name_or_path: str) -> Case:
    """A library case by name, a ``proposal:ID``, or an action YAML file."""
    if name_or_path.startswith("proposal:"):
        from indivisible.provisions.proposals import proposal_case  # late: optional layer

        return proposal_case(name_or_path.removeprefix("proposal:"))
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        data = load_yaml_file(p)
        if isinstance(data, dict) and "action" in data:
            data.setdefault("name", p.stem)
            return _case_from(data, str(p), getattr(data, "line", 1))
        action = parse_action(data, p, 1)
        return Case(
            name=action.id or p.stem,
            action=action,
            default_at=None,
            description=action.description,
            sources=(action.source,),
            origin=(str(p), 1),
        )
    lib = library()
    if name_or_path in lib:
        return lib[name_or_path]
    close = difflib.get_close_matches(name_or_path, list(lib), n=3)
    hint = (
        f"; did you mean {', '.join(close)}?"
        if close
        else f"; known cases: {', '.join(sorted(lib))}"
    )
    raise InputError(
        f"unknown action {name_or_path!r} (not a library case or a file){hint}", field="ACTION"
    )


def load_action(name_or_path: str) -> BaseAction:
    return load_case(name_or_path).action
