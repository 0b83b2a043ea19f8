"""A plain, self-contained HTML page from titled tables (no network needed to view it)."""

from __future__ import annotations

import html as _html
from collections.abc import Sequence

from indivisible.output import Section, _cell

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:70rem;color:#1d1d1f;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f6}.note{color:#555;font-size:.85rem}
"""


def page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def section_html(s: Section) -> str:
    head = "".join(f"<th>{_html.escape(c)}</th>" for c in s.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_html.escape(_cell(v))}</td>" for v in row) + "</tr>"
        for row in s.rows
    )
    note = f"<p class='note'>{_html.escape(s.note)}</p>" if s.note else ""
    return f"<h2>{_html.escape(s.title)}</h2><table><tr>{head}</tr>{rows}</table>{note}"


def sections_to_html(title: str, sections: Sequence[Section], preamble: str | None = None) -> str:
    body = f"<h1>{_html.escape(title)}</h1>"
    if preamble:
        body += f"<p>{_html.escape(preamble)}</p>"
    body += "".join(section_html(s) for s in sections)
    return page(title, body)
