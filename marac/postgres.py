"""PostgreSQL connection setup that Django's backend leaves to the project.

Timestamps: Django reads every `timestamptz` through psycopg's pure-Python text loader
(a regular expression per value; ~2.4 µs each) so that it can attach its own time
zone. A 50-row case list of model instances read ~100 of them, a tenth of the request's
Python time. The loader here gives the same values (same instant, same tzinfo object) from
`datetime.fromisoformat` (~0.15 µs), and hands anything that is not plain ISO output
(infinity, years beyond 9999, another DateStyle) to psycopg's loader, which answers or
fails exactly as before.
"""

from datetime import datetime
from functools import lru_cache

from psycopg.types.datetime import TimestamptzLoader


class IsoTimestamptzLoader(TimestamptzLoader):
    # Django's cursor factory compares this with the connection's time zone and only
    # installs its own loader when they differ.
    timezone = None

    def load(self, data):
        try:
            value = datetime.fromisoformat(bytes(data).decode())
        except ValueError:
            value = super().load(data)
        return value.astimezone(self.timezone)


@lru_cache
def iso_loader_for(tz) -> type[IsoTimestamptzLoader]:
    return type("IsoTimestamptzLoader", (IsoTimestamptzLoader,), {"timezone": tz})


def use_iso_timestamptz_loader(sender, connection, **kwargs) -> None:
    """connection_created receiver. Only with USE_TZ (an aware connection time zone):
    without it Django wants naive values, which this loader does not make."""
    if connection.vendor == "postgresql" and connection.timezone is not None:
        connection.connection.adapters.register_loader("timestamptz", iso_loader_for(connection.timezone))
