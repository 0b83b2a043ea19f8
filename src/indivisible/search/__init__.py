"""Security for all: packages of measures under which no state's security falls.

A *menu* lists measures (actions); a *package* is any subset of it. The search finds the
packages under which no state loses more than epsilon, ranks them by the smallest change
across states (security for all) or by the sum, traces the Pareto front of (sum,
minimum), and gives each reported package's robustness over parameter draws.
"""

from indivisible.search.decompose import Decomposition, decompose
from indivisible.search.menu import Measure, Menu, load_menu, parse_menu, shipped_menus
from indivisible.search.run import MAX_EXHAUSTIVE, Package, SearchResult, search_packages
from indivisible.search.tables import Tables

__all__ = [
    "MAX_EXHAUSTIVE",
    "Decomposition",
    "Measure",
    "Menu",
    "Package",
    "SearchResult",
    "Tables",
    "decompose",
    "load_menu",
    "parse_menu",
    "search_packages",
    "shipped_menus",
]
