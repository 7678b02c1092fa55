"""web.formats writes dates exactly as the template filters it replaces in long lists
(rendered through a template: the engine converts a datetime to local time first)."""

from datetime import UTC, date, datetime

from django.template import engines

from web.formats import long_date, short_date, short_date_time


def _filtered(value, format_string: str) -> str:
    return engines["django"].from_string("{{ value|date:format }}").render(
        {"value": value, "format": format_string})


def test_long_date_is_the_date_filter_j_f_y():
    values = [date(2026, 1, 5), date(2024, 2, 29), datetime(2026, 11, 30, 23, 30, tzinfo=UTC),
              datetime(2026, 6, 30, 23, 30, tzinfo=UTC),  # BST: already 1 July in London
              *(datetime(2025, month, 1, 12, tzinfo=UTC) for month in range(1, 13))]
    for value in values:
        assert long_date(value) == _filtered(value, "j F Y")
    assert long_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026"
    assert long_date(None) == _filtered(None, "j F Y") == ""


def test_short_date_time_is_the_date_filter_j_m_y_h_i():
    values = [datetime(2026, 11, 30, 21, 5, tzinfo=UTC), datetime(2026, 6, 30, 23, 30, tzinfo=UTC),
              *(datetime(2025, month, 9, 7, 0, tzinfo=UTC) for month in range(1, 13))]
    for value in values:
        assert short_date_time(value) == _filtered(value, "j M Y H:i")
    assert short_date_time(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 Jul 2026 00:30"
    assert short_date_time(None) == _filtered(None, "j M Y H:i") == ""


def test_short_date_is_the_date_filter_j_m_y():
    for value in (date(2026, 1, 5), date(2024, 2, 29), *(date(2025, month, 9) for month in range(1, 13))):
        assert short_date(value) == _filtered(value, "j M Y")
    assert short_date(date(2025, 9, 9)) == "9 Sep 2025"
    assert short_date(None) == _filtered(None, "j M Y") == ""
