"""The constructed data set's dates (tests/reports/conftest.py builds it)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

START, END = date(2025, 4, 1), date(2025, 6, 30)  # a quarter: 91 days
NOW = datetime(2025, 7, 15, 12, 0, tzinfo=ZoneInfo("Europe/London"))
TODAY = NOW.date()


def at(day: date, hour: int = 9) -> datetime:
    """HOUR o'clock local time on DAY."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))
