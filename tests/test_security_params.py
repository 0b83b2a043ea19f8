"""The parameter file, user overrides and reproducible draws."""

from __future__ import annotations

import numpy as np
import pytest

from indivisible.errors import InputError
from indivisible.security.params import (
    DISTRIBUTIONS,
    ParamBatch,
    default_path,
    draw_params,
    load_params,
    parse_param_assignments,
)

REQUIRED = (
    "lambda_km", "lambda_nuclear_km", "beta", "kappa", "h_rival", "h_other", "h_neutral",
    "def_of_offensive", "off_of_defensive", "nuclear_weight", "tau_min", "boost_time_min",
    "cruise_speed_kmh", "glide_speed_kmh", "aircraft_speed_kmh", "capital_weight", "c_min",
    "unit_weight_troops", "unit_weight_launcher", "epsilon", "tolerance_legitimate_concerns",
    "robust_high", "latent_host_exponent",
)


def test_shipped_file_is_complete_and_consistent() -> None:
    p = load_params()
    assert p.version == "1"
    for name in REQUIRED:
        assert name in p.specs
    for spec in p.specs.values():
        assert spec.distribution in DISTRIBUTIONS
        assert spec.low <= spec.default <= spec.high
        assert len(spec.rationale) > 20
        if spec.distribution == "loguniform":
            assert spec.low > 0
    assert p["epsilon"] < p["tolerance_legitimate_concerns"]
    assert p["h_neutral"] == p["h_other"]  # neutrality changes nothing by default


def test_overrides_pin_values_and_refuse_bad_ones() -> None:
    p = load_params(overrides={"lambda_km": 500})
    assert p["lambda_km"] == 500.0 and "lambda_km" in p.pinned
    with pytest.raises(InputError, match="unknown parameter 'lamda_km'.*lambda_km"):
        p.with_overrides({"lamda_km": 1.0})
    with pytest.raises(InputError, match="outside the parameter's range") as exc:
        p.with_overrides({"beta": 2.0})
    assert exc.value.field == "beta"


def test_user_file_errors_name_file_line_and_field(write) -> None:
    good = write("parameters:\n  kappa: 0.7\n  tau_min: 10\n")
    p = load_params(good)
    assert p["kappa"] == 0.7 and p["tau_min"] == 10.0
    bad = write("parameters:\n  kappa: 0.7\n  tau_min: 1000\n", "bad.yaml")
    with pytest.raises(InputError) as exc:
        load_params(bad)
    assert exc.value.line == 3 and exc.value.field == "tau_min" and "bad.yaml" in str(exc.value)
    text = write("parameters:\n  kappa: lots\n", "text.yaml")
    with pytest.raises(InputError, match="expected a number"):
        load_params(text)
    section = write("paramters:\n  kappa: 0.5\n", "section.yaml")
    with pytest.raises(InputError, match="unknown section"):
        load_params(section)


def test_full_copy_is_accepted_and_checked(write) -> None:
    text = default_path().read_text(encoding="utf-8")
    full = write(text.replace("default: 1000\n", "default: 900\n", 1), "full.yaml")
    assert load_params(full)["lambda_km"] == 900.0
    broken = write(text.replace("distribution: loguniform", "distribution: normal", 1), "b.yaml")
    with pytest.raises(InputError, match="expected one of uniform") as exc:
        load_params(broken)
    assert exc.value.line is not None and exc.value.field == "parameters.lambda_km.distribution"
    outside = write(text.replace("default: 1000\n", "default: 5000\n", 1), "o.yaml")
    with pytest.raises(InputError, match="outside"):
        load_params(outside)
    short = write("version: 1\nparameters:\n" + text.split("parameters:\n", 1)[1].split(
        "  - name: lambda_nuclear_km", 1)[0], "short.yaml")
    with pytest.raises(InputError, match="missing parameter"):
        load_params(short)


def test_parse_param_assignments() -> None:
    assert parse_param_assignments(["lambda_km=800", " beta = 0.1"]) == {
        "lambda_km": 800.0, "beta": 0.1}
    for bad in (["lambda_km"], ["=3"], ["beta=x"], ["beta=1", "beta=2"], ["beta=nan"]):
        with pytest.raises(InputError):
            parse_param_assignments(bad)


def test_draws_are_reproducible_and_respect_distributions() -> None:
    p = load_params(overrides={"kappa": 0.9})
    a, b = draw_params(p, 2000, seed=7), draw_params(p, 2000, seed=7)
    c = draw_params(p, 2000, seed=8)
    assert a.n == 2000
    for name, spec in p.specs.items():
        v = a[name]
        assert v.shape == (2000,)
        np.testing.assert_array_equal(v, b[name])
        assert np.all((v >= spec.low) & (v <= spec.high))
        if spec.distribution == "fixed" or name == "kappa":
            assert np.all(v == p[name])
        else:
            assert v.std() > 0 and not np.array_equal(v, c[name])
    # loguniform: the log is uniform, so its median is the geometric mean of the bounds.
    lam = p.specs["lambda_km"]
    assert np.median(a["lambda_km"]) == pytest.approx(np.sqrt(lam.low * lam.high), rel=0.08)
    with pytest.raises(InputError):
        draw_params(p, 0, seed=1)


def test_draw_stream_of_a_parameter_does_not_depend_on_the_others() -> None:
    p = load_params()
    q = load_params(overrides={"beta": 0.1})  # pinning beta leaves the other streams alone
    np.testing.assert_array_equal(draw_params(p, 50, 3)["lambda_km"],
                                  draw_params(q, 50, 3)["lambda_km"])


def test_constant_batch_and_slices() -> None:
    p = load_params()
    batch = ParamBatch.constant(p, 5)
    assert batch.n == 5 and np.all(batch["tau_min"] == p["tau_min"])
    part = batch.slice(3, 10)
    assert part.n == 2 and part["tau_min"].shape == (2,)
