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


# The latest date any input may carry (the API and the web forms alike). Nothing a
# MARAC records is planned or happened after it, and dates near year 9999 overflow date
# arithmetic and time-zone conversion.
LATEST_DATE = date(2100, 12, 31)
EARLIEST_BIRTH_YEAR = 1900


def birth_date_problem(value: date, today: date) -> str | None:
    """Why a date of birth cannot be right (in the future, or before 1900), or None."""
    if value > today:
        return "This date cannot be in the future."
    if value.year < EARLIEST_BIRTH_YEAR:
        return f"This date of birth is before {EARLIEST_BIRTH_YEAR}."
    return None
