"""Query parameters the API's views read themselves (lists use django-filter filtersets)."""

from rest_framework import serializers


def query_flag(request, name: str, *, default: bool = False) -> bool:
    """The boolean query parameter ``name`` (``true``/``false``, ``1``/``0``, DRF's spellings);
    ``default`` when it is absent. Any other value is refused with 400 on the parameter rather
    than read as false, so that ``?include_drafts=ja`` is not silently ignored."""
    value = request.query_params.get(name)
    if value is None:
        return default
    try:
        return serializers.BooleanField().to_internal_value(value)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: exc.detail}) from exc
