"""Field-level slicing by row: which serializer renders each row is chosen from the
policy table (one query per page, whatever the number of policy actions:
`allowed_ids_by_action`), never by `if`s hiding fields inside one serializer.

A viewset lists `row_serializers = [("view_notes", FullSerializer)]` in order of
preference; an entry may name several actions, `(("view_a", "view_b"), BothSerializer)`,
and applies when the caller may do all of them on the row. A row no entry applies to
gets `serializer_class`.
"""

from rest_framework.response import Response

from permissions.scopes import allowed_ids_by_action


def _actions(entry) -> tuple[str, ...]:
    return (entry,) if isinstance(entry, str) else tuple(entry)


class RowSlicedMixin:
    row_serializers: list[tuple[str | tuple[str, ...], type]] = []

    def prepare_rows(self, rows: list) -> None:
        """Read what a page's rows show from other tables, once per page."""

    def row_data(self, rows) -> list[dict]:
        rows = list(rows)
        choices = [(_actions(entry), cls) for entry, cls in self.row_serializers]
        actions = list(dict.fromkeys(action for entry, _ in choices for action in entry))
        permitted = allowed_ids_by_action(self.actor, self.slice_target, actions, self.queryset,
                                          [row.pk for row in rows])
        self.prepare_rows(rows)
        context = self.get_serializer_context()
        serializers = {}  # one instance per serializer class and page
        data = []
        for row in rows:
            serializer_class = next((cls for entry, cls in choices if all(row.pk in permitted[a] for a in entry)),
                                    self.serializer_class)
            if serializer_class not in serializers:
                serializers[serializer_class] = serializer_class(context=context)
            data.append(serializers[serializer_class].to_representation(row))
        return data

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self.row_data(page))
        return Response(self.row_data(queryset))

    def retrieve(self, request, *args, **kwargs):
        return Response(self.representation_for_etag(self.get_object()))

    def representation_for_etag(self, obj):
        return self.row_data([obj])[0]
