import os

import pytest
from django.core.cache import cache
from tests.contract import ContractAPIClient
from tests.factories import token_for


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing strength is not under test here; the validators still run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache: each test starts with none spent."""
    cache.clear()


@pytest.fixture
def api(request):
    """`api(user)` returns a client authenticated with that user's real token. Every
    answer it receives is validated against openapi.yaml (tests/contract.py); a test
    that deliberately calls a URL the contract does not describe says so with
    `@pytest.mark.not_in_contract("why")`."""
    marker = request.node.get_closest_marker("not_in_contract")
    if marker is not None and not marker.args:
        pytest.fail("@pytest.mark.not_in_contract needs a reason")

    def client_for(user=None):
        client = ContractAPIClient()
        client.validate_contract = marker is None
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        return client

    return client_for


def pytest_sessionstart(session):
    """In CI (MARAC_REQUIRE_SERVICES=1) the suite must run on PostgreSQL and reach
    Redis: a missing service fails the run instead of quietly falling back."""
    if os.environ.get("MARAC_REQUIRE_SERVICES") != "1":
        return
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        pytest.exit(f"MARAC_REQUIRE_SERVICES=1 but the database engine is {engine}; set DATABASE_URL.", returncode=3)
    broker = os.environ.get("MARAC_TEST_BROKER_URL", "")
    if not broker.startswith("redis://"):
        pytest.exit("MARAC_REQUIRE_SERVICES=1 but MARAC_TEST_BROKER_URL is not a redis:// URL.", returncode=3)
    import redis

    try:
        redis.Redis.from_url(broker, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        pytest.exit(f"Redis at {broker} is unreachable: {exc}", returncode=3)
