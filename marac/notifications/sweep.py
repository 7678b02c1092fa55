"""The daily reminder sweep. Each domain area registers its steps (overdue actions,
notification deadlines, breach responses, expiring orders...) from its AppConfig.ready.
Every step is set-based and idempotent: notifications carry a dedupe key, so running
the sweep twice raises nothing new."""

from collections.abc import Callable
from datetime import date

from django.utils import timezone

SweepStep = Callable[[date], int]
_steps: dict[str, SweepStep] = {}


def register_sweep_step(name: str, step: SweepStep) -> None:
    _steps[name] = step


def sweep_steps() -> dict[str, SweepStep]:
    return dict(_steps)


def run_daily_sweep(today: date | None = None) -> dict[str, int]:
    """Run every registered step; returns how many items each step flagged."""
    today = today or timezone.localdate()
    return {name: step(today) for name, step in sorted(_steps.items())}
