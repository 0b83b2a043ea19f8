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
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning input errors into exit code 2 without a traceback."""
    err = Console(stderr=True, highlight=False)
    try:
        app(args=argv, standalone_mode=False)
    except InputError as exc:
        err.print(f"[bold red]error:[/bold red] {exc}", markup=True, soft_wrap=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(1)
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show(file=sys.stderr)
            sys.exit(2 if isinstance(exc, click.exceptions.UsageError) else exc.exit_code)
        raise


if __name__ == "__main__":  # pragma: no cover
    main()
