"""The assessment as one self-contained HTML page.

The page is meant to be sent, archived and opened anywhere, offline: CSS is inline,
figures are inline SVG, there are no scripts, fonts or links to fetch. It puts the
numbers and the texts side by side — the map and the causes of every change, then the
verdict under each reading with the clauses it rests on, cited — and states every
choice the numbers depend on (parameters, seed, draws, the territorial setting), so a
reader who disagrees can see where and rerun with other choices.

Input is the assessment's JSON dict (``Assessment.to_json()``), the stable contract,
so a saved JSON can be rendered again later or in another language.
"""

from __future__ import annotations

import html as _html
import math
from collections.abc import Mapping, Sequence
from typing import Any

from indivisible.errors import InputError
from indivisible.report.charts import contributions_svg, most_affected
from indivisible.report.labels import labels
from indivisible.report.maps import delta_colour, map_svg, vmax_of

REQUIRED = ("action", "date", "states", "verdicts")
VERDICT_CLASS = {"permitted": "ok", "not permitted": "no", "depends on assumptions": "dep"}

CSS = """
:root{--ink:#1d2329;--muted:#5b6670;--line:#dde2e6;--bg:#fafbfc;--ok:#1b7a45;--no:#b3261e;
--dep:#9a5b00;--loss:#b2182b;--gain:#2166ac}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,
"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:28px 28px 48px}
h1{font-size:1.65rem;margin:0 0 .2rem;line-height:1.25}
h2{font-size:1.15rem;margin:2.2rem 0 .6rem;padding-bottom:.3rem;border-bottom:2px solid var(--line)}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
p{margin:.4rem 0}
.lede{color:var(--muted);margin:.2rem 0 1rem;max-width:60rem}
.meta{display:flex;flex-wrap:wrap;gap:.4rem 1.6rem;margin:.6rem 0;padding:0;list-style:none;
font-size:.92rem}
.meta b{color:var(--muted);font-weight:600;margin-right:.35rem}
.note{color:var(--muted);font-size:.86rem;max-width:60rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:12px;
margin:.8rem 0}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .k{font-size:.8rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.card .v{font-size:1.25rem;font-weight:650;margin-top:.15rem}
.card .s{font-size:.85rem;color:var(--muted)}
.loss{color:var(--loss)}.gain{color:var(--gain)}
figure{margin:.6rem 0;background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px}
figure svg{display:block;width:100%;height:auto}
figcaption{font-size:.85rem;color:var(--muted);padding:6px 6px 2px}
.verdicts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px}
.verdict{background:#fff;border:1px solid var(--line);border-left:6px solid var(--muted);
border-radius:8px;padding:12px 16px}
.verdict.ok{border-left-color:var(--ok)}.verdict.no{border-left-color:var(--no)}
.verdict.dep{border-left-color:var(--dep)}
.verdict h3{margin:0;font-size:1rem;
font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.pill{display:inline-block;border-radius:999px;padding:.1rem .7rem;font-weight:650;font-size:.9rem;
color:#fff;background:var(--muted);margin:.45rem 0 .2rem}
.pill.ok{background:var(--ok)}.pill.no{background:var(--no)}.pill.dep{background:var(--dep)}
.meter{height:8px;background:#edf0f2;border-radius:4px;overflow:hidden;margin:.3rem 0 .1rem}
.meter span{display:block;height:100%;background:#6b7a87}
.rob{font-size:.85rem;color:var(--muted)}
.verdict ul,.cites{margin:.3rem 0 0;padding-left:1.1rem;font-size:.88rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;
background:#f0f2f4;border-radius:4px;padding:.05rem .3rem}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.88rem;margin:.4rem 0}
th,td{border-bottom:1px solid var(--line);padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#f3f5f7;font-weight:600;color:#333}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.sw{display:inline-block;width:.9rem;height:.9rem;border-radius:2px;border:1px solid #999;
vertical-align:-2px}
.badge{display:inline-block;font-size:.75rem;font-weight:600;text-transform:uppercase;
letter-spacing:.04em;color:#5a4a00;background:#fff4c2;border:1px solid #e6d37a;border-radius:4px;
padding:.05rem .45rem;margin-left:.5rem;vertical-align:2px}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
.params{columns:3 16rem;font-size:.86rem;margin:.4rem 0;padding:0;list-style:none}
.params li{break-inside:avoid;padding:.1rem 0}
ol.sources{font-size:.88rem}
footer{margin-top:2.5rem;color:var(--muted);font-size:.8rem;border-top:1px solid var(--line);
padding-top:.6rem}
@media print{body{background:#fff}main{max-width:none;padding:0}
figure,.card,.verdict{break-inside:avoid}}
"""


def _e(value: Any) -> str:
    return _html.escape(str(value), quote=True)


def _num(value: Any, signed: bool = False, digits: int = 3) -> str:
    if value is None:
        return "—"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return _e(value)
    if not math.isfinite(v):
        return "∞" if v > 0 else "—"
    if v == 0:
        return "0"
    return f"{v:+.{digits}g}" if signed else f"{v:.{digits}g}"


def _delta(value: Any) -> str:
    """Changes in a fixed layout so a column of them lines up; tiny ones in e-notation."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "—"
    if v == 0:
        return "0"
    return f"{v:+.5f}" if abs(v) >= 1e-4 else f"{v:+.2e}"


def _pct(value: Any, lang: str = "en") -> str:
    try:
        text = f"{float(value):.0%}"
    except (TypeError, ValueError):
        return "—"
    return text.replace("%", "\u00a0%") if lang == "fr" else text


def _check(data: Mapping[str, Any]) -> None:
    if not isinstance(data, Mapping):
        raise InputError("expected the assessment's JSON object", field="assessment")
    for key in REQUIRED:
        if key not in data:
            raise InputError(f"missing key {key!r} (expected an Assessment.to_json() result)",
                             field=key)
    for i, s in enumerate(data["states"]):
        for key in ("iso3", "before", "after", "delta"):
            if key not in s:
                raise InputError(f"missing key {key!r}", field=f"states[{i}]")
        if not isinstance(s["delta"], int | float):
            raise InputError(f"expected a number, got {s['delta']!r}", field=f"states[{i}].delta")


def _cite(cid: str, citations: Mapping[str, str], lab: Mapping[str, str]) -> str:
    text = citations.get(cid)
    cite = _e(text) if text else f"<i>{_e(lab['no_citation'])}</i>"
    return f"<code>{_e(cid)}</code> — {cite}"


def _header(data: Mapping[str, Any], lab: Mapping[str, str], crimea: str) -> str:
    scen = data.get("scenario") or {}
    items = [
        (lab["date"], _e(data["date"])),
        (lab["actors"], _e(", ".join(data.get("actors") or []) or "—")),
        (lab["scenario"], _e(scen.get("title", "—"))),
    ]
    meta = "".join(f"<li><b>{_e(k)}</b>{v}</li>" for k, v in items)
    return (
        f"<header><h1>{_e(lab['doc_title'])}{_e(lab['colon'])}{_e(data['action'])}</h1>"
        f"<p class='lede'>{_e(data.get('description', ''))}</p>"
        f"<ul class='meta'>{meta}</ul>"
        f"<p class='note'>{_e(lab['crimea_' + crimea])}</p>"
        + "".join(f"<p class='note'><b>⚠</b> {_e(n)}</p>" for n in data.get("notes") or [])
        + "</header>"
    )


def _summary(data: Mapping[str, Any], lab: Mapping[str, str]) -> str:
    states = data["states"]
    actors = set(data.get("actors") or [])
    by = {s["iso3"]: s for s in states}
    others = [s for s in states if s["iso3"] not in actors]
    worst = min(others, key=lambda s: s["delta"], default=None)
    best = max(states, key=lambda s: s["delta"], default=None)

    def who(s: Mapping[str, Any] | None, cls: str) -> str:
        if s is None:
            return f"<div class='v'>{_e(lab['nobody'])}</div>"
        return (f"<div class='v {cls}'>{_num(s['delta'], signed=True)}</div>"
                f"<div class='s'>{_e(s['iso3'])} · {_e(s.get('name', ''))}</div>")

    def group(codes: Sequence[str]) -> str:
        names = ", ".join(codes) if codes else lab["nobody"]
        return f"<div class='v'>{len(codes)}</div><div class='s'>{_e(names)}</div>"

    gainers = [c for c in data.get("gainers", []) if c in by]
    losers = [c for c in data.get("losers", []) if c in by]
    cards = [
        (lab["worst_loser"], who(worst if worst and worst["delta"] < 0 else None, "loss")),
        (lab["top_gainer"], who(best if best and best["delta"] > 0 else None, "gain")),
        (lab["n_losers"], group(losers)),
        (lab["n_gainers"], group(gainers)),
    ]
    body = "".join(f"<div class='card'><div class='k'>{_e(k)}</div>{v}</div>" for k, v in cards)
    return f"<section><h2>{_e(lab['summary'])}</h2><div class='cards'>{body}</div></section>"


def _verdicts(data: Mapping[str, Any], lab: Mapping[str, str], lang: str) -> str:
    citations = data.get("citations") or {}
    cards = []
    for reading, v in data["verdicts"].items():
        word = str(v.get("verdict", ""))
        cls = VERDICT_CLASS.get(word, "")
        raw = v.get("robustness")
        rob = float(raw) if raw is not None else 0.0
        clauses = "".join(f"<li>{_cite(c, citations, lab)}</li>" for c in v.get("clauses") or [])
        rests = (f"<div class='rob'>{_e(lab['rests_on'] + lab['colon'])}</div><ul>{clauses}</ul>"
                 if clauses else "")
        cards.append(
            f"<article class='verdict {cls}' id='verdict-{_e(reading)}'>"
            f"<h3>{_e(reading)}</h3>"
            f"<span class='pill {cls}'>{_e(lab.get(word, word))}</span>"
            f"<div class='meter' title='{_e(lab['robustness'])}'>"
            f"<span style='width:{max(0.0, min(rob, 1.0)) * 100:.1f}%'></span></div>"
            f"<div class='rob'>{_e(lab['robustness'] + lab['colon'])}<b>{_pct(raw, lang)}</b></div>"
            f"<p>{_e(v.get('reason', ''))}</p>{rests}</article>"
        )
    return (f"<section><h2>{_e(lab['verdicts'])}</h2><p class='note'>{_e(lab['verdicts_note'])}"
            f"</p><div class='verdicts'>{''.join(cards)}</div></section>")


def _clause_table(title: str, ids: Sequence[str], citations: Mapping[str, str],
                  lab: Mapping[str, str]) -> str:
    if ids:
        rows = "".join(
            f"<tr><td><code>{_e(c)}</code></td><td>{_e(citations[c]) if c in citations else ''}"
            f"{'' if c in citations else '<i>' + _e(lab['no_citation']) + '</i>'}</td></tr>"
            for c in ids
        )
    else:
        rows = f"<tr><td colspan='2'>{_e(lab['nobody'])}</td></tr>"
    return (f"<div><h3>{_e(title)}</h3><table><tr><th>{_e(lab['clause'])}</th>"
            f"<th>{_e(lab['citation'])}</th></tr>{rows}</table></div>")


def _rights(data: Mapping[str, Any], lab: Mapping[str, str]) -> str:
    cites = data.get("citations") or {}
    return (f"<section><h2>{_e(lab['rights_obligations'])}</h2><div class='two'>"
            f"{_clause_table(lab['rights_invoked'], data.get('rights_invoked') or [], cites, lab)}"
            f"{_clause_table(lab['obligations_engaged'], data.get('obligations_engaged') or [], cites, lab)}"  # noqa: E501
            f"</div></section>")


def _table(head: Sequence[tuple[str, bool]], rows: Sequence[Sequence[str]], empty: str) -> str:
    """``head``: (label, numeric) pairs; cells are already escaped HTML."""
    th = "".join(f"<th class='n'>{_e(h)}</th>" if n else f"<th>{_e(h)}</th>" for h, n in head)
    if not rows:
        return f"<table><tr>{th}</tr><tr><td colspan='{len(head)}'>{_e(empty)}</td></tr></table>"
    body = "".join(
        "<tr>" + "".join(f"<td class='n'>{c}</td>" if n else f"<td>{c}</td>"
                         for c, (_, n) in zip(r, head, strict=True)) + "</tr>"
        for r in rows
    )
    return f"<table><tr>{th}</tr>{body}</table>"


def _indicators(data: Mapping[str, Any], lab: Mapping[str, str]) -> str:
    ind = data.get("indicators") or {}
    sphere = ind.get("sphere_of_influence") or {}
    comm = ind.get("commensurate_capabilities") or {}
    badge = f"<span class='badge'>{_e(lab['indicator_badge'])}</span>"
    s_rows = [[_e(x.get("iso3")), _e(x.get("of")), _e(x.get("power")),
               _num(x.get("share_before")), _num(x.get("share_after"))]
              for x in sphere.get("states") or []]
    c_rows = [[_e(x.get("iso3")), _num(x.get("ratio_before")), _num(x.get("ratio_after")),
               _e(lab["yes"] if x.get("exceeds_after") else lab["no"])]
              for x in comm.get("actors") or []]
    return (
        f"<section><h2>{_e(lab['indicators'])}{badge}</h2>"
        f"<p class='note'>{_e(lab['indicators_note'])}</p><div class='two'>"
        f"<div><h3>{_e(lab['sphere'])}{badge}</h3><p class='note'>{_e(lab['sphere_note'])} "
        f"({_e(lab['threshold'])} {_num(sphere.get('threshold'))}).</p>"
        + _table([(lab["state"], False), (lab["of"], False), (lab["power"], False),
                  (lab["share_before"], True), (lab["share_after"], True)], s_rows, lab["nobody"])
        + f"</div><div><h3>{_e(lab['commensurate'])}{badge}</h3>"
        f"<p class='note'>{_e(lab['commensurate_note'])} ({_e(lab['ratio'])} "
        f"{_num(comm.get('ratio'))}).</p>"
        + _table([(lab["actor"], False), (lab["ratio_before"], True), (lab["ratio_after"], True),
                  (lab["exceeds"], False)], c_rows, lab["nobody"])
        + "</div></div></section>"
    )


def _role(iso3: str, data: Mapping[str, Any], lab: Mapping[str, str]) -> str:
    roles = []
    if iso3 in (data.get("actors") or []):
        roles.append(lab["actor"])
    if iso3 in (data.get("gainers") or []):
        roles.append(f"<span class='gain'>{_e(lab['gainer'])}</span>")
    elif iso3 in (data.get("losers") or []):
        roles.append(f"<span class='loss'>{_e(lab['loser'])}</span>")
    else:
        roles.append(f"<span class='note'>{_e(lab['unchanged'])}</span>")
    return ", ".join(roles)


def _states(data: Mapping[str, Any], lab: Mapping[str, str], vmax: float, eps: float) -> str:
    rows = []
    for s in sorted(data["states"], key=lambda s: (s["delta"], s["iso3"])):
        sw = f"<span class='sw' style='background:{delta_colour(s['delta'], vmax, eps)}'></span>"
        cls = "loss" if s["delta"] < -eps else "gain" if s["delta"] > eps else ""
        rows.append([
            sw, f"<code>{_e(s['iso3'])}</code>", _e(s.get("name", "")), f"{s['before']:.4f}",
            f"{s['after']:.4f}", f"<span class='{cls}'>{_delta(s['delta'])}</span>",
            _role(s["iso3"], data, lab),
        ])
    head = [("", False), (lab["iso3"], False), (lab["state"], False), (lab["before"], True),
            (lab["after"], True), (lab["delta"], True), (lab["role"], False)]
    return (f"<section><h2>{_e(lab['states_table'])}</h2>"
            f"{_table(head, rows, lab['nobody'])}</section>")


def _factors(data: Mapping[str, Any], lab: Mapping[str, str]) -> str:
    chosen = most_affected(data["states"], data.get("actors") or [], 6)
    keys: list[str] = []
    for s in chosen:
        for k in (s.get("contributions") or {}).get("by_factor", {}):
            if k not in keys:
                keys.append(k)
    if not chosen or not keys:
        return ""
    rows = [[f"<code>{_e(s['iso3'])}</code> {_e(s.get('name', ''))}",
             _delta(s["delta"])]
            + [_delta(s["contributions"]["by_factor"].get(k)) for k in keys]
            for s in chosen]
    head = [(lab["state"], False), (lab["delta"], True)] + [(k, True) for k in keys]
    return f"<h3>{_e(lab['factors'])}</h3>{_table(head, rows, lab['nobody'])}"


def _method(data: Mapping[str, Any], lab: Mapping[str, str], crimea: str) -> str:
    params = data.get("params") or {}
    plist = "".join(f"<li><code>{_e(k)}</code> = {_num(v, digits=4)}</li>"
                    for k, v in sorted(params.items()))
    assumptions = data.get("assumptions") or {}
    used = assumptions.get("claims_used") or {}
    claims = assumptions.get("claims") or {}
    if used:  # each contested figure in play: the side taken, pinned or the stated default
        claim_text = "; ".join(
            f"{k}: {c['used']} ({lab['claim_pinned'] if c['pinned'] else lab['claim_default']}"
            f"; {lab['claim_alternatives']}: {', '.join(c['alternatives']) or '—'})"
            for k, c in sorted(used.items()))
    else:
        claim_text = (", ".join(f"{k}: {v}" for k, v in sorted(claims.items()))
                      if claims else lab["default_claims"])
    items = [
        (lab["seed"], _e(data.get("seed", "—"))),
        (lab["draws"], _e(data.get("draws", "—"))),
        (lab["epsilon"], _num(data.get("epsilon"), digits=4)),
        (lab["claims"], _e(claim_text)),
    ]
    meta = "".join(f"<li><b>{_e(k)}</b>{v}</li>" for k, v in items)
    return (f"<section><h2>{_e(lab['method'])}</h2><ul class='meta'>{meta}</ul>"
            f"<p><b>{_e(lab['territory'] + lab['colon'])}</b>{_e(lab['crimea_' + crimea])}</p>"
            f"<h3>{_e(lab['parameters'])}</h3><ul class='params'>{plist}</ul></section>")


def _sources(data: Mapping[str, Any], lab: Mapping[str, str]) -> str:
    items = "".join(f"<li>{_e(s)}</li>" for s in data.get("sources") or [])
    body = f"<ol class='sources'>{items}</ol>" if items else f"<p>{_e(lab['nobody'])}</p>"
    return f"<section><h2>{_e(lab['sources'])}</h2>{body}</section>"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("indivisible")
    except PackageNotFoundError:
        return "dev"


def render_assessment_html(data: Mapping[str, Any], lang: str = "en") -> str:
    """A complete, self-contained HTML document for one assessment."""
    lab = labels(lang)
    _check(data)
    scen = data.get("scenario") or {}
    crimea = str(scen.get("crimea") or (data.get("assumptions") or {}).get("crimea") or "UKR")
    if crimea not in ("UKR", "RUS"):
        raise InputError(f"expected UKR or RUS, got {crimea!r}", field="scenario.crimea")
    eps = float(data.get("epsilon") or 0.0)
    actors = list(data.get("actors") or [])
    deltas = {s["iso3"]: float(s["delta"]) for s in data["states"]}
    vmax = vmax_of(deltas.values())

    the_map = map_svg(deltas, data.get("sites") or [], crimea, actors=actors, epsilon=eps,
                      lang=lang)
    chart = contributions_svg(data["states"], actors=actors, lang=lang)
    body = "".join([
        _header(data, lab, crimea),
        _summary(data, lab),
        f"<section><h2>{_e(lab['map'])}</h2><figure>{the_map}"
        f"<figcaption>{_e(lab['map_note'])}</figcaption></figure></section>",
        _verdicts(data, lab, lang),
        f"<section><h2>{_e(lab['contributions'])}</h2><figure>{chart}"
        f"<figcaption>{_e(lab['contributions_note'])}</figcaption></figure>"
        f"{_factors(data, lab)}</section>",
        _rights(data, lab),
        _indicators(data, lab),
        _states(data, lab, vmax, eps),
        _method(data, lab, crimea),
        _sources(data, lab),
        f"<footer>{_e(lab['generated'])} {_e(_version())} · {_e(data['action'])} · "
        f"{_e(data['date'])} · {_e(lab['no_network'])}</footer>",
    ])
    title = f"{lab['doc_title']}{lab['colon']}{data['action']} ({data['date']})"
    return (
        f"<!doctype html>\n<html lang='{_e(lang)}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )
