"""Web routes of the catalog pages, one pair per catalog of the registry (under ``forbund/<id>/kataloger/``)."""

from django.urls import path

from outcomes.catalog import views
from outcomes.catalog.registry import CATALOGS

urlpatterns = [path("", views.catalog_index, name="catalog-index")]
for _slug, _kind in CATALOGS.items():
    if _kind.parent_field:
        continue
    urlpatterns += [
        path(f"{_slug}/", views.catalog_list, {"catalog": _slug}, name=f"catalog-{_slug}"),
        path(f"{_slug}/<int:entry_id>/", views.catalog_entry, {"catalog": _slug}, name=f"catalog-{_slug}-entry"),
    ]
urlpatterns += [
    path(
        "bakgrundsvariabler/<int:dimension_id>/kategorier/",
        views.catalog_list,
        {"catalog": "kategorier"},
        name="catalog-categories",
    ),
    path(
        "bakgrundsvariabler/<int:dimension_id>/kategorier/<int:entry_id>/",
        views.catalog_entry,
        {"catalog": "kategorier"},
        name="catalog-categories-entry",
    ),
]
