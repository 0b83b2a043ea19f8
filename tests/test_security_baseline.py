"""The model on the shipped baseline with the real geography (integration)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from indivisible.security import ParamBatch, SecurityModel
from indivisible.world import Membership
from indivisible.world.loader import load_baseline


@pytest.fixture(scope="module")
def setting():  # noqa: ANN201
    world = load_baseline()
    return world, SecurityModel()


def test_baseline_2021_evaluates_with_every_kind_of_element(setting) -> None:  # noqa: ANN001
    world, model = setting
    snap = world.at("2021-12-15")
    ev = model.evaluate(snap)
    es = ev.elements
    assert es.n_states == len(snap.iso3) and ev.security.shape == (es.n_states,)
    assert set(es.kind.tolist()) == {"home", "nuclear", "deployment", "latent"}
    # SIPRI counts warheads for four OSCE states (USA, RUS, GBR, FRA).
    assert sorted(es.owner[es.kind == "nuclear"].tolist()) == ["FRA", "GBR", "RUS", "USA"]
    assert np.all(ev.security > 0) and np.all(ev.security <= 1)
    assert np.all(np.isfinite(ev.threat_by_element)) and np.all(ev.threat_by_element >= 0)
    s = model.evaluate_batch(snap, ParamBatch.constant(model.params, 3))
    np.testing.assert_allclose(s, np.broadcast_to(ev.security, s.shape), rtol=1e-12)


def test_an_accession_decomposes_exactly_on_the_baseline(setting) -> None:  # noqa: ANN001
    world, model = setting
    joined = world.replace(memberships=(*world.memberships, Membership(
        alliance="NATO", iso3="UKR", start=dt.date(2021, 12, 1), source="test: hypothetical")))
    cmp_ = model.compare(world.at("2021-12-15"), joined.at("2021-12-15"))
    kw = dict(rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(cmp_.by_element.sum(axis=0), cmp_.delta, **kw)
    np.testing.assert_allclose(sum(cmp_.by_factor.values()), cmp_.delta, **kw)
    k = cmp_.iso3.index
    assert cmp_.delta[k("UKR")] > 0 > cmp_.delta[k("RUS")]
    assert "latent:USA@UKR" in set(cmp_.element_ids)
