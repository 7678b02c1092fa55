"""case_list_rps: gunicorn (2 sync workers) serving the app on a free loopback port,
load from a separate locust process, bounded in time."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .world import biggest_agency_practitioner, practitioner_tokens

HERE = Path(__file__).resolve().parent
# The throttle still runs on every request (same cache work); its limit is raised so
# that a handful of load-generating users are not answered 429.
GUNICORN_ARGS: list[str] = []
APP_NAME = "marac_bench_gunicorn"
SERVER_ENV = {"PGAPPNAME": APP_NAME, "DJANGO_DEBUG": "0", "MARAC_THROTTLE_USER": "1000000/min", "DATABASE_CONN_MAX_AGE": "600"}


@dataclass
class LoadResult:
    rps: float
    requests: int
    failures: int
    median_ms: float
    p95_ms: float
    seconds: int
    users: int
    port: int
    callers: str
    server_cpu_seconds: float  # gunicorn workers + their PostgreSQL backends, during the load
    load_cpu_seconds: float  # the locust process

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu_seconds / max(1, self.requests)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(url: str, token: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout}s")


def _warm(url: str, tokens: list[str], n: int = 40) -> None:
    for i in range(n):  # every worker imports lazily and opens its connection on first use
        request = urllib.request.Request(url, headers={"Authorization": f"Token {tokens[i % len(tokens)]}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()


def _server_processes(server: subprocess.Popen) -> list:
    """gunicorn's workers and the PostgreSQL backends serving them (same machine)."""
    import psutil
    from django.db import connection

    processes = psutil.Process(server.pid).children(recursive=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APP_NAME])
        backend_pids = [row[0] for row in cursor.fetchall()]
    for pid in backend_pids:
        try:
            processes.append(psutil.Process(pid))
        except psutil.Error:
            pass
    return processes


def _cpu(processes) -> float:
    import psutil

    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def run_case_list_load(seconds: int = 20, users: int = 4, workers: int = 2) -> LoadResult:
    caller = biggest_agency_practitioner()
    tokens = practitioner_tokens(caller.agency_id)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, **SERVER_ENV}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "marac.wsgi:application", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "256",
         *GUNICORN_ARGS, *os.environ.get("BENCH_GUNICORN_ARGS", "").split()],
        env=env, cwd=HERE.parent)
    try:
        _wait_ready(f"{base}/api/v1/cases/", tokens[0], server)
        _warm(f"{base}/api/v1/cases/", tokens)
        processes = _server_processes(server)
        cpu_before = _cpu(processes)
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "load"
            load = subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
                 "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
                 "--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
                 "--stop-timeout", "5"],
                env={**os.environ, "BENCH_TOKENS": ",".join(tokens)}, check=False,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp, timeout=seconds + 60)
            server_cpu = _cpu(processes) - cpu_before
            if not Path(f"{prefix}_stats.csv").exists():
                raise RuntimeError(f"locust wrote no statistics: {load.stderr.decode()[-2000:]}")
            with open(f"{prefix}_stats.csv", newline="") as handle:
                stats = {row["Name"]: row for row in csv.DictReader(handle)}
        row = stats["Aggregated"]
        return LoadResult(
            rps=float(row["Requests/s"]), requests=int(row["Request Count"]), failures=int(row["Failure Count"]),
            median_ms=float(row["50%"]), p95_ms=float(row["95%"]), seconds=seconds, users=users, port=port,
            callers=f"{len(tokens)} practitioners of {caller.agency_name} ({caller.agency_cases} cases)",
            server_cpu_seconds=server_cpu, load_cpu_seconds=0.0)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
