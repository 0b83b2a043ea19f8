"""Every command: --help works, JSON output parses, usage errors exit 2 without a traceback."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from indivisible.cli import app, main

runner = CliRunner()

COMMANDS = ["world", "register", "assess", "answer", "check", "proposals", "simulate", "fit",
            "game", "results"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "--format" in result.output or command == "register"


@pytest.mark.parametrize(
    "argv",
    [
        ["world", "--at", "2021-12-15", "--format", "json"],
        ["register", "compare", "paris-1990", "istanbul-1999", "--format", "json"],
        ["assess", "b61-withdrawal", "--draws", "20", "--format", "json"],
        ["check", "founding-act-1997", "--at", "2021-12-15", "--format", "json"],
    ],
)
def test_json_output_parses(argv: list[str]) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict) and data


def test_assess_json_contract() -> None:
    result = runner.invoke(app, ["assess", "ukraine-joins-nato", "--draws", "30", "--format", "json"])
    data = json.loads(result.stdout)
    for key in ("action", "date", "states", "gainers", "losers", "rights_invoked",
                "obligations_engaged", "verdicts", "params", "seed"):
        assert key in data
    assert set(data["verdicts"]) == {"free-choice", "legitimate-concerns", "indivisible"}
    state = data["states"][0]
    assert {"iso3", "before", "after", "delta", "contributions"} <= set(state)
    assert len(data["states"]) == 57


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["world", "--format", "xml"], "xml"),
        (["world", "--at", "2021-13-45"], "YYYY-MM-DD"),
        (["assess"], "Missing argument"),
        (["assess", "no-such-case"], "unknown action"),
        (["assess", "b61-withdrawal", "--param", "lambda_km=-5"], "outside"),
        (["assess", "b61-withdrawal", "--claim", "9m729=nobody"], "9m729"),
        (["register", "compare", "paris-1990", "nowhere-2000"], "nowhere-2000"),
        (["answer", "ZZZ"], "ZZZ"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(argv, words, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err
