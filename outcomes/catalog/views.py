"""Staff's catalog pages, one generic set for every catalog of :mod:`outcomes.catalog.registry`:
a list with the form that adds an entry, an entry's edit page, retire and bring back."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from outcomes.catalog import services
from outcomes.catalog.forms import entry_form_class
from outcomes.catalog.registry import CATALOGS, CATEGORIES, DIMENSIONS
from outcomes.models import Dimension
from outcomes.organisations.access import association_page
from outcomes.organisations.pages import attempt, page


@association_page
def catalog_index(request, association):
    return page(
        request,
        "outcomes/catalog/index.html",
        association,
        {"catalogs": [k for k in CATALOGS.values() if not k.parent_field]},
    )


def _parent(kind, association, dimension_id):
    if not kind.parent_field:
        return None
    return get_object_or_404(Dimension, pk=dimension_id, association=association)


def _list_url(kind, association, parent):
    if parent is not None:
        return redirect("catalog-categories", association.pk, parent.pk)
    return redirect(f"catalog-{kind.slug}", association.pk)


@association_page
def catalog_list(request, association, catalog: str, dimension_id: int | None = None):
    """The catalog's entries, retired ones marked, and (staff) the form that adds one."""
    kind = CATALOGS.get(catalog) or _missing()
    parent = _parent(kind, association, dimension_id)
    form_class = entry_form_class(kind, new=True)
    owner = {kind.parent_field: parent} if parent is not None else {"association": association}
    form = form_class(request.POST or None, instance=kind.model(**owner)) if kind.can_add else None
    # A catalog that takes no new entries (survey questions) shows the same page to a POST.
    if (
        form is not None
        and request.method == "POST"
        and attempt(
            form,
            lambda: services.catalog_entry_create(
                kind=kind,
                association=association,
                parent=parent,
                user=request.user,
                code=form.cleaned_data["code"],
                label=form.cleaned_data[kind.label_field],
                **{name: form.cleaned_data[name] for name in kind.extra_fields},
            ),
        )
    ):
        messages.success(request, _("Posten ”%(code)s” är tillagd.") % {"code": form.cleaned_data["code"]})
        return _list_url(kind, association, parent)
    return page(
        request,
        "outcomes/catalog/list.html",
        association,
        {
            "kind": kind,
            "parent": parent,
            "entries": kind.entries(association=association, parent=parent),
            "form": form,
            "has_categories": kind is DIMENSIONS,
            "categories": CATEGORIES,
        },
        refused=form is not None and request.method == "POST",
    )


def _missing():
    raise Http404


@association_page
def catalog_entry(request, association, catalog: str, entry_id: int, dimension_id: int | None = None):
    """Edit one entry (``action=save``), or retire / bring it back (``action=retire``/``restore``)."""
    kind = CATALOGS.get(catalog) or _missing()
    parent = _parent(kind, association, dimension_id)
    entry = get_object_or_404(kind.entries(association=association, parent=parent), pk=entry_id)
    form_class = entry_form_class(kind, new=False)
    action = request.POST.get("action")
    if request.method == "POST" and action in ("retire", "restore"):
        services.catalog_entry_update(
            kind=kind, entry=entry, association=association, user=request.user, active=action == "restore"
        )
        done = _("”%(code)s” är återinförd.") if action == "restore" else _("”%(code)s” är tagen ur bruk.")
        messages.success(request, done % {"code": entry.code})
        return _list_url(kind, association, parent)
    fresh = kind.model.objects.get(pk=entry.pk)
    form = form_class(request.POST or None, instance=entry)
    if request.method == "POST" and attempt(
        form,
        lambda: services.catalog_entry_update(
            kind=kind,
            entry=fresh,
            association=association,
            user=request.user,
            **{name: form.cleaned_data[name] for name in form.fields},
        ),
    ):
        messages.success(request, _("”%(code)s” är sparad.") % {"code": entry.code})
        return _list_url(kind, association, parent)
    return page(
        request,
        "outcomes/catalog/entry.html",
        association,
        {"kind": kind, "parent": parent, "entry": fresh, "form": form},
        refused=request.method == "POST",
    )
