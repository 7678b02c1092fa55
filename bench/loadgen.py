"""A minimal HTTP load generator for case_list_rps, in the standard library only.

    python -m bench.loadgen --port 8000 --path /api/v1/cases/ --seconds 20 --concurrency 4 < tokens

Each of CONCURRENCY threads sends `GET PATH` with the next token (read one a line from
stdin), reads the whole answer and sends the next, with no think time, until SECONDS
have passed. gunicorn's sync workers close the connection after each answer, so every
request is a fresh loopback connection (as locust's and wrk's are against them).

Why not locust: on a 2-core machine the load generator competes with the server for
the same cores, and locust spends ~1 ms of CPU per request (gevent, request objects,
statistics); this spends a small fraction of that (it measures and prints its own CPU
per request), so more of the two cores serve requests. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time


def _status(head: bytes) -> int:
    try:
        return int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def _worker(port: int, requests: list[bytes], deadline: float, out: list, offset: int) -> None:
    i = offset
    latencies, failures, statuses = [], 0, {}
    while True:
        started = time.perf_counter()
        if started >= deadline:
            break
        request = requests[i % len(requests)]
        i += 1
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
                sock.sendall(request)
                chunks = []
                while True:
                    chunk = sock.recv(262144)
                    if not chunk:
                        break
                    chunks.append(chunk)
            status = _status(chunks[0] if chunks else b"")
        except OSError:
            status = 0
        finished = time.perf_counter()
        if finished > deadline:  # only answers completed within the window count
            break
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            latencies.append(finished - started)
        else:
            failures += 1
    out.append((latencies, failures, statuses))


def run(port: int, path: str, tokens: list[str], seconds: float, concurrency: int) -> dict:
    requests = [(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Token {token}\r\n"
                 "Accept: application/json\r\nConnection: close\r\n\r\n").encode() for token in tokens]
    results: list = []
    cpu_before, started = time.process_time(), time.perf_counter()
    deadline = started + seconds
    threads = [threading.Thread(target=_worker, args=(port, requests, deadline, results, n))
               for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    latencies = sorted(x for r in results for x in r[0])
    failures = sum(r[1] for r in results)
    statuses: dict = {}
    for r in results:
        for status, n in r[2].items():
            statuses[str(status)] = statuses.get(str(status), 0) + n

    def pct(q: float) -> float:
        if not latencies:
            return 0.0
        return 1000 * latencies[min(len(latencies) - 1, max(0, round(q * len(latencies)) - 1))]

    done = len(latencies)
    return {"requests": done + failures, "ok": done, "failures": failures, "statuses": statuses,
            "seconds": elapsed, "rps": done / elapsed if elapsed else 0.0, "median_ms": pct(0.5), "p95_ms": pct(0.95),
            "cpu_seconds": cpu, "cpu_ms_per_request": 1000 * cpu / max(1, done + failures),
            "concurrency": concurrency}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/api/v1/cases/")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args(argv)
    tokens = [line.strip() for line in sys.stdin if line.strip()]
    if not tokens:
        sys.exit("give the API tokens on stdin, one a line")
    print(json.dumps(run(args.port, args.path, tokens, args.seconds, args.concurrency)))


if __name__ == "__main__":
    main()
