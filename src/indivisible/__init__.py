"""Indivisible: the principle of indivisible security, made computable."""

__version__ = "0.1.0"
