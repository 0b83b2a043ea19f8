"""The register: shipped data is complete, sourced and consistent; the loader rejects bad files
with file, line and field; the queries and the CLI answer the questions the dispute turns on."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

import indivisible.cli
from indivisible.errors import InputError
from indivisible.register import TOPICS, load_register
from indivisible.register.vocabulary import CLAUSE_KINDS

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

DOCUMENT_IDS = {
    "helsinki-1975", "paris-1990", "code-of-conduct-1994", "founding-act-1997", "istanbul-1999",
    "astana-2010", "vienna-document-2011", "inf-1987", "minsk-2015", "draft-us-russia-2021",
    "draft-nato-russia-2021", "us-reply-2022", "nato-reply-2022", "letter-2022-02-01",
}

#: Clause ids other parts of the project (agreements as code, assessment) refer to.
REQUIRED_CLAUSES = [
    "istanbul-1999:8-right", "istanbul-1999:8-no-detriment", "istanbul-1999:8-no-sphere",
    "astana-2010:3-right", "astana-2010:3-no-detriment", "astana-2010:3-no-sphere",
    "helsinki-1975:principle-1", "paris-1990:security",
    "code-of-conduct-1994:para3", "code-of-conduct-1994:para10-11",
    "code-of-conduct-1994:para12", "code-of-conduct-1994:para13", "code-of-conduct-1994:para14",
    "inf-1987:II.5", "inf-1987:II.6", "inf-1987:XV",
    "vienna-document-2011:ch5-notification", "vienna-document-2011:ch6-observation",
    "founding-act-1997:iv-forces", "founding-act-1997:iv-nuclear",
    "minsk-2015:1", "minsk-2015:2", "minsk-2015:addendum",
    *[f"draft-us-russia-2021:art{n}" for n in ("1", "2", "3", "4.1", "4.2", "5.1", "5.2", "6",
                                                "7", "8")],
    *[f"draft-nato-russia-2021:art{n}" for n in ("1.1", "1.2", "1.3", "1.4", "2", "3", "4", "5",
                                                  "6", "7.1", "7.2", "8", "9")],
    "us-reply-2022:aegis-transparency", "us-reply-2022:ukraine-missile-restraint",
    "us-reply-2022:inf-talks", "us-reply-2022:new-start-followon",
    "us-reply-2022:exercise-notification", "us-reply-2022:incidents",
    "us-reply-2022:right-to-choose",
    "nato-reply-2022:exercise-briefings", "nato-reply-2022:vienna-document-modernise",
    "nato-reply-2022:hotline", "nato-reply-2022:missile-talks", "nato-reply-2022:right-to-choose",
    "letter-2022-02-01:question",
]

runner = CliRunner()


@pytest.fixture(scope="module")
def reg():
    return load_register()


def invoke_json(*args: str) -> dict:
    result = runner.invoke(indivisible.cli.app, ["register", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ------------------------------------------------------------------------ shipped data


def test_all_fourteen_documents_present(reg):
    assert set(reg.documents) == DOCUMENT_IDS
    statuses = {d.id: d.status for d in reg.documents.values()}
    assert statuses["inf-1987"] == "legal"
    assert statuses["draft-us-russia-2021"] == statuses["draft-nato-russia-2021"] == "draft"
    assert statuses["us-reply-2022"] == statuses["nato-reply-2022"] == "non-paper"
    assert statuses["istanbul-1999"] == statuses["astana-2010"] == "political"


def test_required_clause_ids_exist_and_name_their_document(reg):
    missing = [c for c in REQUIRED_CLAUSES if c not in reg.clauses]
    assert missing == []
    for cid, clause in reg.clauses.items():
        assert cid.split(":", 1)[0] == clause.document
        assert clause.document in reg.documents
    # every document has clauses
    assert all(reg.clauses_for(document=d) for d in reg.documents)


def test_clause_topics_and_kinds_are_in_the_closed_vocabulary(reg):
    for clause in reg.clauses.values():
        assert clause.topics and set(clause.topics) <= set(TOPICS), clause.id
        assert clause.kind in CLAUSE_KINDS
    for reading in reg.readings.values():
        assert set(reading.indicators) <= set(TOPICS)
    for must in ("free-choice", "neutrality", "no-detriment", "no-sphere-of-influence",
                 "commensurate-capabilities", "legitimate-concerns", "equal-security",
                 "host-consent", "notification", "missile-ranges", "enlargement",
                 "force-posture", "nuclear-deployment", "exercises", "incidents"):
        assert must in TOPICS
        assert reg.clauses_for(topic=must), f"no clause carries {must}"


def test_every_entry_has_resolvable_sources(reg):
    collections = [reg.documents, reg.clauses, reg.links, reg.readings, reg.events, reg.positions]
    for coll in collections:
        for entry in coll.values():
            assert entry.sources, entry.id
            assert all(s in reg.sources for s in entry.sources), entry.id
    for event in reg.events.values():
        assert all(c.source in reg.sources for c in event.claims)
    for entry in (*reg.documents.values(), *reg.clauses.values(), *reg.events.values(),
                  *reg.positions.values(), *reg.links.values()):
        if not entry.confirmed:
            assert entry.note, entry.id


def test_unconfirmed_digest_items_stay_unconfirmed(reg):
    for cid in ("helsinki-1975:principle-1", "paris-1990:security", "istanbul-1999:8-right",
                "astana-2010:3-no-detriment", "code-of-conduct-1994:legitimate-concerns",
                "vienna-document-2011:ch5-notice-period", "vienna-document-2011:ch8-constraints",
                "draft-us-russia-2021:art2", "draft-us-russia-2021:art8",
                "draft-nato-russia-2021:art8", "inf-1987:VII"):
        assert reg.clause(cid).confirmed is False, cid
    # confirmed figures carry their numbers
    assert reg.clause("vienna-document-2011:ch5-notification").quantities["troops_min"] == 9000
    assert reg.clause("vienna-document-2011:ch6-observation").quantities["troops_min"] == 13000
    ii5 = reg.clause("inf-1987:II.5").quantities
    ii6 = reg.clause("inf-1987:II.6").quantities
    assert (ii6["range_km_min"], ii6["range_km_max"]) == (500, 1000)
    assert (ii5["range_km_above"], ii5["range_km_max"]) == (1000, 5500)
    # the two INF bands meet at 1,000 km without overlapping: II.6 closed, II.5 open below
    assert ii6["range_km_max"] == ii5["range_km_above"]
    # figures that do not add up are kept as given, but flagged
    add = reg.clause("minsk-2015:addendum")
    q = add.quantities
    if q["stage1_days"] + q["stage2_days"] != q["total_days"]:
        assert not add.confirmed and "39" in add.note and "41" in add.note


def test_french_sources_are_cited_as_outlets_with_their_files(reg):
    fr = [s for s in reg.sources.values() if s.locator and s.locator.startswith("shared/sources/")]
    assert len(fr) == 5
    assert {s.language for s in fr} == {"fr"}
    if SHARED.is_dir():
        for s in fr:
            assert (SHARED.parent / "shared" / s.locator.removeprefix("shared/")).is_file()


# ------------------------------------------------------------------------ compare


def test_compare_paris_istanbul_free_choice_without_then_with_no_detriment(reg):
    data = reg.compare("paris-1990", "istanbul-1999")
    paris, istanbul = data["documents"]
    assert "free-choice" in paris["topics"] and "no-detriment" not in paris["topics"]
    assert {"free-choice", "no-detriment"} <= set(istanbul["topics"])
    assert "no-detriment" in data["only"]["istanbul-1999"]
    assert "free-choice" in data["both"]
    summaries = {lk["summary"] for lk in data["links"]}
    assert "no-detriment conditions free-choice" in summaries
    link = next(lk for lk in data["links"] if lk["relation"] == "conditions")
    assert reg.clause(link["from"]).kind == "obligation"
    assert reg.clause(link["to"]).kind == "right"
    assert reg.clause(link["from"]).document == reg.clause(link["to"]).document == "istanbul-1999"


def test_compare_is_symmetric(reg):
    ab, ba = reg.compare("paris-1990", "istanbul-1999"), reg.compare("istanbul-1999", "paris-1990")
    assert ab["both"] == ba["both"]
    assert ab["only"] == ba["only"]
    assert {lk["id"] for lk in ab["links"]} == {lk["id"] for lk in ba["links"]}


def test_cli_compare_json_and_table():
    data = invoke_json("compare", "paris-1990", "istanbul-1999")
    assert "no-detriment" not in data["documents"][0]["topics"]
    assert [lk["summary"] for lk in data["links"]] == ["no-detriment conditions free-choice"]
    table = runner.invoke(indivisible.cli.app, ["register", "compare", "paris-1990",
                                                "istanbul-1999"], env={"COLUMNS": "200"})
    assert table.exit_code == 0
    assert "no-detriment conditions free-choice" in table.stdout


# ------------------------------------------------------------------------ record


def test_replies_26_vs_27_january_is_flagged(reg):
    ev = reg.events["replies-2022-01-26"]
    assert ev.discrepancy and ev.note
    claimed = {(c.date, c.source) for c in ev.claims}
    assert (dt.date(2022, 1, 27), "fr-003-aa") in claimed
    assert (dt.date(2022, 1, 26), "fr-000-mid") in claimed
    if SHARED.is_dir():  # the claims say what the files say
        aa = (SHARED / "sources" / "003_f09a3c685b316986.txt").read_text(encoding="utf-8")
        letter = (SHARED / "sources" / "000_a2acdf59f65e100e.txt").read_text(encoding="utf-8")
        assert "Le 27 janvier" in aa
        assert "26 janvier 2022" in letter


def test_moon_of_alabama_2023_dateline_is_flagged(reg):
    ev = reg.events["call-2022-02-15"]
    assert ev.discrepancy and ev.date == dt.date(2022, 2, 15)
    years = {c.date.year: c.source for c in ev.claims}
    assert years[2023] == "fr-002-moa" and 2022 in years
    assert dt.date(2022, 2, 15).weekday() == 1  # the text's 'mardi' fits 2022, not 2023
    assert dt.date(2023, 2, 15).weekday() != 1
    if SHARED.is_dir():
        moa = (SHARED / "sources" / "002_a872dcebd80ae49c.txt").read_text(encoding="utf-8")
        assert "16 février 2023" in moa and "12 février" in moa


def test_cli_timeline_marks_discrepancies_visibly():
    result = runner.invoke(indivisible.cli.app,
                           ["register", "timeline", "--from", "2022-01-25", "--to", "2022-01-27"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if "2022-01-26" in line)
    assert "⚠" in row
    data = invoke_json("timeline", "--from", "2022-01-25", "--to", "2022-01-27")
    ev = {e["id"]: e for e in data["events"]}
    assert ev["replies-2022-01-26"]["discrepancy"] is True
    assert {c["date"] for c in ev["replies-2022-01-26"]["claims"]} == {"2022-01-26", "2022-01-27"}


def test_timeline_window_keeps_both_sides_of_a_discrepancy(reg):
    window = reg.timeline(dt.date(2022, 1, 27), dt.date(2022, 1, 29))
    ids = [e.id for e in window]
    # sorted on 26 Jan / 1 Feb, but a claim (27 Jan; 28 Jan) falls in the window
    assert "replies-2022-01-26" in ids and "letter-2022-02-01" in ids
    assert "call-2022-02-01" not in ids
    full = reg.timeline()
    assert [e.date for e in full] == sorted(e.date for e in full)
    assert len(full) == len(reg.events)
    assert reg.timeline(dt.date(2022, 2, 1), dt.date(2022, 2, 1))


def test_exchange_dates(reg):
    e = reg.events
    assert e["drafts-handed-2021-12-15"].date == dt.date(2021, 12, 15)
    assert e["drafts-published-2021-12-17"].date == dt.date(2021, 12, 17)
    assert e["russia-reply-2022-02-17"].date == dt.date(2022, 2, 17)
    letter = {c.date for c in e["letter-2022-02-01"].claims}
    assert dt.date(2022, 1, 31) in letter and dt.date(2022, 2, 1) in letter
    for mid in ("bucharest-2008", "istanbul-1999", "astana-2010", "ukraine-non-bloc-2014",
                "inf-withdrawal-2019", "paris-1990", "helsinki-1975", "founding-act-1997"):
        assert mid in e


# ------------------------------------------------------------------------ readings, positions


def test_readings_cite_existing_clauses_and_have_machine_fields(reg):
    assert set(reg.readings) == {"free-choice", "legitimate-concerns", "indivisible"}
    for r in reg.readings.values():
        assert all(c in reg.clauses for c in r.rests_on)
        assert all(lk in reg.links for lk in r.applies_links)
    fc, lc, ind = (reg.readings[k] for k in ("free-choice", "legitimate-concerns", "indivisible"))
    assert (fc.conditions, fc.tolerance_param) == ("none", None)
    assert (lc.conditions, lc.tolerance_param, lc.allows_offsets) == (
        "tolerance", "tolerance_legitimate_concerns", True)
    assert (ind.conditions, ind.tolerance_param) == ("epsilon", "epsilon")
    assert set(ind.indicators) == {"no-sphere-of-influence", "commensurate-capabilities"}
    # the indivisible reading applies the Istanbul condition; free choice applies none
    assert "istanbul-1999:8-conditions" in ind.applies_links
    assert not any(reg.links[lk].relation == "conditions" for lk in fc.applies_links)
    for lk in ind.applies_links:
        assert reg.links[lk].from_ in ind.rests_on and reg.links[lk].to in ind.rests_on


def test_positions_are_attributed_and_sourced(reg):
    letter = reg.positions["rus-letter-2022-02-01"]
    assert letter.actor == "RUS" and "indivisible" in letter.readings
    assert {"istanbul-1999", "astana-2010"} <= set(letter.documents)
    france = reg.positions["fra-paris-1990"]
    assert france.actor == "FRA" and france.reported_by and not france.confirmed
    assert "paris-1990" in france.documents
    us = reg.positions["usa-reply-2022-01-26"]
    assert "free-choice" in us.readings and "astana-2010:3-right" in us.clauses
    for p in reg.positions.values():
        assert all(r in reg.readings for r in p.readings)
        assert p.event is None or p.event in reg.events


#: Sides of the 2021–2022 exchange that must each have a position of their own (not only one
#: reported by another actor): the two parties to the drafts, the alliance and the Union, the
#: larger European states, the state at the centre of the dispute, a neutral state and the Chair.
FIRST_HAND_SIDES = {"RUS", "USA", "NATO", "EU", "FRA", "DEU", "GBR", "UKR", "CHE", "OSCE-CiO"}
#: Distinct actors with a first-hand position in the shipped record (16 at the time of writing).
MIN_FIRST_HAND_ACTORS = 14
#: Source kinds that carry an actor's words or a report of them (not the project's own notes).
OUTSIDE_KINDS = {"text", "reproduction", "report", "commentary"}


def _first_hand(reg):
    return [p for p in reg.positions.values() if p.reported_by is None]


def test_every_position_rests_on_an_existing_outside_source(reg):
    for p in reg.positions.values():
        assert p.sources, p.id
        assert all(s in reg.sources for s in p.sources), p.id
        kinds = {reg.sources[s].kind for s in p.sources}
        assert kinds & OUTSIDE_KINDS, f"{p.id} cites only project references"
        assert p.summary.strip() and p.actor.strip()


def test_first_hand_positions_cover_every_side(reg):
    actors = {p.actor for p in _first_hand(reg)}
    confirmed = {p.actor for p in _first_hand(reg) if p.confirmed}
    assert FIRST_HAND_SIDES <= confirmed, FIRST_HAND_SIDES - confirmed
    assert len(actors) >= MIN_FIRST_HAND_ACTORS, sorted(actors)


def test_reported_positions_name_another_actor_and_stay_open(reg):
    reported = [p for p in reg.positions.values() if p.reported_by]
    assert {"fra-paris-1990", "nato-sg-2022-02-10"} <= {p.id for p in reported}
    for p in reported:
        assert not p.confirmed and p.note, p.id
        assert not p.reported_by.startswith(p.actor), p.id
    # the NATO reply known through Lavrov now also has NATO's own account, on the same event
    own = reg.positions["nato-sg-letter-2022-02-10"]
    assert own.reported_by is None and own.event == reg.positions["nato-sg-2022-02-10"].event


def test_free_choice_and_indivisible_are_each_invoked_by_two_actors(reg):
    by_reading = {r: {p.actor for p in reg.positions_of(reading=r)} for r in reg.readings}
    assert len(by_reading["free-choice"]) >= 2, by_reading["free-choice"]
    assert len(by_reading["indivisible"]) >= 2, by_reading["indivisible"]
    assert by_reading["free-choice"] != by_reading["indivisible"]
    # only what a first-hand source supports is mapped: a reported position maps no reading
    assert all(not p.readings for p in reg.positions.values() if p.reported_by)


def test_legitimate_concerns_positions_cite_and_explain_their_basis(reg):
    held = reg.positions_of(reading="legitimate-concerns")
    assert held, "no position invokes the legitimate-concerns reading"
    for p in held:
        assert p.reported_by is None and p.confirmed, p.id
        outside = [s for s in p.sources if reg.sources[s].kind in OUTSIDE_KINDS]
        assert outside, p.id  # presence only: the support itself was checked by hand
        assert p.note and "legitimate" in p.note, f"{p.id} must say why it maps to the reading"


def test_position_dates_agree_with_their_events(reg):
    for p in reg.positions.values():
        if p.event is None:
            continue
        ev = reg.events[p.event]
        assert p.date == ev.date or p.date in {c.date for c in ev.claims}, p.id


def test_no_single_actor_dominates_the_record(reg):
    counts: dict[str, int] = {}
    for p in reg.positions.values():
        counts[p.actor] = counts.get(p.actor, 0) + 1
    assert max(counts.values()) * 2 <= len(reg.positions), counts


def test_cli_positions_by_actor_and_reading():
    chair = invoke_json("positions", "--actor", "OSCE-CiO")["positions"]
    assert [p["id"] for p in chair] == ["osce-cio-2022-01-13", "osce-cio-2022-02-03"]
    assert all(not p["readings"] for p in chair)
    concerns = invoke_json("positions", "--reading", "legitimate-concerns")["positions"]
    assert {p["actor"] for p in concerns} == {"FRA"}
    readings = {r["id"]: r for r in invoke_json("readings")["readings"]}
    assert readings["legitimate-concerns"]["invoked_by"] == [p["id"] for p in concerns]

# ------------------------------------------------------------------------ look-ups


def test_unknown_ids_raise_input_error_with_suggestions(reg):
    with pytest.raises(InputError, match="istanbul-1999:8-right"):
        reg.clause("istanbul-1999:8-rigth")
    with pytest.raises(InputError, match=r"draft-us-russia-2021:art4\.1"):
        reg.clause("draft-us-russia-2021:art4")
    with pytest.raises(InputError, match="paris-1990"):
        reg.compare("paris-199", "istanbul-1999")
    with pytest.raises(InputError, match="free-choice"):
        reg.clauses_for(topic="free-chioce")


def test_clauses_for_filters_combine(reg):
    both = reg.clauses_for(document="istanbul-1999", topic="no-detriment", kind="obligation")
    assert [c.id for c in both] == ["istanbul-1999:8-no-detriment"]
    assert all(c.kind == "measure" for c in reg.clauses_for(kind="measure"))
    assert len(reg.clauses_for()) == len(reg.clauses)


def test_models_are_frozen(reg):
    with pytest.raises(ValidationError):
        reg.clause("istanbul-1999:8-right").kind = "obligation"  # type: ignore[misc]


def test_load_register_is_cached(reg):
    assert load_register() is reg


# ------------------------------------------------------------------------ CLI


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
@pytest.mark.parametrize("args", [["documents"], ["clauses", "--document", "inf-1987"],
                                  ["compare", "inf-1987", "draft-us-russia-2021"], ["readings"],
                                  ["timeline", "--from", "2021-12-01"], ["positions"],
                                  ["topics"], ["sources"]])
def test_every_command_every_format(args, fmt):
    result = runner.invoke(indivisible.cli.app, ["register", *args, "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert isinstance(json.loads(result.stdout), dict)
    elif fmt == "markdown":
        assert result.stdout.startswith("# Register")


def test_cli_documents_lists_all(reg):
    data = invoke_json("documents")
    assert {d["id"] for d in data["documents"]} == DOCUMENT_IDS
    assert sum(d["clauses"] for d in data["documents"]) == len(reg.clauses)


def test_cli_clause_filters():
    data = invoke_json("clauses", "--topic", "no-detriment", "--kind", "obligation")
    ids = {c["id"] for c in data["clauses"]}
    assert {"istanbul-1999:8-no-detriment", "astana-2010:3-no-detriment",
            "draft-us-russia-2021:art1", "draft-nato-russia-2021:art1.1"} <= ids
    assert "paris-1990:security" not in ids


@pytest.mark.parametrize("args", [
    ["register", "clauses", "--document", "nope"],
    ["register", "compare", "paris-1990", "nope"],
    ["register", "clauses", "--kind", "duty"],
    ["register", "timeline", "--from", "2022-13-01"],
    ["register", "timeline", "--from", "2022-02-01", "--to", "2022-01-01"],
    ["register", "positions", "--reading", "realism"],
])
def test_cli_bad_input_exits_2(args, capsys):
    with pytest.raises(SystemExit) as exc:
        indivisible.cli.main(args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err


# ------------------------------------------------------------------------ bad register files

GOOD = """\
sources:
  - {id: s1, title: A source, outlet: Outlet, date: 1 Jan 2000, kind: report}
documents:
  - id: doc-a
    title: Document A
    date: 2000-01-01
    parties: [X, Y]
    status: political
    summary: A test document.
    sources: [s1]
clauses:
  - id: doc-a:right
    document: doc-a
    article: para. 1
    kind: right
    topics: [free-choice]
    paraphrase: Each may choose.
    sources: [s1]
  - id: doc-a:duty
    document: doc-a
    article: para. 1
    kind: obligation
    topics: [no-detriment]
    paraphrase: None at others' expense.
    sources: [s1]
links:
  - id: doc-a:cond
    from: doc-a:duty
    relation: conditions
    to: doc-a:right
    sources: [s1]
readings:
  - id: r1
    name: Reading one
    summary: A test reading.
    rule: Permitted if others lose at most epsilon.
    conditions: epsilon
    tolerance_param: epsilon
    allows_offsets: false
    rests_on: [doc-a:right, doc-a:duty]
    applies_links: [doc-a:cond]
    sources: [s1]
events:
  - id: e1
    date: 2000-01-01
    title: Signed
    kind: milestone
    summary: Document A is signed.
    documents: [doc-a]
    sources: [s1]
positions:
  - id: p1
    actor: XXX
    date: 2000-01-02
    summary: X invokes reading one.
    readings: [r1]
    sources: [s1]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "register.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _line(text: str, needle: str, occurrence: int = 1) -> int:
    lines = text.splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[occurrence - 1]


def test_good_minimal_register_loads(tmp_path):
    reg = load_register(_write(tmp_path, GOOD))
    assert reg.compare("doc-a", "doc-a")["links"][0]["summary"] == \
        "no-detriment conditions free-choice"
    assert load_register(tmp_path).clauses.keys() == reg.clauses.keys()  # a directory works


@pytest.mark.parametrize("old,new,needle,occurrence,field,message", [
    ("topics: [no-detriment]", "topics: [no-harm]", "topics: [no-harm]", 1,
     "clauses[1].topics[0]", "unknown topic 'no-harm'"),
    ("id: doc-a:duty", "id: doc-a:right", "id: doc-a:right", 2,
     "clauses[1].id", "duplicate id 'doc-a:right'"),
    ("    document: doc-a\n    article: para. 1\n    kind: obligation",
     "    document: doc-b\n    article: para. 1\n    kind: obligation", "id: doc-a:duty", 1,
     "clauses[1]", "must start with its document"),
    ("id: doc-a:duty\n    document: doc-a", "id: doc-b:duty\n    document: doc-b",
     "document: doc-b", 1, "clauses[1].document", "unknown document 'doc-b'"),
    ("from: doc-a:duty", "from: doc-a:dutty", "from: doc-a:dutty", 1,
     "links[0].from", "unknown clause 'doc-a:dutty' (did you mean 'doc-a:duty'"),
    ("rests_on: [doc-a:right, doc-a:duty]", "rests_on: [doc-a:right, doc-a:other]",
     "rests_on:", 1, "readings[0].rests_on[1]", "unknown clause 'doc-a:other'"),
    ("    summary: Document A is signed.\n    documents: [doc-a]\n    sources: [s1]",
     "    summary: Document A is signed.\n    documents: [doc-a]\n    sources: [s2]",
     "sources: [s2]", 1, "events[0].sources[0]", "unknown source 's2'"),
    ("readings: [r1]", "readings: [r2]", "readings: [r2]", 1,
     "positions[0].readings[0]", "unknown reading 'r2'"),
    ("    documents: [doc-a]\n    sources: [s1]\npositions",
     "    documents: [doc-a]\n    sources: [s1]\n    claims:\n"
     "      - {date: 2000-01-01, source: s1}\n      - {date: 2000-01-03, source: s1}\npositions",
     "  - id: e1", 1, "events[0]", "set discrepancy: true"),
    ("    title: Document A\n", "    title: Document A\n    colour: red\n", "colour: red", 1,
     "documents[0].colour", "unknown field"),
    ("conditions: epsilon\n    tolerance_param: epsilon", "conditions: none\n    tolerance_param: "
     "epsilon", "  - id: r1", 1, "readings[0]", "conditions: none takes no tolerance_param"),
])
def test_bad_register_file_names_file_line_field(tmp_path, old, new, needle, occurrence, field,
                                                 message):
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as exc:
        load_register(path)
    err = exc.value
    assert err.file == str(path)
    assert err.field == field
    assert message in err.message
    assert err.line == _line(text, needle, occurrence)
    assert str(path) in str(err) and f":{err.line}:" in str(err)


def test_bad_top_level_and_malformed_yaml(tmp_path):
    path = _write(tmp_path, GOOD + "clauzes: []\n")
    with pytest.raises(InputError, match="unknown section") as exc:
        load_register(path)
    assert exc.value.line == len(GOOD.splitlines()) + 1
    path = _write(tmp_path, "clauses: [\n")
    with pytest.raises(InputError, match="malformed YAML"):
        load_register(path)
    with pytest.raises(InputError, match="not found"):
        load_register(tmp_path / "missing.yaml")


def test_unconfirmed_entry_needs_a_note(tmp_path):
    text = GOOD.replace("    paraphrase: Each may choose.\n",
                        "    paraphrase: Each may choose.\n    confirmed: false\n", 1)
    with pytest.raises(InputError, match="needs a note") as exc:
        load_register(_write(tmp_path, text))
    assert exc.value.field == "clauses[0]"
