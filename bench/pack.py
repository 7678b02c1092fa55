"""pack_seconds_40_cases: build one meeting pack (JSON + PDF) for a meeting of 40
cases, each with research shared by 8 agencies, the way the worker does.

    python -m bench.pack [--cases 40] [--agencies 8] [--repeat 3]

Works on whatever database Django is configured with (DATABASE_URL; migrate first).
It seeds its own data inside a transaction that is rolled back, and removes the files
it wrote, so it leaves nothing behind. `measure_pack_seconds()` is the importable form
used by `python -m bench`.
"""

import argparse
import contextlib
import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path


def _setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marac.settings")
    import django

    django.setup()


class _Rollback(Exception):
    pass


def _seed(cases: int, agencies: int):
    from django.utils import timezone

    from marac.agencies.models import AgencyKind, Role
    from marac.agencies.services import create_agency, create_user
    from marac.cases.models import Case, Perpetrator, ResearchContribution, Victim
    from marac.cases.participants import add_participant
    from marac.meetings.models import Action, AgendaItem, Meeting

    tag = uuid.uuid4().hex[:8]
    kinds = [AgencyKind.POLICE, AgencyKind.ADVOCACY, AgencyKind.HOUSING, AgencyKind.HEALTH,
             AgencyKind.CHILDRENS_SERVICES, AgencyKind.PROBATION, AgencyKind.SUBSTANCE_MISUSE,
             AgencyKind.INTERVENTION_PROVIDER]
    agency_rows = [create_agency(name=f"bench {tag} agency {i}", kind=kinds[i % len(kinds)]) for i in range(agencies)]
    coordination = create_agency(name=f"bench {tag} coordination", kind=AgencyKind.MARAC_COORDINATION)
    from marac.maracs.models import Marac

    marac = Marac.objects.order_by("pk").first()  # the benchmark seeds 20: name the one this meeting is of
    coordinator = create_user(username=f"bench-{tag}-coord", password=uuid.uuid4().hex, agency=coordination,
                              role=Role.COORDINATOR, email="", maracs=[marac])
    authors = [create_user(username=f"bench-{tag}-p{i}", password=uuid.uuid4().hex, agency=agency,
                           role=Role.PRACTITIONER, email="") for i, agency in enumerate(agency_rows)]
    chair = create_user(username=f"bench-{tag}-chair", password=uuid.uuid4().hex, agency=agency_rows[0],
                        role=Role.CHAIR, email="", maracs=[marac])
    today = timezone.localdate()
    meeting = Meeting.objects.create(date=today + timedelta(days=7), chair=chair, created_by=coordinator,
                                     confidentiality_statement="Bench statement.", marac=marac)
    earlier = Meeting.objects.create(date=today - timedelta(days=28), chair=chair, created_by=coordinator,
                                     marac=marac)
    for n in range(cases):
        victim = Victim.objects.create(first_name=f"V{n}", last_name=f"Bench{tag}", date_of_birth="1990-01-01",
                                       gender="female")
        perpetrator = Perpetrator.objects.create(first_name=f"P{n}", last_name="Bench", relationship="ex_partner")
        case = Case.objects.create(reference=f"BENCH-{tag}-{n:04d}", victim=victim, perpetrator=perpetrator,
                                   risk_score=14 + n % 10, is_repeat=n % 3 == 0, stalking=n % 2 == 0,
                                   summary="Escalating stalking after separation; threats to kill reported. " * 3,
                                   marac=marac)
        for agency in agency_rows:
            add_participant(case, agency)
        ResearchContribution.objects.bulk_create([
            ResearchContribution(case=case, agency=agency, author=author, shared_with_marac=True,
                                 summary=f"{agency.name}: relevant, proportionate, risk-focused research. " * 4)
            for agency, author in zip(agency_rows, authors)
        ] + [ResearchContribution(case=case, agency=agency_rows[0], author=authors[0], shared_with_marac=False,
                                  summary="Agency-only note.")])
        AgendaItem.objects.create(meeting=earlier, case=case, position=n + 1)
        Action.objects.bulk_create([
            Action(case=case, meeting=earlier, description=f"Action {k} for case {n}.", owner_agency=agency_rows[k],
                   due_date=today - timedelta(days=3), created_by=coordinator) for k in range(2)
        ])
        from marac.meetings.services import add_to_agenda

        add_to_agenda(meeting, case)  # carries the two incomplete actions over
    return meeting, coordinator


def measure_pack_seconds(cases: int = 40, agencies: int = 8) -> float:
    """Seconds to build one pack (the worker's job: document, JSON file, PDF file) for
    a meeting of CASES cases with research from AGENCIES agencies each. Seeds its own
    data and rolls it back; deletes the files it wrote."""
    return measure_pack(cases, agencies)[0]


def measure_pack(cases: int = 40, agencies: int = 8) -> tuple[float, float]:
    """(wall seconds, this process's CPU seconds) of one build: on a shared machine the
    CPU figure shows the work itself, the wall figure what other load adds to it."""
    from django.core.files.storage import default_storage
    from django.db import transaction

    from marac.jobs.models import Job
    from marac.jobs.tasks import run_job
    from marac.meetings.models import MeetingPack, PackStatus
    from marac.meetings.packs import PACK_JOB

    result: dict = {}
    try:
        with transaction.atomic():
            meeting, coordinator = _seed(cases, agencies)
            pack = MeetingPack.objects.create(meeting=meeting, requested_by=coordinator, fingerprint="")
            job = Job.objects.create(kind=PACK_JOB, payload={"pack_id": pack.pk})
            # The worker's call: the Celery task body (the job row's run: the build and the
            # "done" mark committed together), run synchronously in this process; apply()
            # goes through Celery's task tracing as a worker would.
            started, cpu = time.perf_counter(), time.process_time()
            run_job.apply(args=[job.pk], throw=True).get()
            result["seconds"] = time.perf_counter() - started
            result["cpu"] = time.process_time() - cpu
            pack.refresh_from_db()
            status = pack.status
            result["files"] = [f.name for f in (pack.pdf, pack.json) if f]
            if status != PackStatus.READY:
                raise RuntimeError(f"pack build {status}: {pack.reason}")
            raise _Rollback
    except _Rollback:
        pass
    finally:
        for name in result.get("files", []):
            default_storage.delete(name)
            with contextlib.suppress(NotImplementedError, OSError):
                os.rmdir(os.path.dirname(default_storage.path(name)))  # the job's now-empty folder
    return result["seconds"], result["cpu"]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--agencies", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    _setup_django()
    measured = [measure_pack(args.cases, args.agencies) for _ in range(args.repeat)]
    runs, cpu = sorted(wall for wall, _ in measured), sorted(c for _, c in measured)
    print(f"pack_runs_seconds: {', '.join(f'{r:.3f}' for r in runs)}")
    print(f"pack_cpu_seconds (this process, not PostgreSQL's): {', '.join(f'{c:.3f}' for c in cpu)}")
    print(f"pack_seconds_{args.cases}_cases: {statistics.median(runs):.3f}")


if __name__ == "__main__":
    main()
