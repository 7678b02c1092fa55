"""PostgreSQL restarted under the running API (gunicorn, a private PostgreSQL cluster):
requests fail fast and cleanly with 503, in DRF views and in plain Django views whose
middleware touches the database, and the same API process recovers by itself.

Reproduce: bash .ci/faults tests/faults/test_database_restart.py"""

import json
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from .servers import PYTHON, ROOT, PrivatePostgres, django_env, free_port, port_open, wait_for

pytestmark = pytest.mark.faults


def call(port, path, token=None, method="GET", headers=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, headers=dict(headers or {}))
    if token:
        request.add_header("Authorization", f"Token {token}")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body, retry_after = response.status, response.read(), response.headers.get("Retry-After")
    except urllib.error.HTTPError as error:
        status, body, retry_after = error.code, error.read(), error.headers.get("Retry-After")
    return status, body, retry_after, time.monotonic() - started


@pytest.fixture
def api_on_private_postgres(tmp_path):
    pg = PrivatePostgres().start()
    gunicorn = None
    try:
        pg.createdb()
        env = django_env(DATABASE_URL=pg.url(), DATABASE_CONN_MAX_AGE="600")
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        token = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c",
             "from tests.factories import make_agency, make_user, token_for; print(token_for(make_user(make_agency())))"],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        port = free_port()
        gunicorn = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "marac.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--threads", "2", "--timeout", "30"],
            cwd=ROOT, env=env, stdout=(tmp_path / "gunicorn.log").open("w"), stderr=subprocess.STDOUT)
        wait_for(lambda: port_open(port), 30, what="gunicorn")
        yield pg, port, token, gunicorn
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            gunicorn.terminate()
            gunicorn.wait(15)
        pg.remove()


def test_postgresql_restart_under_the_running_api_gives_503_then_recovers(api_on_private_postgres):
    pg, port, token, gunicorn = api_on_private_postgres
    assert call(port, "/api/v1/cases/", token)[0] == 200
    assert call(port, "/api/v1/me/", token)[0] == 200

    pg.stop(mode="fast")
    down = {
        "DRF list": call(port, "/api/v1/cases/", token),
        "DRF write (transaction opened before the view)": call(port, "/api/v1/referrals/", token, method="POST",
                                                               headers={"Content-Type": "application/json"}),
        "Django view, session middleware": call(port, "/admin/", headers={"Cookie": "sessionid=" + "a1" * 16}),
    }
    for name, (status, body, retry_after, seconds) in down.items():
        print(f"\nPostgreSQL down, {name}: {status} in {seconds:.2f}s, Retry-After {retry_after}")
        assert status == 503, (name, body)
        assert json.loads(body)["detail"].startswith("The database is temporarily unavailable")
        assert retry_after == "5"
        assert seconds < 6  # fails fast (connect_timeout 5), never hangs

    pg.start()
    started = time.monotonic()
    wait_for(lambda: call(port, "/api/v1/cases/", token)[0] == 200, 20, interval=0.5, what="recovery")
    print(f"\nPostgreSQL back: 200 after {time.monotonic() - started:.2f}s, same gunicorn (pid {gunicorn.pid})")
    assert call(port, "/api/v1/me/", token)[0] == 200
    assert gunicorn.poll() is None  # the API was never restarted
