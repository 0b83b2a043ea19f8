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
        return (self.transparency == 0 and self.incident_prevention == 0
                and self.min_approach_km is None and self.exercise_max_troops is None)


NONE = Measures(name="none", note="No measures: the status quo.")

#: Named packages, from the reference digest of the texts (shared/reference/agreements.md).
PACKAGES: dict[str, Measures] = {
    "none": NONE,
    "replies-2022": Measures(
        name="replies-2022",
        transparency=0.5,
        incident_prevention=0.5,
        note=(
            "What the US and NATO written replies of 26 Jan 2022 offered on transparency and "
            "risk reduction: conditions-based reciprocal transparency; a transparency mechanism "
            "for the Aegis Ashore sites against reciprocal transparency on two Russian bases; "
            "reciprocal briefings on exercises, an enhanced notification regime and a modernised "
            "Vienna Document; enhancements of the Incidents at Sea Agreement, measures against "
            "dangerous incidents in the air or at sea, military channels and a hotline."
        ),
        sources=(
            "US non-paper of 26 Jan 2022 as published by El País 2 Feb 2022, via Civil.ge "
            "'Leak: NATO, U.S. Responses to Moscow's Security Demands' (2 Feb 2022)",
            "NATO reply of 26 Jan 2022, via The Wall 'NATO puts forward a proposal…' (27 Jan 2022) "
            "and RT 'US & NATO security responses to Russia leaked' (2 Feb 2022)",
        ),
        assumptions=(
            "transparency = 0.5: the replies offer to discuss transparency, not a regime; "
            "no quantity in the texts",
            "incident_prevention = 0.5: INCSEA enhancements offered for discussion; "
            "no quantity in the texts",
        ),
    ),
    "drafts-2021": Measures(
        name="drafts-2021",
        transparency=0.25,
        incident_prevention=0.25,
        min_approach_km=50.0,
        exercise_zone_km=150.0,
        exercise_max_troops=5000.0,
        note=(
            "What Russia's draft agreement with NATO members of 17 Dec 2021 proposed on "
            "military activity: no exercises above brigade level in a border zone of agreed "
            "width (Art. 7(2)); information on exercises and hotlines (Art. 2); dialogue on "
            "incidents at sea including a maximum approach distance (Art. 3 / US draft)."
        ),
        sources=(
            "Draft Agreement Russia–NATO member States, 17 Dec 2021, Arts. 2, 3, 7(2): AALEP "
            "text of Arts. 1–3; TASS and Interfax-Ukraine reports of 17 Dec 2021",
            "Sputnik, 'Russian Foreign Ministry Publishes Detailed Proposal…', 17 Dec 2021 "
            "(maximum approach distance, no number)",
        ),
        assumptions=(
            "exercise_zone_km = 150: the draft's zone is 'of agreed width', no number given",
            "exercise_max_troops = 5000: 'brigade level' read as about 5,000 troops (unconfirmed)",
            "min_approach_km = 50: a maximum approach distance was proposed with no number",
            "transparency = 0.25, incident_prevention = 0.25: exchanges and dialogue, "
            "no quantity in the texts",
        ),
    ),
}
PACKAGES["both"] = Measures(
    name="both",
    transparency=0.5,
    incident_prevention=0.5,
    min_approach_km=50.0,
    exercise_zone_km=150.0,
    exercise_max_troops=5000.0,
    note="The 2022 replies' offers together with the 2021 drafts' activity limits.",
    sources=PACKAGES["replies-2022"].sources + PACKAGES["drafts-2021"].sources,
    assumptions=PACKAGES["replies-2022"].assumptions + PACKAGES["drafts-2021"].assumptions,
)


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
            "or a YAML file", field="--measures",
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
        raise InputError(msg, file=p, line=line_of(data, loc[:1]) or getattr(data, "line", None),
                         field=".".join(map(str, loc)) or None) from None
