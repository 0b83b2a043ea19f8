"""Safe YAML loading that remembers where every value came from.

Validation messages must point at a line, so mappings are loaded as :class:`LineDict`,
which records the (1-based) line of each key. Files larger than ``MAX_BYTES`` are
refused before parsing, so a user's mistake cannot exhaust memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from indivisible.errors import InputError

MAX_BYTES = 20 * 1024 * 1024


class LineDict(dict):
    """A dict that knows the line of each of its keys and of itself."""

    line: int | None = None
    key_lines: dict[str, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines = {}


class LineList(list):
    """A list that knows the line of each item."""

    line: int | None = None
    item_lines: list[int]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_lines = []


# The C parser (libyaml) when PyYAML has it: the baseline is a few MB of YAML. Marks
# (lines) are kept either way.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise InputError(
                "mapping keys must be plain scalars", line=key_node.start_mark.line + 1
            )
        key = str(key)
        if key in out:
            raise InputError(f"duplicate key {key!r}", line=key_node.start_mark.line + 1, field=key)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


def _construct_str_date(loader: _Loader, node: yaml.ScalarNode) -> str:
    # Keep dates as ISO strings: pydantic parses them and reports bad ones with a field.
    return loader.construct_scalar(node)  # type: ignore[return-value]


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str_date)


def load_yaml_text(text: str, file: str | Path = "<string>") -> Any:
    """Parse YAML text; errors become :class:`InputError` naming file and line."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except InputError as exc:
        raise InputError(exc.message, file=file, line=exc.line, field=exc.field) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        raise InputError(f"malformed YAML: {problem}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML: {exc}", file=file) from None


def load_yaml_file(path: str | Path) -> Any:
    """Read and parse a YAML file with a size limit and clear errors."""
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", file=p)
    if not p.is_file():
        raise InputError("not a regular file", file=p)
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"file is too large ({size} bytes; at most {MAX_BYTES} bytes accepted)", file=p
        )
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=p) from None
    return load_yaml_text(text, file=p)


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest element of ``loc`` (a pydantic error location) in ``data``."""
    line = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
        inner = getattr(node, "line", None)
        if inner is not None and not isinstance(node, LineDict | LineList):
            line = inner
    return line
