"""A small job kind used by the fault tests (and handy for checking a deployment's
worker): it notes each start in a marker file, sleeps, and returns what it did."""

import os
import time

from .services import job_handler


@job_handler("selftest.sleep")
def sleep_job(job):
    marker = job.payload.get("marker")
    if marker:
        with open(marker, "a") as handle:
            handle.write(f"{os.getpid()}\n")
    time.sleep(float(job.payload.get("seconds", 0)))
    return {"slept": job.payload.get("seconds", 0), "pid": os.getpid()}
