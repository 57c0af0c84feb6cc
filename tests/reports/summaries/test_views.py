import io
import re

import pytest
from openpyxl import load_workbook

from outcomes.models import Membership
from reports.models import ExportJob
from tests.factories import PASSWORD, MembershipFactory
from tests.reports.summary_data import lekeberg, small

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client):
    def login(user):
        assert client.login(email=user.email, password=PASSWORD)
        return client

    return login


def test_staff_see_every_intervention_with_gender_split_steps_and_last_year(association, staff, logged_in):
    lekeberg(association)
    small(association)
    response = logged_in(staff).get(f"/resultat/forbund/{association.pk}/?period=2024")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Coachingteamet Lekeberg" in html and "Unga vuxna" in html
    assert "14 (52\u00a0%)" in html  # women among Lekeberg's 27 participants
    assert "45 % (5/11)" in html
    assert "jmf 2023: 14" in html
    assert "2\u00a0403\u00a0500" in html
    assert "jmf 2023: 2\u00a0000\u00a0000" in html  # spent in 2023 beside 2024's
    assert "2 rapporter saknas ännu för perioden." in html  # Unga vuxna reported Q1 and Q2 only


def test_the_home_page_links_staff_to_the_results(association, staff, coordinator, logged_in):
    assert f"/resultat/forbund/{association.pk}/" in logged_in(staff).get("/").content.decode()
    assert "/resultat/forbund/" not in logged_in(coordinator).get("/").content.decode()


def test_a_coordinator_and_an_outsider_get_404_for_the_summary_pages(
    association, intervention, coordinator, outsider, client
):
    for user in (coordinator, outsider):
        client.force_login(user)
        assert client.get(f"/resultat/forbund/{association.pk}/?period=2024").status_code == 404
        assert client.get(f"/resultat/insatser/{intervention.pk}/?period=2024").status_code == 404
        assert client.get(f"/resultat/forbund/{association.pk}/export.xlsx?period=2024").status_code == 404


def test_a_bad_period_gives_a_swedish_message_and_changes_nothing(association, staff, logged_in):
    response = logged_in(staff).get(f"/resultat/forbund/{association.pk}/?period=2024Q7")
    assert response.status_code == 400
    assert "Ogiltig period ”2024Q7”" in response.content.decode()


def test_a_viewer_opens_an_intervention_with_tables_and_charts(association, logged_in):
    intervention = lekeberg(association)
    viewer = MembershipFactory(association=association, role="viewer").user
    client = logged_in(viewer)
    response = client.get(f"/resultat/insatser/{intervention.pk}/?period=2024")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Åter till remittent/anvisande part" in html
    assert "3 (60\u00a0%)" in html  # 3 of the 5 women who left went back to the referrer
    assert f"/resultat/insatser/{intervention.pk}/diagram/exits.svg?period=2024" in html
    svg = client.get(f"/resultat/insatser/{intervention.pk}/diagram/exits.svg?period=2024")
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"Avslutade per orsak, 2024" in svg.content and b"Kvinnor" in svg.content
    png = client.get(f"/resultat/insatser/{intervention.pk}/diagram/age_band.png?period=2024")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert client.get(f"/resultat/insatser/{intervention.pk}/diagram/nothing.png?period=2024").status_code == 404


def test_the_xlsx_is_downloaded_at_once_and_a_published_one_masks_small_counts(association, staff, logged_in):
    lekeberg(association)
    client = logged_in(staff)
    response = client.get(f"/resultat/forbund/{association.pk}/export.xlsx?period=2024")
    assert response.status_code == 200
    assert 'filename="sammanstallning-2024.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["Avslutsorsaker"]
    assert sheet["C4"].value == 1  # one woman to work, exact internally
    published = client.get(f"/resultat/forbund/{association.pk}/export.xlsx?period=2024&publicera=1")
    sheet = load_workbook(io.BytesIO(published.content))["Avslutsorsaker"]
    assert sheet["C4"].value == ".."


def test_a_pdf_runs_as_a_job_whose_page_shows_progress_and_then_the_file(
    association, staff, logged_in, django_capture_on_commit_callbacks
):
    intervention = lekeberg(association)
    client = logged_in(staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/resultat/insatser/{intervention.pk}/export.pdf?period=2024")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/resultat/export/{job.pk}/"
    waiting = client.get(response["Location"]).content.decode()
    assert "Filen skapas" in waiting and 'http-equiv="refresh"' in waiting
    assert client.get(f"/resultat/export/{job.pk}/fil/").status_code == 404
    for callback in callbacks:  # the worker picks the job up after the commit
        callback()
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)
    done = client.get(response["Location"]).content.decode()
    assert "coachingteamet-lekeberg-2024.pdf" in done and "refresh" not in done
    file = client.get(f"/resultat/export/{job.pk}/fil/")
    assert file["Content-Type"] == "application/pdf" and file.content.startswith(b"%PDF")


def test_another_associations_staff_cannot_fetch_an_export_job(association, staff, outsider, client):
    intervention = lekeberg(association)
    job = ExportJob.objects.create(association=association, intervention=intervention, period="2024", format="pdf")
    client.force_login(outsider)
    assert client.get(f"/resultat/export/{job.pk}/").status_code == 404
    assert Membership.objects.filter(user=outsider, association=association).count() == 0


def test_a_period_that_fits_no_intervention_never_says_all_reports_are_in(association, staff, logged_in):
    """Defect 6: 2024T2 of a quarterly intervention is refused; the page does not also claim that
    every report has come in, and its help text does not suggest a tertial as if it always fit."""
    lekeberg(association)
    html = logged_in(staff).get(f"/resultat/forbund/{association.pk}/?period=2024T2").content.decode()
    assert "hela kvartal" in html  # the refusal, beside the intervention
    assert "Alla rapporter för perioden har kommit in." not in html
    assert "Till exempel 2024, 2024H1, 2024Q3 eller 2024YTDQ3." in html
    assert "bara för insatser som rapporterar per månad" in html
    complete = logged_in(staff).get(f"/resultat/forbund/{association.pk}/?period=2024").content.decode()
    assert "Alla rapporter för perioden har kommit in." in complete


def test_chart_titles_keep_acronyms_and_the_legend_stays_clear_of_the_title(association, staff, logged_in):
    """Defect 15: headings said "(uvas)", and the exits chart's legend ran into its title."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from outcomes.periods import Period
    from reports.summaries import charts
    from reports.summaries.selectors import intervention_detail

    intervention = lekeberg(association)
    client = logged_in(staff)
    html = client.get(f"/resultat/insatser/{intervention.pk}/?period=2024").content.decode()
    assert "(UVAS)" in html and "(uvas)" not in html
    svg = client.get(f"/resultat/insatser/{intervention.pk}/diagram/uvas.svg?period=2024").content.decode()
    assert "Nya deltagare per unga som varken arbetar eller studerar (UVAS), 2024" in svg
    detail = intervention_detail(intervention=intervention, period=Period.parse("2024"))
    figure = charts.breakdown_chart(detail.exits, title="Avslutade per orsak, 2024")
    FigureCanvasAgg(figure).draw()
    renderer = figure.canvas.get_renderer()
    title = figure.axes[0].title.get_window_extent(renderer)
    legend = figure.legends[0].get_window_extent(renderer)
    assert not title.overlaps(legend)
    assert legend.y1 < figure.axes[0].get_window_extent(renderer).y0  # under the chart


def test_the_summary_opens_on_the_last_ended_quarter(association, staff, logged_in, monkeypatch):
    """Defect 13: the default period is one with data, the quarter that ended last."""
    import datetime as dt

    from reports.summaries import views

    monkeypatch.setattr(views.timezone, "localdate", lambda: dt.date(2024, 8, 20))
    lekeberg(association)
    html = logged_in(staff).get(f"/resultat/forbund/{association.pk}/").content.decode()
    assert 'value="2024Q2"' in html and "Period: kvartal 2 2024," in html


def test_the_summary_and_detail_tables_head_their_count_columns_with_the_three_genders(association, staff, logged_in):
    intervention = lekeberg(association)
    client = logged_in(staff)
    headings = "".join(f'<th scope="col" class="num">{g}</th>' for g in ("Kvinnor", "Män", "Annan/ej angivet"))
    for url in (
        f"/resultat/forbund/{association.pk}/?period=2024",
        f"/resultat/insatser/{intervention.pk}/?period=2024",
    ):
        assert headings in client.get(url).content.decode(), url


def test_the_summary_opens_on_the_last_ended_quarter_that_has_data(association, staff, logged_in, monkeypatch):
    """Defect 13: when the quarter that ended last has no reports yet, the summary opens on the
    latest ended quarter that has (drafts count only with "utkast=1"); the detail page likewise
    for its intervention; without any data, on the last ended quarter."""
    import datetime as dt

    from reports.summaries import views
    from tests.reports.summary_data import enter

    monkeypatch.setattr(views.timezone, "localdate", lambda: dt.date(2025, 5, 20))
    client = logged_in(staff)
    html = client.get(f"/resultat/forbund/{association.pk}/").content.decode()
    assert 'value="2025Q1"' in html and "Period: kvartal 1 2025," in html  # nothing reported at all
    intervention = lekeberg(association)  # 2023 and 2024
    other = small(association)  # 2024Q1 and Q2
    enter(other, {"2025Q1": {"new": (1, 0, 0)}}, submit=False)  # a draft in the last ended quarter
    enter(other, {"2025Q2": {"new": (1, 0, 0)}})  # the running quarter does not count
    html = client.get(f"/resultat/forbund/{association.pk}/").content.decode()
    assert 'value="2024Q4"' in html and "Period: kvartal 4 2024," in html
    html = client.get(f"/resultat/forbund/{association.pk}/?utkast=1").content.decode()
    assert 'value="2025Q1"' in html
    html = client.get(f"/resultat/insatser/{other.pk}/").content.decode()
    assert 'value="2024Q2"' in html
    html = client.get(f"/resultat/insatser/{intervention.pk}/").content.decode()
    assert 'value="2024Q4"' in html


def test_goals_have_their_own_table_one_row_per_goal(association, staff, logged_in):
    """Defect 13: goals no longer share one cell of the summary table (rows 350 px tall)."""
    from tests.reports.goals.test_selectors import step_goal

    intervention = lekeberg(association)
    step_goal(intervention)
    small(association)
    html = logged_in(staff).get(f"/resultat/forbund/{association.pk}/?period=2024").content.decode()
    main_table = html[html.index('<table class="summary">') : html.index("</table>")]
    assert "Mål" not in main_table and 'class="goals"' not in main_table
    # Budget, missing reports and step progression's heading take no column of their own.
    assert "Förbrukat av beviljat (kr)" in main_table and "av 2\xa0403\xa0500 (98\xa0%)" in main_table
    assert "Steg&shy;förflyttning</th>" in main_table
    goals = html[html.index('<table class="summary summary-goals">') :]
    goals = goals[: goals.index("</table>")]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td>", goals)
    assert rows == [("Coachingteamet Lekeberg", intervention.goals.get().label)]
