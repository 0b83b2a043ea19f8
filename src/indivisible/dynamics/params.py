"""The parameters of the spiral and of the game view, with their ranges.

They live in ``data/dynamics_parameters.yaml`` (the schema of the security model's
``parameters.yaml``: name, default, unit, distribution, low, high, mode, rationale,
citation; distributions uniform, loguniform, triangular with its mode, or fixed), so
that a user can read why each value is what it is and change it. Monte Carlo draws come from
the stated distributions; per-state coefficients are drawn independently for every state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from indivisible.errors import InputError
from indivisible.yamlio import LineDict, LineList, line_of, load_yaml_file

Distribution = Literal["uniform", "loguniform", "triangular", "fixed"]

#: Parameters drawn once per state and per run (the rest once per run).
PER_STATE: tuple[str, ...] = ("reaction", "fatigue", "grievance")
FILE_VERSION = "1"


class ParamSpec(BaseModel):
    """One parameter: its value, its unit, its range and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    default: float
    unit: str = Field(min_length=1)
    distribution: Distribution
    low: float
    high: float
    mode: float | None = None
    rationale: str = Field(min_length=10)
    citation: str | None = Field(default=None, min_length=3)

    @model_validator(mode="after")
    def _range(self) -> ParamSpec:
        if self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        if not self.low <= self.default <= self.high:
            raise ValueError(
                f"default {self.default} is outside [low, high] = [{self.low}, {self.high}]"
            )
        if self.distribution == "loguniform" and self.low <= 0:
            raise ValueError("a loguniform range needs low > 0")
        if self.distribution == "triangular" and (
            self.mode is None or not self.low <= self.mode <= self.high
        ):
            raise ValueError("a triangular distribution needs a mode within [low, high]")
        return self


@dataclass(frozen=True)
class DynamicsParams:
    """Named parameter values (defaults unless overridden) with their specs."""

    specs: Mapping[str, ParamSpec]
    values: Mapping[str, float]
    source: str = "<defaults>"
    by_state: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> float:
        return self.values[name]

    def __contains__(self, name: object) -> bool:
        return name in self.values

    def to_dict(self) -> dict[str, float]:
        return dict(self.values)

    def with_overrides(self, overrides: Mapping[str, float] | None) -> DynamicsParams:
        """A copy with some values set and pinned (not drawn); a value outside its range is
        refused, because the range is the stated domain of the model."""
        if not overrides:
            return self
        values = dict(self.values)
        specs = dict(self.specs)
        for name, value in overrides.items():
            if name not in specs:
                raise InputError(
                    f"unknown parameter; expected one of {', '.join(sorted(specs))}",
                    field=name,
                )
            try:
                v = float(value)
            except (TypeError, ValueError):
                raise InputError(f"expected a number, got {value!r}", field=name) from None
            spec = specs[name]
            if not np.isfinite(v) or not spec.low <= v <= spec.high:
                raise InputError(f"{v:g} is outside the parameter's range [{spec.low:g}, "
                                 f"{spec.high:g}] ({spec.unit})", field=name)
            values[name] = v
            specs[name] = specs[name].model_copy(
                update={"default": v, "low": v, "high": v, "distribution": "fixed"}
            )
        return DynamicsParams(specs=specs, values=values, source=self.source,
                              by_state=self.by_state)

    def with_state_values(self, by_state: Mapping[str, Mapping[str, float]]) -> DynamicsParams:
        """Fix per-state coefficients (e.g. from ``fit``): ``{iso3: {"reaction": k, ...}}``."""
        for iso3, vals in by_state.items():
            for name in vals:
                if name not in PER_STATE:
                    raise InputError(f"only {', '.join(PER_STATE)} can be set per state",
                                     field=f"{iso3}.{name}")
        return DynamicsParams(specs=self.specs, values=self.values, source=self.source,
                              by_state={k: dict(v) for k, v in by_state.items()})

    def draw(self, name: str, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        """Draws from the stated distribution (the default everywhere when it is fixed)."""
        spec = self.specs[name]
        if spec.distribution == "fixed" or spec.low == spec.high:
            return np.full(shape, self.values[name])
        if spec.distribution == "uniform":
            return rng.uniform(spec.low, spec.high, size=shape)
        if spec.distribution == "loguniform":
            return np.exp(rng.uniform(np.log(spec.low), np.log(spec.high), size=shape))
        return rng.triangular(spec.low, float(spec.mode), spec.high, size=shape)  # type: ignore[arg-type]


def default_path() -> Path:
    return Path(str(resources.files("indivisible") / "data" / "dynamics_parameters.yaml"))


def load_dynamics_params(
    path: str | Path | None = None, overrides: Mapping[str, float] | None = None
) -> DynamicsParams:
    """Read and check a dynamics parameter file (the shipped one by default)."""
    p = Path(path) if path is not None else default_path()
    data = load_yaml_file(p)
    if not isinstance(data, dict) or "parameters" not in data:
        raise InputError("expected a mapping with a 'parameters' list", file=p, line=1,
                         field="parameters")
    lines = data.key_lines if isinstance(data, LineDict) else {}
    for key in data:
        if key not in ("version", "parameters", "description"):
            raise InputError("unknown section; expected version, parameters or description",
                             file=p, line=lines.get(key), field=key)
    if str(data.get("version")) != FILE_VERSION:
        raise InputError(f"expected version {FILE_VERSION}, got {data.get('version')!r}",
                         file=p, line=lines.get("version", 1), field="version")
    raw = data["parameters"]
    top_line = data.key_lines.get("parameters") if isinstance(data, LineDict) else None
    if not isinstance(raw, list):
        raise InputError("expected a list of parameters", file=p, line=top_line,
                         field="parameters")
    specs: dict[str, ParamSpec] = {}
    for i, item in enumerate(raw):
        line = raw.item_lines[i] if isinstance(raw, LineList) else top_line
        if not isinstance(item, dict):
            raise InputError("expected a mapping", file=p, line=line, field=f"parameters[{i}]")
        try:
            spec = ParamSpec.model_validate(dict(item))
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = tuple(err.get("loc", ()))
            msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
            if err.get("type") == "missing":
                msg = "required field is missing"
            elif err.get("type") == "extra_forbidden":
                msg = "unknown field"
            where = line_of(item, loc[:1]) or line
            fld = f"parameters[{i}]" + ("." + ".".join(map(str, loc)) if loc else "")
            raise InputError(msg, file=p, line=where, field=fld) from None
        if spec.name in specs:
            raise InputError(f"parameter {spec.name!r} given twice", file=p, line=line,
                             field=f"parameters[{i}].name")
        specs[spec.name] = spec
    missing = sorted(set(REQUIRED) - set(specs))
    if missing:
        raise InputError(f"missing parameters: {', '.join(missing)}", file=p, field="parameters")
    params = DynamicsParams(specs=specs, values={n: s.default for n, s in specs.items()},
                            source=str(p))
    return params.with_overrides(overrides)


#: Every name the dynamics and games code reads.
REQUIRED: tuple[str, ...] = (
    "reaction", "fatigue", "grievance", "perception_noise", "perception_persistence",
    "transparency_efficacy",
    "incident_rate", "approach_scale_km", "exercise_scale_km", "exercise_troops_unit",
    "incident_prevention_efficacy", "incident_bump", "incident_decay", "spiral_factor",
    "spiral_horizon", "game_arm_step", "game_arm_cost", "game_noise",
    "jervis_offense_threshold", "jervis_distinguishable_threshold",
)
