"""The security model: arrays in, every state's security and its decomposition out."""

from indivisible.security.decompose import FACTORS, Comparison, shapley_product
from indivisible.security.elements import ElementSet, Geography, build_elements
from indivisible.security.model import Evaluation, SecurityModel
from indivisible.security.params import (
    ParamBatch,
    Params,
    ParamSpec,
    draw_params,
    load_params,
    parse_param_assignments,
)

__all__ = [
    "FACTORS",
    "Comparison",
    "ElementSet",
    "Evaluation",
    "Geography",
    "ParamBatch",
    "ParamSpec",
    "Params",
    "SecurityModel",
    "build_elements",
    "draw_params",
    "load_params",
    "parse_param_assignments",
    "shapley_product",
]
