"""Private throwaway servers for the fault tests: PostgreSQL (initdb/pg_ctl as the
`postgres` OS user), Redis, a Celery worker and gunicorn, each on a free port and
each stopped by its own pid. The shared 5432/6379 instances are never touched."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
REAL_SECRET = "fault-tests-" + "k3y-" * 12


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _as_postgres(args):
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class PrivateRedis:
    def __init__(self, port: int | None = None):
        if not shutil.which("redis-server"):
            pytest.fail("redis-server is not installed")
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: port_open(self.port), 10, what="redis")
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class PrivatePostgres:
    def __init__(self):
        if not shutil.which("initdb"):
            pytest.fail("initdb (PostgreSQL server) is not installed")
        # Not under pytest's tmp_path: the `postgres` user must be able to reach it.
        self.base = Path(tempfile.mkdtemp(prefix="marac-faults-pg-"))
        os.chmod(self.base, 0o755)
        self.dir = self.base / "pg"
        self.dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"
        self.port = free_port()
        subprocess.run(_as_postgres(["initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
                       check=True, stdout=subprocess.DEVNULL)

    def url(self, name="marac"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self):
        subprocess.run(_as_postgres([
            "pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-t", "30",
            "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start"]),
            check=True, stdout=subprocess.DEVNULL)
        return self

    def stop(self, mode="fast"):
        subprocess.run(_as_postgres(["pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop"]),
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def remove(self):
        self.stop(mode="immediate")
        shutil.rmtree(self.base, ignore_errors=True)

    def createdb(self, name="marac"):
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name], check=True)


def django_env(**extra) -> dict:
    # Not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (set for the test process when they
    # are collected): the deploy check refuses it, so gunicorn would not start.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTEST") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DJANGO_SETTINGS_MODULE": "marac.settings", "DJANGO_SECRET_KEY": REAL_SECRET,
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONPATH": str(ROOT)})
    env.update(extra)
    return env


def database_url_of(settings_dict) -> str:
    return (f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}")


class CeleryWorker:
    """A real prefork worker (one child), so killing the child mid-task exercises
    acks_late + reject_on_worker_lost."""

    def __init__(self, broker_url: str, database_url: str, log: Path):
        self.env = django_env(CELERY_BROKER_URL=broker_url, DATABASE_URL=database_url)
        self.log = log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "marac", "worker", "--pool=prefork", "--concurrency=1",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=ROOT, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True)
        wait_for(lambda: "ready." in self.log.read_text() or self.process.poll() is not None, 60,
                 what="the celery worker")
        assert self.process.poll() is None, self.log.read_text()
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own session: the worker and its pool child
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
