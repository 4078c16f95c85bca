"""Exports of what the dashboard shows: XLSX and CSV, safe to open in a spreadsheet."""

import csv
import io

import pytest
from openpyxl import load_workbook

from kb_portal.spreadsheets import formula_safe
from tests.dashboards.factories import BAD, GOOD, responses, save

QUERY = "?period=month&month=2026-03"


@pytest.fixture
def data(region):
    region["south"].title = '=HYPERLINK("http://evil.example/","Южный")'
    region["south"].save()
    save(
        responses(region["first"], 30, **GOOD),
        responses(region["first"], 10, **BAD, comment='=HYPERLINK("http://evil.example/","жми")'),
        responses(region["south"], 5, **GOOD, comment="+7 999 звонили, @всем -спасибо"),
    )
    return region


def test_xlsx_opens_and_has_the_shown_numbers(manager_client, data):
    page = manager_client.get(f"/dashboards/cx/{QUERY}").context["report"]
    response = manager_client.get(f"/dashboards/cx/export.xlsx{QUERY}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="cx-index-2026-03-2026-03.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert "Итоги" in book.sheetnames and "Подразделения" in book.sheetnames
    summary = {row[0]: row[1:] for row in book["Итоги"].iter_rows(values_only=True)}
    # (30 good + 5 good)/45 = 77.78 → 77.8, as on the page
    assert summary["Индекс клиентоцентричности"][0] == round(page.cx.value, 1) == 77.8
    assert summary["Ответов"][0] == 45
    offices = list(book["Подразделения"].iter_rows(values_only=True))
    assert offices[1][:3] == (1, "Северный отдел", 75.0)
    cover = list(book["Срез"].iter_rows(values_only=True))
    assert ("Период", "март 2026") in [row[:2] for row in cover]


def test_formulas_in_titles_and_comments_are_neutralised(manager_client, data):
    response = manager_client.get(f"/dashboards/cx/export.xlsx{QUERY}")
    book = load_workbook(io.BytesIO(response.content))
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    comments = [row[-1] for row in book["Комментарии"].iter_rows(min_row=2, values_only=True)]
    # In XLSX the text is a string cell, exactly as typed: no apostrophe to see.
    assert '=HYPERLINK("http://evil.example/","жми")' in comments
    assert "+7 999 звонили, @всем -спасибо" in comments
    titles = [row[1] for row in book["Подразделения"].iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://evil.example/","Южный")' in titles

    text = manager_client.get(f"/dashboards/cx/export.csv{QUERY}").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@")]
    assert '\'=HYPERLINK("http://evil.example/","жми")' in cells


def test_csv_is_for_russian_excel(manager_client, data):
    cx = manager_client.get(f"/dashboards/cx/{QUERY}").context["report"].cx
    response = manager_client.get(f"/dashboards/cx/export.csv{QUERY}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # Excel then reads UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = rows.index(["Показатель", "Значение", "95% ДИ, от", "95% ДИ, до", "Ответов"])

    def shown(value):  # one decimal, decimal comma, as on the page
        return f"{round(value, 1):.1f}".replace(".", ",")

    assert rows[header + 1] == [
        "Индекс клиентоцентричности",
        "77,8",
        shown(cx.low),
        shown(cx.high),
        "45",
    ]


def test_export_follows_the_filters(manager_client, data):
    north = data["north"].pk
    response = manager_client.get(f"/dashboards/cx/export.xlsx{QUERY}&office={north}")
    assert f"office-{north}" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1:] for row in book["Итоги"].iter_rows(values_only=True)}
    assert summary["Ответов"][0] == 40


def test_unknown_export_format_is_404(manager_client, data):
    assert manager_client.get("/dashboards/cx/export.pdf").status_code == 404


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7", "'+7"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("обычный текст", "обычный текст"),
        (-12.5, -12.5),
        (None, None),
    ],
)
def test_formula_safe(value, expected):
    assert formula_safe(value) == expected


def test_a_partial_period_is_named_so_in_the_export(manager_client, data, monkeypatch):
    import datetime as dt

    monkeypatch.setattr("dashboards.forms.today", lambda: dt.date(2026, 3, 20))
    response = manager_client.get(f"/dashboards/cx/export.xlsx{QUERY}")
    book = load_workbook(io.BytesIO(response.content))
    cover = dict(row[:2] for row in book["Срез"].iter_rows(values_only=True))
    assert cover["Период"] == "март 2026 (неполный период)"
    summary = {row[0]: row[1] for row in book["Итоги"].iter_rows(values_only=True)}
    assert summary["Изменение к предыдущему периоду, п. п."] is None
