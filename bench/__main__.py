"""`python -m bench [--quick]`: seed PostgreSQL (DATABASE_URL), measure every figure
side by side, print `name: value` lines and write bench/RESULTS.md."""

from __future__ import annotations

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10x smaller volumes and fewer rounds (smoke check)")
    parser.add_argument("--scale", type=int, metavar="N",
                        help="seed N cases (~10N grants) and measure the slice and guardian ratios at that volume")
    parser.add_argument("--reseed", action="store_true", help="wipe and seed again even if the volume matches")
    parser.add_argument("--seed-only", action="store_true", help="seed, measure nothing")
    parser.add_argument("--only", action="append", default=[], metavar="FIGURE",
                        help="measure only this figure (repeatable)")
    parser.add_argument("--no-server", action="store_true", help="skip the figures that start gunicorn")
    parser.add_argument("--rounds", type=int, help="timing rounds per case-list variant (default 200, quick 60)")
    parser.add_argument("--rps-seconds", type=int, help="load duration for case_list_rps (default 20, quick 10)")
    parser.add_argument("--rps-runs", type=int, help="case_list_rps runs, the median reported (default 3, quick 1)")
    parser.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"), help="where to write the results")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    return parser.parse_args(argv)


def require_postgres() -> str:
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    engine = dj_database_url.parse(url)["ENGINE"] if url else ""
    if engine != "django.db.backends.postgresql":
        sys.exit("python -m bench needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/marac_bench "
                 f"(a database made for the benchmark; it is wiped and seeded). Got: {url or 'unset (SQLite)'}")
    return url


def setup_django() -> None:
    """Django on the benchmark's PostgreSQL database, configured for measuring."""
    require_postgres()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marac.settings")
    # The throttle runs on every measured request (same cache work) but must not
    # answer 429 to a benchmark that asks hundreds of times a minute as one user.
    os.environ.setdefault("MARAC_THROTTLE_USER", "1000000/min")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    import django

    django.setup()


def main(argv=None) -> int:
    args = parse_args(argv)
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from . import figures as _figures  # noqa: F401  (registers the figures)
    from . import reports as _reports  # noqa: F401  (the report figures and their seed step)
    from . import web as _web  # noqa: F401  (the web pages beside the API)
    from .figures import SCALE_FIGURES, BenchContext
    from .registry import FIGURES, Row
    from .report import print_rows, write_results, write_scale_rows
    from .seed import CASE_LIST_STEPS, Volume, seed

    if settings.DEBUG:
        sys.exit("DJANGO_DEBUG is on: Django would record every query; turn it off for the benchmark.")
    call_command("migrate", interactive=False, verbosity=0)
    volume = Volume.for_scale(args.scale) if args.scale else Volume.for_run(args.quick)
    seed_seconds = seed(volume, reseed=args.reseed, only=CASE_LIST_STEPS if args.scale and not args.only else None)
    if args.seed_only:
        return 0

    ctx = BenchContext(quick=args.quick, rounds=args.rounds or (60 if args.quick else 200),
                       # guardian's baseline grows with the grants (~5 s a request at 1M): bounded
                       guardian_rounds=15 if args.quick else 40 if volume.cases <= 100_000 else 10,
                       scale=volume.cases,
                       rps_seconds=args.rps_seconds or (10 if args.quick else 20),
                       rps_runs=args.rps_runs or (1 if args.quick else 3))
    rows: list[Row] = []
    for figure in FIGURES:
        if args.only and figure.name not in args.only:
            continue
        if args.scale and not args.only and figure.name not in SCALE_FIGURES:
            continue
        if figure.measure is None:
            new = [Row(figure.name, None, target=figure.target)]
        elif figure.needs_server and args.no_server:
            new = [Row(figure.name, None, target=figure.target, note="skipped (--no-server)")]
        else:
            new = figure.measure(ctx)
        print_rows(new)
        rows.extend(new)
    if args.scale and not args.no_write:
        kept = write_scale_rows(args.results, rows, volume=volume, seed_seconds=seed_seconds)
        print(f"scale rows written to {os.path.relpath(kept)}; curve in {os.path.relpath(args.results)}")
    elif not args.no_write:
        write_results(args.results, rows, volume=volume, argv=sys.argv[1:] if argv is None else argv,
                      seed_seconds=seed_seconds)
        print(f"results written to {os.path.relpath(args.results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
