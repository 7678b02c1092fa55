"""End to end with a real Celery worker: CI sets MARAC_TEST_BROKER_URL (Redis) and runs
on PostgreSQL; the worker is a `celery -A marac worker` subprocess on the same broker
and the TEST database, so the data it reads must be committed (transactional_db).

Without the broker variable the test skips on a laptop, but FAILS when
MARAC_REQUIRE_SERVICES=1: CI must never quietly fall back to in-process tasks."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from marac.celery import app as celery_app
from tests.factories import CaseFactory, ResearchFactory, make_agency
from tests.meetings.helpers import make_meeting

ROOT = Path(__file__).resolve().parents[2]


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("MARAC_REQUIRE_SERVICES") == "1":
        pytest.fail(f"MARAC_REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def broker():
    url = os.environ.get("MARAC_TEST_BROKER_URL", "")
    _require(bool(url), "MARAC_TEST_BROKER_URL is not set (no Redis broker for a real worker)")
    _require(connection.vendor == "postgresql",
             f"a real worker needs a database it can share; this run uses {connection.vendor}")
    import redis

    redis.Redis.from_url(url).delete("celery")  # no stale messages from earlier runs
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield url
    celery_app.conf.update(saved)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(broker, settings, tmp_path):
    log = (tmp_path / "worker.log").open("w+")
    env = {**os.environ, "CELERY_BROKER_URL": broker, "DATABASE_URL": _database_url(),
           "MEDIA_ROOT": str(settings.MEDIA_ROOT), "DJANGO_SETTINGS_MODULE": "marac.settings",
           "DATABASE_CONN_MAX_AGE": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "marac", "worker", "--pool=solo", "--concurrency=1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process, log
    finally:
        process.terminate()  # before the test database is flushed or dropped
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_pack_requested_through_the_api(api, worker):
    process, log = worker
    police = make_agency()
    case = CaseFactory(participants=[police])
    ResearchFactory(case=case, agency=police, shared_with_marac=True, summary="Shared for the worker.")
    meeting = make_meeting(cases=[case])
    client = api(meeting.chair)

    response = client.post(f"/api/v1/meetings/{meeting.pk}/pack/")
    assert response.status_code == 202 and response.json()["status"] == "pending"

    deadline = time.monotonic() + 90
    status = response.json()
    while status["status"] == "pending" and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.5)
        status = client.get(f"/api/v1/meetings/{meeting.pk}/pack/").json()
    log.seek(0)
    worker_log = log.read()
    assert status["status"] == "ready", f"{status}\n--- worker log ---\n{worker_log[-4000:]}"
    # Built by the subprocess, not in-process.
    assert "marac.jobs.tasks.run_job" in worker_log and "succeeded" in worker_log
    pdf = client.get(f"/api/v1/meetings/{meeting.pk}/pack/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
