"""The transfers world of tests/transfers (North holds the case, South has a meeting
coming up; each has a coordinator and a chair), shared with the web tests."""

from tests.transfers.conftest import world  # noqa: F401
