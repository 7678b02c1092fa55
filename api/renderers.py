"""The API's JSON renderer: DRF's output, written by orjson.

DRF's renderer runs the standard library's encoder; for a 50-row case list that was
0.2-0.35 ms of each request's ~4 ms of Python (interleaved A/B, bench/PROFILE.md). orjson
writes the same bytes for the same data: whatever it does not write natively itself
(dates and times included) goes through DRF's own encoder, DRF's escaping of U+2028
and U+2029 is kept, and anything orjson refuses (an integer beyond 64 bits, say) or a
pretty-printed answer (`Accept: application/json; indent=4`) is rendered by DRF.
One difference, unreachable here (no API field is a float): a NaN or infinite float is
written as null where DRF would refuse to render it.
Text that is not Unicode (a lone surrogate, e.g. echoed back in "\"\\ud800\" is not a
valid choice.") cannot be encoded by either: it is written as its escape, `\\ud800`,
so that the error still renders instead of becoming a 500.
"""

import orjson
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

_ENCODER = JSONEncoder()
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS
_LINE_SEPARATOR, _PARAGRAPH_SEPARATOR = "\u2028".encode(), "\u2029".encode()


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if (self.ensure_ascii or not self.compact
                or self.get_indent(accepted_media_type, renderer_context or {}) is not None):
            return self._render_with_drf(data, accepted_media_type, renderer_context)
        try:
            rendered = orjson.dumps(data, default=_ENCODER.default, option=_OPTIONS)
        except (TypeError, ValueError):
            return self._render_with_drf(data, accepted_media_type, renderer_context)
        if _LINE_SEPARATOR in rendered or _PARAGRAPH_SEPARATOR in rendered:
            rendered = rendered.replace(_LINE_SEPARATOR, b"\\u2028").replace(_PARAGRAPH_SEPARATOR, b"\\u2029")
        return rendered

    def _render_with_drf(self, data, accepted_media_type, renderer_context):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return super().render(_escape_unencodable(data), accepted_media_type, renderer_context)


def _escape_unencodable(data):
    if isinstance(data, str):
        return data.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(data, dict):
        return {_escape_unencodable(key): _escape_unencodable(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_escape_unencodable(item) for item in data]
    return data


class CSVRenderer(renderers.BaseRenderer):
    """A report as CSV (`Accept: text/csv` or `?format=csv`): the table of
    marac.reports.export, small counts suppressed. Errors are still JSON (SliceViewSet)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        import csv
        import io

        from marac.reports.export import csv_rows

        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(csv_rows(data))
        return out.getvalue().encode("utf-8")
