"""Vienna Document 2011: notification, notice period and observation of military activities.

Each activity's actual figures (the world's, or an activities file's) are compared with the
thresholds; what was notified or declared is compared with what happened. Where the record
does not say whether an activity was notified or observed, the check says it could not
evaluate it rather than guess.
"""

from __future__ import annotations

from collections.abc import Iterator

from indivisible.provisions.classify import exercise_troops
from indivisible.provisions.context import Context, extra
from indivisible.provisions.model import Finding, Provision
from indivisible.provisions.rules import rule
from indivisible.world.entities import Exercise


def in_zone(ctx: Context, prov: Provision, ex: Exercise) -> bool:
    """Whether the activity's centre is in the zone of application (see the parameter notes)."""
    for outside in prov.param(ctx, "zone_outside_states"):
        if outside in ctx.world.state_by_iso3 and ctx.geo.inside(ex.lat, ex.lon, outside):
            return False
    urals = prov.param(ctx, "zone_urals_state")
    if (ex.lon > prov.param(ctx, "zone_east_lon") and urals in ctx.world.state_by_iso3
            and ctx.geo.inside(ex.lat, ex.lon, urals)):
        return False
    return True


def thresholds_met(ctx: Context, prov: Provision, ex: Exercise, prefix: str
                   ) -> list[tuple[str, float, float]]:
    """(figure, value, threshold) for every threshold the activity reaches."""
    figures = {
        "troops": exercise_troops(ex, prov.param(ctx, "actual_figure")),
        "tanks": ex.tanks,
        "acvs": extra(ex, "acvs"),
        "artillery": ex.artillery,
        "sorties": extra(ex, "sorties"),
        "airborne_troops": extra(ex, "airborne_troops"),
    }
    met = []
    for name, value in figures.items():
        key = f"{prefix}_{name}"
        if value is None or f"{prov.agreement.id}.{key}" not in ctx.params:
            continue
        threshold = prov.param(ctx, key)
        if value >= threshold:
            met.append((name, float(value), float(threshold)))
    return met


def responsible(ex: Exercise) -> list[str]:
    """Every conducting and host state (which one must notify is not in the text read)."""
    return list(dict.fromkeys((*ex.conducted_by, *ex.hosts)))


def _host(ex: Exercise, party: str) -> str | None:
    if party in ex.hosts:
        return party
    return ex.hosts[0] if ex.hosts else None


def _met_text(met: list[tuple[str, float, float]]) -> str:
    return "; ".join(f"{n.replace('_', ' ')} {v:,.0f} >= {t:,.0f}" for n, v, t in met)


def _relevant(ctx: Context, prov: Provision, prefix: str
              ) -> Iterator[tuple[Exercise, list[tuple[str, float, float]]]]:
    for ex in ctx.exercises():
        met = thresholds_met(ctx, prov, ex, prefix)
        if met and in_zone(ctx, prov, ex):
            if prov.param(ctx, "actual_figure") == "largest" and ex.reported_troops is not None:
                ctx.assume("actual troops = the larger of the world's troops and reported_troops "
                           "(vienna-document-2011.actual_figure)")
            yield ex, met


def _findings(ex: Exercise, detail: str, numbers: dict) -> Iterator[Finding]:
    for party in responsible(ex):
        yield Finding(party=party, subject=ex.id, host=_host(ex, party), detail=detail,
                      numbers=numbers)


@rule("vienna-document-2011/notification")
def notification(ctx: Context, prov: Provision) -> Iterator[Finding]:
    ctx.assume("Vienna Document: every conducting and host state is held responsible for "
               "notification and observation (the allocation is not in the text read)")
    troops_min = prov.param(ctx, "notification_troops")
    for ex, met in _relevant(ctx, prov, "notification"):
        numbers = {"met": {n: {"value": v, "threshold": t} for n, v, t in met},
                   "notified": ex.notified, "notified_troops": ex.notified_troops}
        if ex.notified is False:
            yield from _findings(ex, f"{ex.name}: not notified; {_met_text(met)}", numbers)
        elif (ex.notified_troops is not None and ex.notified_troops < troops_min
              and any(n == "troops" for n, _, _ in met)):
            troops = next(v for n, v, _ in met if n == "troops")
            yield from _findings(
                ex, f"{ex.name}: declared {ex.notified_troops:,.0f} troops, below the "
                f"{troops_min:,.0f} notification threshold; actual {troops:,.0f}", numbers)
        elif ex.notified is None:
            why = ("whether it was notified is not recorded"
                   + (f" (declared {ex.notified_troops:,.0f} troops)"
                      if ex.notified_troops is not None else ""))
            ctx.skip(prov.id, ex.id, why)


@rule("vienna-document-2011/notice-period")
def notice_period(ctx: Context, prov: Provision) -> Iterator[Finding]:
    days_min = prov.param(ctx, "notice_days")
    for ex, met in _relevant(ctx, prov, "notification"):
        if extra(ex, "alert") and prov.param(ctx, "alert_exempt_from_notice"):
            ctx.assume("alert (snap) activities exempt from the notice period "
                       "(vienna-document-2011.alert_exempt_from_notice)")
            continue
        notified_on = extra(ex, "notified_on")
        if notified_on is None:
            if ex.notified is not False:
                ctx.skip(prov.id, ex.id, "date of notification not recorded")
            continue
        days = (ex.start - notified_on).days
        if days < days_min:
            yield from _findings(
                ex, f"{ex.name}: notified {days} days before its start on {ex.start} "
                f"(at least {days_min:,.0f} required); {_met_text(met)}",
                {"notice_days": days, "required_days": days_min,
                 "notified_on": notified_on.isoformat()})


@rule("vienna-document-2011/observation")
def observation(ctx: Context, prov: Provision) -> Iterator[Finding]:
    troops_min = prov.param(ctx, "observation_troops")
    for ex, met in _relevant(ctx, prov, "observation"):
        invited = extra(ex, "observers_invited")
        numbers = {"met": {n: {"value": v, "threshold": t} for n, v, t in met},
                   "observers_invited": invited, "notified_troops": ex.notified_troops}
        troops = next((v for n, v, _ in met if n == "troops"), None)
        if invited is True:
            continue
        if invited is False:
            yield from _findings(ex, f"{ex.name}: observers not invited; {_met_text(met)}",
                                 numbers)
        elif ex.notified_troops is not None and ex.notified_troops < troops_min and troops:
            yield from _findings(
                ex, f"{ex.name}: declared {ex.notified_troops:,.0f} troops, below the "
                f"{troops_min:,.0f} observation threshold; actual {troops:,.0f} "
                f"({_met_text(met)})", numbers)
        else:
            ctx.skip(prov.id, ex.id, "whether observers were invited is not recorded")
