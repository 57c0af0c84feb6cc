"""Page numbers of the API's lists, read as strictly as the schema documents them."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class StrictPageNumberPagination(PageNumberPagination):
    """DRF's page-number pagination, except that ``?page=`` must be a whole number from 1: an empty
    value or ``last`` is refused with 400 rather than read as the first or last page, so that a
    client's mistake is not answered with data it did not ask for. A page past the end stays 404."""

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise ValidationError(
                {self.page_query_param: [_("Sidnumret ska vara ett heltal från 1, till exempel page=2.")]},
                code="invalid_page",
            )
        return int(value)
