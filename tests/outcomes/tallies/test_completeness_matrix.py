"""Staff's completeness matrix (issue 18): interventions × the quarters of a year, each report's
status and whether it came on time, the on-time share per quarter, and "Skicka påminnelse"."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outcomes.models import Intervention
from outcomes.tallies.services import report_save, report_submit
from tests.conftest import report_input
from tests.factories import PASSWORD, AssociationFactory, InterventionFactory, MembershipFactory
from tests.outcomes.tallies.webforms import signed_in

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 8, 1)  # Q1 and Q2 are past their deadline (15 days), Q3 is not yet due


@pytest.fixture(autouse=True)
def today():
    with mock.patch("outcomes.tallies.views._today", return_value=TODAY):
        yield


def submit(intervention, period, on):
    report = report_save(intervention=intervention, period_code=period, data=report_input(new=(1, 0, 0))).report
    report_submit(report=report)
    at = timezone.make_aware(dt.datetime(on.year, on.month, on.day, 12))
    type(report).objects.filter(pk=report.pk).update(submitted_at=at)


@pytest.fixture
def world(association):
    quarterly = InterventionFactory(association=association, name="Kvartalsinsats")
    monthly = InterventionFactory(association=association, name="Månadsinsats", frequency="month")
    new = InterventionFactory(association=association, name="Ny insats", start=dt.date(2024, 4, 1))
    submit(quarterly, "2024Q1", dt.date(2024, 4, 10))  # on time (deadline 15 April); Q2 missing
    submit(monthly, "2024M01", dt.date(2024, 2, 10))  # on time
    submit(monthly, "2024M02", dt.date(2024, 3, 20))  # late (deadline 15 March)
    submit(new, "2024Q2", dt.date(2024, 7, 20))  # late (deadline 15 July)
    return {"quarterly": quarterly, "monthly": monthly, "new": new}


def page(user, period="2024Q2") -> str:
    response = signed_in(user).get(
        reverse("completeness", args=[user.memberships.get().association_id]), {"period": period}
    )
    assert response.status_code == 200
    return response.content.decode()


def matrix_row(html: str, intervention) -> str:
    start = html.index(f'data-matrix-intervention="{intervention.pk}"')
    return html[start : html.index("</tr>", start)]


def cell(row: str, period: str) -> str:
    found = re.search(rf'data-period="{period}">(.*?)</a>', row, flags=re.S)
    assert found, f"no cell for {period}"
    return re.sub(r"<[^>]+>", " ", found.group(1)).split()


def cells(row: str) -> list[str]:
    return re.findall(r"<td>(.*?)</td>", row, flags=re.S)


def test_each_cell_shows_the_reports_status_by_its_label_and_whether_it_came_on_time(world, staff):
    html = page(staff)
    quarterly = matrix_row(html, world["quarterly"])
    assert cell(quarterly, "2024Q1") == ["inskickad", "i", "tid"]
    assert cell(quarterly, "2024Q2") == ["ej", "påbörjad", "försenad"]
    assert cell(quarterly, "2024Q3") == ["ej", "påbörjad", "ej", "förfallen"]
    monthly = matrix_row(html, world["monthly"])
    assert cell(monthly, "2024M01") == ["Januari", "2024", "inskickad", "i", "tid"]
    assert cell(monthly, "2024M02") == ["Februari", "2024", "inskickad", "sent"]
    assert cell(monthly, "2024M03") == ["Mars", "2024", "ej", "påbörjad", "försenad"]
    assert cell(monthly, "2024M07") == ["Juli", "2024", "ej", "påbörjad", "ej", "förfallen"]
    # A monthly intervention's quarter holds its three months, in order.
    first_quarter = cells(monthly)[0]
    assert re.findall(r'data-period="(\w+)"', first_quarter) == ["2024M01", "2024M02", "2024M03"]
    new = matrix_row(html, world["new"])
    assert "ingen rapport väntas" in cells(new)[0] and 'data-period="2024Q1"' not in new
    assert cell(new, "2024Q2") == ["inskickad", "sent"]
    # The headings are the year's quarters by their Swedish names.
    assert all(f'<th scope="col">Kvartal {n} 2024</th>' in html for n in (1, 2, 3, 4))


def test_the_footer_shows_each_quarters_on_time_share_with_numerator_and_denominator(world, staff):
    html = page(staff)
    footer = html[html.index('<tfoot><tr><th scope="row">I tid</th>') :]
    shares = re.findall(r'<td class="on-time-share">(.*?)</td>', footer)
    # Q1: Kvartalsinsats on time, January on time, February late, March overdue (Ny insats had not started).
    # Q2: Kvartalsinsats overdue, April–June overdue, Ny insats late. Q3 and Q4: nothing due yet.
    assert shares == ["50 % (2/4)", "0 % (0/5)", "–", "–"]


def test_the_matrix_shows_the_year_of_the_period_chosen(world, staff):
    html = page(staff, period="2023Q4")
    assert "Året 2023" in html and "Kvartal 1 2023" in html
    assert f'data-matrix-intervention="{world["new"].pk}"' not in html  # started 2024


def remind(user, intervention, period="2024Q2", client=None):
    client = client or signed_in(user)
    url = reverse("completeness_remind", args=[intervention.association_id, intervention.pk])
    return client.post(url, {"period": period})


def test_a_reminder_mails_the_interventions_coordinators_only_and_says_how_many(world, association, staff):
    monthly = world["monthly"]
    first = MembershipFactory(association=association, intervention=monthly, role="coordinator").user
    second = MembershipFactory(association=association, intervention=monthly, role="coordinator").user
    gone = MembershipFactory(association=association, intervention=monthly, role="coordinator").user
    gone.is_active = False
    gone.save()
    MembershipFactory(association=association, intervention=world["quarterly"], role="coordinator")
    client = signed_in(staff)
    response = remind(staff, monthly, client=client)
    assert response.status_code == 302
    assert response["Location"] == reverse("completeness", args=[association.pk]) + "?period=2024Q2"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    assert all(len(m.to) == 1 for m in mail.outbox)
    message = mail.outbox[0]
    assert message.subject == "Påminnelse: rapporter saknas för Månadsinsats"
    # Every month that has ended without a report, overdue ones marked; none that is in.
    assert "mars 2024, sista dag 2024-04-15 (försenad)" in message.body
    assert "juli 2024, sista dag 2024-08-15:" in message.body
    for month in ("april", "maj", "juni"):
        assert f"{month} 2024" in message.body
    assert "januari" not in message.body and "februari" not in message.body
    assert f"/insatser/{monthly.pk}/2024M03/" in message.body
    html = client.get(response["Location"]).content.decode()
    assert "Påminnelse skickad till 2 samordnare för Månadsinsats (5 saknade rapporter)." in html


def test_a_reminder_is_sent_also_when_the_automatic_reminders_are_off(world, association, staff):
    association.reminder_emails = False
    association.save()
    coordinator = MembershipFactory(association=association, intervention=world["quarterly"], role="coordinator").user
    remind(staff, world["quarterly"])
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "kvartal 2 2024, sista dag 2024-07-15 (försenad)" in mail.outbox[0].body


def test_without_missing_reports_or_coordinators_nothing_is_mailed_and_the_page_says_why(world, association, staff):
    MembershipFactory(association=association, intervention=world["new"], role="coordinator")
    client = signed_in(staff)
    response = remind(staff, world["new"], period="2024Q1", client=client)
    assert mail.outbox == []
    assert "Ny insats har inga saknade rapporter 2024" in client.get(response["Location"]).content.decode()
    response = remind(staff, world["quarterly"], client=client)
    assert mail.outbox == []
    assert "Kvartalsinsats har inga aktiva samordnare" in client.get(response["Location"]).content.decode()


def test_the_button_is_a_post_form_with_csrf_for_interventions_with_missing_reports(world, staff):
    html = page(staff)
    row = matrix_row(html, world["quarterly"])
    action = reverse("completeness_remind", args=[world["quarterly"].association_id, world["quarterly"].pk])
    assert f'<form method="post" action="{action}">' in row and "csrfmiddlewaretoken" in row
    assert "Skicka påminnelse" in row and "1 rapport saknas" in row
    client = Client(enforce_csrf_checks=True)
    client.login(username=staff.email, password=PASSWORD)
    assert remind(staff, world["quarterly"], client=client).status_code == 403
    assert mail.outbox == []


def test_others_than_the_associations_staff_cannot_send_reminders(world, association, staff):
    monthly = world["monthly"]
    coordinator = MembershipFactory(association=association, intervention=monthly, role="coordinator").user
    other_coordinator = MembershipFactory(
        association=association, intervention=world["quarterly"], role="coordinator"
    ).user
    viewer = MembershipFactory(association=association, role="viewer").user
    other = AssociationFactory()
    other_staff = MembershipFactory(association=other, role="staff").user
    other_intervention = InterventionFactory(association=other, name="Annans insats")
    MembershipFactory(association=other, intervention=other_intervention, role="coordinator")
    for user in (coordinator, other_coordinator, viewer, other_staff):
        assert remind(user, monthly).status_code == 404
    # Staff of one association cannot remind about another's intervention through their own.
    url = reverse("completeness_remind", args=[association.pk, other_intervention.pk])
    assert signed_in(staff).post(url, {"period": "2024Q2"}).status_code == 404
    assert signed_in(staff).get(reverse("completeness_remind", args=[association.pk, monthly.pk])).status_code == 405
    assert mail.outbox == []


def test_the_pages_query_count_does_not_grow_with_interventions(association, staff):
    def queries() -> int:
        client = signed_in(staff)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("completeness", args=[association.pk]), {"period": "2024Q2"}).status_code == 200
        return len(captured)

    for n in range(2):
        intervention = InterventionFactory(association=association, frequency="month" if n else "quarter")
        submit(intervention, "2024Q1" if not n else "2024M01", dt.date(2024, 2, 1))
    few = queries()
    for n in range(8):
        intervention = InterventionFactory(association=association, frequency="month" if n % 2 else "quarter")
        submit(intervention, "2024Q1" if not n % 2 else "2024M01", dt.date(2024, 2, 1))
    assert Intervention.objects.filter(association=association).count() == 10
    assert queries() == few
