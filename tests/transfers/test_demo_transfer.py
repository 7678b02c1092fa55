"""The demo has one MARAC-to-MARAC transfer pending, North to South (issue 12, "Tests and demo")."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from marac.management.commands.seed_demo import NORTH, SOUTH

pytestmark = pytest.mark.django_db


def _user(username):
    return get_user_model().objects.get(username=username)


def test_the_demo_has_one_transfer_pending_from_north_to_south(api):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    [summary] = api(_user("coordinator_south")).get("/api/v1/transfers/?status=pending").json()["results"]
    assert (summary["from_marac_name"], summary["to_marac_name"], summary["reason"]) == (
        NORTH, SOUTH, "moved_permanently")
    assert summary["victim"]["last_name"] and "note" not in summary
    [record] = api(_user("coordinator")).get("/api/v1/transfers/").json()["results"]
    assert record["id"] == summary["id"] and record["note"] and "victim" not in record
    for username in ("police", "advocate", "housing"):
        assert api(_user(username)).get("/api/v1/transfers/").json()["results"] == [], username
