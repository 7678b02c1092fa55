"""The benchmark's set-based seed writes raw SQL: a column added to a model without
one in the seed only shows when somebody runs the benchmark. Seeding a small volume on
PostgreSQL here fails the suite instead."""

import pytest
from django.db import connection

from bench.seed import Volume, seed
from marac.cases.models import Case
from marac.meetings.models import AgendaItem

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark seeds PostgreSQL only"),
]


def test_every_seed_step_runs_against_the_current_schema():
    import bench.reports  # noqa: F401  (registers the report figures' seed step)
    from bench.seed import SEED_STEPS

    ran = seed(Volume(cases=400, users=100, orders=20, showcase_children=5), log=lambda line: None)
    assert {step.name for step in SEED_STEPS} <= set(ran)
    assert Case.objects.count() == 400
    assert AgendaItem.objects.filter(minutes="").exists()
