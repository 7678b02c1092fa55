"""case_list_rps: gunicorn (2 sync workers) serving the app on a free loopback port,
load from a separate process, bounded in time: bench/loadgen.py (standard library,
the default: it costs the shared two cores least) or locust (`BENCH_LOAD=locust`)."""

from __future__ import annotations

import csv
import json
import os
import secrets
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
    load_cpu_seconds: float  # the load generator's process
    generator: str = "loadgen"

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu_seconds / max(1, self.requests)

    @property
    def load_cpu_ms_per_request(self) -> float:
        return 1000 * self.load_cpu_seconds / max(1, self.requests)


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


def _loadgen_load(port: int, tokens: list[str], seconds: int, users: int) -> dict:
    load = subprocess.run(
        [sys.executable, "-m", "bench.loadgen", "--port", str(port), "--seconds", str(seconds),
         "--concurrency", str(users)],
        input="\n".join(tokens).encode(), capture_output=True, check=False, cwd=HERE.parent, timeout=seconds + 60)
    if load.returncode != 0:
        raise RuntimeError(f"bench.loadgen failed: {load.stderr.decode()[-2000:]}")
    return json.loads(load.stdout)


def _locust_load(base: str, tokens: list[str], seconds: int, users: int) -> dict:
    import psutil

    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "load"
        process = psutil.Popen(
            [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
             "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
             "--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
             "--stop-timeout", "5"],
            env={**os.environ, "BENCH_TOKENS": ",".join(tokens)},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp)
        cpu = 0.0
        try:
            while process.poll() is None:
                times = process.cpu_times()
                cpu = times.user + times.system
                time.sleep(0.2)
        except psutil.Error:
            pass
        stderr = process.stderr.read().decode() if process.stderr else ""
        if not Path(f"{prefix}_stats.csv").exists():
            raise RuntimeError(f"locust wrote no statistics: {stderr[-2000:]}")
        with open(f"{prefix}_stats.csv", newline="") as handle:
            row = {r["Name"]: r for r in csv.DictReader(handle)}["Aggregated"]
    return {"rps": float(row["Requests/s"]), "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]), "median_ms": float(row["50%"]), "p95_ms": float(row["95%"]),
            "cpu_seconds": cpu}


def run_case_list_load(seconds: int = 20, users: int = 4, workers: int = 2) -> LoadResult:
    caller = biggest_agency_practitioner()
    tokens = practitioner_tokens(caller.agency_id)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, **SERVER_ENV}
    if len(env.get("DJANGO_SECRET_KEY", "")) < 50:
        # gunicorn.conf.py refuses to start without a real key (deploy checks): a
        # throwaway one for this loopback-only server.
        env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(48)
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
        generator = os.environ.get("BENCH_LOAD", "loadgen")
        if generator == "locust":
            result = _locust_load(base, tokens, seconds, users)
        else:
            result = _loadgen_load(port, tokens, seconds, users)
        server_cpu = _cpu(processes) - cpu_before
        return LoadResult(
            rps=result["rps"], requests=result["requests"], failures=result["failures"],
            median_ms=result["median_ms"], p95_ms=result["p95_ms"], seconds=seconds, users=users, port=port,
            callers=f"{len(tokens)} practitioners of {caller.agency_name} ({caller.agency_cases} cases)",
            server_cpu_seconds=server_cpu, load_cpu_seconds=result["cpu_seconds"], generator=generator)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
