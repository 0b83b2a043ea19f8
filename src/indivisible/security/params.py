"""The model's parameters: one versioned file, each value with its range and its reason.

Every number the security model uses that is not a fact about the world is a parameter
in ``indivisible/data/parameters.yaml``: its default, its unit, a distribution for
Monte Carlo robustness (``uniform``, ``loguniform``, ``triangular`` or ``fixed``), a
plausible range ``[low, high]`` and one sentence of rationale with a citation where
there is one. A user changes values with a small YAML file (``parameters: {name:
value}``), a full copy of the file, or ``--param name=value``; a value outside its
range is refused, because the range is the stated domain of the model.

A parameter the user sets is *pinned*: parameter draws hold it at the user's value
while the others vary, so a robustness figure answers "given what I fixed".

Draws are reproducible: each parameter gets its own random stream derived from the
seed and the parameter's name, so adding a parameter to the file does not change the
draws of the others.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from indivisible.errors import InputError
from indivisible.yamlio import LineDict, LineList, load_yaml_file

DISTRIBUTIONS = ("uniform", "loguniform", "triangular", "fixed")
SPEC_FIELDS = (
    "name", "default", "unit", "distribution", "low", "high", "mode", "rationale", "citation",
)
REQUIRED_FIELDS = ("name", "default", "unit", "distribution", "low", "high", "rationale")
FILE_VERSION = "1"


def default_path() -> Path:
    """The shipped parameter file."""
    return Path(str(resources.files("indivisible") / "data" / "parameters.yaml"))


@dataclass(frozen=True)
class ParamSpec:
    """One parameter as the file states it."""

    name: str
    default: float
    unit: str
    distribution: str
    low: float
    high: float
    mode: float | None
    rationale: str
    citation: str | None

    def admits(self, value: float) -> bool:
        return math.isfinite(value) and self.low <= value <= self.high


@dataclass(frozen=True)
class Params:
    """A complete set of parameter values, with the specs they came from."""

    values: Mapping[str, float]
    specs: Mapping[str, ParamSpec]
    version: str
    pinned: frozenset[str] = field(default_factory=frozenset)

    def __getitem__(self, name: str) -> float:
        return self.values[name]

    def __contains__(self, name: object) -> bool:
        return name in self.values

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.specs)

    def with_overrides(self, overrides: Mapping[str, float], *, file: str | None = None,
                       lines: Mapping[str, int] | None = None) -> Params:
        """A copy with some values changed (and pinned); unknown or out-of-range -> InputError."""
        values = dict(self.values)
        for name, raw in overrides.items():
            line = (lines or {}).get(name)
            spec = self.specs.get(name)
            if spec is None:
                raise InputError(
                    f"unknown parameter {name!r}{_suggest(name, self.specs)}",
                    file=file, line=line, field=name,
                )
            value = _as_float(raw, file=file, line=line, field=name)
            if not spec.admits(value):
                raise InputError(
                    f"{value:g} is outside the parameter's range [{spec.low:g}, {spec.high:g}]"
                    f" ({spec.unit})",
                    file=file, line=line, field=name,
                )
            values[name] = value
        return Params(
            values=MappingProxyType(values),
            specs=self.specs,
            version=self.version,
            pinned=self.pinned | frozenset(overrides),
        )

    def to_dict(self) -> dict[str, float]:
        return dict(self.values)


@dataclass(frozen=True)
class ParamBatch:
    """``n`` draws of every parameter: one array of shape ``(n,)`` per name."""

    values: Mapping[str, NDArray[np.float64]]
    n: int

    def __getitem__(self, name: str) -> NDArray[np.float64]:
        return self.values[name]

    def slice(self, start: int, stop: int) -> ParamBatch:
        stop = min(stop, self.n)
        return ParamBatch(
            values=MappingProxyType({k: v[start:stop] for k, v in self.values.items()}),
            n=max(stop - start, 0),
        )

    @classmethod
    def constant(cls, params: Params, n: int) -> ParamBatch:
        """``n`` identical draws at ``params`` (a baseline for checks)."""
        return cls(
            values=MappingProxyType({k: np.full(n, v) for k, v in params.values.items()}), n=n
        )


# -- loading ------------------------------------------------------------------------


def _suggest(name: str, known: Mapping[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _as_float(raw: Any, *, file: str | None, line: int | None, field: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise InputError(f"expected a number, got {raw!r}", file=file, line=line, field=field)
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"expected a number, got {raw!r}", file=file, line=line, field=field) \
            from None
    if not math.isfinite(value):
        raise InputError(f"expected a finite number, got {raw!r}", file=file, line=line,
                         field=field)
    return value


def _line(data: Any, key: str | None = None) -> int | None:
    if key is not None and isinstance(data, LineDict):
        return data.key_lines.get(key, data.line)
    return getattr(data, "line", None)


def _parse_spec(item: Any, file: str, line: int | None, where: str) -> ParamSpec:
    if not isinstance(item, dict):
        raise InputError("expected a mapping of fields", file=file, line=line, field=where)
    for key in item:
        if key not in SPEC_FIELDS:
            raise InputError(
                f"unknown field; expected one of {', '.join(SPEC_FIELDS)}",
                file=file, line=_line(item, key), field=f"{where}.{key}",
            )
    for key in REQUIRED_FIELDS:
        if key not in item:
            raise InputError("required field is missing", file=file, line=line,
                             field=f"{where}.{key}")
    name = item["name"]
    if not isinstance(name, str) or not name.isidentifier():
        raise InputError("expected an identifier (letters, digits, _)", file=file,
                         line=_line(item, "name"), field=f"{where}.name")
    where = f"parameters.{name}"

    def num(key: str) -> float:
        return _as_float(item[key], file=file, line=_line(item, key), field=f"{where}.{key}")

    def text(key: str, required: bool = True) -> str | None:
        v = item.get(key)
        if v is None and not required:
            return None
        if not isinstance(v, str) or not v.strip():
            raise InputError("expected non-empty text", file=file, line=_line(item, key),
                             field=f"{where}.{key}")
        return v.strip()

    dist = item["distribution"]
    if dist not in DISTRIBUTIONS:
        raise InputError(f"expected one of {', '.join(DISTRIBUTIONS)}, got {dist!r}",
                         file=file, line=_line(item, "distribution"),
                         field=f"{where}.distribution")
    default, low, high = num("default"), num("low"), num("high")
    mode = num("mode") if item.get("mode") is not None else None
    if low > high:
        raise InputError(f"low {low:g} is above high {high:g}", file=file,
                         line=_line(item, "low"), field=f"{where}.low")
    if not low <= default <= high:
        raise InputError(f"default {default:g} is outside [low, high] = [{low:g}, {high:g}]",
                         file=file, line=_line(item, "default"), field=f"{where}.default")
    if dist == "loguniform" and low <= 0:
        raise InputError("a loguniform range needs low > 0", file=file,
                         line=_line(item, "low"), field=f"{where}.low")
    if dist == "triangular":
        if mode is None:
            raise InputError("a triangular distribution needs a mode", file=file, line=line,
                             field=f"{where}.mode")
        if not low <= mode <= high:
            raise InputError(f"mode {mode:g} is outside [{low:g}, {high:g}]", file=file,
                             line=_line(item, "mode"), field=f"{where}.mode")
    return ParamSpec(
        name=name, default=default, unit=str(text("unit")), distribution=dist,
        low=low, high=high, mode=mode, rationale=str(text("rationale")),
        citation=text("citation", required=False),
    )


def _parse_full(data: LineDict | dict, file: str) -> Params:
    version = data.get("version")
    if str(version) != FILE_VERSION:
        raise InputError(f"expected version {FILE_VERSION}, got {version!r}", file=file,
                         line=_line(data, "version"), field="version")
    raw = data.get("parameters")
    if not isinstance(raw, list) or not raw:
        raise InputError("expected a non-empty list of parameters", file=file,
                         line=_line(data, "parameters"), field="parameters")
    specs: dict[str, ParamSpec] = {}
    for i, item in enumerate(raw):
        line = raw.item_lines[i] if isinstance(raw, LineList) else None
        spec = _parse_spec(item, file, line, f"parameters[{i}]")
        if spec.name in specs:
            raise InputError("parameter defined twice", file=file, line=line,
                             field=f"parameters.{spec.name}")
        specs[spec.name] = spec
    return Params(
        values=MappingProxyType({k: s.default for k, s in specs.items()}),
        specs=MappingProxyType(specs),
        version=str(version),
    )


def _read(path: Path) -> Any:
    data = load_yaml_file(path)
    if not isinstance(data, dict):
        raise InputError("a parameter file must be a mapping at the top level", file=path,
                         line=1)
    for key in data:
        if key not in ("version", "parameters", "description"):
            raise InputError("unknown section; expected version, parameters or description",
                             file=path, line=_line(data, key), field=key)
    if "parameters" not in data:
        raise InputError("required section is missing", file=path, line=1, field="parameters")
    return data


_SHIPPED: Params | None = None


def shipped_params() -> Params:
    """The shipped defaults (parsed once)."""
    global _SHIPPED
    if _SHIPPED is None:
        path = default_path()
        _SHIPPED = _parse_full(_read(path), str(path))
    return _SHIPPED


def load_params(
    path: str | Path | None = None, overrides: Mapping[str, float] | None = None
) -> Params:
    """The shipped parameters, changed by a user file and then by ``overrides``.

    ``path`` is either a short file ``{parameters: {name: value}}`` (values on top of the
    shipped defaults) or a full copy of the parameter file (which then must define every
    parameter the model uses, and nothing else).
    """
    base = shipped_params()
    params = base
    if path is not None:
        p = Path(path)
        data = _read(p)
        raw = data["parameters"]
        if isinstance(raw, dict):
            if "version" in data and str(data["version"]) != FILE_VERSION:
                raise InputError(f"expected version {FILE_VERSION}, got {data['version']!r}",
                                 file=p, line=_line(data, "version"), field="version")
            lines = raw.key_lines if isinstance(raw, LineDict) else {}
            params = base.with_overrides(dict(raw), file=str(p), lines=lines)
        else:
            params = _parse_full(data, str(p))
            missing = [n for n in base.specs if n not in params.specs]
            if missing:
                raise InputError(f"missing parameter(s) {', '.join(missing)}", file=p,
                                 line=_line(data, "parameters"), field="parameters")
            extra = [n for n in params.specs if n not in base.specs]
            if extra:
                raise InputError(f"unknown parameter(s) {', '.join(extra)}", file=p,
                                 line=_line(data, "parameters"), field="parameters")
    if overrides:
        params = params.with_overrides(overrides)
    return params


def parse_param_assignments(items: list[str]) -> dict[str, float]:
    """``["lambda_km=800", ...]`` from the command line -> ``{"lambda_km": 800.0}``."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError(f"expected name=value, got {item!r}", field="--param")
        if name in out:
            raise InputError(f"parameter {name!r} given twice", field="--param")
        out[name] = _as_float(value.strip(), file=None, line=None, field=f"--param {name}")
    return out


# -- drawing ------------------------------------------------------------------------


def _stream(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(seed), zlib.crc32(name.encode())]))


def draw_params(params: Params, n: int, seed: int) -> ParamBatch:
    """``n`` draws from every parameter's distribution; fixed and pinned ones stay constant."""
    if n < 1:
        raise InputError(f"the number of draws must be at least 1, got {n}", field="draws")
    if seed < 0:
        raise InputError(f"the seed must be non-negative, got {seed}", field="seed")
    values: dict[str, NDArray[np.float64]] = {}
    for name, spec in params.specs.items():
        if spec.distribution == "fixed" or name in params.pinned or spec.low == spec.high:
            values[name] = np.full(n, float(params[name]))
            continue
        rng = _stream(seed, name)
        if spec.distribution == "uniform":
            values[name] = rng.uniform(spec.low, spec.high, n)
        elif spec.distribution == "loguniform":
            values[name] = np.exp(rng.uniform(math.log(spec.low), math.log(spec.high), n))
        else:  # triangular
            values[name] = rng.triangular(spec.low, float(spec.mode), spec.high, n)
    return ParamBatch(values=MappingProxyType(values), n=n)
