"""Hardening: throttles answer 429 with Retry-After, production settings pass the deploy
checks, the API refuses to start without a real secret key, security headers, and
database outages are a clean 503 wherever they surface."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from rest_framework.throttling import SimpleRateThrottle

from marac.cases.models import Case
from tests.factories import CaseFactory, make_agency, make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {  # the README's production variables
    "DATABASE_URL": "postgres://marac@db.internal:5432/marac",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "CACHE_URL": "redis://redis.internal:6379/1",
    "DJANGO_SECRET_KEY": "a-real-production-secret-" + "x7Qp" * 10,
    "DJANGO_ALLOWED_HOSTS": "marac.example.gov.uk",
    "DJANGO_SECURE_SSL_REDIRECT": "1", "DJANGO_SECURE_COOKIES": "1", "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_BEHIND_TLS_PROXY": "1", "MARAC_TRUSTED_PROXIES": "1",
}


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "CACHE_URL", "PYTEST", "MARAC_"))}
    env.update(extra)
    return env


def test_login_is_throttled_with_429_and_retry_after(api):
    client = api()
    for _ in range(10):
        assert client.post("/api/v1/auth/token/", {"username": "x", "password": "wrong-password"}).status_code == 400
    throttled = client.post("/api/v1/auth/token/", {"username": "x", "password": "wrong-password"})
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60


def test_each_user_is_throttled_separately_with_retry_after(api, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "user": "3/min"})
    agency = make_agency()
    busy, other = api(make_user(agency)), api(make_user(agency))
    assert [busy.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    throttled = busy.get("/api/v1/me/")
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    assert other.get("/api/v1/me/").status_code == 200  # per user, not global


def test_production_settings_pass_the_deploy_checks_with_no_warnings():
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=clean_env(**PRODUCTION_ENV), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_refuses_the_development_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=clean_env(**env),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "marac.E001" in result.stderr


def test_gunicorn_refuses_to_start_without_a_real_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "marac.wsgi", "--bind", "127.0.0.1:0"], cwd=ROOT,
                               env=clean_env(**env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode != 0
    assert "Refusing to start" in output and "marac.E001" in output


def test_api_answers_carry_security_headers(api):
    response = api(make_user(make_agency())).get("/api/v1/me/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response["X-Request-ID"]


@pytest.mark.not_in_contract("an unknown URL: Django's 404 handler, not an API operation")
def test_errors_are_json_even_outside_drf(api):
    response = api().get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_an_oversized_body_is_refused_and_writes_nothing(api):
    client = api(make_user(make_agency()))
    response = client.post("/api/v1/referrals/", {"summary": "x" * (1024 * 1024 + 1)}, format="json")
    assert response.status_code in (400, 413)
    assert response["Content-Type"].startswith("application/json")


def test_database_down_inside_a_view_is_503_with_retry_after(api):
    user = make_user(make_agency())
    client = api(user)
    with mock.patch("api.authentication.token_with_holder", side_effect=OperationalError("down")):
        response = client.get("/api/v1/cases/")
    assert response.status_code == 503 and response["Retry-After"] == "5"


def test_database_down_in_middleware_is_503_not_an_html_500(client):
    client.raise_request_exception = False
    client.cookies["sessionid"] = "a1" * 16
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=OperationalError("down")):
        response = client.get("/admin/")
    assert response.status_code == 503
    assert response.json()["detail"].startswith("The database is temporarily unavailable")


def test_database_down_when_a_write_opens_its_transaction_is_503(api):
    coordinator = make_user(make_agency(), "coordinator")
    case = CaseFactory()
    client = api(coordinator)
    client.raise_request_exception = False
    with mock.patch("api.trust.transaction.atomic", side_effect=OperationalError("down")):
        response = client.patch(f"/api/v1/cases/{case.pk}/", {"status": "closed"}, format="json")
    assert response.status_code == 503
    assert Case.objects.get(pk=case.pk).status == "open"
