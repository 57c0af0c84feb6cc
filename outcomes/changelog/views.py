"""The Ändringslogg page: staff read the association's changes, filtered by kind and days."""

from __future__ import annotations

from outcomes.changelog.forms import ChangeLogFilter
from outcomes.changelog.selectors import CHANGE_LOG_LIMIT, change_log_for
from outcomes.organisations.access import association_page
from outcomes.organisations.pages import page


@association_page(staff_only=True)
def change_log(request, association):
    """Newest first; a bad filter value is refused at its field (400) and shows nothing."""
    form = ChangeLogFilter(request.GET or None)
    rows, refused = [], False
    if not request.GET:
        rows = change_log_for(association=association)
    elif form.is_valid():
        rows = change_log_for(association=association, **form.cleaned_data)
    else:
        refused = True
    return page(
        request,
        "outcomes/changelog/list.html",
        association,
        {"form": form, "rows": rows, "limit": CHANGE_LOG_LIMIT},
        refused=refused,
    )
