"""permissions.case_reads: on PostgreSQL the case page's row and lists are read by
statements compiled once per caller (all the lists in one). They answer exactly what the
plain ORM reads answer (the same rows, in the same order, with the same Python values),
for every case of the demo MARACs, every one of its people and both extremes of the
page's lists (every list, and the fewest); and the compiled statement of one case
answers for another."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marac.cases.models import Case
from marac.cases.services import add_perpetrator, record_incident
from permissions import case_reads
from permissions.actor import Actor
from tests.factories import PerpetratorFactory
from web.cases.case_page import _SECTIONS
from web.cases.views import CaseDetailView

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the compiled reads are PostgreSQL's; "
                       "elsewhere read_on_case and read_case are the plain reads themselves"),
]


@pytest.fixture
def demo():
    """The demo MARACs, with what the demo does not record: an incident that flags its
    case as a repeat, and a second perpetrator."""
    call_command("seed_demo")
    case = Case.objects.filter(status="open").order_by("pk").first()
    officer = get_user_model().objects.select_related("membership__agency").get(username="police")
    record_incident(case=case, agency=officer.membership.agency, recorded_by=officer, occurred_at=timezone.now(),
                    behaviour="following", description="Followed from work.")
    add_perpetrator(case, PerpetratorFactory())


def _people():
    return [Actor.of(user) for user in get_user_model().objects.select_related("membership__agency").order_by("pk")]


def _fields(obj) -> dict:
    return None if obj is None else {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_every_list_of_the_case_page_reads_as_the_plain_orm(demo):
    cases, people = list(Case.objects.order_by("pk").values_list("pk", flat=True)), _people()
    seen = set()
    for actor in people:
        for case_id in cases:
            # The page's two extremes: every list (the safe contact's history and the repeat
            # flag with it), and neither; between them they hold every list there is.
            for sections in (_SECTIONS[(True, True)], _SECTIONS[(False, False)]):
                compiled = case_reads.read_on_case(actor, sections, case_id)
                assert compiled == case_reads._plain_read_on_case(actor, sections, case_id), (actor, case_id)
                seen |= {name for name, rows in compiled.items() if rows}
    # Every list was read with rows in it somewhere, so none compared empty with empty only.
    assert seen == {section.name for sections in _SECTIONS.values() for section in sections}


def test_the_case_row_reads_as_the_plain_orm_or_not_at_all(demo):
    queryset, related = CaseDetailView.queryset, CaseDetailView.case_related
    outcomes = set()
    for actor in _people():
        for case_id in [*Case.objects.order_by("pk").values_list("pk", flat=True), 2_000_000_000]:
            plain = case_reads._plain_read_case(actor, queryset, case_id, related)
            compiled = case_reads.read_case(actor, queryset, case_id, related)
            outcomes.add(plain is None)
            assert _fields(compiled) == _fields(plain), (actor, case_id)
            if plain is not None:
                for name in related:
                    assert _fields(getattr(compiled, name)) == _fields(getattr(plain, name)), (actor, case_id, name)
                for name in queryset.query.annotations:
                    assert getattr(compiled, name) == getattr(plain, name), (actor, case_id, name)
    assert outcomes == {True, False}  # found for some callers and outside the slice of others


def test_a_case_page_reads_its_lists_in_one_statement_and_its_row_in_one(demo):
    actor = next(actor for actor in _people() if actor.group_id is not None)
    case_id = Case.objects.order_by("pk").values_list("pk", flat=True).first()
    sections = _SECTIONS[(True, True)]
    case_reads.read_on_case(actor, sections, case_id)
    with CaptureQueriesContext(connection) as queries:
        case_reads.read_on_case(actor, sections, case_id)
        case_reads.read_case(actor, CaseDetailView.queryset, case_id, CaseDetailView.case_related)
    statements = [query["sql"] for query in queries if not query["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 3, statements  # SET LOCAL plan_cache_mode, the lists, the row
