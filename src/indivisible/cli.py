"""The ``indivisible`` command line.

Each concept's module contributes its commands through a ``register(app)`` function
listed in ``COMMAND_MODULES``, so this file stays a table of contents. Any
:class:`~indivisible.errors.InputError` becomes one line on stderr and exit code 2.
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from indivisible.errors import InputError

app = typer.Typer(
    name="indivisible",
    help="The principle of indivisible security, made computable.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Modules whose ``register(app)`` adds commands, in --help order.
COMMAND_MODULES: tuple[str, ...] = (
    "indivisible.world.cli",
    "indivisible.register.cli",
    "indivisible.exec.cli",
    "indivisible.assess.cli",
    "indivisible.provisions.cli",
    "indivisible.dynamics.cli",
    "indivisible.games.cli",
    "indivisible.search.cli",
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def _click_exception_types() -> tuple[type[BaseException], ...]:
    """Click's exception classes: typer >= 0.29 vendors its own click, older typer uses click."""
    types: list[type[BaseException]] = []
    for mod in ("typer._click.exceptions", "click.exceptions"):
        try:
            types.append(importlib.import_module(mod).ClickException)
        except (ImportError, AttributeError):
            continue
    return tuple(types)


def _abort_types() -> tuple[type[BaseException], ...]:
    types: list[type[BaseException]] = [typer.Abort]
    for mod in ("typer._click.exceptions", "click.exceptions"):
        try:
            types.append(importlib.import_module(mod).Abort)
        except (ImportError, AttributeError):
            continue
    return tuple(types)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning input errors into exit code 2 without a traceback."""
    err = Console(stderr=True, highlight=False)
    click_errors = _click_exception_types()
    try:
        result = app(args=argv, standalone_mode=False)
    except InputError as exc:
        # The message may quote user input: print it as text, never as rich markup.
        err.print("[bold red]error:[/bold red] ", end="", markup=True)
        err.print(str(exc), markup=False, soft_wrap=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except _abort_types():
        err.print("aborted")
        sys.exit(1)
    except click_errors as exc:
        exc.show(file=sys.stderr)  # type: ignore[attr-defined]
        sys.exit(2)
    if isinstance(result, int) and result != 0:
        sys.exit(result)


if __name__ == "__main__":  # pragma: no cover
    main()
