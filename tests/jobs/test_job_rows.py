"""Job rows (in-process: tasks run eagerly here; the real-worker faults are in
tests/faults)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from marac.jobs.models import Job, JobStatus
from marac.jobs.services import dispatch_pending_jobs, enqueue_job, job_handler, run_job
from marac.notifications.sweep import run_daily_sweep

pytestmark = pytest.mark.django_db(transaction=True)

calls = []


@job_handler("test.count")
def count_job(job):
    calls.append(job.pk)
    return {"n": len(calls)}


@pytest.fixture(autouse=True)
def _reset():
    calls.clear()


def test_a_job_is_recorded_then_dispatched_when_the_transaction_commits():
    with transaction.atomic():
        job = enqueue_job("test.count")
        assert calls == [] and Job.objects.get(pk=job.pk).status == JobStatus.PENDING
    job.refresh_from_db()
    assert calls == [job.pk] and job.status == JobStatus.DONE and job.completions == 1


def test_a_rolled_back_request_leaves_no_job_and_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_job("test.count")
        raise RuntimeError
    assert not Job.objects.exists() and calls == []


def test_running_a_job_twice_produces_its_result_once():
    job = enqueue_job("test.count")
    run_job(job.pk)
    run_job(job.pk)
    job.refresh_from_db()
    assert calls == [job.pk] and job.completions == 1 and job.attempts == 1


def test_with_the_broker_down_the_job_stays_pending_and_the_sweep_sends_it_later():
    with mock.patch("marac.jobs.tasks.run_job.apply_async", side_effect=ConnectionError("broker down")):
        job = enqueue_job("test.count")
        assert dispatch_pending_jobs() == 0
    job.refresh_from_db()
    assert (job.status, job.dispatched_at) == (JobStatus.PENDING, None)
    assert run_daily_sweep()["dispatch_pending_jobs"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and calls == [job.pk]


def test_the_sweep_resends_only_lost_jobs():
    sent_recently = Job.objects.create(kind="test.count", dispatched_at=timezone.now())
    sent_long_ago = Job.objects.create(kind="test.count", dispatched_at=timezone.now() - timedelta(hours=1))
    stuck = Job.objects.create(kind="test.count", status=JobStatus.RUNNING,
                               started_at=timezone.now() - timedelta(hours=2))
    done = Job.objects.create(kind="test.count", status=JobStatus.DONE)
    assert dispatch_pending_jobs() == 2
    assert sorted(calls) == sorted([sent_long_ago.pk, stuck.pk])
    assert Job.objects.get(pk=sent_recently.pk).status == JobStatus.PENDING
    assert Job.objects.get(pk=done.pk).completions == 0


def test_a_dedupe_key_gives_one_active_job():
    with transaction.atomic():
        first = enqueue_job("test.count", dedupe_key="meeting-7")
        second = enqueue_job("test.count", dedupe_key="meeting-7")
    assert first.pk == second.pk and calls == [first.pk]
    third = enqueue_job("test.count", dedupe_key="meeting-7")  # the first is done: a new build
    assert third.pk != first.pk


def test_a_failing_handler_marks_the_job_failed_without_a_result():
    @job_handler("test.fail")
    def fail(job):
        Job.objects.filter(pk=job.pk).update(result={"partial": True})
        raise ValueError("bad meeting")

    job = enqueue_job("test.fail")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "bad meeting" in job.error
    assert job.result is None and job.completions == 0  # the partial write was rolled back
