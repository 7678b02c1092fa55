"""Sign in and sessions: the labelled form, CSRF, sign out by POST, sessions that end
after MARAC_WEB_SESSION_IDLE_MINUTES without activity and on sign out, secure cookies
outside DEBUG, and the API's login throttles shared with the sign-in page."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import TEST_PASSWORD, make_agency, make_user
from tests.test_demo_and_docs import fresh_process
from web import middleware

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_has_username_and_password_labels_and_a_sign_in_button(web):
    page = web().get("/sign-in/").content.decode()
    assert '<label for="id_username" class="govuk-label">' in page and "Username" in page
    assert '<label for="id_password" class="govuk-label">' in page and "Password" in page
    assert '<button type="submit" class="govuk-button" data-module="govuk-button">Sign in</button>' in page


def test_signing_in_opens_a_session_and_returns_to_the_page_asked_for(web):
    user = make_user()
    client = web()
    response = client.post("/sign-in/", {"username": user.username, "password": TEST_PASSWORD, "next": "/account/"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert client.get("/account/").status_code == 200


def test_a_wrong_password_shows_the_error_summary_and_no_session(web):
    user = make_user()
    client = web()
    response = client.post("/sign-in/", {"username": user.username, "password": "wrong-password"})
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page and "<title>Error: Sign in" in page
    assert client.get("/").status_code == 302


def test_a_deactivated_account_cannot_sign_in(web):
    user = make_user(is_active=False)
    response = web().post("/sign-in/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 400 and b"There is a problem" in response.content


def test_sign_in_needs_the_csrf_token(web):
    user = make_user()
    client = web(enforce_csrf_checks=True)
    assert client.post("/sign-in/", {"username": user.username, "password": TEST_PASSWORD}).status_code == 403


def test_sign_out_is_a_post_that_ends_the_session(web):
    user = make_user()
    client = web(user)
    assert client.get("/sign-out/").status_code == 405
    response = client.post("/sign-out/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/"
    assert client.get("/").status_code == 302
    assert not Session.objects.filter(expire_date__gt=timezone.now()).exists()


def test_sessions_end_after_30_minutes_without_activity(web, settings, monkeypatch):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    user = make_user()
    client = web()
    client.post("/sign-in/", {"username": user.username, "password": TEST_PASSWORD})
    assert client.get("/").status_code == 200
    session = Session.objects.get()
    assert abs((session.expire_date - timezone.now()) - timedelta(minutes=30)) < timedelta(minutes=1)
    # A request within a minute of the session's last write does not write it again...
    aged = timezone.now() + timedelta(minutes=10)
    Session.objects.update(expire_date=aged)
    assert client.get("/").status_code == 200
    assert Session.objects.get().expire_date == aged
    # ...one a minute later slides the expiry back to 30 minutes from now.
    later = middleware.seconds_now() + middleware.SESSION_REFRESH_SECONDS
    monkeypatch.setattr(middleware, "seconds_now", lambda: later)
    assert client.get("/").status_code == 200
    slid = Session.objects.get().expire_date - timezone.now()
    assert timedelta(minutes=29) < slid <= timedelta(minutes=30)
    # 30 minutes without a request and the session is gone.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_the_idle_minutes_are_configurable_and_cookies_are_secure_outside_debug():
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.SESSION_COOKIE_AGE, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)")
    assert fresh_process({"MARAC_WEB_SESSION_IDLE_MINUTES": "5"}, code).stdout.split() == ["300", "True", "True"]
    assert fresh_process({"DJANGO_DEBUG": "1"}, code).stdout.split() == ["1800", "False", "False"]


def test_sign_in_is_throttled_like_the_api_login_and_counts_with_it(web, api, settings):
    """One budget per username across the API's token endpoint and the sign-in page."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    limit = int(rates["login_username"].split("/")[0])
    user = make_user(make_agency())
    for _ in range(limit - 1):
        api().post("/api/v1/auth/token/", {"username": user.username, "password": "wrong-password"}, format="json")
    client = web()
    assert client.post("/sign-in/", {"username": user.username, "password": "wrong-password"}).status_code == 400
    throttled = client.post("/sign-in/", {"username": user.username, "password": TEST_PASSWORD})
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) >= 1
    assert b"Too many sign-in attempts" in throttled.content
    assert client.get("/").status_code == 302  # not signed in
