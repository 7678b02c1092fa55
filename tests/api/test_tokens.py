"""API tokens (django-rest-knox): stored as a digest only, expiring after
MARAC_TOKEN_TTL, revoked by logout and logout-all; garbage in the header is 401."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken

from marac.settings import env_duration
from tests.factories import TEST_PASSWORD, make_agency, make_user

pytestmark = pytest.mark.django_db


def login(api, user) -> dict:
    response = api().post("/api/v1/auth/token/", {"username": user.username, "password": TEST_PASSWORD},
                          format="json")
    assert response.status_code == 200, response.content
    return response.json()


def me(api, token):
    return api().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")


def test_a_token_is_stored_only_as_a_digest(api):
    user = make_user(make_agency())
    token = login(api, user)["token"]
    assert me(api, token).status_code == 200
    stored = list(AuthToken.objects.filter(user=user).values())
    assert len(stored) == 1
    assert all(token not in str(value) for row in stored for value in row.values())
    # ...and no other token table (DRF's clear-text one) is left to keep it.
    assert [t for t in connection.introspection.table_names() if "token" in t] == ["knox_authtoken"]


def test_login_answers_the_token_and_when_it_expires(api):
    before = timezone.now()
    answer = login(api, make_user(make_agency()))
    assert set(answer) == {"token", "expiry"}
    expiry = AuthToken.objects.get().expiry
    assert before + timedelta(hours=10) <= expiry <= timezone.now() + timedelta(hours=10)
    assert answer["expiry"].startswith(timezone.localtime(expiry).isoformat()[:19])


def test_a_token_stops_working_once_its_ttl_has_passed(api, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(minutes=30)}
    token = login(api, make_user(make_agency()))["token"]
    assert me(api, token).status_code == 200
    later = timezone.now() + timedelta(minutes=30, seconds=1)
    with mock.patch("api.authentication.timezone.now", return_value=later):
        response = me(api, token)
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_each_login_issues_a_new_token(api):
    user = make_user(make_agency())
    first, second = login(api, user)["token"], login(api, user)["token"]
    assert first != second and me(api, first).status_code == me(api, second).status_code == 200


def test_logout_revokes_the_token_it_is_sent_with_only(api):
    user = make_user(make_agency())
    laptop, phone = login(api, user)["token"], login(api, user)["token"]
    response = api().post("/api/v1/auth/logout/", HTTP_AUTHORIZATION=f"Token {laptop}")
    assert response.status_code == 204
    assert me(api, laptop).status_code == 401
    assert me(api, phone).status_code == 200


def test_logout_all_revokes_every_token_of_the_caller(api):
    user, colleague = make_user(make_agency()), make_user(make_agency())
    tokens = [login(api, user)["token"] for _ in range(3)]
    theirs = login(api, colleague)["token"]
    assert api().post("/api/v1/auth/logout-all/", HTTP_AUTHORIZATION=f"Token {tokens[0]}").status_code == 204
    assert [me(api, token).status_code for token in tokens] == [401, 401, 401]
    assert me(api, theirs).status_code == 200
    assert not AuthToken.objects.filter(user=user).exists()


def test_logout_needs_a_token(api):
    user = make_user(make_agency())
    client = api()
    client.force_login(user)  # a session is not a token: nothing to revoke
    assert client.post("/api/v1/auth/logout/").status_code == 401
    assert api().post("/api/v1/auth/logout-all/").status_code == 401


# WSGI hands headers over as latin-1 text: UTF-8 bytes arrive as such characters.
@pytest.mark.parametrize("garbage", ["\x00" * 64, "0" * 63 + "\x00", "Z" * 64, "0" * 4096,
                                     ("٠" * 32).encode().decode("latin-1"), "%00"])
def test_a_garbage_token_is_401_never_500(api, garbage):
    make_user(make_agency())
    response = api().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {garbage}")
    assert response.status_code == 401


@pytest.mark.parametrize("value,expected", [
    ("36000", timedelta(hours=10)), ("PT2H", timedelta(hours=2)), ("1 00:00:00", timedelta(days=1)),
    ("08:30:00", timedelta(hours=8, minutes=30)), ("", timedelta(hours=10)),
])
def test_marac_token_ttl_takes_seconds_or_an_interval(monkeypatch, value, expected):
    monkeypatch.setenv("MARAC_TOKEN_TTL", value)
    assert env_duration("MARAC_TOKEN_TTL", timedelta(hours=10)) == expected


@pytest.mark.parametrize("value", ["ten hours", "0", "-60"])
def test_a_meaningless_marac_token_ttl_is_refused(monkeypatch, value):
    monkeypatch.setenv("MARAC_TOKEN_TTL", value)
    with pytest.raises(ImproperlyConfigured):
        env_duration("MARAC_TOKEN_TTL", timedelta(hours=10))


def test_the_drf_token_table_and_its_clear_keys_are_dropped_by_the_migration():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("marac.agencies.migrations.0003_drop_drf_tokens")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer)")
        cursor.execute("INSERT INTO authtoken_token VALUES ('0123456789abcdef0123456789abcdef01234567', 1)")
    migration.drop_drf_tokens(apps, connection.schema_editor())
    assert "authtoken_token" not in connection.introspection.table_names()


def test_the_daily_sweep_deletes_expired_tokens():
    from marac.notifications.sweep import run_daily_sweep

    user = make_user(make_agency())
    AuthToken.objects.create(user=user, expiry=timedelta(hours=1))
    AuthToken.objects.create(user=user, expiry=timedelta(hours=-1))
    assert run_daily_sweep()["delete_expired_tokens"] == 1
    assert AuthToken.objects.filter(user=user).count() == 1
