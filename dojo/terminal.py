"""The one place that makes a rich Console: every verb prints through it, so colours, width and
highlighting behave the same everywhere (NO_COLOR and FORCE_COLOR are rich's own).

rich is imported on first use: `import rich.console` costs ~30 ms, which verbs that print nothing
(the warm runner's client, the plugin in a test worker) do not pay.
"""
from __future__ import annotations


def console(stderr: bool = False, **options):
    """A rich Console without auto-highlighting (our messages colour what they mean)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, **options)
