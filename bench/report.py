"""Printing `name: value` lines and writing bench/RESULTS.md."""

from __future__ import annotations

import datetime
import glob
import json
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
        handle.write("\n".join(lines) + scale_curve(path))


# --- the scale curve (`python -m bench --scale N`) -----------------------------------

CURVE_HEADING = "## Scale curve"


def _scale_dir(results_path: str) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(results_path)), "scale")


def write_scale_rows(results_path: str, rows: list[Row], *, volume, seed_seconds: dict) -> str:
    """Keep one `--scale` run's rows (bench/scale/<N>.json) and rewrite the curve
    section of RESULTS.md from every run kept; the rest of the file is left as it was."""
    os.makedirs(_scale_dir(results_path), exist_ok=True)
    out = os.path.join(_scale_dir(results_path), f"{volume.cases}.json")
    with open(out, "w") as handle:
        json.dump({"cases": volume.cases, "volume": volume.key,
                   "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                   "seed_seconds": round(sum(seed_seconds.values()), 1) if seed_seconds else None,
                   "load_average": [round(x, 2) for x in os.getloadavg()],
                   "rows": [{"name": r.name, "value": r.value, "met": r.met, "note": r.note} for r in rows]},
                  handle, indent=1)
    text = ""
    if os.path.exists(results_path):
        with open(results_path) as handle:
            text = handle.read()
    if CURVE_HEADING in text:
        text = text[:text.index(CURVE_HEADING)].rstrip("\n") + "\n"
    with open(results_path, "w") as handle:
        handle.write(text + scale_curve(results_path))
    return out


def scale_curve(results_path: str) -> str:
    """The curve: each slice and guardian ratio at each seeded scale, from bench/scale/*.json."""
    runs = []
    for name in glob.glob(os.path.join(_scale_dir(results_path), "*.json")):
        with open(name) as handle:
            runs.append(json.load(handle))
    if not runs:
        return ""
    runs.sort(key=lambda run: run["cases"])
    names = list(dict.fromkeys(row["name"] for run in runs for row in run["rows"]))
    lines = ["", CURVE_HEADING, "",
             "`python -m bench --scale N` for each N (a fresh seed of N cases and ~10N grants each; the",
             "guardian baseline's rounds bounded above 100,000). Ratios are interleaved, so robust to the",
             "shared machine's load; the milliseconds behind them are not (see each run's notes in",
             "bench/scale/N.json).", "",
             "| figure | " + " | ".join(f"{run['cases']:,} cases" for run in runs) + " |",
             "| --- |" + " --- |" * len(runs)]
    for figure in names:
        cells = []
        for run in runs:
            row = next((r for r in run["rows"] if r["name"] == figure), None)
            cells.append("—" if row is None or row["value"] is None else
                         f"{row['value']:.2f}" + ("" if row["met"] is not False else " (**no**)"))
        lines.append(f"| `{figure}` | " + " | ".join(cells) + " |")
    lines.append("| seeded in | " + " | ".join(f"{run['seed_seconds']} s" if run.get("seed_seconds") else "reused"
                                               for run in runs) + " |")
    lines.append("| load average (1 min) | " + " | ".join(f"{run['load_average'][0]:.1f}" for run in runs) + " |")
    lines.append("")
    return "\n".join(lines)
