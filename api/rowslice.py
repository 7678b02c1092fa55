"""Field-level slicing by row: which serializer renders each row is chosen from the
policy table (one `allowed_ids` query per page and policy action), never by `if`s
hiding fields inside one serializer.

A viewset lists `row_serializers = [("view_notes", FullSerializer)]` in order of
preference; a row the caller may do none of those actions on gets `serializer_class`.
"""

from rest_framework.response import Response

from permissions.scopes import allowed_ids


class RowSlicedDetailMixin:
    """The per-row choice for single objects (GET of one, its ETag, actions answering
    with it); a viewset whose list keeps its own serializer uses this one alone and
    names the default in `detail_serializer_class`."""

    row_serializers: list[tuple[str, type]] = []
    detail_serializer_class = None

    def row_data(self, rows) -> list[dict]:
        rows = list(rows)
        ids = [row.pk for row in rows]
        permitted = {action: allowed_ids(self.actor, self.slice_target, action, self.queryset, ids)
                     for action, _ in self.row_serializers}
        context = self.get_serializer_context()
        default = self.detail_serializer_class or self.serializer_class
        data = []
        for row in rows:
            serializer_class = next((cls for action, cls in self.row_serializers if row.pk in permitted[action]),
                                    default)
            data.append(serializer_class(row, context=context).data)
        return data

    def retrieve(self, request, *args, **kwargs):
        return Response(self.representation_for_etag(self.get_object()))

    def representation_for_etag(self, obj):
        return self.row_data([obj])[0]


class RowSlicedMixin(RowSlicedDetailMixin):
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self.row_data(page))
        return Response(self.row_data(queryset))
