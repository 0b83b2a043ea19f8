"""Placeholder replaced by the register work; registers nothing yet."""

import typer


def register(app: typer.Typer) -> None:
    return None
