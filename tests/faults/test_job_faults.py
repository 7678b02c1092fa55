"""Faults around background jobs, with a private Redis and a real Celery worker:
(a) the worker child is killed mid-build: the message is redelivered (acks_late +
reject_on_worker_lost) and the job's result is committed exactly once;
(b) the broker is unreachable when a job is requested: the API still answers 202, the
job row is recorded, and the periodic dispatch sends it once the broker is back.

Reproduce: bash .ci/faults tests/faults/test_job_faults.py"""

import contextlib
import os
import signal

import pytest
from django.db import connection
from kombu import pools

from marac.celery import app as celery_app
from marac.jobs.models import Job, JobStatus
from marac.jobs.services import dispatch_pending_jobs, enqueue_job
from tests.factories import make_agency, make_user

from .servers import CeleryWorker, PrivateRedis, database_url_of, free_port, wait_for

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker process shares the test database"),
]


@contextlib.contextmanager
def celery_broker(url: str):
    """Point this process's Celery app at a real broker (tests otherwise run tasks eagerly)."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        pools.reset()  # kombu's global connection/producer pools
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        celery_app.conf.update(saved)


@pytest.fixture
def redis_server():
    server = PrivateRedis().start()
    yield server
    server.stop()


def read_pids(marker):
    return [int(line) for line in marker.read_text().split()] if marker.exists() else []


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_build_is_redelivered_and_the_result_is_produced_once(redis_server, tmp_path):
    marker = tmp_path / "starts"
    worker = CeleryWorker(redis_server.url, database_url_of(connection.settings_dict), tmp_path / "worker.log").start()
    try:
        with celery_broker(redis_server.url):
            job = enqueue_job("selftest.sleep", {"seconds": 3, "marker": str(marker)})  # autocommit: sent now
        first_pid = wait_for(lambda: read_pids(marker), 30, what="the first delivery to start")[0]
        os.kill(first_pid, signal.SIGKILL)  # the pool child building it dies mid-build
        wait_for(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE, 60, what="the redelivered job")
    finally:
        worker.stop()
    job.refresh_from_db()
    pids = read_pids(marker)
    print(f"\nkilled worker child {first_pid}; starts by pid {pids}; attempts {job.attempts}; "
          f"results committed {job.completions}")
    assert len(pids) == 2 and pids[0] != pids[1]  # redelivered to a new child
    assert job.attempts == 2
    assert job.completions == 1  # produced exactly once
    assert job.result["pid"] == pids[1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.faults.urls")
@pytest.mark.not_in_contract("a test-only job endpoint at /selftest-job/")
def test_with_the_broker_down_a_job_request_is_202_and_the_sweep_sends_it_later(api, tmp_path):
    down = PrivateRedis(port=free_port())  # nothing listens there yet
    client = api(make_user(make_agency()))
    with celery_broker(down.url):
        response = client.post("/selftest-job/")
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["job"])
    assert (job.status, job.dispatched_at) == (JobStatus.PENDING, None)

    down.start()  # the broker is back
    worker = CeleryWorker(down.url, database_url_of(connection.settings_dict), tmp_path / "worker.log").start()
    try:
        with celery_broker(down.url):
            sent = dispatch_pending_jobs()
            assert dispatch_pending_jobs() == 0  # already sent: the next sweep leaves it alone
        wait_for(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE, 60, what="the swept job")
    finally:
        worker.stop()
        down.stop()
    job.refresh_from_db()
    print(f"\nbroker down: 202, job pending; broker back: sweep sent {sent}; job {job.status}, "
          f"results committed {job.completions}")
    assert sent == 1 and job.completions == 1
