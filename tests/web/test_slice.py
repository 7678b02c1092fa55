"""web/slice.py: the web views' one door to the slice. Outside the slice 404, inside
but not permitted 403, lists filtered through the slice, reads and writes audited as
the API audits them, and a POST that fails or re-renders its form writes nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views import View

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from marac.cases.models import Case
from permissions.actor import actor_for
from tests.factories import CaseFactory, make_agency, make_platform_admin, make_user
from web.slice import SliceListMixin, SliceObjectMixin, SliceParentMixin

pytestmark = pytest.mark.django_db


class CasePage(SliceObjectMixin, View):
    slice_target = "case"
    queryset = Case.objects.all()

    def get(self, request, pk):
        return HttpResponse(self.get_object().reference)


class CaseChangePage(CasePage):
    slice_action = "change"

    def post(self, request, pk):
        case = self.get_object()
        Case.objects.filter(pk=case.pk).update(summary="changed")
        if request.POST.get("invalid"):
            self.rollback()  # a form with errors: re-rendered, nothing kept
            return HttpResponse("form with errors")
        return HttpResponse("done")


class CaseList(SliceListMixin, View):
    slice_target = "case"
    queryset = Case.objects.order_by("pk")

    def get(self, request):
        cases = list(self.get_queryset())
        self.audit_page(cases)
        return HttpResponse(",".join(str(case.pk) for case in cases))


class ResearchOnCase(SliceParentMixin, View):
    slice_target = "research"
    slice_action = "create"
    parent_queryset = Case.objects.all()

    def get(self, request, case_pk):
        return HttpResponse(self.get_parent().reference)


def call(view, user, method="get", data=None, **kwargs):
    request = getattr(RequestFactory(), method)("/probe/", data or {})
    request.user = user
    return view.as_view()(request, **kwargs)


def test_an_object_outside_the_callers_slice_is_not_found():
    case = CaseFactory(participants=[make_agency(AgencyKind.POLICE)])
    with pytest.raises(Http404):
        call(CasePage, make_user(make_agency(AgencyKind.HOUSING)), pk=case.pk)


def test_an_object_inside_the_slice_is_shown_and_its_read_audited_like_the_api():
    agency = make_agency(AgencyKind.HOUSING)
    user = make_user(agency)
    case = CaseFactory(participants=[agency])
    assert call(CasePage, user, pk=case.pk).content.decode() == case.reference
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.user_id, event.agency_id) == (
        "view", "case", str(case.pk), user.pk, agency.pk)


def test_inside_the_slice_but_not_permitted_is_forbidden_and_writes_nothing():
    agency = make_agency(AgencyKind.HOUSING)
    case = CaseFactory(participants=[agency])
    with pytest.raises(PermissionDenied):
        call(CaseChangePage, make_user(agency), "post", pk=case.pk)
    assert not AuditEvent.objects.exists()


def test_a_permitted_write_is_audited_as_an_update_and_a_form_with_errors_writes_nothing():
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    case = CaseFactory()
    assert call(CaseChangePage, coordinator, "post", {"invalid": "1"}, pk=case.pk).content == b"form with errors"
    assert Case.objects.get(pk=case.pk).summary != "changed" and not AuditEvent.objects.exists()
    assert call(CaseChangePage, coordinator, "post", pk=case.pk).content == b"done"
    assert Case.objects.get(pk=case.pk).summary == "changed"
    assert list(AuditEvent.objects.values_list("action", "object_type")) == [("update", "case")]


def test_a_list_shows_only_the_callers_slice_and_audits_the_page():
    agency = make_agency(AgencyKind.HEALTH)
    mine = [CaseFactory(participants=[agency]) for _ in range(2)]
    CaseFactory(participants=[make_agency(AgencyKind.POLICE)])
    response = call(CaseList, make_user(agency))
    assert response.content.decode() == ",".join(str(case.pk) for case in mine)
    assert sorted(AuditEvent.objects.values_list("object_id", flat=True)) == sorted(str(c.pk) for c in mine)


def test_platform_admins_get_page_not_found_on_every_case_page():
    case = CaseFactory(participants=[make_agency(AgencyKind.POLICE)])
    admin = make_platform_admin()
    with pytest.raises(Http404):
        call(CasePage, admin, pk=case.pk)
    assert call(CaseList, admin).content == b""


def test_a_page_under_a_parent_reads_the_row_against_the_parent():
    police, housing = make_agency(AgencyKind.POLICE), make_agency(AgencyKind.HOUSING)
    case = CaseFactory(participants=[police])
    assert call(ResearchOnCase, make_user(police), case_pk=case.pk).status_code == 200
    with pytest.raises(Http404):
        call(ResearchOnCase, make_user(housing), case_pk=case.pk)
    chair = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.CHAIR)
    with pytest.raises(PermissionDenied):  # chairs see the case but add no research
        call(ResearchOnCase, chair, case_pk=case.pk)


def test_the_actor_is_the_apis(rf):
    user = make_user(make_agency(AgencyKind.POLICE), Role.MANAGER)
    request = rf.get("/")
    request.user = user
    assert actor_for(request).role == Role.MANAGER


def test_every_web_view_names_a_policy_row_that_exists(settings):
    from django.core.checks import run_checks

    assert [e for e in run_checks() if e.id == "web.E001"] == []


def test_a_misspelt_policy_row_fails_the_system_check(monkeypatch):
    from web.checks import web_views_name_policy_rows
    from web.notifications.views import NotificationListView

    monkeypatch.setattr(NotificationListView, "slice_action", "veiw")
    errors = web_views_name_policy_rows(None)
    assert [e.id for e in errors] == ["web.E001"] and "notification.veiw" in errors[0].msg
