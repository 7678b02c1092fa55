"""Date arithmetic that cannot overflow.

`date + timedelta` raises OverflowError past 9999-12-31, and a stored date near the
calendar's end (written before the API refused dates past 2100, or by a script) must
not turn every read or rule check of its row into a 500."""

from datetime import MAXYEAR, MINYEAR, date, timedelta


def add_days(day: date, days: int) -> date:
    """DAY + DAYS, held at the calendar's first or last day."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def anniversary(day: date, years: int) -> date:
    """The same day YEARS later; 29 February's anniversary in a common year is 1 March.
    Past the calendar's end, its last day."""
    year = day.year + years
    if year > MAXYEAR:
        return date.max
    if year < MINYEAR:
        return date.min
    try:
        return day.replace(year=year)
    except ValueError:
        return date(year, 3, 1)
