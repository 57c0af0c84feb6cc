"""Helpers for the web-form tests: POST bodies for the report form and a signed-in client."""

from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

SINGLE_VALUED = ("age_band", "education", "income_source", "time_on_support", "uvas", "referrer", "home_municipality")
GENDERS = ("women", "men", "other")


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.email, password=PASSWORD)
    return client


def report_url(intervention, period="2024Q1", suffix=""):
    url = reverse("report", args=[intervention.pk, period])
    return f"{url}{suffix}"


def form_data(
    *, start=(0, 0, 0), new=(0, 0, 0), exits=None, reasons=None, version=0, action="save", comment="", spent=""
):
    """A POST body. ``reasons`` maps a reason code to counts; ``exits`` defaults to their sum.
    Single-valued dimensions get every new participant as ``unknown``."""
    reasons = reasons or {}
    if exits is None:
        exits = tuple(sum(r[i] for r in reasons.values()) for i in range(3))
    data = {"version": str(version), "action": action, "comment": comment, "spent_sek": str(spent)}
    for prefix, counts in (("start", start), ("new", new), ("exits", exits)):
        for gender, value in zip(GENDERS, counts, strict=True):
            data[f"{prefix}__{gender}"] = str(value)
    for code, counts in reasons.items():
        for gender, value in zip(GENDERS, counts, strict=True):
            data[f"reason__{code}__{gender}"] = str(value)
    for dimension in SINGLE_VALUED:
        for gender, value in zip(GENDERS, new, strict=True):
            data[f"dim__{dimension}__unknown__{gender}"] = str(value)
    return data
