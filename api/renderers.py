"""The API's JSON renderer: DRF's output, written by orjson.

DRF's renderer runs the standard library's encoder; for a 50-row case list that was
0.2-0.35 ms of each request's ~4 ms of Python (interleaved A/B, bench/PROFILE.md). orjson
writes the same bytes for the same data: whatever it does not write natively itself
(dates and times included) goes through DRF's own encoder, DRF's escaping of U+2028
and U+2029 is kept, and anything orjson refuses (an integer beyond 64 bits, say) or a
pretty-printed answer (`Accept: application/json; indent=4`) is rendered by DRF.
One difference, unreachable here (no API field is a float): a NaN or infinite float is
written as null where DRF would refuse to render it.
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
            return super().render(data, accepted_media_type, renderer_context)
        try:
            rendered = orjson.dumps(data, default=_ENCODER.default, option=_OPTIONS)
        except (TypeError, ValueError):
            return super().render(data, accepted_media_type, renderer_context)
        if _LINE_SEPARATOR in rendered or _PARAGRAPH_SEPARATOR in rendered:
            rendered = rendered.replace(_LINE_SEPARATOR, b"\\u2028").replace(_PARAGRAPH_SEPARATOR, b"\\u2029")
        return rendered
