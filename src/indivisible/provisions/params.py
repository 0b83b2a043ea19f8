"""Parameters of the provisions: numbers with units, sources and confidence, user-overridable.

A provision's threshold is a fact about a text (9,000 troops), an unconfirmed lead (42 days'
notice) or an encoding choice the text leaves open (the width of a border zone). All three
live in data, carry their status, and can be changed with ``--param NAME=VALUE``, so a
result never hides which number it used.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from indivisible.errors import InputError

Confidence = Literal["confirmed", "approximate", "unconfirmed", "derived", "assumption"]
ParamValue = bool | int | float | str | dt.date | list[str]


class ParameterSpec(BaseModel):
    """One parameter as written in a provisions data file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: ParamValue
    unit: str = Field(min_length=1)
    source: str = Field(min_length=3)
    confidence: Confidence
    note: str | None = None
    choices: list[str] | None = None

    @model_validator(mode="after")
    def _choice_valid(self) -> ParameterSpec:
        if self.unit == "date" and not isinstance(self.value, dt.date):
            try:
                object.__setattr__(self, "value", dt.date.fromisoformat(str(self.value)))
            except ValueError:
                raise ValueError(f"unit is 'date' but {self.value!r} is not YYYY-MM-DD") from None
        if self.choices is not None and self.value not in self.choices:
            raise ValueError(f"value {self.value!r} is not among choices {self.choices}")
        if self.confidence in ("unconfirmed", "assumption") and not (self.note or "").strip():
            raise ValueError(f"a parameter marked {self.confidence} needs a note saying why")
        return self


@dataclass(frozen=True)
class Parameter:
    """A parameter in use: its qualified name, value and where the value came from."""

    name: str
    value: Any
    unit: str
    source: str
    confidence: str
    note: str | None = None
    choices: tuple[str, ...] | None = None
    overridden: bool = False

    def payload(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        out: dict[str, Any] = {
            "value": value, "unit": self.unit, "confidence": self.confidence,
            "source": self.source, "overridden": self.overridden,
        }
        if self.note:
            out["note"] = self.note
        if self.choices:
            out["choices"] = list(self.choices)
        return out


def _convert(raw: str, default: Any, name: str) -> Any:
    """Parse ``raw`` to the type of the default value; errors name the parameter."""
    field = f"--param {name}"
    text = raw.strip()
    if isinstance(default, bool):
        low = text.lower()
        if low in ("true", "yes", "1", "on"):
            return True
        if low in ("false", "no", "0", "off"):
            return False
        raise InputError(f"expected true or false, got {raw!r}", field=field)
    if isinstance(default, int | float):
        try:
            value = float(text)
        except ValueError:
            raise InputError(f"expected a number, got {raw!r}", field=field) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise InputError(f"expected a finite number, got {raw!r}", field=field)
        if value < 0:
            raise InputError(f"expected a number >= 0, got {raw!r}", field=field)
        return int(value) if isinstance(default, int) and value.is_integer() else value
    if isinstance(default, dt.date):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(f"expected a date YYYY-MM-DD, got {raw!r}", field=field) from None
    if isinstance(default, list):
        return [part.strip() for part in text.split(",") if part.strip()]
    if not text:
        raise InputError("expected a non-empty value", field=field)
    return text


class ParameterSet:
    """Every parameter of the provisions, by qualified name ``<agreement>.<name>``."""

    def __init__(self, params: Mapping[str, Parameter]) -> None:
        self._params = dict(params)

    def __getitem__(self, name: str) -> Any:
        return self._params[name].value

    def __contains__(self, name: str) -> bool:
        return name in self._params

    def get(self, name: str) -> Parameter:
        return self._params[name]

    def names(self) -> list[str]:
        return list(self._params)

    def resolve(self, name: str, namespace: str | None = None) -> str:
        """The qualified name for ``name``, trying ``namespace.name`` first."""
        if namespace and f"{namespace}.{name}" in self._params:
            return f"{namespace}.{name}"
        if name in self._params:
            return name
        ends = [k for k in self._params if k.endswith("." + name)]
        if len(ends) == 1:
            return ends[0]
        pool = [k for k in self._params if namespace is None or k.startswith(namespace + ".")]
        if len(ends) > 1:
            hint = f"; it is ambiguous: say one of {', '.join(sorted(ends))}"
        else:
            close = difflib.get_close_matches(name, pool or list(self._params), n=3, cutoff=0.5)
            short = [k.split(".", 1)[1] for k in pool]
            close += [p for p in difflib.get_close_matches(name, short, n=3, cutoff=0.5)
                      if namespace and f"{namespace}.{p}" not in close]
            hint = f"; did you mean {', '.join(close)}?" if close else (
                f"; known: {', '.join(sorted(pool))}" if pool else "")
        raise InputError(f"unknown parameter {name!r}{hint}", field="--param")

    def with_overrides(self, items: Iterable[str], namespace: str | None = None) -> ParameterSet:
        """A copy with ``NAME=VALUE`` overrides applied (values parsed to the default's type)."""
        params = dict(self._params)
        for item in items:
            if "=" not in item:
                raise InputError(f"expected NAME=VALUE, got {item!r}", field="--param")
            name, raw = item.split("=", 1)
            key = self.resolve(name.strip(), namespace)
            current = params[key]
            value = _convert(raw, current.value, key)
            if current.choices and value not in current.choices:
                raise InputError(f"expected one of {', '.join(current.choices)}, got {raw!r}",
                                 field=f"--param {key}")
            params[key] = replace(current, value=value, overridden=True)
        return ParameterSet(params)

    def subset(self, prefix: str) -> dict[str, Parameter]:
        return {k: p for k, p in self._params.items() if k.startswith(prefix + ".")}

    def payload(self, prefix: str | None = None) -> dict[str, dict[str, Any]]:
        items = self._params.items() if prefix is None else self.subset(prefix).items()
        return {k: p.payload() for k, p in items}
