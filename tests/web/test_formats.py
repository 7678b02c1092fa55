"""web.formats writes dates exactly as the template filter it replaces in long lists."""

from datetime import UTC, date, datetime

from django.template.defaultfilters import date as date_filter

from web.formats import long_date, short_date_time


def test_long_date_is_the_date_filter_j_f_y():
    values = [date(2026, 1, 5), date(2024, 2, 29), datetime(2026, 11, 30, 23, 30, tzinfo=UTC),
              datetime(2026, 6, 30, 23, 30, tzinfo=UTC),  # BST: already 1 July in London
              *(datetime(2025, month, 1, 12, tzinfo=UTC) for month in range(1, 13))]
    for value in values:
        assert long_date(value) == date_filter(value, "j F Y")
    assert long_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026"
    assert long_date(None) == date_filter(None, "j F Y") == ""


def test_short_date_time_is_the_date_filter_j_m_y_h_i():
    values = [datetime(2026, 11, 30, 21, 5, tzinfo=UTC), datetime(2026, 6, 30, 23, 30, tzinfo=UTC),
              *(datetime(2025, month, 9, 7, 0, tzinfo=UTC) for month in range(1, 13))]
    for value in values:
        assert short_date_time(value) == date_filter(value, "j M Y H:i")
    assert short_date_time(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 Jul 2026 00:30"
    assert short_date_time(None) == date_filter(None, "j M Y H:i") == ""
