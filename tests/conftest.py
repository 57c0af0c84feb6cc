import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

from outcomes.counts import Counts
from outcomes.tallies.services import ReportInput
from tests.factories import AssociationFactory, InterventionFactory, MembershipFactory

# Hypothesis's per-example deadline (200 ms) is a timed assertion: on a shared two-core machine a
# pure property test failed once for being slow, not wrong. Examples are never timed here.
hypothesis_settings.register_profile("finsam", deadline=None)
hypothesis_settings.load_profile("finsam")


def pytest_report_header(config):
    broker = settings.CELERY_BROKER_URL or "none (tasks eager; integration tests deselected)"
    return [f"database: {settings.DATABASES['default']['ENGINE']}", f"celery broker: {broker}"]


def pytest_collection_modifyitems(config, items):
    """Integration tests need a broker and a shared database; without them they are deselected."""
    if settings.CELERY_BROKER_URL and settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    selected = [item for item in items if "integration" not in item.keywords]
    deselected = [item for item in items if "integration" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture
def association(db):
    return AssociationFactory()


@pytest.fixture
def intervention(association):
    return InterventionFactory(association=association)


@pytest.fixture
def staff(association):
    """A member of the association's staff."""
    return MembershipFactory(association=association, role="staff").user


@pytest.fixture
def coordinator(intervention):
    """A coordinator granted ``intervention``."""
    return MembershipFactory(association=intervention.association, intervention=intervention, role="coordinator").user


@pytest.fixture
def outsider(db):
    """Staff of another association: sees nothing of ours."""
    return MembershipFactory(role="staff").user


@pytest.fixture
def teammate_intervention(association):
    """Another intervention of the same association, not granted to ``coordinator``."""
    return InterventionFactory(association=association, name="Annan insats")


def report_input(*, start=(0, 0, 0), new=(0, 0, 0), exits=None, spent_sek=0, comment="", unknown_new=True):
    """A report body. ``exits`` maps reason code to (women, men, other); single-valued
    dimensions get all new participants as ``unknown`` unless ``unknown_new`` is False.
    """
    exits = exits or {}
    new_counts = Counts(*new)
    breakdowns = {}
    if unknown_new:
        for dimension in (
            "age_band",
            "education",
            "income_source",
            "time_on_support",
            "uvas",
            "referrer",
            "home_municipality",
        ):
            breakdowns[dimension] = {"unknown": new_counts}
    return ReportInput(
        ongoing_at_start=Counts(*start),
        new=new_counts,
        exits_by_reason={code: Counts(*c) for code, c in exits.items()},
        breakdowns=breakdowns,
        spent_sek=spent_sek,
        comment=comment,
    )


# --- web forms (issue 3): every test starts with an empty cache (sign-in throttle counts) -------
@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield


# --- live server for the browser tests -----------------------------------------------------------
# Django's live server answers each request in a thread of its own, but with the in-memory SQLite
# database every thread shares the test's one connection: a browser fetching a page and its
# charts at once then fails with "cannot start a transaction within a transaction". Requests are
# answered one at a time instead (Django closes each connection of a non-threaded server, so a
# browser's idle keep-alive connection cannot block the next request).
from django.core.servers.basehttp import WSGIServer  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402


class SerialWSGIServer(WSGIServer):
    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = SerialWSGIServer
