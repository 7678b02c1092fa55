"""Printing `name: value` lines and writing bench/RESULTS.md."""

from __future__ import annotations

import datetime
import os
import platform

from django.db import connection

from .registry import Row


def print_rows(rows: list[Row]) -> None:
    for row in rows:
        print(f"{row.name}: {row.formatted()}", flush=True)
        for key, value in row.details.items():
            print(f"{row.name}.{key}: {value}", flush=True)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as handle:
            kb = int(handle.readline().split()[1])
            memory = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    import django

    return (f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {pg} "
            "(same machine, shared with other work)")


def _met(row: Row) -> str:
    if row.value is None:
        return "—"
    return {True: "yes", False: "**no**", None: ""}[row.met]


def write_results(path: str, rows: list[Row], *, volume, argv, seed_seconds: dict) -> None:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    command = "python -m bench" + ("".join(f" {a}" for a in argv))
    seeding = ("reused an already seeded database" if not seed_seconds else
               "seeded in " + f"{sum(seed_seconds.values()):.0f} s (" +
               ", ".join(f"{k} {v:.1f}s" for k, v in seed_seconds.items()) + ")")
    lines = [
        "# Benchmark results",
        "",
        "Figures as defined in design/BENCH.md, measured side by side in one run. Latencies are",
        "medians with p95 beside them. Regenerate with the command below (it overwrites this file).",
        "What was profiled and changed to reach these figures, and what each change measured:",
        "bench/PROFILE.md.",
        "",
        f"- Date: {now}",
        f"- Command: `DATABASE_URL=postgres://…/marac_bench {command}`",
        f"- Machine: {machine()}",
        f"- Volume: {volume.key.replace(';', ', ')}, actions per case={volume.actions_per_case}, "
        f"orders={volume.orders}; {seeding}",
        f"- Load average (1, 5, 15 min) when the results were written: "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} — the 2 cores are shared with other work, "
        "so absolute latencies and req/s move between runs; the ratios are measured interleaved.",
        "",
        "| figure | value | target | met | how |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        note = row.note.replace("|", "\\|")
        lines.append(f"| `{row.name}` | {row.formatted()} | {row.target} | {_met(row)} | {note} |")
    lines.append("")
    with open(path, "w") as handle:
        handle.write("\n".join(lines))
