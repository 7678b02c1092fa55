"""Dates as the pages write them, for long lists: `{{ value|date:"j F Y" }}` goes
through Django's general formatter (format parsing, locale lookups) for every row,
a quarter of the case list's rendering. Pinned equal to the filter by
tests/web/test_formats.py."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3


def long_date(value: date | datetime | None) -> str:
    """`value|date:"j F Y"`: "30 November 2026" (a datetime in the current time zone)."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {MONTHS[value.month]} {value.year}"


def short_date(value: date | None) -> str:
    """`value|date:"j M Y"`: "30 Nov 2026"."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year}"


def short_date_time(value: datetime | None) -> str:
    """`value|date:"j M Y H:i"`: "30 Nov 2026 21:05" (in the current time zone)."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year} {value:%H:%M}"
