"""PostgreSQL connection setup (marac.settings, marac.postgres): what every request
relies on for speed must not change a single value it reads."""

from datetime import timezone as dt_timezone

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg.pq import Format

from marac.postgres import IsoTimestamptzLoader
from tests.test_settings import settings_in_fresh_process

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL connection setup"),
]

TIMESTAMPS = [
    "2026-11-22 17:39:18.554298+00",
    "2026-07-01 12:00:00+01",  # British Summer Time
    "2026-03-29 01:30:00.5+05:30",
    "1900-01-01 00:00:00-00:01:15",  # a historical offset with seconds
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]


def _as_django_reads_it(literal: str):
    """The value Django's own timestamptz loader gives for this literal."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz::text", [literal])
        text = cursor.fetchone()[0]
    loader = type("DjangoTzLoader", (BaseTzLoader,), {"timezone": connection.timezone})(
        1184, connection.connection)
    return loader.load(text.encode())


@pytest.mark.parametrize("literal", TIMESTAMPS)
def test_timestamps_read_the_same_as_djangos_loader_reads_them(literal):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [literal])
        value = cursor.fetchone()[0]
    expected = _as_django_reads_it(literal)
    assert value == expected
    assert value.tzinfo is expected.tzinfo is dt_timezone.utc
    assert value.isoformat() == expected.isoformat()


def test_the_iso_loader_is_the_one_in_use_and_django_keeps_it():
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(1184, Format.TEXT)
    assert issubclass(loader, IsoTimestamptzLoader)
    assert loader.timezone == connection.timezone


def test_an_infinite_timestamp_still_fails_as_psycopg_fails_it():
    with pytest.raises(Exception) as raised, connection.cursor() as cursor:
        cursor.execute("SELECT 'infinity'::timestamptz")
        cursor.fetchone()
    assert isinstance(raised.value.__cause__ or raised.value, psycopg.DataError)


def test_statements_are_bound_by_the_server_prepared_and_planned_per_execution_without_parallel_workers():
    options = connection.settings_dict["OPTIONS"]
    assert options["server_side_binding"] is True
    assert connection.connection.prepare_threshold == options["prepare_threshold"] == 5
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_custom_plan"
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_preparing_can_be_switched_off_for_poolers_that_cannot_keep_statements():
    url = "postgres://marac@db.example:5432/marac?options=-c%20statement_timeout%3D30000"
    options = "settings.DATABASES['default']['OPTIONS']"
    assert settings_in_fresh_process({"DATABASE_URL": url, "MARAC_DB_PREPARE_THRESHOLD": "off"},
                                     f"{options}['prepare_threshold']") == "None"
    # An `options` given in DATABASE_URL is kept, after ours (so it wins).
    assert settings_in_fresh_process({"DATABASE_URL": url}, f"{options}['options']") == \
        "-c plan_cache_mode=force_custom_plan -c max_parallel_workers_per_gather=0 -c statement_timeout=30000"
