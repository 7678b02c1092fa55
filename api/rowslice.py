"""Field-level slicing by row: which serializer renders each row is chosen from the
policy table (one query per page, whatever the number of policy actions:
`allowed_ids_by_action`), never by `if`s hiding fields inside one serializer.

A viewset lists `row_serializers = [("view_notes", FullSerializer)]` in order of
preference; an entry may name several actions, `(("view_a", "view_b"), BothSerializer)`,
and applies when the caller may do all of them on the row. A row no entry applies to
gets `serializer_class`.

Single objects (GET of one and its ETag: `row_data(rows, detail=True)`) may be written
differently: `detail_row_serializers` and `detail_serializer_class`, when set, replace
`row_serializers` and `serializer_class` for them.
"""

from collections.abc import Callable

from django.db.models import Q
from django_filters import rest_framework as filters
from rest_framework.response import Response

from permissions.actor import actor_for
from permissions.scopes import allowed_ids_by_action, slice_q


def _actions(entry) -> tuple[str, ...]:
    return (entry,) if isinstance(entry, str) else tuple(entry)


class RowSlicedDetailMixin:
    """The per-row choice for single objects (GET of one, its ETag, actions answering
    with a row); a viewset whose list keeps its own serializer uses this one alone.
    RowSlicedMixin adds the list."""

    row_serializers: list[tuple[str | tuple[str, ...], type]] = []
    detail_row_serializers: list[tuple[str | tuple[str, ...], type]] | None = None
    detail_serializer_class = None

    def prepare_rows(self, rows: list) -> None:
        """Read what a page's rows show from other tables, once per page."""

    def row_data(self, rows, *, detail: bool = False) -> list[dict]:
        rows = list(rows)
        entries = self.row_serializers
        default = self.serializer_class
        if detail:
            entries = entries if self.detail_row_serializers is None else self.detail_row_serializers
            default = self.detail_serializer_class or default
        choices = [(_actions(entry), cls) for entry, cls in entries]
        actions = list(dict.fromkeys(action for entry, _ in choices for action in entry))
        permitted = allowed_ids_by_action(self.actor, self.slice_target, actions, self.queryset,
                                          [row.pk for row in rows])
        self.prepare_rows(rows)
        context = self.get_serializer_context()
        serializers = {}  # one instance per serializer class and page
        data = []
        for row in rows:
            serializer_class = next((cls for entry, cls in choices if all(row.pk in permitted[a] for a in entry)),
                                    default)
            if serializer_class not in serializers:
                serializers[serializer_class] = serializer_class(context=context)
            data.append(serializers[serializer_class].to_representation(row))
        return data

    def retrieve(self, request, *args, **kwargs):
        return Response(self.representation_for_etag(self.get_object()))

    def representation_for_etag(self, obj):
        return self.row_data([obj], detail=True)[0]


class RowSlicedMixin(RowSlicedDetailMixin):
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self.row_data(page))
        return Response(self.row_data(queryset))


class RowShownBooleanFilter(filters.BooleanFilter):
    """A filter on a flag that a policy row shows per row (`is_repeat` with
    referral.view_case_link, `flagged_repeat` with case.view_repeat_flag): it filters on
    the flag AS SHOWN to the caller (`shown() & the row's filter`), so the filter cannot
    reveal a flag the row hides. Declared on the FilterSet; no view reads the policy."""

    def __init__(self, *, slice_target: str, action: str, shown: Callable[[], Q], **kwargs):
        self.slice_target, self.slice_action, self.shown = slice_target, action, shown
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if value is None:
            return queryset
        may_see = slice_q(actor_for(self.parent.request), self.slice_target, self.slice_action)
        shown = Q(pk__in=[]) if may_see is None else self.shown() & may_see
        return queryset.filter(shown) if value else queryset.exclude(shown)
