"""Confidence-building measures as the spiral sees them.

A package of measures acts on three channels of the spiral, and only on those:

- ``transparency`` (0..1): information exchange, notification of exercises, observation,
  reciprocal inspection. It narrows misperception: the perception noise is multiplied by
  ``1 - transparency_efficacy * transparency``.
- ``incident_prevention`` (0..1): rules for encounters at sea and in the air, hotlines. The
  incident rate is multiplied by ``1 - incident_prevention_efficacy * incident_prevention``.
- ``min_approach_km``: no patrol comes closer to the other's territory than this (a patrol's
  closest approach is raised to it); ``exercise_zone_km`` and ``exercise_max_troops``: no
  exercise within the zone exceeds the ceiling (its size is cut to it).

A package is a YAML file of that shape or one of the named packages below. The named ones
encode what the 2021 drafts and the 2022 replies offered; where a text gives no number the
number here is an assumption, listed in ``assumptions`` and reported with every result.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from indivisible.errors import InputError
from indivisible.yamlio import line_of, load_yaml_file


class Measures(BaseModel):
    """A package of confidence-building measures (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(default="custom", min_length=1)
    transparency: float = Field(default=0.0, ge=0.0, le=1.0)
    incident_prevention: float = Field(default=0.0, ge=0.0, le=1.0)
    min_approach_km: float | None = Field(default=None, ge=0.0)
    exercise_zone_km: float | None = Field(default=None, gt=0.0)
    exercise_max_troops: float | None = Field(default=None, ge=0.0)
    sources: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    note: str | None = None

    @property
    def empty(self) -> bool:
        return (
            self.transparency == 0
            and self.incident_prevention == 0
            and self.min_approach_km is None
            and self.exercise_max_troops is None
        )


NONE = Measures(name="none", note="No measures: the status quo.")


def _packages() -> dict[str, Measures]:
    """The named packages, built from ``data/measures.yaml`` by one rule for every text."""
    path = Path(str(resources.files("indivisible") / "data" / "measures.yaml"))
    data = load_yaml_file(path)
    level = float(data["unquantified_level"])
    rule = (
        f"{{channel}} = {level:g}: the text addresses it with no quantity; every such "
        "offer counts the same (data/measures.yaml, unquantified_level)"
    )
    out: dict[str, Measures] = {"none": NONE}
    for raw in data["packages"]:
        addresses = list(raw.get("addresses", []))
        fields = {k: v for k, v in raw.items() if k not in ("addresses",)}
        fields["assumptions"] = tuple(rule.format(channel=c) for c in addresses) + tuple(
            raw.get("assumptions", ())
        )
        fields["sources"] = tuple(raw.get("sources", ()))
        for channel in addresses:
            fields[channel] = level
        out[raw["name"]] = Measures.model_validate(fields)
    rep, dra = out["replies-2022"], out["drafts-2021"]
    out["both"] = Measures(
        name="both",
        transparency=max(rep.transparency, dra.transparency),
        incident_prevention=max(rep.incident_prevention, dra.incident_prevention),
        min_approach_km=dra.min_approach_km,
        exercise_zone_km=dra.exercise_zone_km,
        exercise_max_troops=dra.exercise_max_troops,
        note="The 2022 replies' offers together with the 2021 drafts' offers and activity limits.",
        sources=rep.sources + dra.sources,
        assumptions=tuple(dict.fromkeys(rep.assumptions + dra.assumptions)),
    )
    return out


#: Named packages (see data/measures.yaml).
PACKAGES: dict[str, Measures] = _packages()


def load_measures(name_or_path: str | Path | None) -> Measures:
    """A named package, or a YAML file with the fields of :class:`Measures`."""
    if name_or_path is None:
        return NONE
    key = str(name_or_path)
    if key in PACKAGES:
        return PACKAGES[key]
    p = Path(key)
    if p.suffix.lower() not in (".yaml", ".yml") and not p.exists():
        raise InputError(
            f"unknown measures package {key!r}; expected one of {', '.join(PACKAGES)} "
            "or a YAML file",
            field="--measures",
        )
    data = load_yaml_file(p)
    if isinstance(data, dict) and "measures" in data and len(data) == 1:
        data = data["measures"]
    if not isinstance(data, dict):
        raise InputError("expected a mapping of measure fields", file=p, line=1)
    payload = dict(data)
    payload.setdefault("name", p.stem)
    try:
        return Measures.model_validate(payload)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err.get("loc", ()))
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        if err.get("type") == "extra_forbidden":
            msg = f"unknown field; expected one of {', '.join(Measures.model_fields)}"
        raise InputError(
            msg,
            file=p,
            line=line_of(data, loc[:1]) or getattr(data, "line", None),
            field=".".join(map(str, loc)) or None,
        ) from None
