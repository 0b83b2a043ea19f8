"""Loaders are fuzzed: any file gives a World (or action) or one InputError, never a traceback."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indivisible.actions import load_case
from indivisible.errors import InputError
from indivisible.world.loader import load_scenario
from tests.conftest import TOY

ACTION = (
    "kind: deploy\nowner: AAA\nhost: BBB\nsite: s\nlat: 50.0\nlon: 26.0\nsystem: msl\n"
    "count: 4\nunit: launchers\n"
)
FUZZ = settings(max_examples=120, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _mutate(text: str, seed: int, edits: int) -> str:
    """Delete, duplicate, swap or replace random characters and lines of a valid file."""
    rng = random.Random(seed)
    chars = list(text)
    alphabet = " \n:-[]{}#'\"!&*|>0123456789.eAZaz,\t"
    for _ in range(edits):
        if not chars:
            break
        i = rng.randrange(len(chars))
        op = rng.randrange(4)
        if op == 0:
            del chars[i]
        elif op == 1:
            chars.insert(i, rng.choice(alphabet))
        elif op == 2:
            chars[i] = rng.choice(alphabet)
        else:
            j = rng.randrange(len(chars))
            chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


def _only_input_errors(path: Path, load) -> None:  # noqa: ANN001
    try:
        load(path)
    except InputError as exc:
        assert exc.message and str(path) in str(exc)


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), edits=st.integers(1, 12))
def test_scenario_loader_fuzzed(tmp_path_factory, seed: int, edits: int) -> None:
    path = tmp_path_factory.mktemp("fz") / "s.yaml"
    path.write_text(_mutate(TOY, seed, edits), encoding="utf-8")
    _only_input_errors(path, load_scenario)


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), edits=st.integers(1, 8))
def test_action_loader_fuzzed(tmp_path_factory, seed: int, edits: int) -> None:
    path = tmp_path_factory.mktemp("fz") / "a.yaml"
    path.write_text(_mutate(ACTION, seed, edits), encoding="utf-8")
    _only_input_errors(path, lambda p: load_case(str(p)))


@FUZZ
@given(data=st.binary(max_size=300))
def test_scenario_loader_on_arbitrary_bytes(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fz") / "b.yaml"
    path.write_bytes(data)
    _only_input_errors(path, load_scenario)
