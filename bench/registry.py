"""The figures the benchmark reports, as a registry.

A figure is a name, a target and a function that measures it and returns one or more
rows. Register more with `register_figure(...)` (e.g. pack_seconds_40_cases and
sweep_seconds_100k when meetings and orders land): a figure registered without a
function prints "not measured yet" instead of a number.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Row:
    name: str
    value: float | int | str | None
    unit: str = ""
    p95: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""
    details: dict[str, float | int | str] = field(default_factory=dict)

    def formatted(self) -> str:
        if self.value is None:
            return self.note or "not measured yet"
        if isinstance(self.value, float):
            return f"{self.value:.2f}"
        return str(self.value)


@dataclass(frozen=True)
class Figure:
    name: str
    target: str  # e.g. "<= 1.3", shown beside the value
    measure: Callable[["object"], list[Row]] | None = None
    needs_server: bool = False  # starts gunicorn; skipped with --no-server


FIGURES: list[Figure] = []


def register_figure(name: str, target: str = "", measure=None, *, needs_server: bool = False,
                    replace: bool = False) -> Figure:
    figure = Figure(name, target, measure, needs_server)
    for i, existing in enumerate(FIGURES):
        if existing.name == name:
            if not replace:
                raise ValueError(f"figure {name!r} is already registered")
            FIGURES[i] = figure
            return figure
    FIGURES.append(figure)
    return figure


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
