"""The shipped agreements: their data files, bound to their predicates, and the region sets.

Each agreement is one YAML file in ``data/provisions`` (see :class:`AgreementSpec`); its
provisions' predicates are registered in ``provisions/rules``. A provision without a
predicate, or a predicate without a provision, is a packaging error caught at load time.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from indivisible.errors import InputError
from indivisible.provisions.model import Agreement, AgreementSpec, Provision
from indivisible.provisions.params import Parameter, ParameterSet
from indivisible.world.entities import ISO3
from indivisible.yamlio import line_of, load_yaml_file

#: The agreements, in the order reports list them (file = ``<id>.yaml``).
AGREEMENTS: tuple[str, ...] = (
    "inf-1987",
    "vienna-document-2011",
    "founding-act-1997",
    "draft-us-russia-2021",
    "draft-nato-russia-2021",
    "us-reply-2022",
    "nato-reply-2022",
    "minsk-2015",
)


def data_dir() -> Path:
    return Path(str(resources.files("indivisible") / "data" / "provisions"))


def _validate(model: type[BaseModel], data: Any, path: Path, prefix: str = "") -> Any:
    try:
        return model.model_validate(_plain(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err.get("loc", ()))
        msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        if err.get("type") == "missing":
            msg = "required field is missing"
        elif err.get("type") == "extra_forbidden":
            msg = "unknown field"
        fld = prefix + ".".join(str(p) for p in loc)
        raise InputError(msg, file=path, line=line_of(data, loc), field=fld or None) from None


def _plain(raw: Any) -> Any:
    if isinstance(raw, dict):
        return {k: _plain(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_plain(v) for v in raw]
    return raw


def load_spec(path: str | Path) -> AgreementSpec:
    """One agreement data file, validated (errors name the file, line and field)."""
    p = Path(path)
    data = load_yaml_file(p)
    if not isinstance(data, dict):
        raise InputError("expected a mapping at the top level", file=p, line=1)
    return _validate(AgreementSpec, data, p)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Agreement]:
    """Every shipped agreement with its provisions bound to their predicates."""
    from indivisible.provisions.rules import load_all

    predicates = load_all()
    out: dict[str, Agreement] = {}
    used: set[str] = set()
    for agreement_id in AGREEMENTS:
        path = data_dir() / f"{agreement_id}.yaml"
        spec = load_spec(path)
        if spec.id != agreement_id:
            raise InputError(f"expected id {agreement_id!r}", file=path, field="id")
        provs = []
        for p in spec.provisions:
            if p.id not in predicates:
                raise InputError(f"no predicate is registered for {p.id}", file=path,
                                 field="provisions")
            used.add(p.id)
            provs.append(Provision(spec=p, agreement=spec, predicate=predicates[p.id]))
        out[agreement_id] = Agreement(spec=spec, provisions=tuple(provs))
    orphans = sorted(set(predicates) - used)
    if orphans:
        raise InputError(f"predicates without a provision in the data: {', '.join(orphans)}",
                         file=data_dir())
    return out


def agreement(agreement_id: str) -> Agreement:
    agreements = catalogue()
    if agreement_id not in agreements:
        close = difflib.get_close_matches(agreement_id, list(agreements), n=3, cutoff=0.4)
        hint = (f"; did you mean {', '.join(close)}?" if close
                else f"; known: {', '.join(agreements)}")
        raise InputError(f"unknown agreement {agreement_id!r}{hint}", field="AGREEMENT")
    return agreements[agreement_id]


@lru_cache(maxsize=1)
def default_parameters() -> ParameterSet:
    """Every agreement's parameters, qualified as ``<agreement>.<name>``."""
    params: dict[str, Parameter] = {}
    for a in catalogue().values():
        for name, spec in a.spec.parameters.items():
            params[f"{a.id}.{name}"] = Parameter(
                name=f"{a.id}.{name}", value=spec.value, unit=spec.unit, source=spec.source,
                confidence=spec.confidence, note=spec.note,
                choices=tuple(spec.choices) if spec.choices else None,
            )
    return ParameterSet(params)


class Region(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    states: list[ISO3] = Field(min_length=1)
    source: str = Field(min_length=3)
    confidence: str


@lru_cache(maxsize=1)
def regions() -> dict[str, Region]:
    path = data_dir() / "regions.yaml"
    data = load_yaml_file(path)
    raw = data.get("regions", {}) if isinstance(data, dict) else {}
    return {name: _validate(Region, item, path, f"regions.{name}.") for name, item in raw.items()}


def region(name: str) -> tuple[str, ...]:
    """The states of a named region set (see data/provisions/regions.yaml)."""
    known = regions()
    if name not in known:
        close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(known)}"
        raise InputError(f"unknown region set {name!r}{hint}", field="--param")
    return tuple(known[name].states)
