"""Login throttling cannot be bypassed: a client-supplied X-Forwarded-For never changes
the throttle key, logins are limited per address and per username, and /admin/login/
shares the API's budget."""

import json

import pytest
from rest_framework.settings import api_settings
from rest_framework.test import APIRequestFactory
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import TEST_PASSWORD, make_platform_admin, make_user

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"
ADMIN_LOGIN_URL = "/admin/login/"
LIMIT = 10  # MARAC_THROTTLE_LOGIN's default, for the address and the username alike


def token_attempt(client, username, address="127.0.0.1", forwarded_for=None, password="wrong-password"):
    extra = {"REMOTE_ADDR": address}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json", **extra)


def admin_attempt(client, username, address="127.0.0.1", password="wrong-password"):
    form = {"username": username, "password": password, "next": "/admin/"}  # as the admin's form posts it
    return client.post(ADMIN_LOGIN_URL, form, REMOTE_ADDR=address)


def assert_throttled(response):
    assert response.status_code == 429, response.content
    assert 0 < int(response["Retry-After"]) <= 60


def test_rotating_x_forwarded_for_does_not_escape_the_login_throttle(api):
    client = api()
    for i in range(LIMIT):  # a new username each time: only the address key can stop this
        assert token_attempt(client, f"guess-{i}", forwarded_for=f"198.51.100.{i}").status_code == 400
    assert_throttled(token_attempt(client, "guess-next", forwarded_for="198.51.100.200"))
    assert_throttled(token_attempt(client, "guess-next-2"))


def test_with_one_trusted_proxy_a_spoofed_left_entry_does_not_change_the_login_key(api, settings):
    settings.MARAC_TRUSTED_PROXIES = 1
    client = api()
    for i in range(LIMIT):  # the proxy (REMOTE_ADDR 10.0.0.1) appended the client's 203.0.113.7
        response = token_attempt(client, f"guess-{i}", address="10.0.0.1", forwarded_for=f"198.51.100.{i}, 203.0.113.7")
        assert response.status_code == 400
    assert_throttled(token_attempt(client, "guess-next", address="10.0.0.1", forwarded_for="1.1.1.1, 203.0.113.7"))
    # Another client behind the same proxy has its own budget: the key is the right-most entry.
    assert token_attempt(client, "guess-other", address="10.0.0.1", forwarded_for="203.0.113.8").status_code == 400


@pytest.mark.parametrize("forwarded_for", ["not-an-ip", "203.0.113.999", "' OR 1=1 --", "", ",", "fe80::1%eth0",
                                           "203.0.113.7:443", "\u0661.2.3.4"])
def test_an_invalid_forwarded_address_falls_back_to_the_peer_for_the_login_throttle(api, settings, forwarded_for):
    settings.MARAC_TRUSTED_PROXIES = 1
    client = api()
    for i in range(LIMIT):
        response = token_attempt(client, f"guess-{i}", address="10.0.0.1", forwarded_for=f"{forwarded_for}{'x' * i}")
        assert response.status_code == 400
    assert_throttled(token_attempt(client, "guess-next", address="10.0.0.1", forwarded_for=forwarded_for))


def test_a_forwarded_list_shorter_than_the_proxy_count_falls_back_to_the_peer(api, settings):
    settings.MARAC_TRUSTED_PROXIES = 2
    client = api()
    for i in range(LIMIT):
        assert token_attempt(client, f"guess-{i}", address="10.0.0.1", forwarded_for=f"198.51.100.{i}").status_code == 400
    assert_throttled(token_attempt(client, "guess-next", address="10.0.0.1", forwarded_for="198.51.100.99"))


def test_login_is_throttled_per_username_across_addresses(api):
    user = make_user(username="alice")
    client = api()
    spellings = ["alice", "Alice", " alice ", "ALICE", "alice\t"]
    for i in range(LIMIT):  # a new address each time: only the username key can stop this
        assert token_attempt(client, spellings[i % len(spellings)], address=f"198.51.100.{i}").status_code == 400
    assert_throttled(token_attempt(client, "alice", address="198.51.100.200", password=TEST_PASSWORD))
    # Someone else, from an address with budget left, is not held up by alice's lock.
    other = make_user(username="bob")
    response = token_attempt(client, other.username, address="198.51.100.201", password=TEST_PASSWORD)
    assert response.status_code == 200 and user.pk != other.pk


@pytest.mark.parametrize("username", [12345, 1.5, ["alice"], {"a": 1}, None, True, "\ud800", "x" * 5000, ""])
def test_an_odd_username_is_a_400_not_a_500_and_still_counts_per_address(api, username):
    client = api()
    body = json.dumps({"username": username, "password": "wrong-password"})  # escapes a lone surrogate
    for _ in range(LIMIT):
        assert client.post(TOKEN_URL, body, content_type="application/json").status_code == 400
    assert_throttled(client.post(TOKEN_URL, body, content_type="application/json"))


def test_a_numeric_username_shares_the_budget_of_its_string_form(api):
    client = api()
    for i in range(LIMIT):
        username = 12345 if i % 2 else "12345"
        assert token_attempt(client, username, address=f"198.51.100.{i}").status_code == 400
    assert_throttled(token_attempt(client, "12345", address="198.51.100.200"))


def test_admin_login_posts_are_throttled_with_retry_after(client):
    for _ in range(LIMIT):
        assert admin_attempt(client, "nobody").status_code == 200  # the form again, with its error
    throttled = admin_attempt(client, "nobody")
    assert_throttled(throttled)
    assert throttled["Content-Type"].startswith("application/json")
    assert client.get(ADMIN_LOGIN_URL).status_code == 200  # the form itself is not a login attempt


def test_admin_login_is_throttled_per_username_across_addresses(client):
    for i in range(LIMIT):
        assert admin_attempt(client, "Root" if i % 2 else "root", address=f"198.51.100.{i}").status_code == 200
    assert_throttled(admin_attempt(client, "root", address="198.51.100.200"))


def test_admin_login_ignores_a_client_supplied_forwarded_for(client):
    for i in range(LIMIT):
        response = client.post(ADMIN_LOGIN_URL, {"username": f"guess-{i}", "password": "wrong-password"},
                               HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        assert response.status_code == 200
    assert_throttled(client.post(ADMIN_LOGIN_URL, {"username": "guess-next", "password": "x"},
                                 HTTP_X_FORWARDED_FOR="198.51.100.200"))


def test_admin_and_api_logins_share_one_budget(api, client):
    make_user(username="carol")
    for i in range(LIMIT // 2):
        assert token_attempt(api(), "carol", address=f"198.51.100.{i}").status_code == 400
        assert admin_attempt(client, "carol", address=f"203.0.113.{i}").status_code == 200
    assert_throttled(admin_attempt(client, "carol", address="192.0.2.1", password=TEST_PASSWORD))
    assert_throttled(token_attempt(api(), "carol", address="192.0.2.2", password=TEST_PASSWORD))


def test_admin_login_still_works_below_the_limit(client):
    admin = make_platform_admin(username="platform")
    for _ in range(LIMIT - 1):
        assert admin_attempt(client, admin.username).status_code == 200
    response = admin_attempt(client, admin.username, password=TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get(ADMIN_LOGIN_URL).status_code == 302  # already signed in: on to the index
    assert client.post("/admin/logout/").status_code == 200
    assert client.get("/admin/").status_code == 302


def test_anonymous_requests_are_throttled_by_address_not_forwarded_for(api, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "anon": "3/min"})
    client = api()
    for i in range(3):
        assert client.get("/api/v1/docs/", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code == 200
    assert_throttled(client.get("/api/v1/docs/", HTTP_X_FORWARDED_FOR="198.51.100.200"))


@pytest.mark.parametrize("trusted_proxies", [0, 1])
def test_every_default_throttle_keys_anonymous_callers_by_the_client_address_rule(settings, trusted_proxies):
    settings.MARAC_TRUSTED_PROXIES = trusted_proxies
    factory = APIRequestFactory()
    for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES:
        throttle = throttle_class()
        keys = set()
        for spoofed in ("198.51.100.1", "198.51.100.2", "garbage"):
            request = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"{spoofed}, 203.0.113.7")
            request.user = None
            keys.add(throttle.get_cache_key(request, None))
        expected = "203.0.113.7" if trusted_proxies else "10.0.0.1"
        assert keys == {throttle.cache_format % {"scope": throttle.scope, "ident": expected}}, throttle_class
