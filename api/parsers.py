"""The API's JSON parser: DRF's, made safe against input that no client means to send.

The standard library's decoder recurses once per nesting level, so `[[[[...]]]]` a
hundred thousand deep raised RecursionError (a 500) before any view ran; and it turns
a `\\ud800` escape into a lone surrogate, which no database can store and no error
message can be encoded with (another 500). Both are a 400 here, for every endpoint
including `POST /auth/token/`, before any serializer sees the data."""

import json
import re

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

MAX_DEPTH = 64
NESTED_TOO_DEEP = f"JSON nested more than {MAX_DEPTH} levels deep."
LONE_SURROGATE = "Contains a lone surrogate (an unpaired \\ud800-\\udfff escape), which is not text."
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _strict_constant(name):
    raise ValueError(f"{name} is not valid JSON.")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
            data = json.loads(text, parse_constant=_strict_constant if self.strict else None)
        except RecursionError:
            raise ParseError(NESTED_TOO_DEEP) from None
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError included
            raise ParseError(f"JSON parse error - {exc}") from None
        # Fewer brackets than the limit cannot nest deeper than it; only an escape can
        # make a surrogate (the body itself is valid UTF-8).
        deep = text.count("[") + text.count("{") > MAX_DEPTH
        surrogates = _SURROGATE_ESCAPE.search(text) is not None
        if deep or surrogates:
            _check(data, surrogates)
        return data


def _check(data, surrogates: bool) -> None:
    """Walk the parsed body without recursing: nesting depth and (if SURROGATES) lone
    surrogates, each reported under the top-level field it was found in."""
    errors: dict[str, list[str]] = {}
    kinds = (dict, list, str) if surrogates else (dict, list)
    stack = [(data, 1, None)] if isinstance(data, kinds) else []
    while stack:
        value, depth, field = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                errors.setdefault(field or "non_field_errors", []).append(LONE_SURROGATE)
            continue
        if depth > MAX_DEPTH:
            errors.setdefault(field or "non_field_errors", []).append(NESTED_TOO_DEEP)
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                if surrogates and _SURROGATE.search(key):
                    errors.setdefault(field or "non_field_errors", []).append(LONE_SURROGATE)
                elif isinstance(item, kinds):
                    stack.append((item, depth + 1, key if field is None else field))
        else:
            stack.extend((item, depth + 1, field) for item in value if isinstance(item, kinds))
    if errors:
        raise ValidationError({field: sorted(set(messages)) for field, messages in errors.items()})
