"""Flight times, the clock that sets how much warning a target gets.

The warning-time weight of the security model is ``exp(-t / tau)``; this module gives
``t`` for each flight regime. Ballistic missiles are modelled by the textbook
minimum-energy trajectory: a Kepler ellipse between two points on a spherical,
non-rotating Earth with no atmosphere, launched from and landing on the surface
(burn-out at the surface). It is the trajectory that needs the least burn-out speed,
so it is what a range figure usually assumes; it is not the fastest (depressed
trajectories arrive sooner, lofted ones later). The coast time comes from Lambert's
theorem for the minimum-energy transfer (see e.g. Bate, Mueller & White 1971,
*Fundamentals of Astrodynamics*, ch. 5; Wheelon 1959): with the launch and impact
points at radius ``R`` and separated by the central angle ``psi``,

* chord ``c = 2 R sin(psi / 2)``, semi-perimeter of the space triangle ``s = R + c / 2``;
* minimum-energy semi-major axis ``a = s / 2``;
* ``alpha = pi``, ``beta = 2 asin(sqrt((s - c) / s))``;
* time of flight ``t = sqrt(a^3 / mu) * ((alpha - sin alpha) - (beta - sin beta))``.

A powered phase (boost, and the slower descent through the atmosphere) is not part of
that ellipse; the model adds it as one constant (parameter ``boost_time_min``).
Cruise missiles, glide vehicles and aircraft fly at a constant speed along the great
circle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Mean Earth radius (km), the radius of the spherical Earth of the idealised model.
EARTH_RADIUS_KM = 6371.0
#: Earth's gravitational parameter (km^3/s^2), IERS/WGS84 value.
MU_KM3_S2 = 398600.4418

_MAX_ANGLE = np.pi * (1.0 - 1e-12)


@dataclass(frozen=True)
class Trajectory:
    """The minimum-energy ballistic trajectory for one or more ground ranges."""

    range_km: NDArray[np.float64]
    coast_time_min: NDArray[np.float64]
    burnout_speed_km_s: NDArray[np.float64]
    flight_path_angle_deg: NDArray[np.float64]
    apogee_km: NDArray[np.float64]
    semi_major_axis_km: NDArray[np.float64]


def _central_angle(range_km: ArrayLike) -> NDArray[np.float64]:
    d = np.asarray(range_km, dtype=float)
    if np.any(d < 0) or np.any(~np.isfinite(d)):
        raise ValueError("ranges must be finite and non-negative")
    # Beyond half the circumference the short way round is the other way: clip just below pi.
    return np.minimum(d / EARTH_RADIUS_KM, _MAX_ANGLE)


def minimum_energy_trajectory(range_km: ArrayLike) -> Trajectory:
    """Every quantity of the minimum-energy ellipse for ground ranges ``range_km`` (broadcasts)."""
    psi = _central_angle(range_km)
    r = EARTH_RADIUS_KM
    chord = 2.0 * r * np.sin(psi / 2.0)
    s = r + chord / 2.0
    a = s / 2.0
    beta = 2.0 * np.arcsin(np.sqrt(np.clip((s - chord) / s, 0.0, 1.0)))
    seconds = np.sqrt(a**3 / MU_KM3_S2) * (np.pi - (beta - np.sin(beta)))
    speed = np.sqrt(MU_KM3_S2 * (2.0 / r - 1.0 / a))
    gamma = (np.pi - psi) / 4.0  # optimum flight-path angle above the local horizontal
    p = (r * speed * np.cos(gamma)) ** 2 / MU_KM3_S2  # semi-latus rectum
    e = np.sqrt(np.clip(1.0 - p / a, 0.0, None))
    return Trajectory(
        range_km=np.asarray(range_km, dtype=float),
        coast_time_min=seconds / 60.0,
        burnout_speed_km_s=speed,
        flight_path_angle_deg=np.degrees(gamma),
        apogee_km=a * (1.0 + e) - r,
        semi_major_axis_km=a,
    )


def ballistic_coast_min(range_km: ArrayLike) -> NDArray[np.float64]:
    """Coast time (minutes) of the minimum-energy trajectory; 0 at range 0."""
    return minimum_energy_trajectory(range_km).coast_time_min


def ballistic_time_min(range_km: ArrayLike, boost_time_min: float = 0.0) -> NDArray[np.float64]:
    """Flight time (minutes): minimum-energy coast plus a constant powered phase."""
    return ballistic_coast_min(range_km) + boost_time_min


def constant_speed_time_min(range_km: ArrayLike, speed_kmh: ArrayLike) -> NDArray[np.float64]:
    """Flight time (minutes) at a constant speed along the great circle."""
    d = np.asarray(range_km, dtype=float)
    v = np.asarray(speed_kmh, dtype=float)
    if np.any(v <= 0):
        raise ValueError("speeds must be positive")
    return d / v * 60.0
