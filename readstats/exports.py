"""The page's tables as XLSX or CSV (``kb_portal.spreadsheets``: text that a
spreadsheet would run as a formula stays text): the top and least-read
articles, sections, offices, search queries. Numbers rounded as on the page."""

from django.utils import timezone
from django.utils.translation import gettext as _

from kb_portal.spreadsheets import csv_value, tables_to_csv, tables_to_xlsx


def heading():
    return _("Аналитика чтения базы знаний")


def caveat():
    return _(
        "Просмотры считаются по подразделениям читателей и дням, никогда — по людям: "
        "кто именно читал, не записывается."
    )


def _r(value, digits=1):
    return None if value is None else round(value, digits)


def description(report, *, where, section):
    return [
        (_("Период"), report.filters.label),
        (_("Подразделения"), where),
        (_("Раздел"), section),
        (_("Просмотров"), report.total_views),
        (_("Сотрудников"), report.staff),
        (_("Просмотров на 100 сотрудников"), _r(report.per_100)),
        (_("Выгружено"), timezone.localtime().strftime("%d.%m.%Y %H:%M")),
        (_("Важно"), caveat()),
    ]


def tables(report):
    article_headers = [
        _("Материал"),
        _("Раздел"),
        _("Просмотров"),
        _("На 100 сотрудников"),
        _("Адрес"),
    ]

    def articles(rows):
        return [[r.title, r.section, r.views, _r(r.per_100), r.url] for r in rows]

    office_rows = [
        [r.depth + 1, r.title, r.own_views, r.views, r.staff, _r(r.per_100)] for r in report.offices
    ]
    if report.without_office is not None:
        w = report.without_office
        office_rows.append(["", _("Без подразделения"), w.views, w.views, w.staff, _r(w.per_100)])
    query_headers = [_("Запрос"), _("Поисков"), _("С переходом"), _("Переходы, %"), _("Найдено")]

    def queries(rows):
        return [[r.query, r.searches, r.clicked, _r(r.click_through), r.results] for r in rows]

    search = report.search
    return [
        (_("Читают чаще всего"), article_headers, articles(report.top)),
        (_("Читают реже всего"), article_headers, articles(report.least)),
        (
            _("Разделы"),
            [_("Раздел"), _("Просмотров"), _("Доля, %"), _("Опубликовано материалов")],
            [[r.title, r.views, _r(r.share), r.articles] for r in report.sections],
        ),
        (
            _("Подразделения"),
            [
                _("Уровень"),
                _("Подразделение"),
                _("Просмотров своих сотрудников"),
                _("Просмотров с входящими"),
                _("Сотрудников с входящими"),
                _("На 100 сотрудников"),
            ],
            office_rows,
        ),
        (
            _("Поиск"),
            query_headers,
            [
                [_("Все запросы"), search.searches, search.clicked, _r(search.click_through), ""],
                *queries(search.top),
            ],
        ),
        (_("Поиск без переходов"), query_headers, queries(search.unopened)),
    ]


def to_xlsx(report, described):
    return tables_to_xlsx(heading(), described, tables(report), first_sheet=_("Отчёт"))


def to_csv(report, described):
    return tables_to_csv(heading(), described, tables(report), cell=csv_value)
