"""Force elements: every body of force the model counts, with its geometry.

An element has an owner, a location, a strength, a reach over each state, a warning
time to each state and an offensive/defensive role. Four kinds:

``home``       each state's conventional forces on its own territory. Strength: the
               composite capability (floored at ``c_min``); reach: Boulding's gradient
               ``exp(-d/lambda_km)`` with ``d`` the distance between the two states'
               *core* territories (0 for itself and its neighbours); dual role; no
               warning weight.
``nuclear``    each nuclear arsenal. Strength: ``nuclear_weight`` times the share of
               all warheads; reach ``exp(-d/lambda_nuclear_km)``, ``d`` between the
               cores as for home forces; warning from the minimum-energy ballistic
               flight time capital to capital (ICBM/SLBM) plus ``boost_time_min``; dual
               role.
``deployment`` a deployment of a system (see ``deployment_strength`` for the units).
               Ground forces (regime ``ground``): reach decays with the distance from
               the site to the target's core territory, like home forces, no warning
               weight. Other regimes: reach is the covered share of the target's whole
               territory within the system's range, blended with whether the capital is
               in range (``capital_weight``); warning from the flight time from the site
               to the target's capital. Role from the system.
               A contested launcher claim (``data/launcher_claims.yaml``) can add a
               second element to a deployment: under the alternative in use (pinned in
               ``claims`` by the claim id, else the claim's ``model_default``, a stated
               convention), if its launchers can fire a missile, the element
               ``deploy:<id>:<claim id>`` has the deployment's owner, host and site, the
               missile's system (range, speed, flight regime and role) and
               ``count * per_unit`` launchers of the claim's unit. Under the alternative
               that they fire nothing, there is no such element.
``latent``     latent basing: in a collective-defence alliance every member ``h`` is a
               potential base for each ally ``o``'s forces. Strength ``beta`` times
               ``o``'s capability, divided by ``k_o ** latent_host_exponent`` where
               ``k_o`` is the number of ``o``'s potential hosts (exponent 0: every host
               gets the whole ``beta * c_o``; 1: it is shared among the hosts, since
               forces are in one place at a time); reach ``exp(-d(h, i)/lambda_km)``
               from ``h``'s core territory; dual role. A state is not a latent base for
               itself.

Core territory (``indivisible.world.geo.core_territory``): the connected part of a
state's territory that holds its capital, plus every other part within ``core_gap_km``
of it. Boulding's gradient measures strength projected from a power's home base, and an
outlying part (Alaska, Hawaii, the French overseas departments, the Canaries, Madeira,
the Azores, Svalbard) is not where its home forces are: measured from whole territories,
Alaska would make the United States Russia's neighbour (4 km across the Bering Strait).
The target side is the core too, because what a state's forces are measured against is
the threat to its home base. Nuclear arsenals sit in the core as well (silos, submarine
and bomber bases), so their reach uses the same distances; the gradient is flat there
(``lambda_nuclear_km``) and the change is small. Deployed ground forces measure their
reach to the target's core, like home forces. Coverage by ranged systems stays on the
whole territory: a missile that covers an outlying island does cover part of the
state. A ``core_gap_km`` of 20,000 km gives back the whole territories.

Everything that depends on geography is computed here once per snapshot (and the
geometry calls are memoised across snapshots); everything that depends on parameter
values is left to the model, so a batch of draws reuses this geometry.

Modelling choices stated here: warning time is measured to the target's *capital*
(the decision centre whose warning matters); deployments are counted on top of the
owner's home forces (forward presence adds reach, the double count of the deployed
share of the owner's personnel is small and stated); patrols and exercises are not
force elements (the dynamics use them for incidents).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from indivisible.errors import InputError
from indivisible.security.capability import Capabilities, capabilities
from indivisible.security.flight import ballistic_coast_min
from indivisible.security.relations import Stance, stance
from indivisible.world.entities import Deployment, System
from indivisible.world.launcher_claims import LauncherClaimSpec
from indivisible.world.launcher_claims import launcher_claims as shipped_launcher_claims
from indivisible.world.scenario import Snapshot

KINDS = ("home", "nuclear", "deployment", "latent")
REACH_GRADIENT, REACH_NUCLEAR, REACH_COVERAGE = 0, 1, 2
#: Flight regimes timed as ballistic (interceptors are rockets too).
BALLISTIC_REGIMES = ("ballistic", "interceptor")
SPEED_PARAM = {"cruise": "cruise_speed_kmh", "glide": "glide_speed_kmh",
               "aircraft": "aircraft_speed_kmh"}
UNIT_PARAM = {
    "launchers": "unit_weight_launcher",
    "interceptors": "unit_weight_interceptor",
    "aircraft": "unit_weight_aircraft",
    "ships": "unit_weight_ship",
}
#: Parameters that change geometry: they must not vary within a batch of draws.
GEOMETRY_PREFIX = "default_range_km_"
GEOMETRY_PARAMS = ("core_gap_km",)
CORE_GAP_PARAM = "core_gap_km"
#: Used only when a parameter mapping lacks ``core_gap_km`` (the shipped file has it).
CORE_GAP_DEFAULT_KM = 500.0


class Geography(Protocol):
    """What the model needs from ``indivisible.world.geo`` (injected for tests).

    ``core_distance_matrix(iso3s, crimea, gap_km)`` and ``point_to_core_km(lat, lon, iso3,
    crimea, gap_km)`` are optional: a geography without them has compact territories, whose
    cores are the whole territories.
    """

    def distance_km(self, lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> NDArray: ...

    def territory_distance_matrix(self, iso3s: Any, crimea: str = "UKR") -> NDArray: ...

    def point_to_territory_km(self, lat: float, lon: float, iso3: str,
                              crimea: str = "UKR") -> float: ...

    def coverage_matrix(self, lats: Any, lons: Any, ranges_km: Any, iso3s: Any,
                        crimea: str = "UKR", capitals: Any = None,
                        capital_weight: float = 0.0) -> NDArray: ...


def default_geography() -> Geography:
    from indivisible.world import geo

    return geo  # type: ignore[return-value]


def range_param(category: str) -> str:
    return GEOMETRY_PREFIX + category.lower().replace("-", "_")


def is_geometry_param(name: str) -> bool:
    """Whether a parameter changes the geometry (built once per snapshot, not per draw)."""
    return name.startswith(GEOMETRY_PREFIX) or name in GEOMETRY_PARAMS


@dataclass(eq=False)
class ElementSet:
    """All force elements of a snapshot, as arrays along the element axis (E) and state axis (N).

    Strength of element e for parameter values p: ``strength_base[e]`` times the
    parameters named in ``strength_params[e]`` (``""`` = 1) times, where
    ``strength_scaled[e]``, the owner's floored capability, times
    ``latent_hosts[e] ** -latent_host_exponent``.
    """

    iso3: tuple[str, ...]
    ids: NDArray[np.str_]
    owner: NDArray[np.str_]
    kind: NDArray[np.str_]
    label: NDArray[np.str_]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    host: NDArray[np.str_]
    owner_idx: NDArray[np.int64]
    host_idx: NDArray[np.int64]
    role: NDArray[np.str_]
    regime: NDArray[np.str_]
    system: NDArray[np.str_]
    count: NDArray[np.float64]
    range_km: NDArray[np.float64]
    strength_base: NDArray[np.float64]
    strength_scaled: NDArray[np.bool_]
    strength_params: NDArray[np.str_]  # (E, 2)
    latent_hosts: NDArray[np.float64]  # (E,) k_o for latent elements, 1 otherwise
    reach_mode: NDArray[np.int64]
    reach_km: NDArray[np.float64]  # (E, N) distance for gradient reach
    cover_area: NDArray[np.float64]  # (E, N) covered territory share (coverage reach)
    cover_capital: NDArray[np.float64]  # (E, N) 1 where the capital is in range
    warned: NDArray[np.bool_]
    ballistic: NDArray[np.bool_]
    flight_km: NDArray[np.float64]  # (E, N) to the target's capital
    coast_min: NDArray[np.float64]  # (E, N) minimum-energy coast time where ballistic
    speed_kmh: NDArray[np.float64]  # (E,) NaN where a parameter gives the speed
    speed_param: NDArray[np.str_]
    territory_km: NDArray[np.float64]  # (N, N) between whole territories
    core_km: NDArray[np.float64]  # (N, N) between core territories (home and latent reach)
    stance: Stance
    capability: Capabilities
    crimea: str
    notes: tuple[str, ...] = ()
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def n_elements(self) -> int:
        return len(self.ids)

    @property
    def n_states(self) -> int:
        return len(self.iso3)

    def index(self) -> dict[str, int]:
        if "index" not in self._cache:
            self._cache["index"] = {e: k for k, e in enumerate(self.ids)}
        return self._cache["index"]


# -- memoised geometry ----------------------------------------------------------------


@lru_cache(maxsize=64)
def _territory(geo: Geography, iso3: tuple[str, ...], crimea: str) -> NDArray:
    m = np.asarray(geo.territory_distance_matrix(list(iso3), crimea=crimea), dtype=float)
    if m.shape != (len(iso3), len(iso3)) or np.any(~np.isfinite(m)) or np.any(m < 0):
        raise ValueError("geography returned an invalid territory distance matrix")
    return m


@lru_cache(maxsize=64)
def _core(geo: Geography, iso3: tuple[str, ...], crimea: str, gap_km: float) -> NDArray:
    fn = getattr(geo, "core_distance_matrix", None)
    if fn is None:
        return _territory(geo, iso3, crimea)
    m = np.asarray(fn(list(iso3), crimea=crimea, gap_km=gap_km), dtype=float)
    if m.shape != (len(iso3), len(iso3)) or np.any(~np.isfinite(m)) or np.any(m < 0):
        raise ValueError("geography returned an invalid core distance matrix")
    return m


@lru_cache(maxsize=4096)
def _point_to_cores(geo: Geography, lat: float, lon: float, iso3: tuple[str, ...],
                    crimea: str, gap_km: float) -> NDArray:
    fn = getattr(geo, "point_to_core_km", None)
    if fn is None:
        return np.array([float(geo.point_to_territory_km(lat, lon, c, crimea=crimea))
                         for c in iso3], dtype=float)
    return np.array([float(fn(lat, lon, c, crimea=crimea, gap_km=gap_km)) for c in iso3],
                    dtype=float)


@lru_cache(maxsize=4096)
def _coverage(geo: Geography, lat: float, lon: float, range_km: float, iso3: tuple[str, ...],
              crimea: str) -> NDArray:
    m = geo.coverage_matrix(np.array([lat]), np.array([lon]), np.array([range_km]), list(iso3),
                            crimea=crimea, capitals=None, capital_weight=0.0)
    row = np.asarray(m, dtype=float).reshape(-1)
    if row.shape != (len(iso3),):
        raise ValueError("geography returned a coverage row of the wrong length")
    return np.clip(row, 0.0, 1.0)


# -- construction ------------------------------------------------------------------------


@dataclass
class _Rows:
    """Element attributes accumulated row by row before becoming arrays."""

    cols: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, **kw: Any) -> None:
        for k, v in kw.items():
            self.cols.setdefault(k, []).append(v)

    def array(self, name: str, dtype: Any = None) -> NDArray:
        return np.array(self.cols.get(name, []), dtype=dtype)


def deployment_strength(
    dep: Deployment, system: System, cap: Capabilities, owner: int
) -> tuple[float, bool, tuple[str, str]]:
    """(base, scaled by owner capability, parameter names) of a deployment's strength.

    The conversion into capability-share units: troops count as the owner's capability
    per member of its armed forces (``count / personnel`` of the owner, times its
    composite, times ``unit_weight_troops``), or, if the owner's personnel is unknown,
    as a share of all personnel; nuclear weapons count as their share of all warheads
    times ``nuclear_weight`` and ``unit_weight_nuclear_weapon``; launchers,
    interceptors, aircraft, ships and conventional missiles count ``count`` times their
    unit weight (an order-of-magnitude judgment stated in the parameter file).
    """
    if dep.unit == "troops":
        pers = cap.personnel[owner]
        if np.isfinite(pers) and pers > 0:
            return dep.count / pers, True, ("unit_weight_troops", "")
        total = np.nansum(cap.personnel)
        return (dep.count / total if total > 0 else 0.0), False, ("unit_weight_troops", "")
    if dep.unit == "weapons":
        total_w = cap.warheads.sum()
        if system.nuclear_capable and total_w > 0:
            return dep.count / total_w, False, ("nuclear_weight", "unit_weight_nuclear_weapon")
        return dep.count, False, ("unit_weight_missile", "")
    return dep.count, False, (UNIT_PARAM[dep.unit], "")


def _deployment_range(system: System, claims: Mapping[str, str], params: Mapping[str, float],
                      notes: list[str]) -> float:
    claim = claims.get(system.id)
    try:
        rng = system.range_for(claim)
    except KeyError:
        known = ", ".join(c.claimant for c in system.range_claims)
        raise InputError(f"system {system.id!r} has no range claim {claim!r} (claims: {known})",
                         field="claims") from None
    if rng is None:
        name = range_param(system.category)
        rng = float(params[name])
        notes.append(f"{system.id}: range not public, using {name} = {rng:g} km")
    return float(rng)


def launcher_alternative(spec: LauncherClaimSpec, claim_id: str,
                         claims: Mapping[str, str]) -> str:
    """The claimant whose reading of ``claim_id`` the model uses: pinned, else the default."""
    claimant = claims.get(claim_id, spec.model_default)
    if claimant not in spec.claimants:
        raise InputError(f"unknown claimant {claimant!r} for {claim_id}; expected one of "
                         f"{', '.join(spec.claimants)}", field="claims")
    return claimant


def _launched(dep: Deployment, snap: Snapshot, claims: Mapping[str, str],
              launchers: Mapping[str, LauncherClaimSpec]
              ) -> list[tuple[str, str, Deployment, System]]:
    """(claim id, claimant, deployment of the missile, missile) that ``dep``'s launchers add."""
    out = []
    for cid, spec in launchers.items():
        if not spec.applies_to(dep.system, dep.unit):
            continue
        claimant = launcher_alternative(spec, cid, claims)
        alt = spec.alternative(claimant)
        if alt.launches is None:
            continue
        try:
            missile = snap.system(alt.launches)
        except KeyError:
            raise InputError(f"{cid} ({claimant}) launches {alt.launches!r}, which is not a "
                             "system of this world", field=f"launcher_claims.{cid}") from None
        extra = dep.model_copy(update={"system": missile.id, "unit": alt.unit,
                                       "count": dep.count * alt.per_unit})
        out.append((cid, claimant, extra, missile))
    return out


def build_elements(
    snap: Snapshot,
    params: Mapping[str, float],
    claims: Mapping[str, str] | None = None,
    geography: Geography | None = None,
    launcher_claims: Mapping[str, LauncherClaimSpec] | None = None,
) -> ElementSet:
    """The elements of ``snap`` and their geometry (parameter values are applied later).

    ``claims`` pins contested figures: a system id to a range claimant, a launcher-claim id
    to its claimant. ``launcher_claims`` replaces the shipped ones (for tests).
    """
    geo = geography if geography is not None else default_geography()
    claims = dict(claims or {})
    launchers = shipped_launcher_claims() if launcher_claims is None else launcher_claims
    crimea = snap.settings.crimea
    iso3 = snap.iso3
    n = len(iso3)
    idx = snap.index
    cap = capabilities(snap)
    st = stance(snap)
    terr = _territory(geo, iso3, crimea)
    gap = float(params.get(CORE_GAP_PARAM, CORE_GAP_DEFAULT_KM))
    core = _core(geo, iso3, crimea, gap)
    cap_lat = np.array([s.capital_lat for s in snap.states])
    cap_lon = np.array([s.capital_lon for s in snap.states])
    capital_km = np.asarray(
        geo.distance_km(cap_lat[:, None], cap_lon[:, None], cap_lat[None, :], cap_lon[None, :]),
        dtype=float,
    )
    zeros = np.zeros(n)
    rows = _Rows()
    notes: list[str] = []

    def add(**kw: Any) -> None:
        base = dict(system="", count=np.nan, latent_hosts=1.0, range_km=np.nan,
                    cover_area=zeros, cover_capital=zeros, warned=False, ballistic=False,
                    flight_km=zeros, coast_min=zeros, speed_kmh=np.nan, speed_param="")
        base.update(kw)
        rows.add(**base)

    def add_deployment(dep: Deployment, system: System, eid: str, label: str) -> None:
        o = idx[dep.owner]
        base, scaled, pnames = deployment_strength(dep, system, cap, o)
        common = dict(
            id=eid, owner=dep.owner, kind="deployment", label=label,
            lat=dep.lat, lon=dep.lon, host=dep.host, owner_idx=o, host_idx=idx[dep.host],
            role=system.role, regime=system.regime, system=system.id, count=dep.count,
            strength_base=base, strength_scaled=scaled, strength_params=pnames,
        )
        if system.regime == "ground":
            dist = _point_to_cores(geo, float(dep.lat), float(dep.lon), iso3, crimea, gap)
            add(**common, reach_mode=REACH_GRADIENT, reach_km=dist)
            return
        rng = _deployment_range(system, claims, params, notes)
        area = _coverage(geo, float(dep.lat), float(dep.lon), rng, iso3, crimea)
        flight = np.asarray(geo.distance_km(dep.lat, dep.lon, cap_lat, cap_lon), dtype=float)
        ballistic = system.regime in BALLISTIC_REGIMES
        speed_param = "" if ballistic or system.speed_kmh else SPEED_PARAM[system.regime]
        add(**common, range_km=rng, reach_mode=REACH_COVERAGE, reach_km=zeros,
            cover_area=area, cover_capital=(flight <= rng).astype(float), warned=True,
            ballistic=ballistic, flight_km=flight,
            coast_min=ballistic_coast_min(flight) if ballistic else zeros,
            speed_kmh=float(system.speed_kmh) if system.speed_kmh and not ballistic else np.nan,
            speed_param=speed_param)

    for o, c in enumerate(iso3):
        name = snap.state(c).name
        add(id=f"home:{c}", owner=c, kind="home", label=f"{name}: home forces",
            lat=cap_lat[o], lon=cap_lon[o], host=c, owner_idx=o, host_idx=o, role="dual",
            regime="ground", strength_base=1.0, strength_scaled=True, strength_params=("", ""),
            reach_mode=REACH_GRADIENT, reach_km=core[o])
    for o, c in enumerate(iso3):
        if cap.warheads[o] <= 0:
            continue
        add(id=f"nuclear:{c}", owner=c, kind="nuclear",
            label=f"{snap.state(c).name}: nuclear forces ({cap.warheads[o]:g} warheads)",
            lat=cap_lat[o], lon=cap_lon[o], host=c, owner_idx=o, host_idx=o, role="dual",
            regime="ballistic", strength_base=float(cap.warhead_share[o]),
            strength_scaled=False, strength_params=("nuclear_weight", ""),
            reach_mode=REACH_NUCLEAR, reach_km=core[o], warned=True, ballistic=True,
            flight_km=capital_km[o], coast_min=ballistic_coast_min(capital_km[o]))
    for dep in sorted(snap.deployments, key=lambda d: d.id):
        try:
            system = snap.system(dep.system)
        except KeyError:
            raise InputError(f"unknown system {dep.system!r}",
                             field=f"deployments.{dep.id}.system") from None
        for code, fld in ((dep.owner, "owner"), (dep.host, "host")):
            if code not in idx:
                raise InputError(f"unknown state {code!r}", field=f"deployments.{dep.id}.{fld}")
        add_deployment(dep, system, f"deploy:{dep.id}",
                       f"{dep.owner} {system.name} at {dep.site} ({dep.count:g} {dep.unit})")
        for cid, claimant, extra, missile in _launched(dep, snap, claims, launchers):
            add_deployment(extra, missile, f"deploy:{dep.id}:{cid}",
                           f"{dep.owner} {missile.name} from the {system.name} launchers at "
                           f"{dep.site} ({extra.count:g} {extra.unit}; {cid}: {claimant})")
    pairs: set[tuple[int, int]] = set()
    for alliance in snap.world.alliances:
        if not alliance.collective_defence:
            continue
        members = [idx[m] for m in snap.members(alliance.id) if m in idx]
        pairs.update((o, h) for o in members for h in members if o != h)
    hosts = np.bincount([o for o, _ in pairs], minlength=n)
    for o, h in sorted(pairs):
        add(id=f"latent:{iso3[o]}@{iso3[h]}", owner=iso3[o], kind="latent",
            latent_hosts=float(hosts[o]),
            label=f"{iso3[o]} forces latent on {iso3[h]} territory", lat=cap_lat[h],
            lon=cap_lon[h], host=iso3[h], owner_idx=o, host_idx=h, role="dual",
            regime="ground", strength_base=1.0, strength_scaled=True,
            strength_params=("beta", ""), reach_mode=REACH_GRADIENT, reach_km=core[h])

    def mat(name: str) -> NDArray:
        v = rows.cols.get(name, [])
        return np.array(v, dtype=float).reshape(len(v), n)

    return ElementSet(
        iso3=iso3,
        ids=rows.array("id", str),
        owner=rows.array("owner", str),
        kind=rows.array("kind", str),
        label=rows.array("label", str),
        lat=rows.array("lat", float),
        lon=rows.array("lon", float),
        host=rows.array("host", str),
        owner_idx=rows.array("owner_idx", np.int64),
        host_idx=rows.array("host_idx", np.int64),
        role=rows.array("role", str),
        regime=rows.array("regime", str),
        system=rows.array("system", str),
        count=rows.array("count", float),
        range_km=rows.array("range_km", float),
        strength_base=rows.array("strength_base", float),
        strength_scaled=rows.array("strength_scaled", bool),
        strength_params=np.array(rows.cols.get("strength_params", []), dtype=str).reshape(-1, 2),
        latent_hosts=rows.array("latent_hosts", float),
        reach_mode=rows.array("reach_mode", np.int64),
        reach_km=mat("reach_km"),
        cover_area=mat("cover_area"),
        cover_capital=mat("cover_capital"),
        warned=rows.array("warned", bool),
        ballistic=rows.array("ballistic", bool),
        flight_km=mat("flight_km"),
        coast_min=mat("coast_min"),
        speed_kmh=rows.array("speed_kmh", float),
        speed_param=rows.array("speed_param", str),
        territory_km=terr,
        core_km=core,
        stance=st,
        capability=cap,
        crimea=crimea,
        notes=tuple(notes),
    )
