"""Involve: the multi-organisation core of the resident-involvement platform.

Plugins import the hook marker from here (``from core import hookimpl``); everything else lives
in the submodules, which import nothing at package import time beyond pluggy.
"""

from core.hookspecs import hookimpl

__all__ = ["hookimpl"]
