"""Consequences over time: the security dilemma's spiral, its stability, its calibration, and
what confidence-building measures do to it."""

from indivisible.dynamics.fit import FitResult, Series, fit_csv, fit_series, read_series_csv
from indivisible.dynamics.incidents import Activity, incident_rates
from indivisible.dynamics.linear import (
    Stability,
    analyse,
    closed_form_path,
    equilibrium,
    richardson_matrix,
    simulate_linear,
    spectral_radius,
    two_state_eigenvalues,
    two_state_stable,
    uniform_stable,
)
from indivisible.dynamics.measures import PACKAGES, Measures, load_measures
from indivisible.dynamics.params import DynamicsParams, load_dynamics_params
from indivisible.dynamics.spiral import (
    Coefficients,
    Ensemble,
    SpiralSystem,
    compare,
    draw_coefficients,
    run_ensemble,
    simulate,
)

__all__ = [
    "PACKAGES", "Activity", "Coefficients", "DynamicsParams", "Ensemble", "FitResult",
    "Measures", "Series", "SpiralSystem", "Stability", "analyse", "closed_form_path", "compare",
    "draw_coefficients", "equilibrium", "fit_csv", "fit_series", "incident_rates",
    "load_dynamics_params", "load_measures", "read_series_csv", "richardson_matrix",
    "run_ensemble", "simulate", "simulate_linear", "spectral_radius", "two_state_eigenvalues",
    "two_state_stable", "uniform_stable",
]
