"""The path converters of the API's one URL configuration (``finsam/api_urls.py``)."""

from django.urls import register_converter


class IdConverter:
    """A database id: at most 18 digits, so a longer number is an unknown URL (404), not an
    overflow in the database."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class YearConverter(IdConverter):
    regex = "[0-9]{4}"


register_converter(IdConverter, "id")
register_converter(YearConverter, "year")
