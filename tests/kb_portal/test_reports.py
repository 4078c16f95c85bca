"""«Отчёты»: one page lists the reports a person may open, each of which
opens for them; the main menu has one link to it."""

import pytest

from people import roles
from tests.factories import make_user

REPORT_URLS = {
    "/dashboards/cx/",
    "/cases/",
    "/dashboards/knowledge/",
    "/mandatory/report/",
    "/contributions/health/",
    "/dashboards/reading/",
    "/onboarding/progress/",
}


def _listed(client):
    from kb_portal.reports import REPORTS

    html = client.get("/reports/").content.decode()
    return {report.url for report in REPORTS if f'href="{report.url}"' in html}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (roles.EDITOR, {"/mandatory/report/", "/contributions/health/", "/dashboards/reading/"}),
        (
            roles.WORKING_GROUP,
            {"/dashboards/cx/", "/cases/", "/dashboards/knowledge/", "/mandatory/report/"}
            | {"/dashboards/reading/", "/onboarding/progress/"},
        ),
        (
            roles.MANAGER,
            {"/dashboards/cx/", "/cases/", "/dashboards/knowledge/", "/mandatory/report/"}
            | {"/dashboards/reading/", "/onboarding/progress/"},
        ),
        (roles.ADMINISTRATOR, REPORT_URLS),
    ],
)
def test_each_role_sees_the_reports_that_open_for_it(client, db, role, expected):
    client.force_login(make_user(role=role))
    assert _listed(client) == expected
    for url in expected:
        assert client.get(url).status_code == 200, url
    for url in REPORT_URLS - expected:
        assert client.get(url).status_code == 403, url


def test_staff_have_no_reports_and_no_menu_link(client, db):
    client.force_login(make_user(role=roles.STAFF))
    assert client.get("/reports/").status_code == 403
    assert 'href="/reports/"' not in client.get("/").content.decode()


def test_the_menu_links_to_the_reports_and_marks_them_current(client, db):
    client.force_login(make_user(role=roles.MANAGER))
    assert 'href="/reports/"' in client.get("/").content.decode()
    html = client.get("/mandatory/report/").content.decode()
    assert '<a href="/reports/" aria-current="page">Отчёты</a>' in html
