"""`field__in_array=ids`: IN over a list of values, sent to PostgreSQL as ONE array
parameter (`= ANY(%s)`), so that a statement's text is the same whatever the number of
ids (psycopg parses it once and PostgreSQL prepares it once per connection; with `IN`,
each page of 50 ids is a new 50-placeholder statement). Other databases: plain IN."""

from django.db.models import Field
from django.db.models.fields.related import ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class _AsArray:
    lookup_name = "in_array"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [value for value in self.rhs if value is not None]
        return f"{lhs} = ANY(%s)", [*lhs_params, values]


@Field.register_lookup
class InArray(_AsArray, In):
    pass


@ForeignObject.register_lookup
class RelatedInArray(_AsArray, RelatedIn):
    pass
