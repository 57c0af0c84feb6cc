"""The API's JSON parser: a body's size and nesting are checked before anything parses it.

DRF's own ``JSONParser`` reads the body through ``HttpRequest.body``, whose size check answers
Django's HTML "Bad Request" page, and hands it to ``json.load``, which recurses once per level
of nesting (a body about a thousand levels deep ends in ``RecursionError``, and the serializers
recurse again). This parser reads at most the view's ``max_body_size`` bytes (Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` unless the view sets more, as the import does) and answers the
contract's 413 above it, then counts the nesting with a flat scan and refuses a body deeper than
:data:`MAX_DEPTH` with 400 ``too_deep``. Neither limit is reached by a body of the contract.
"""

from __future__ import annotations

import re
from itertools import accumulate

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import exceptions, renderers, status
from rest_framework.parsers import BaseParser
from rest_framework.settings import api_settings
from rest_framework.utils import json

#: Levels of objects and lists a body may nest; the contract's deepest (an import's exit rows) is 4.
MAX_DEPTH = 20

# A JSON string (escapes included) or a run of anything but brackets and quotes: what is left
# after removing both is the body's brackets in order.
_NOT_BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[^\[\]{}"]+')


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = "Anropet är för stort."


def too_large(limit: int) -> PayloadTooLarge:
    """The 413 for a body over ``limit`` bytes, naming the limit."""
    return PayloadTooLarge(
        _("Anropet är för stort: högst %(size)s per anrop till den här adressen.") % {"size": filesizeformat(limit)}
    )


def body_limit(view) -> int | None:
    """The largest body ``view`` reads, in bytes: its ``max_body_size``, else Django's setting."""
    return getattr(view, "max_body_size", None) or settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def json_depth(text: str) -> int:
    """How deeply ``text`` nests objects and lists, brackets inside strings not counted.

    A flat scan, so any depth is measured without recursion; for text that is not JSON the
    answer is only an estimate, and the parser that follows refuses it anyway.
    """
    brackets = _NOT_BRACKETS.sub("", text)
    return max(accumulate(1 if c in "[{" else -1 if c in "]}" else 0 for c in brackets), default=0)


class JSONParser(BaseParser):
    """``application/json`` with the size and depth limits of the module docstring.

    Not a subclass of DRF's ``JSONParser`` on purpose: DRF reads ``request.body`` for those
    before the parser runs, which is where Django's HTML page comes from.
    """

    media_type = "application/json"
    renderer_class = renderers.JSONRenderer
    strict = api_settings.STRICT_JSON

    def parse(self, stream, media_type=None, parser_context=None):
        context = parser_context or {}
        limit = body_limit(context.get("view"))
        request = context.get("request")
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            declared = 0
        if limit is not None and declared > limit:
            raise too_large(limit)
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise too_large(limit)
        try:
            text = raw.decode(context.get("encoding", settings.DEFAULT_CHARSET))
        except (UnicodeDecodeError, LookupError) as exc:
            raise exceptions.ParseError() from exc
        if json_depth(text) > MAX_DEPTH:
            raise exceptions.ValidationError(
                _("Anropets JSON är för djupt nästlat: högst %(n)s nivåer av objekt och listor.") % {"n": MAX_DEPTH},
                code="too_deep",
            )
        try:
            return json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except (ValueError, RecursionError) as exc:
            raise exceptions.ParseError() from exc
