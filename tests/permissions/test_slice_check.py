"""The slice's start-up check (api/checks.py): a viewset whose slice object, or one of
whose routed actions, resolves to nothing in the policy stops `manage.py check`."""

from django.core.management import call_command
from rest_framework import mixins
from rest_framework.decorators import action

from api.checks import check_slice, slice_errors
from api.viewsets import SliceViewSet
from marac.cases.models import Case
from permissions.policy import CASE, PACK


class _Cases(mixins.ListModelMixin, mixins.RetrieveModelMixin, SliceViewSet):
    slice_object = CASE
    queryset = Case.objects.all()

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        raise AssertionError("never called")


def test_the_routed_viewsets_pass_the_check():
    assert check_slice() == []
    call_command("check")  # the check is registered: it runs at start-up


def test_a_viewset_naming_no_described_object_fails_the_check():
    class Unknown(_Cases):
        slice_target = "casefile"

    assert [e.id for e in slice_errors(Unknown, {"get": "list"})] == ["slice.E001"]


def test_an_action_resolving_to_no_policy_row_fails_the_check():
    # "archive" maps to the default "archive", which the case's rows do not have.
    errors = slice_errors(_Cases, {"get": "list", "post": "archive"})
    assert [e.id for e in errors] == ["slice.E002"]
    assert "archive" in errors[0].msg


def test_a_sub_resource_action_resolving_to_no_policy_row_fails_the_check():
    class Packs(_Cases):
        slice_actions = {"archive": (PACK, "archive"), "retrieve": {"get": (PACK, "view")}}

    assert [e.id for e in slice_errors(Packs, {"get": "retrieve", "post": "archive"})] == ["slice.E002"]


def test_a_described_action_passes_the_check():
    class Managed(_Cases):
        slice_actions = {"archive": "manage_participants"}

    assert slice_errors(Managed, {"get": "list", "post": "archive"}) == []
