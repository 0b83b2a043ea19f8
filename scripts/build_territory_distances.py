"""Compute the distance tables the package ships (data/geo/*.csv).

``territory_distances.csv``: every pair of the 57 OSCE states under the default Crimea
setting, and the pairs that involve Ukraine or Russia under ``crimea=RUS``, computed with
``indivisible.world.geo.compute_pair_km`` from the Natural Earth file whose SHA-256 the
table records.

``territory_parts.csv``: for each state (and for UKR and RUS under both Crimea
settings) the distance of every connected part of its territory to the part holding its
capital (``geo.compute_part_km``), from which the core territory at any gap follows; a
part is named by its bounds (``geo.part_key``: min lon, min lat, max lon, max lat).

``core_distances.csv``: the same pairs as the first table between core territories at
the default ``core_gap_km`` (``geo.CORE_GAP_KM``), computed with
``geo.compute_core_pair_km``.

The last two record the hash of the capital points that seed the cores as well.

Run it after changing the geography code, the capitals or the Natural Earth package:

    python scripts/build_territory_distances.py
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from indivisible.world import geo


def rows(pair_km: Callable[[str, str, str], float]) -> list[str]:
    codes = sorted(geo.OSCE_STATES)
    out = []
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            out.append(f"{a},{b},UKR,{pair_km(a, b, 'UKR')!r}")
            if {a, b} & set(geo.CRIMEA_CHOICES):
                out.append(f"{a},{b},RUS,{pair_km(a, b, 'RUS')!r}")
    return out


def part_rows() -> list[str]:
    out = []
    for iso3 in sorted(geo.OSCE_STATES):
        for crimea in geo.CRIMEA_CHOICES if iso3 in geo.CRIMEA_CHOICES else ("UKR",):
            polygons, _ = geo._polygons(iso3, crimea)
            for part, km in zip(polygons, geo.compute_part_km(iso3, crimea), strict=True):
                out.append(f"{iso3},{crimea},{geo.part_key(part)},{km!r}")
    return out


def _write(name: str, header: str, body: list[str], columns: str = "a,b,crimea,km") -> None:
    path = Path(str(resources.files("indivisible") / "data" / "geo" / name))
    path.write_text("\n".join([header, columns, *body]) + "\n", encoding="utf-8")
    print(f"wrote {path}")


def main() -> None:
    source = f"source={geo.NATURAL_EARTH_SOURCE}; computed_by=scripts/build_territory_distances.py"
    _write(
        "territory_distances.csv",
        f"# natural_earth_sha256={geo.natural_earth_sha256()}; {source}",
        rows(geo.compute_pair_km),
    )
    hashes = (f"natural_earth_sha256={geo.natural_earth_sha256()}; "
              f"capitals_sha256={geo.capitals_sha256()}")
    _write(geo.PARTS_TABLE, f"# {hashes}; {source}", part_rows(), "iso3,crimea,bounds,km")
    gap = geo.CORE_GAP_KM
    _write(
        geo.CORE_TABLE,
        f"# {hashes}; core_gap_km={gap!r}; {source}",
        rows(lambda a, b, crimea: geo.compute_core_pair_km(a, b, crimea, gap)),
    )


if __name__ == "__main__":
    main()
