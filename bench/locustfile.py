"""Load for case_list_rps: authenticated first pages of GET /api/v1/cases/, as fast as
the server answers (no think time). Tokens come from BENCH_TOKENS (comma-separated);
each simulated user takes the next one."""

import itertools
import os

from locust import FastHttpUser, task

_tokens = itertools.cycle(os.environ["BENCH_TOKENS"].split(","))


class CaseListUser(FastHttpUser):
    def on_start(self):
        self.headers = {"Authorization": f"Token {next(_tokens)}"}

    @task
    def case_list(self):
        with self.client.get("/api/v1/cases/", headers=self.headers, name="/api/v1/cases/",
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
