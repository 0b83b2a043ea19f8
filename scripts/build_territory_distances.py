"""Compute the territory distance table the package ships (data/geo/territory_distances.csv).

Every pair of the 57 OSCE states under the default Crimea setting, and the pairs that
involve Ukraine or Russia under ``crimea=RUS``, computed with
``indivisible.world.geo.compute_pair_km`` from the Natural Earth file whose SHA-256 the
table records. Run it after changing the geography code or the Natural Earth package:

    python scripts/build_territory_distances.py
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from indivisible.world import geo


def rows() -> list[str]:
    codes = sorted(geo.OSCE_STATES)
    out = []
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            out.append(f"{a},{b},UKR,{geo.compute_pair_km(a, b, 'UKR')!r}")
            if {a, b} & set(geo.CRIMEA_CHOICES):
                out.append(f"{a},{b},RUS,{geo.compute_pair_km(a, b, 'RUS')!r}")
    return out


def main() -> None:
    path = Path(str(resources.files("indivisible") / "data" / "geo" / "territory_distances.csv"))
    header = (
        f"# natural_earth_sha256={geo.natural_earth_sha256()}; "
        f"source={geo.NATURAL_EARTH_SOURCE}; "
        "computed_by=scripts/build_territory_distances.py"
    )
    text = "\n".join([header, "a,b,crimea,km", *rows()]) + "\n"
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
