"""The Word document's charts are drawn ahead of its request: after a counted report change
commits, a task draws them into the cache, so the download draws none and reads the same."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from reports import tasks
from reports.summaries import charts
from tests.factories import AssociationFactory
from tests.reports.exports.test_annual_report import paragraphs, word
from tests.reports.summaries.test_selectors import api_client
from tests.reports.summary_data import lekeberg

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(monkeypatch):
    """Counts the charts drawn (rendered to an image), not those taken from the cache."""
    calls = []
    render = charts.render

    def counting(figure, fmt, **kwargs):
        calls.append(fmt)
        return render(figure, fmt, **kwargs)

    monkeypatch.setattr(charts, "render", counting)
    return calls


def images(document):
    return [part.blob for part in document.part.package.image_parts]


def text(document):  # without the note of when it was made
    return [t for t in paragraphs(document) if not t.startswith("Skapad ")]


def test_after_a_report_is_saved_the_document_draws_no_chart_and_reads_the_same(
    association, staff, settings, drawn, django_capture_on_commit_callbacks
):
    settings.ANNUAL_CHARTS_WARM = True
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lekeberg(association)  # the year's reports saved and submitted
    assert len(drawn) == 6  # after the commits, for 2023 and 2024: the two trends and the exits each
    drawn.clear()
    client = api_client(staff)
    url = f"/api/v1/associations/{association.pk}/annual-report.docx?period=2024"
    warm = word(client.get(url))
    assert drawn == []
    cache.clear()
    cold = word(client.get(url))
    assert len(drawn) == 3
    assert len(images(warm)) == 3
    assert images(warm) == images(cold)
    assert text(warm) == text(cold)


def test_without_the_setting_a_saved_report_draws_nothing(
    association, settings, drawn, django_capture_on_commit_callbacks
):
    settings.ANNUAL_CHARTS_WARM = False
    with django_capture_on_commit_callbacks(execute=True):
        lekeberg(association)
    assert drawn == []


def test_a_burst_of_changes_queues_one_drawing_per_association_and_year(
    association, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.ANNUAL_CHARTS_WARM = True
    settings.ANNUAL_CHARTS_WARM_COUNTDOWN = 60
    queued = []
    monkeypatch.setattr(
        tasks.annual_report_charts_warm, "apply_async", lambda args, **options: queued.append((args, options))
    )
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lekeberg(association)  # eight quarters of 2023 and 2024, each saved and submitted
    assert sorted(args for args, _options in queued) == [(association.pk, 2023), (association.pk, 2024)]
    assert {options["countdown"] for _args, options in queued} == {60}
    tasks.annual_report_charts_warm(association.pk, 2024)  # the queued task runs: a change queues again
    assert cache.get(tasks.annual_charts_warm_key(association.pk, 2023)) is not None
    assert cache.get(tasks.annual_charts_warm_key(association.pk, 2024)) is None


def test_the_nightly_task_queues_every_associations_current_year(association, monkeypatch):
    other = AssociationFactory()
    queued = []
    monkeypatch.setattr(tasks.annual_report_charts_warm, "delay", lambda *args: queued.append(args))
    assert tasks.annual_report_charts_warm_all() == 2
    year = timezone.localdate().year
    assert sorted(queued) == sorted([(association.pk, year), (other.pk, year)])
