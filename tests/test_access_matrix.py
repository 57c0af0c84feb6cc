"""The tenant × role matrix, generated from the URL configuration and the served OpenAPI schema.

Every web route (``django.urls.get_resolver()``) and every API operation of the schema is asked,
with each of its path parameters filled from a world of two associations, by staff, a viewer and
a coordinator of association A and of association B, and by an anonymous visitor. What each may
get is written once per route and method in ``POLICY``; the people outside it follow from the
rules of API.md and DOMAIN.md:

- another association's staff, viewer and coordinator get 404 for A's objects (never 200 or a 403
  that gives away that the object exists), and no answer of theirs names anything of A's;
- the coordinator of A gets 404 for the intervention of A they are not granted, and no answer of
  theirs names it;
- an anonymous visitor gets 401 from the API and is sent to the sign-in page by the web pages.

A new route fails here until it has a policy entry and a value for every path parameter, so a new
page or endpoint cannot slip through unchecked. Every request runs in a transaction that is rolled
back, so each one starts from the same data. The module prints one line at the end:
``access matrix: N requests, M routes, L leaks``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from outcomes.activities.rules import ActivityInput
from outcomes.activities.services import activity_create
from outcomes.imports.csv import HEADER as CSV_HEADER
from outcomes.imports.files import CSV_TYPE, XLSX_TYPE
from outcomes.imports.template import template_xlsx
from outcomes.models import (
    Budget,
    Dimension,
    ExitReason,
    FileUpload,
    FileUploadPart,
    Measure,
    Member,
    Membership,
    SurveyQuestion,
)
from outcomes.organisations.services import api_token_create, member_create
from outcomes.surveys.rules import AnswerInput, SurveyInput
from outcomes.surveys.services import national_averages_set, survey_save
from reports.goals.services import GoalInput, goal_create
from reports.models import ExportJob
from tests.factories import AssociationFactory, InterventionFactory, MembershipFactory
from tests.outcomes.tallies.test_api import BODY as REPORT_BODY
from tests.reports.summary_data import SMALL_2024, enter

# --- what is left out, and why --------------------------------------------------------------------
# Web routes outside the matrix, by route prefix. Nothing else may be left out.
EXCLUDED_WEB = {
    "admin/": "Django's admin: only for users with is_staff, not tied to an association",
    "konto/": "Django's sign-in, sign-out and password views, and the invitation link that sets a password "
    "(an anonymous visitor's page by design): no association's data",
}
# API routes that are not operations of the schema (url names), and why.
EXCLUDED_API = {
    "api-schema": "the published contract (OpenAPI schema): the same for everyone, no association's data",
    "api-schema-unversioned": "the same schema under /api/schema/",
    "api-docs": "Swagger UI over the schema",
    "api-redoc": "ReDoc over the schema",
    None: "the catch-all ^api(?:/.*)?$ that answers the contract's JSON 404 for unknown /api/ URLs",
}

WEB_METHODS = ("GET", "POST")

# --- classes of answer ------------------------------------------------------------------------
ALLOW = "allowed"  # anything but 401, 403, 404 (and never a 5xx)
FORBIDDEN = "403"
HIDDEN = "404"
NOT_ALLOWED = "405"  # the method is not served; the same for everyone signed in
HIDDEN_OR_ALLOW = "404 or allowed"

EXPECTED_STATUS = {FORBIDDEN: {403}, HIDDEN: {404}, NOT_ALLOWED: {405}}

USERS = ("staff_a", "viewer_a", "coordinator_a", "staff_b", "viewer_b", "coordinator_b", "anonymous")
INSIDERS = {"staff_a": "staff", "viewer_a": "viewer", "coordinator_a": "coordinator"}
OUTSIDERS = {"staff_b": "staff", "viewer_b": "viewer", "coordinator_b": "coordinator"}


def rule(staff, viewer, coordinator, **others) -> dict:
    """The answer per role in association A; ``outsider`` (another association's people, default
    404 when the URL names an object of A), ``outsider_<role>`` for one role of theirs only, and
    ``ungranted`` (A's coordinator on the intervention not granted, default 404)."""
    return {"staff": staff, "viewer": viewer, "coordinator": coordinator, **others}


READ_ALL = rule(ALLOW, ALLOW, ALLOW)
WRITE_REPORTS = rule(ALLOW, FORBIDDEN, ALLOW)  # staff and the granted coordinator
WRITE_STAFF = rule(ALLOW, FORBIDDEN, FORBIDDEN)  # the intervention is visible, writing it is not
READ_SUMMARIES = rule(ALLOW, ALLOW, HIDDEN)  # association-level data: coordinators do not see it
WRITE_SUMMARIES = rule(ALLOW, FORBIDDEN, HIDDEN)
STAFF_ONLY = rule(ALLOW, HIDDEN, HIDDEN)
EVERYONE = rule(ALLOW, ALLOW, ALLOW, outsider=ALLOW)  # no object of A in the URL: lists, indexes
NOT_SERVED = rule(NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, outsider=NOT_ALLOWED, ungranted=NOT_ALLOWED)
# A method a summary's address does not serve: 405 to those who may read it, 404 to the rest.
READ_SUMMARIES_NOT_SERVED = rule(NOT_ALLOWED, NOT_ALLOWED, HIDDEN)

# (method, route) -> a rule, or {"param=value": rule} for a route asked with several values of a
# parameter (see PARAMETERS). Routes are the schema's paths for the API and Django's route
# strings for the web pages. Read, write: API.md's table; web: README.md's page table.
POLICY = {
    # --- API: interventions, budgets, catalogs, reports, imports ---
    ("GET", "/api/v1/interventions/"): EVERYONE,
    # B's staff get 400 (no such association); who is staff nowhere gets 403 whatever the body
    # names, so the 403 says nothing about A.
    ("POST", "/api/v1/interventions/"): rule(
        ALLOW, FORBIDDEN, FORBIDDEN, outsider=ALLOW, outsider_viewer=FORBIDDEN, outsider_coordinator=FORBIDDEN
    ),
    ("GET", "/api/v1/interventions/{id}/"): READ_ALL,
    ("PATCH", "/api/v1/interventions/{id}/"): WRITE_STAFF,
    ("GET", "/api/v1/interventions/{intervention_id}/budgets/{year}/"): READ_ALL,
    ("PUT", "/api/v1/interventions/{intervention_id}/budgets/{year}/"): WRITE_STAFF,
    ("GET", "/api/v1/catalog/dimensions/"): EVERYONE,
    ("GET", "/api/v1/catalog/exit-reasons/"): EVERYONE,
    ("GET", "/api/v1/catalog/survey-questions/"): EVERYONE,
    ("GET", "/api/v1/catalog/measures/"): EVERYONE,
    # --- API: the activity log (read by all, written by staff and the granted coordinator) ---
    ("GET", "/api/v1/interventions/{intervention_id}/activities/"): READ_ALL,
    ("POST", "/api/v1/interventions/{intervention_id}/activities/"): WRITE_REPORTS,
    ("GET", "/api/v1/interventions/{intervention_id}/activities/{activity_id}/"): READ_ALL,
    ("PATCH", "/api/v1/interventions/{intervention_id}/activities/{activity_id}/"): WRITE_REPORTS,
    ("DELETE", "/api/v1/interventions/{intervention_id}/activities/{activity_id}/"): WRITE_REPORTS,
    ("GET", "/api/v1/reports/"): EVERYONE,
    ("GET", "/api/v1/interventions/{intervention_id}/reports/"): READ_ALL,
    ("GET", "/api/v1/interventions/{intervention_id}/reports/{period}/"): READ_ALL,
    ("PUT", "/api/v1/interventions/{intervention_id}/reports/{period}/"): WRITE_REPORTS,
    ("POST", "/api/v1/interventions/{intervention_id}/reports/{period}/submit/"): WRITE_REPORTS,
    ("POST", "/api/v1/interventions/{intervention_id}/reports/{period}/approve/"): WRITE_STAFF,
    ("POST", "/api/v1/interventions/{intervention_id}/reports/{period}/reopen/"): WRITE_STAFF,
    # An import naming A's intervention: outsiders get the item refused, not a 403 or 404. The
    # same for its bodies of files: a template of A's intervention, the long CSV naming it.
    ("POST", "/api/v1/imports/"): {
        "body=json": rule(ALLOW, ALLOW, ALLOW, outsider=ALLOW),
        "body=xlsx": rule(ALLOW, ALLOW, ALLOW, outsider=ALLOW),
        "body=csv": rule(ALLOW, ALLOW, ALLOW, outsider=ALLOW),
    },
    ("GET", "/api/v1/interventions/{intervention_id}/template.xlsx"): WRITE_REPORTS,
    # --- API: goals, step definitions, summaries ---
    ("GET", "/api/v1/interventions/{intervention_id}/step-definition/"): READ_ALL,
    ("PUT", "/api/v1/interventions/{intervention_id}/step-definition/"): WRITE_STAFF,
    ("GET", "/api/v1/interventions/{intervention_id}/goals/"): READ_ALL,
    ("POST", "/api/v1/interventions/{intervention_id}/goals/"): WRITE_STAFF,
    ("GET", "/api/v1/interventions/{intervention_id}/goals/{goal_id}/"): READ_ALL,
    ("PATCH", "/api/v1/interventions/{intervention_id}/goals/{goal_id}/"): WRITE_STAFF,
    ("DELETE", "/api/v1/interventions/{intervention_id}/goals/{goal_id}/"): WRITE_STAFF,
    ("GET", "/api/v1/interventions/{intervention_id}/goal-results/"): READ_ALL,
    ("GET", "/api/v1/associations/{association_id}/summary/"): READ_SUMMARIES,
    # --- API: the association's settings and catalog writes (issue 14) ---
    ("GET", "/api/v1/associations/{association_id}/settings/"): READ_SUMMARIES,
    ("PATCH", "/api/v1/associations/{association_id}/settings/"): WRITE_SUMMARIES,
    # As POST interventions: B's staff get 400 (no such association), the staff of nowhere 403.
    ("POST", "/api/v1/catalog/exit-reasons/"): rule(
        ALLOW, FORBIDDEN, FORBIDDEN, outsider=ALLOW, outsider_viewer=FORBIDDEN, outsider_coordinator=FORBIDDEN
    ),
    ("POST", "/api/v1/catalog/dimensions/"): rule(
        ALLOW, FORBIDDEN, FORBIDDEN, outsider=ALLOW, outsider_viewer=FORBIDDEN, outsider_coordinator=FORBIDDEN
    ),
    # Every role reads the catalogs, so a write by a viewer or coordinator is 403, not 404.
    ("PATCH", "/api/v1/catalog/exit-reasons/{id}/"): WRITE_STAFF,
    ("PATCH", "/api/v1/catalog/dimensions/{id}/"): WRITE_STAFF,
    ("PATCH", "/api/v1/catalog/survey-questions/{id}/"): WRITE_STAFF,
    # Their ids name an object of A (as {id} does): outsiders get 404.
    ("POST", "/api/v1/catalog/dimensions/{dimension_id}/categories/"): rule(
        ALLOW, FORBIDDEN, FORBIDDEN, outsider=HIDDEN
    ),
    ("PATCH", "/api/v1/catalog/categories/{category_id}/"): rule(ALLOW, FORBIDDEN, FORBIDDEN, outsider=HIDDEN),
    ("GET", "/api/v1/associations/{association_id}/annual-report.docx"): READ_SUMMARIES,
    # --- API: surveys ---
    ("GET", "/api/v1/interventions/{id}/surveys/{period}/{group}/"): {
        "group=participant_ongoing": READ_ALL,
        # Board and managers' surveys belong to the association: a coordinator gets 404 on reads
        # as on writes. Staff and viewers read them at the association's address; here they may
        # get them or a 404 (the fix of issue 12 item 1 decides which), never a 403.
        "group=board": rule(HIDDEN_OR_ALLOW, HIDDEN_OR_ALLOW, HIDDEN),
        "group=managers": rule(HIDDEN_OR_ALLOW, HIDDEN_OR_ALLOW, HIDDEN),
    },
    ("PUT", "/api/v1/interventions/{id}/surveys/{period}/{group}/"): {
        "group=participant_ongoing": WRITE_REPORTS,
        # Refused as unknown_group (400) for writers; no survey of the association is touched.
        "group=board": rule(ALLOW, FORBIDDEN, HIDDEN_OR_ALLOW),
        "group=managers": rule(ALLOW, FORBIDDEN, HIDDEN_OR_ALLOW),
    },
    ("GET", "/api/v1/interventions/{id}/survey-tables/"): READ_ALL,
    ("GET", "/api/v1/associations/{id}/surveys/{period}/{group}/"): READ_SUMMARIES,
    ("PUT", "/api/v1/associations/{id}/surveys/{period}/{group}/"): WRITE_SUMMARIES,
    ("GET", "/api/v1/associations/{id}/survey-tables/"): READ_SUMMARIES,
    # National averages are not the association's own figures: everyone in it reads them.
    ("GET", "/api/v1/associations/{id}/national-averages/{year}/"): READ_ALL,
    ("PUT", "/api/v1/associations/{id}/national-averages/{year}/"): WRITE_STAFF,
    # --- web: start page, report forms and workflow, completeness ---
    ("GET", ""): EVERYONE,
    ("POST", ""): NOT_SERVED,
    ("GET", "insatser/<int:intervention_id>/<str:period>/"): READ_ALL,
    ("POST", "insatser/<int:intervention_id>/<str:period>/"): WRITE_REPORTS,
    ("GET", "insatser/<int:intervention_id>/<str:period>/historik/"): READ_ALL,
    ("POST", "insatser/<int:intervention_id>/<str:period>/historik/"): NOT_SERVED,
    ("GET", "insatser/<int:intervention_id>/<str:period>/<str:action>/"): NOT_SERVED,
    ("POST", "insatser/<int:intervention_id>/<str:period>/<str:action>/"): {
        "action=recall": WRITE_REPORTS,
        "action=approve": WRITE_STAFF,
        "action=reopen": WRITE_STAFF,
    },
    # --- web: the activity log ---
    ("GET", "insatser/<int:intervention_id>/aktiviteter/"): READ_ALL,
    ("POST", "insatser/<int:intervention_id>/aktiviteter/"): NOT_SERVED,
    ("GET", "insatser/<int:intervention_id>/aktiviteter/ny/"): WRITE_REPORTS,
    ("POST", "insatser/<int:intervention_id>/aktiviteter/ny/"): WRITE_REPORTS,
    ("GET", "insatser/<int:intervention_id>/aktiviteter/<int:activity_id>/"): READ_ALL,
    ("POST", "insatser/<int:intervention_id>/aktiviteter/<int:activity_id>/"): WRITE_REPORTS,
    ("GET", "insatser/<int:intervention_id>/aktiviteter/<int:activity_id>/ta-bort/"): NOT_SERVED,
    ("POST", "insatser/<int:intervention_id>/aktiviteter/<int:activity_id>/ta-bort/"): WRITE_REPORTS,
    # --- web: staff's pages of the association (issue 14): viewers read, coordinators nothing ---
    ("GET", "forbund/<int:association_id>/"): READ_SUMMARIES,
    ("POST", "forbund/<int:association_id>/"): WRITE_SUMMARIES,
    ("GET", "forbund/<int:association_id>/medlemmar/"): READ_SUMMARIES,
    ("POST", "forbund/<int:association_id>/medlemmar/"): WRITE_SUMMARIES,
    ("GET", "forbund/<int:association_id>/medlemmar/<int:member_id>/"): READ_SUMMARIES,
    ("POST", "forbund/<int:association_id>/medlemmar/<int:member_id>/"): WRITE_SUMMARIES,
    ("GET", "forbund/<int:association_id>/insatser/"): READ_SUMMARIES,
    ("POST", "forbund/<int:association_id>/insatser/"): WRITE_SUMMARIES,
    ("GET", "forbund/<int:association_id>/insatser/ny/"): READ_SUMMARIES,
    ("POST", "forbund/<int:association_id>/insatser/ny/"): WRITE_SUMMARIES,
    ("GET", "forbund/<int:association_id>/insatser/<int:intervention_id>/"): READ_SUMMARIES,
    ("POST", "forbund/<int:association_id>/insatser/<int:intervention_id>/"): WRITE_SUMMARIES,
    ("GET", "forbund/<int:association_id>/insatser/<int:intervention_id>/budget/"): READ_SUMMARIES,
    ("POST", "forbund/<int:association_id>/insatser/<int:intervention_id>/budget/"): WRITE_SUMMARIES,
    ("GET", "forbund/<int:association_id>/insatser/<int:intervention_id>/avsluta/"): READ_SUMMARIES,
    ("POST", "forbund/<int:association_id>/insatser/<int:intervention_id>/avsluta/"): WRITE_SUMMARIES,
    ("GET", "forbund/<int:association_id>/personer/"): READ_SUMMARIES,
    ("POST", "forbund/<int:association_id>/personer/"): WRITE_SUMMARIES,
    ("GET", "forbund/<int:association_id>/personer/<int:person_id>/"): READ_SUMMARIES,
    ("POST", "forbund/<int:association_id>/personer/<int:person_id>/"): WRITE_SUMMARIES,
    ("GET", "forbund/<int:association_id>/personer/<int:person_id>/nycklar/<int:token_id>/aterkalla/"): READ_SUMMARIES,
    ("POST", "forbund/<int:association_id>/personer/<int:person_id>/nycklar/<int:token_id>/aterkalla/"): (
        WRITE_SUMMARIES
    ),
    ("GET", "forbund/<int:association_id>/installningar/"): READ_SUMMARIES,
    ("POST", "forbund/<int:association_id>/installningar/"): WRITE_SUMMARIES,
    ("GET", "forbund/<int:association_id>/kataloger/"): READ_SUMMARIES,
    ("POST", "forbund/<int:association_id>/kataloger/"): WRITE_SUMMARIES,
    **{
        (method, f"forbund/<int:association_id>/kataloger/{catalog}"): READ_SUMMARIES
        if method == "GET"
        else WRITE_SUMMARIES
        for method in ("GET", "POST")
        for catalog in (
            "avslutsorsaker/",
            "avslutsorsaker/<int:entry_id>/",
            "bakgrundsvariabler/",
            "bakgrundsvariabler/<int:entry_id>/",
            "bakgrundsvariabler/<int:dimension_id>/kategorier/",
            "bakgrundsvariabler/<int:dimension_id>/kategorier/<int:entry_id>/",
            "enkatfragor/",
            "enkatfragor/<int:entry_id>/",
            "matt/",
            "matt/<int:entry_id>/",
        )
    },
    # The change log is the staff's: viewers get 404 as coordinators do.
    ("GET", "forbund/<int:association_id>/andringslogg/"): STAFF_ONLY,
    ("POST", "forbund/<int:association_id>/andringslogg/"): STAFF_ONLY,
    # --- web: file imports (README "Moving from spreadsheets") ---
    ("GET", "insatser/<int:intervention_id>/mall.xlsx"): WRITE_REPORTS,
    ("POST", "insatser/<int:intervention_id>/mall.xlsx"): NOT_SERVED,
    ("GET", "las-in/"): EVERYONE,
    ("POST", "las-in/"): EVERYONE,  # no file: the form again (400), nothing of anyone's
    # An upload is its user's (A's coordinator here): everybody else gets 404.
    ("GET", "las-in/<uuid:upload_id>/"): rule(HIDDEN, HIDDEN, ALLOW, outsider=HIDDEN),
    ("POST", "las-in/<uuid:upload_id>/"): rule(HIDDEN, HIDDEN, ALLOW, outsider=HIDDEN),
    ("GET", "forbund/<int:association_id>/rapportering/"): STAFF_ONLY,
    ("POST", "forbund/<int:association_id>/rapportering/"): NOT_SERVED,
    # "Skicka påminnelse" from the completeness matrix: staff only, like the page (issue 18).
    ("GET", "forbund/<int:association_id>/rapportering/<int:intervention_id>/paminnelse/"): NOT_SERVED,
    ("POST", "forbund/<int:association_id>/rapportering/<int:intervention_id>/paminnelse/"): STAFF_ONLY,
    # --- web: API tokens (a person's own) ---
    ("GET", "api-nycklar/"): EVERYONE,
    ("POST", "api-nycklar/"): EVERYONE,
    ("GET", "api-nycklar/<int:pk>/aterkalla/"): NOT_SERVED,
    # The token belongs to A's coordinator: only they may revoke it, everybody else gets 404.
    ("POST", "api-nycklar/<int:pk>/aterkalla/"): rule(HIDDEN, HIDDEN, ALLOW),
    # --- web: surveys ---
    ("GET", "enkater/"): EVERYONE,
    ("POST", "enkater/"): EVERYONE,
    ("GET", "enkater/insats/<int:pk>/"): READ_ALL,
    ("POST", "enkater/insats/<int:pk>/"): READ_ALL,  # a read-only page: POST shows the same
    ("GET", "enkater/insats/<int:pk>/valj/"): READ_ALL,
    ("POST", "enkater/insats/<int:pk>/valj/"): READ_ALL,
    ("GET", "enkater/insats/<int:pk>/<str:period>/<str:group>/"): {
        "group=participant_ongoing": READ_ALL,
        # Refused as a group of the association (400), never the association's survey.
        "group=board": READ_ALL,
        "group=managers": READ_ALL,
    },
    ("POST", "enkater/insats/<int:pk>/<str:period>/<str:group>/"): {
        "group=participant_ongoing": WRITE_REPORTS,
        "group=board": READ_ALL,
        "group=managers": READ_ALL,
    },
    ("GET", "enkater/forbund/<int:pk>/"): READ_SUMMARIES,
    ("POST", "enkater/forbund/<int:pk>/"): READ_SUMMARIES,
    ("GET", "enkater/forbund/<int:pk>/valj/"): READ_SUMMARIES,
    ("POST", "enkater/forbund/<int:pk>/valj/"): READ_SUMMARIES,
    ("GET", "enkater/forbund/<int:pk>/rikssnitt/<int:year>/"): READ_SUMMARIES,
    ("POST", "enkater/forbund/<int:pk>/rikssnitt/<int:year>/"): WRITE_SUMMARIES,
    ("GET", "enkater/forbund/<int:pk>/<str:period>/<str:group>/"): READ_SUMMARIES,
    ("POST", "enkater/forbund/<int:pk>/<str:period>/<str:group>/"): WRITE_SUMMARIES,
    # --- web: summaries, exports, charts (staff and viewers; README "Summaries") ---
    ("GET", "resultat/"): EVERYONE,
    ("POST", "resultat/"): EVERYONE,
    ("GET", "resultat/forbund/<int:association_id>/"): READ_SUMMARIES,
    ("POST", "resultat/forbund/<int:association_id>/"): READ_SUMMARIES,
    ("GET", "resultat/forbund/<int:association_id>/export.<str:fmt>"): READ_SUMMARIES,
    # A POST makes a PDF job; the files that download at once are GET only.
    ("POST", "resultat/forbund/<int:association_id>/export.<str:fmt>"): {
        "fmt=pdf": READ_SUMMARIES,
        "fmt=csv": READ_SUMMARIES_NOT_SERVED,
        "fmt=xlsx": READ_SUMMARIES_NOT_SERVED,
        "fmt=docx": READ_SUMMARIES_NOT_SERVED,
    },
    ("GET", "resultat/forbund/<int:association_id>/diagram/trend.<str:fmt>"): READ_SUMMARIES,
    ("POST", "resultat/forbund/<int:association_id>/diagram/trend.<str:fmt>"): READ_SUMMARIES,
    ("GET", "resultat/forbund/<int:association_id>/underlag.csv"): READ_SUMMARIES,
    ("POST", "resultat/forbund/<int:association_id>/underlag.csv"): READ_SUMMARIES,
    ("GET", "resultat/insatser/<int:intervention_id>/"): READ_SUMMARIES,
    ("POST", "resultat/insatser/<int:intervention_id>/"): READ_SUMMARIES,
    ("GET", "resultat/insatser/<int:intervention_id>/export.<str:fmt>"): READ_SUMMARIES,
    # A POST makes a PDF job; the files that download at once are GET only.
    ("POST", "resultat/insatser/<int:intervention_id>/export.<str:fmt>"): {
        "fmt=pdf": READ_SUMMARIES,
        "fmt=csv": READ_SUMMARIES_NOT_SERVED,
        "fmt=xlsx": READ_SUMMARIES_NOT_SERVED,
        "fmt=docx": READ_SUMMARIES_NOT_SERVED,
    },
    ("GET", "resultat/insatser/<int:intervention_id>/diagram/<slug:chart>.<str:fmt>"): READ_SUMMARIES,
    ("POST", "resultat/insatser/<int:intervention_id>/diagram/<slug:chart>.<str:fmt>"): READ_SUMMARIES,
    ("GET", "resultat/export/<uuid:job_id>/"): READ_SUMMARIES,
    ("POST", "resultat/export/<uuid:job_id>/"): READ_SUMMARIES,
    ("GET", "resultat/export/<uuid:job_id>/fil/"): READ_SUMMARIES,
    ("POST", "resultat/export/<uuid:job_id>/fil/"): READ_SUMMARIES,
    # --- web: goals and step definitions (README "Goals": read by all, edited by staff) ---
    ("GET", "resultat/insatser/<int:intervention_id>/mal/"): READ_ALL,
    ("POST", "resultat/insatser/<int:intervention_id>/mal/"): READ_ALL,
    ("GET", "resultat/insatser/<int:intervention_id>/mal/nytt/"): WRITE_STAFF,
    ("POST", "resultat/insatser/<int:intervention_id>/mal/nytt/"): WRITE_STAFF,
    ("GET", "resultat/insatser/<int:intervention_id>/mal/<int:goal_id>/"): WRITE_STAFF,
    ("POST", "resultat/insatser/<int:intervention_id>/mal/<int:goal_id>/"): WRITE_STAFF,
    ("GET", "resultat/insatser/<int:intervention_id>/mal/<int:goal_id>/ta-bort/"): NOT_SERVED,
    ("POST", "resultat/insatser/<int:intervention_id>/mal/<int:goal_id>/ta-bort/"): WRITE_STAFF,
    ("GET", "resultat/insatser/<int:intervention_id>/stegdefinition/"): WRITE_STAFF,
    ("POST", "resultat/insatser/<int:intervention_id>/stegdefinition/"): WRITE_STAFF,
}

# Query strings some routes need to answer more than a 400 (the period asked for).
QUERIES = {
    "/api/v1/interventions/{intervention_id}/goal-results/": "?period=2024",
    "/api/v1/associations/{association_id}/summary/": "?period=2024",
    "/api/v1/associations/{association_id}/annual-report.docx": "?period=2024",
    "/api/v1/interventions/{id}/survey-tables/": "?period=2024",
    "/api/v1/associations/{id}/survey-tables/": "?period=2024",
    "/api/v1/imports/": "?dry_run=true",
    "/api/v1/interventions/{intervention_id}/template.xlsx": "?year=2024",
    "forbund/<int:association_id>/rapportering/": "?period=2024Q1",
    "resultat/forbund/<int:association_id>/": "?period=2024",
    "resultat/forbund/<int:association_id>/export.<str:fmt>": "?period=2024",
    "resultat/insatser/<int:intervention_id>/": "?period=2024",
    "resultat/forbund/<int:association_id>/diagram/trend.<str:fmt>": "?period=2024",
    "resultat/forbund/<int:association_id>/underlag.csv": "?period=2024",
    "resultat/insatser/<int:intervention_id>/export.<str:fmt>": "?period=2024",
    "resultat/insatser/<int:intervention_id>/diagram/<slug:chart>.<str:fmt>": "?period=2024",
    "resultat/insatser/<int:intervention_id>/mal/": "?period=2024",
    "enkater/insats/<int:pk>/": "?period=2024",
    "enkater/insats/<int:pk>/valj/": "?period=2024&group=participant_ongoing",
    "enkater/forbund/<int:pk>/": "?period=2024",
    "enkater/forbund/<int:pk>/valj/": "?period=2024&group=board",
}

ACTIVITY_BODY = {"date": "2024-03-01", "title": "Nätverksträff", "kind": "network", "attendees": 10}

SURVEY_BODY = {
    "invited": 10,
    "answered": {"women": 3, "men": 2, "other": 0},
    "answers": [{"question": "p1", "counts": [0, 1, 1, 1, 1, 1], "blank": 0}],
}


def api_body(world, method: str, route: str):
    """A small, mostly valid body for a write: the point is who gets past the access checks."""
    a1 = world.target("granted").intervention
    bodies = {
        "/api/v1/interventions/": {
            "association": world.a.pk,
            "name": "Ny insats",
            "owner": "Kommunen",
            "kind": "individual",
            "frequency": "quarter",
            "start": "2024-01-01",
        },
        "/api/v1/interventions/{id}/": {"owner": "Region Örebro län"},
        "/api/v1/interventions/{intervention_id}/budgets/{year}/": {"budget_sek": 10},
        "/api/v1/interventions/{intervention_id}/reports/{period}/": REPORT_BODY,
        "/api/v1/interventions/{intervention_id}/reports/{period}/reopen/": {"reason": "Rättelse"},
        "/api/v1/imports/": {"reports": [{"intervention": a1.pk, "period": "2024Q3", "new": {"women": 1}}]},
        "/api/v1/interventions/{intervention_id}/step-definition/": {"reasons": ["employment"], "excluded_reasons": []},
        "/api/v1/interventions/{intervention_id}/goals/": {
            "year": 2024,
            "label": "Nytt mål",
            "kind": "step_progression",
            "comparator": "at_least",
            "target": 40,
        },
        "/api/v1/interventions/{intervention_id}/goals/{goal_id}/": {"target": 60},
        "/api/v1/interventions/{intervention_id}/activities/": ACTIVITY_BODY,
        "/api/v1/interventions/{intervention_id}/activities/{activity_id}/": {"attendees": 12},
        "/api/v1/interventions/{id}/surveys/{period}/{group}/": SURVEY_BODY,
        "/api/v1/associations/{id}/surveys/{period}/{group}/": {
            "invited": 7,
            "answered": {"women": 4, "men": 3},
            "answers": [{"question": "b12", "counts": [0, 0, 1, 2, 3, 1]}],
        },
        "/api/v1/associations/{id}/national-averages/{year}/": {"p1": 55},
        "/api/v1/associations/{association_id}/settings/": {"overdue_days": 20},
        "/api/v1/catalog/exit-reasons/": {
            "association": world.a.pk,
            "code": "ny_orsak",
            "label_sv": "Ny orsak",
            "outcome_class": "no_step",
        },
        "/api/v1/catalog/dimensions/": {"association": world.a.pk, "code": "ny_variabel", "label_sv": "Ny variabel"},
        "/api/v1/catalog/exit-reasons/{id}/": {"label_sv": "Nytt namn"},
        "/api/v1/catalog/dimensions/{id}/": {"label_sv": "Nytt namn"},
        "/api/v1/catalog/survey-questions/{id}/": {"text_sv": "Ny frågetext"},
        "/api/v1/catalog/dimensions/{dimension_id}/categories/": {"code": "ny_kategori", "label_sv": "Ny kategori"},
        "/api/v1/catalog/categories/{category_id}/": {"label_sv": "Nytt namn"},
    }
    return bodies.get(route, {}) if method in ("POST", "PUT", "PATCH") else None


WEB_BODIES = {
    "insatser/<int:intervention_id>/<str:period>/<str:action>/": {"reason": "Rättelse"},
    "api-nycklar/": {"name": "Ny nyckel"},
    "enkater/forbund/<int:pk>/rikssnitt/<int:year>/": {"avg_p1": "55"},
    "resultat/insatser/<int:intervention_id>/mal/<int:goal_id>/": {"label": "Ändrat mål", "target": "60"},
    "forbund/<int:association_id>/medlemmar/": {"name": "Ny kommun", "kind": "municipality"},
    "forbund/<int:association_id>/installningar/": {"overdue_days": "20"},
}

# --- the world --------------------------------------------------------------------------------
# Names of A's objects; none of them may appear in an answer to someone who may not see them.
A_NAME, A1_NAME, A2_NAME = "Ankarsrumsforbundet", "Aspaprojektet", "Alvhemsteamet"
A1_GOAL, A2_GOAL = "Aspamalet", "Alvhemsmalet"


@dataclasses.dataclass
class Target:
    """The objects of A that fill one request's parameters."""

    intervention: object
    goal: object
    export_job: object
    activity: object


@dataclasses.dataclass
class World:
    a: object
    b: object
    targets: dict
    users: dict
    tokens: dict
    revocable_token: object
    upload: object = None

    def target(self, name: str) -> Target:
        return self.targets[name]

    def secrets_for(self, user: str) -> list[str]:
        """What ``user`` must never read: all of A for outsiders, the other intervention for A's
        coordinator."""
        if user in OUTSIDERS:
            return [A_NAME, A1_NAME, A2_NAME, A1_GOAL, A2_GOAL, self.a.org_number]
        if user == "coordinator_a":
            return [A2_NAME, A2_GOAL]
        return []


def _survey(**counts):
    return SurveyInput(invited=10, answered={"women": 3, "men": 2, "other": 0}, answers=[AnswerInput(**counts)])


def build_world() -> World:
    a = AssociationFactory(name=A_NAME)
    b = AssociationFactory(name="Bollnasforbundet")
    a1 = InterventionFactory(association=a, name=A1_NAME)
    a2 = InterventionFactory(association=a, name=A2_NAME)
    b1 = InterventionFactory(association=b, name="Bjursasbryggan")
    targets = {}
    for key, intervention, label in (("granted", a1, A1_GOAL), ("ungranted", a2, A2_GOAL), ("b", b1, "Bjursasmalet")):
        enter(intervention, SMALL_2024)  # 2024Q1 and 2024Q2, submitted
        Budget.objects.create(intervention=intervention, year=2024, budget_sek=300000)
        goal = goal_create(
            intervention=intervention,
            data=GoalInput(year=2024, label=label, kind="step_progression", target=Decimal(50)),
        )
        survey_save(
            intervention=intervention,
            period_code="2024",
            group="participant_ongoing",
            data=_survey(question="p1", counts=(0, 1, 1, 1, 1, 1), blank=0),
        )
        job = ExportJob.objects.create(
            association=intervention.association,
            intervention=intervention,
            period="2024",
            format="csv",
            status="done",
            progress=100,
            filename=f"{intervention.pk}.csv",
            content=b"insats;nya\n",
        )
        activity = activity_create(
            intervention=intervention,
            data=ActivityInput(date=dt.date(2024, 3, 1), title="Nätverksträff", kind="network", attendees=10),
        )
        targets[key] = Target(intervention=intervention, goal=goal, export_job=job, activity=activity)
    for association in (a, b):
        survey_save(
            association=association,
            period_code="2024",
            group="board",
            data=_survey(question="b12", counts=(0, 0, 1, 1, 1, 2)),
        )
        survey_save(
            association=association,
            period_code="2024",
            group="managers",
            data=_survey(question="m12", counts=(0, 0, 1, 1, 1, 2)),
        )
        national_averages_set(association=association, year=2024, values={"p1": 70})
    users = {
        "staff_a": MembershipFactory(association=a, role="staff").user,
        "viewer_a": MembershipFactory(association=a, role="viewer").user,
        "coordinator_a": MembershipFactory(association=a, intervention=a1, role="coordinator").user,
        "staff_b": MembershipFactory(association=b, role="staff").user,
        "viewer_b": MembershipFactory(association=b, role="viewer").user,
        "coordinator_b": MembershipFactory(association=b, intervention=b1, role="coordinator").user,
    }
    assert not Membership.objects.filter(user=users["coordinator_a"], intervention=a2).exists()
    tokens = {name: api_token_create(user=user, name="matris")[1] for name, user in users.items()}
    revocable, _secret = api_token_create(user=users["coordinator_a"], name="Att återkalla")
    member_create(association=a, name="Ankarsrums kommun", kind="municipality")
    upload = FileUpload.objects.create(user=users["coordinator_a"])
    FileUploadPart.objects.create(upload=upload, position=0, name="a.csv", content=csv_body(a1).encode())
    return World(a=a, b=b, targets=targets, users=users, tokens=tokens, revocable_token=revocable, upload=upload)


def csv_body(intervention) -> str:
    return f"{';'.join(CSV_HEADER)}\n{intervention.pk};2024Q3;new;;1;0;0;\n"


# --- filling path parameters ------------------------------------------------------------------
def _owner_segment(route: str, param: str) -> str:
    """The nearest plain path segment before ``param``: ``interventions`` in
    ``interventions/{id}/`` and in ``interventions/{id}/surveys/{period}/{group}/``' owner of
    ``id``; for ``group`` there it is ``surveys``, so the owner is looked up further back."""
    before = re.split(r"[{<]" + r"(?:\w+:)?" + re.escape(param) + r"[}>]", route)[0]
    segments = [s for s in before.split("/") if s and not PARAM.search(s)]
    return segments[-1] if segments else ""


def _collection(route: str, param: str) -> str:
    """The collection the route is under: ``interventions`` or ``associations`` (or their
    Swedish web names) for every parameter of ``interventions/{id}/surveys/{period}/{group}/``."""
    before = re.split(r"[{<]" + r"(?:\w+:)?" + re.escape(param) + r"[}>]", route)[0]
    owners = [s for s in before.split("/") if s in INTERVENTION_SEGMENTS | ASSOCIATION_SEGMENTS]
    return owners[-1] if owners else ""


INTERVENTION_SEGMENTS = {"interventions", "insats", "insatser"}
ASSOCIATION_SEGMENTS = {"associations", "forbund"}


def _home_municipality(world: World):
    return Dimension.objects.get(association=world.a, code="home_municipality")


def _catalog_entry(world: World, route: str) -> int:
    """An entry of A in the catalog the route is about."""
    if "kategorier" in route:
        return _home_municipality(world).categories.get(code="unknown").pk
    if "bakgrundsvariabler" in route:
        return _home_municipality(world).pk
    if "enkatfragor" in route:
        return SurveyQuestion.objects.filter(association=world.a, group="staff").order_by("pk").first().pk
    if "matt" in route:
        return Measure.objects.get(association=world.a, code="work_training").pk
    return ExitReason.objects.get(association=world.a, code="employment").pk


CATALOG_PARAMS = {
    "member_id": lambda world, route: Member.objects.get(association=world.a).pk,
    "person_id": lambda world, route: world.users["coordinator_a"].pk,
    "token_id": lambda world, route: world.revocable_token.pk,
    "dimension_id": lambda world, route: _home_municipality(world).pk,
    "entry_id": _catalog_entry,
    "category_id": lambda world, route: _catalog_entry(world, "kategorier"),
}
CATALOG_API = {
    "exit-reasons": lambda world, route: _catalog_entry(world, "avslutsorsaker"),
    "dimensions": lambda world, route: _catalog_entry(world, "bakgrundsvariabler"),
    "survey-questions": lambda world, route: _catalog_entry(world, "enkatfragor"),
}


def parameter_values(world: World, route: str, param: str, target: str) -> list[str] | None:
    """Every value ``param`` of ``route`` is asked with, for ``target``; None when unknown."""
    t = world.target(target)
    owner = _owner_segment(route, param)
    is_report = "reports/" in route or route.startswith("insatser/")
    by_name = {
        "intervention_id": [t.intervention.pk],
        "association_id": [world.a.pk],
        "goal_id": [t.goal.pk],
        "activity_id": [t.activity.pk],
        "job_id": [t.export_job.pk],
        "year": [2024],
        "period": ["2024Q1" if is_report else "2024"],
        "action": ["recall", "approve", "reopen"],
        "chart": ["exits"],
        "upload_id": [world.upload.pk],
    }
    if param in by_name:
        return [str(v) for v in by_name[param]]
    if param in ("id", "pk") and owner in INTERVENTION_SEGMENTS:
        return [str(t.intervention.pk)]
    if param in ("id", "pk") and owner in ASSOCIATION_SEGMENTS:
        return [str(world.a.pk)]
    if param == "pk" and owner == "api-nycklar":
        return [str(world.revocable_token.pk)]
    if param == "group" and _collection(route, param) in INTERVENTION_SEGMENTS:
        return ["participant_ongoing", "board", "managers"]
    if param == "group" and _collection(route, param) in ASSOCIATION_SEGMENTS:
        return ["board", "managers"]
    if param in CATALOG_PARAMS:
        return [str(CATALOG_PARAMS[param](world, route))]
    if param == "id" and owner in CATALOG_API:
        return [str(CATALOG_API[owner](world, route))]
    if param == "fmt" and "diagram/" in route:
        return ["svg", "png"]
    if param == "fmt" and "export." in route:
        return ["csv", "xlsx", "pdf", "docx"]
    return None


# --- the routes -------------------------------------------------------------------------------
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\{(?P<api>\w+)\}")


@dataclasses.dataclass(frozen=True)
class Route:
    kind: str  # "api" or "web"
    method: str
    route: str  # the schema's path or Django's route string

    @property
    def id(self) -> str:
        return f"{self.kind} {self.method} {self.route or '/'}"

    @property
    def params(self) -> list[str]:
        return [m["name"] or m["api"] for m in PARAM.finditer(self.route)]

    def url(self, values: dict) -> str:
        def fill(match):
            return values[match["name"] or match["api"]]

        path = PARAM.sub(fill, self.route)
        return path if self.kind == "api" else "/" + path


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def url_patterns() -> list[tuple[str, URLPattern]]:
    return list(_walk(get_resolver().url_patterns))


def is_api(route: str) -> bool:
    """Under ``/api/`` (the schema's operations), not the web page ``/api-nycklar/``."""
    return re.match(r"\^?api(?:/|\(|$)", route) is not None


def web_routes() -> list[Route]:
    routes = []
    for route, _pattern in url_patterns():
        if is_api(route):
            continue  # the API: the schema's operations below
        if any(route.startswith(prefix) for prefix in EXCLUDED_WEB):
            continue
        routes += [Route("web", method, route) for method in WEB_METHODS]
    return routes


def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def api_routes() -> list[Route]:
    return [
        Route("api", method.upper(), path)
        for path, operations in schema()["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    ]


ROUTES = api_routes() + web_routes()


# --- asking -----------------------------------------------------------------------------------
@dataclasses.dataclass
class Tally:
    requests: int = 0
    leaks: list = dataclasses.field(default_factory=list)
    routes: set = dataclasses.field(default_factory=set)


@pytest.fixture(scope="module")
def tally(request):
    found = Tally()
    yield found
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    line = f"access matrix: {found.requests} requests, {len(found.routes)} routes, {len(found.leaks)} leaks"
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_line(line)
            for leak in found.leaks:
                reporter.write_line(f"  leak: {leak}")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the module; every request below is rolled back, so it stays as built."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


def client_for(world: World, kind: str, user: str):
    if kind == "api":
        client = APIClient()
        if user != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[user]}")
        return client
    client = Client()
    if user != "anonymous":
        client.force_login(world.users[user])
    return client


def expected_class(entry: dict, user: str, has_object: bool, target: str) -> str:
    if target == "ungranted":
        return entry.get("ungranted", HIDDEN)
    if user in INSIDERS:
        return entry[INSIDERS[user]]
    if user == "anonymous":
        return "sign-in"  # 401 from the API, the sign-in page on the web (see verdict())
    default = entry.get("outsider", HIDDEN if has_object else ALLOW)
    return entry.get(f"outsider_{OUTSIDERS[user]}", default)


def verdict(kind: str, expected: str, user: str, response) -> str | None:
    """What is wrong with the answer, or None."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if user == "anonymous":
        if kind == "api":
            if status != 401:
                return f"expected 401, got {status}"
            return None if response.json()["errors"][0]["code"] else "401 without an error code"
        if status == 302 and response["Location"].startswith(reverse("login")):
            return None
        return f"expected a redirect to the sign-in page, got {status} {response.get('Location', '')}"
    if expected == ALLOW:
        return None if status not in (401, 403, 404, 405) else f"expected access, got {status}"
    if expected == HIDDEN_OR_ALLOW:
        return None if status not in (401, 403, 405) else f"expected 404 or access, got {status}"
    if status not in EXPECTED_STATUS[expected]:
        return f"expected {expected}, got {status}"
    if kind == "api" and status in (403, 404) and not response.json()["errors"][0]["code"]:
        return f"{status} without an error code"
    return None


def body_text(response) -> str:
    content = getattr(response, "content", None)
    if content is None:  # a streaming response
        content = b"".join(response.streaming_content)
    return content.decode("utf-8", errors="ignore")


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def unmasked(text: str) -> str:
    """The answer without its CSRF token, which Django masks anew on every page (the 404 page has
    the header's sign-out form): two 404 pages differ in nothing a person could tell apart."""
    return CSRF_TOKEN.sub('name="csrfmiddlewaretoken"', text)


OBJECT_PARAMS = ("intervention_id", "association_id", "goal_id", "job_id", "id", "pk")


def ghost_value(param: str) -> str:
    """An id no object has, to compare a refusal with the answer for something that does not exist."""
    return "00000000-0000-4000-8000-000000000000" if param == "job_id" else "999999999"


def cases(world: World, route: Route):
    """(target, variant, url, ghost url) for every value combination of the route's parameters,
    for the granted objects and, when the route names an intervention, the ungranted one. The
    ghost URL names objects that do not exist (None when the route names no object)."""
    targets = ["granted"]
    uses_intervention = any(
        p == "intervention_id" or (p in ("id", "pk") and _owner_segment(route.route, p) in INTERVENTION_SEGMENTS)
        for p in route.params
    )
    if uses_intervention or any(p in ("goal_id", "job_id") for p in route.params):
        targets.append("ungranted")
    missing = [p for p in route.params if parameter_values(world, route.route, p, "granted") is None]
    assert not missing, (
        f"add a value for parameter {', '.join(missing)} of route {route.route!r} to parameter_values() "
        "in tests/test_access_matrix.py"
    )
    query = QUERIES.get(route.route, "")
    for target in targets:
        combinations = [({}, [])]
        if route.route in FILE_BODY_ROUTES:
            combinations = [({}, [f"body={kind}"]) for kind in BODY_KINDS]
        for param in route.params:
            values = parameter_values(world, route.route, param, target)
            combinations = [
                ({**filled, param: value}, variant + ([f"{param}={value}"] if len(values) > 1 else []))
                for filled, variant in combinations
                for value in values
            ]
        for filled, variant in combinations:
            ghost = {p: ghost_value(p) if p in OBJECT_PARAMS else v for p, v in filled.items()}
            ghost_url = route.url(ghost) + query if ghost != filled else None
            yield target, variant, route.url(filled) + query, ghost_url


def policy_entry(route: Route, variant: list[str]) -> dict:
    entry = POLICY.get((route.method, route.route))
    assert entry is not None, (
        f"add a POLICY entry for ({route.method!r}, {route.route!r}) in tests/test_access_matrix.py: "
        "who may read and write it (a rule(staff, viewer, coordinator) such as READ_ALL or WRITE_STAFF)"
    )
    if "staff" in entry:
        return entry
    keys = [v for v in variant if v in entry]
    assert keys, f"add a POLICY entry for ({route.method!r}, {route.route!r}) with {' or '.join(variant)}"
    return entry[keys[0]]


# Routes that take files as bodies too, and the kinds of body they are asked with.
FILE_BODY_ROUTES = {"/api/v1/imports/"}
BODY_KINDS = ("json", "xlsx", "csv")


def file_body(world: World, kind: str) -> tuple[bytes, str]:
    """A template of A's granted intervention, or the long CSV naming it."""
    a1 = world.target("granted").intervention
    if kind == "xlsx":
        return template_xlsx(intervention=a1, year=2024), XLSX_TYPE
    return csv_body(a1).encode(), CSV_TYPE


def ask(world: World, route: Route, user: str, url: str, variant=()):
    """One request, rolled back afterwards: (response, body text)."""
    client = client_for(world, route.kind, user)
    with transaction.atomic():
        kind = next((v.removeprefix("body=") for v in variant if v.startswith("body=")), "json")
        if route.kind == "api" and kind != "json":
            content, content_type = file_body(world, kind)
            response = client.post(url, content, content_type=content_type)
        elif route.kind == "api":
            body = api_body(world, route.method, route.route)
            response = getattr(client, route.method.lower())(url, body, format="json")
        else:
            response = getattr(client, route.method.lower())(url, WEB_BODIES.get(route.route, {}))
        text = body_text(response)
        transaction.set_rollback(True)
    return response, text


# Who is also asked for objects that do not exist, to see that a refusal gives nothing away.
GHOST_ASKERS = {"granted": "staff_b", "ungranted": "coordinator_a"}


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[r.id for r in ROUTES])
def test_every_route_answers_each_person_only_what_they_may_see(world, tally, route):
    tally.routes.add((route.kind, route.route))
    has_object = any(p in OBJECT_PARAMS for p in route.params)
    problems = []

    def leak(text):
        problems.append(text)
        tally.leaks.append(text)

    for target, variant, url, ghost_url in cases(world, route):
        entry = policy_entry(route, variant)
        users = ["coordinator_a"] if target == "ungranted" else USERS
        for user in users:
            expected = expected_class(entry, user, has_object, target)
            response, text = ask(world, route, user, url, variant)
            tally.requests += 1
            where = f"{route.method} {url} as {user}" + (" (intervention not granted)" if target == "ungranted" else "")
            wrong = verdict(route.kind, expected, user, response)
            if wrong and expected in (HIDDEN, FORBIDDEN) and response.status_code < 400:
                leak(f"{where}: {wrong}")
            elif wrong and expected == HIDDEN and response.status_code == 403:
                leak(f"{where}: {wrong} (a 403 tells that it exists)")
            elif wrong:
                problems.append(f"{where}: {wrong}")
            named = [secret for secret in world.secrets_for(user) if secret in text]
            if named:
                leak(f"{where}: the answer ({response.status_code}) names {named}")
            if expected == HIDDEN and ghost_url and user == GHOST_ASKERS[target]:
                ghost, ghost_text = ask(world, route, user, ghost_url, variant)
                tally.requests += 1
                if (ghost.status_code, unmasked(ghost_text)) != (response.status_code, unmasked(text)):
                    leak(
                        f"{where}: answers {response.status_code} {text[:120]!r}, but {ghost_url} (no such "
                        f"object) answers {ghost.status_code} {ghost_text[:120]!r}"
                    )
    assert not problems, "\n".join(problems)


# --- the matrix covers everything -------------------------------------------------------------
def test_every_api_route_is_an_operation_of_the_schema_or_left_out_for_a_stated_reason():
    covered = set()
    for path in schema()["paths"]:
        covered.add(resolve(PARAM.sub("2024", path)).url_name)  # 2024 fits every converter
    for route, pattern in url_patterns():
        if is_api(route):
            assert pattern.name in covered or pattern.name in EXCLUDED_API, (
                f"the API route {route!r} ({pattern.name}) is not in the OpenAPI schema: serve it there, "
                "or list it in EXCLUDED_API of tests/test_access_matrix.py with the reason"
            )


def test_the_matrix_asks_the_operations_of_the_schema_the_service_serves(db, world):
    client = client_for(world, "api", "staff_a")
    served = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = {(m.upper(), p) for p, ops in served["paths"].items() for m in ops}
    assert operations == {(r.method, r.route) for r in ROUTES if r.kind == "api"}


def test_every_policy_entry_is_a_route_that_exists():
    routes = {(r.method, r.route) for r in ROUTES}
    stale = [key for key in POLICY if key not in routes]
    assert not stale, f"remove or rename these POLICY entries, no such route: {stale}"


def test_a_route_without_a_policy_entry_fails_and_says_what_to_add():
    new = Route("api", "GET", "/api/v1/interventions/{intervention_id}/meetings/")
    with pytest.raises(AssertionError, match=r"add a POLICY entry for \('GET', '/api/v1/interventions/"):
        policy_entry(new, [])


def test_a_route_whose_parameter_it_cannot_fill_fails_and_says_what_to_add(db, world):
    new = Route("web", "GET", "resultat/insatser/<int:intervention_id>/natverk/<int:meeting_id>/")
    with pytest.raises(AssertionError, match="add a value for parameter meeting_id of route"):
        list(cases(world, new))


def test_the_names_it_looks_for_are_shown_to_those_who_may_see_them(db, world):
    """The leak check looks for names as the pages and the API write them: they are there for
    the people who may see them, so their absence elsewhere means something."""
    staff_page = ask(world, Route("web", "GET", ""), "staff_a", "/")[1]
    coordinator_page = ask(world, Route("web", "GET", ""), "coordinator_a", "/")[1]
    staff_api = ask(world, Route("api", "GET", "/api/v1/interventions/"), "staff_a", "/api/v1/interventions/")[1]
    assert A1_NAME in staff_page and A2_NAME in staff_page
    assert A1_NAME in coordinator_page and A2_NAME not in coordinator_page
    assert A1_NAME in staff_api and A2_NAME in staff_api
