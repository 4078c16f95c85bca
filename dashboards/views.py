from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards import exports, selectors
from dashboards.cx import GROUP_CODES, GROUP_RULES, GROUP_TITLES
from dashboards.forms import CxFilterForm, PeriodKind, month_label, month_short
from dashboards.svg import bar_chart, fmt, line_chart
from feedback.models import Channel, ClientGroup, ClientType
from people.roles import can_view_cx_dashboard


def _require_dashboard(request):
    if not can_view_cx_dashboard(request.user):
        raise PermissionDenied


def _build(request):
    """The filter form and the report for the request's GET parameters."""
    tree = selectors.OfficeTree(selectors.offices_all())
    stamp, latest = selectors.data_stamp()
    latest = latest or timezone.localdate().replace(day=1)
    if request.GET:
        form = CxFilterForm(request.GET, offices=tree.offices)
        form.is_valid()
    else:
        form = CxFilterForm(
            offices=tree.offices,
            initial={"period": PeriodKind.QUARTER, "month": f"{latest:%Y-%m}"},
        )
    filters = form.filters(default_month=latest)
    parts = f"{filters.cache_key()}|{latest}|{tree.token}"
    report = selectors.cached(
        "report", stamp, parts, lambda: selectors.cx_report(filters, tree, latest_month=latest)
    )
    # The rendered figures depend on exactly what the report does: the page
    # caches that fragment under the same key.
    report.cache_key = selectors.cache_key("report", stamp, parts)
    return form, report


def _labels(filters):
    """(name, value) of the chosen client type, group and channel, for exports."""
    return [
        (_("Тип клиента"), dict(ClientType.choices).get(filters.client_type, _("все"))),
        (_("Группа клиентов"), dict(ClientGroup.choices).get(filters.client_group, _("все"))),
        (_("Канал"), dict(Channel.choices).get(filters.channel, _("все"))),
    ]


def cx_dashboard(request):
    """The CX index for the chosen slice, with its breakdowns (managers)."""
    _require_dashboard(request)
    form, report = _build(request)
    filters = report.filters
    period = filters.period
    for row in report.offices:
        if not row.own:
            row.url = "?" + urlencode(filters.query(office=row.key))
    prev_period, next_period = period.previous(), period.following()
    query = urlencode(filters.query())
    context = {
        "form": form,
        "report": report,
        "filters": filters,
        "query": query,
        "region_url": "?" + urlencode(filters.query(office="")),
        "ancestor_links": [
            (office, "?" + urlencode(filters.query(office=office.pk)))
            for office in report.ancestors
        ],
        "prev_url": "?" + urlencode(filters.query(**prev_period.query())),
        "next_url": (
            "?" + urlencode(filters.query(**next_period.query()))
            if next_period.start <= report.latest_month
            else None
        ),
        "prev_label": prev_period.label,
        "next_label": next_period.label,
        # Callables: the template draws them only when its cached fragment misses.
        "groups_chart": lambda: _groups_chart(report),
        "trend_chart": lambda: _trend_chart(report),
        "heat_months": [(month_short(m), month_label(m)) for m in report.trend_months],
        "method": _method(),
        "min_responses": settings.CX_MIN_RESPONSES,
        "comments_limit": selectors.COMMENTS_LIMIT,
        "cache_seconds": selectors.CACHE_SECONDS,
        "csat_target": settings.CSAT_TARGET,
        "index_target": settings.CX_INDEX_TARGET,
        "indicator_codes": selectors.OperationalIndicator.Code.choices,
        "has_indicators": any(row.indicators for row in report.offices),
    }
    return render(request, "dashboards/cx.html", context)


def cx_export(request, file_format):
    """What the dashboard shows for the same GET parameters, as XLSX or CSV."""
    _require_dashboard(request)
    if file_format not in ("xlsx", "csv"):
        raise Http404
    _form, report = _build(request)
    description = exports.filters_description(report, _labels(report.filters))
    period = report.filters.period
    name = f"cx-index-{period.start:%Y-%m}-{period.end:%Y-%m}"
    if report.office:
        name += f"-office-{report.office.pk}"
    if file_format == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(report, description),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            exports.to_csv(report, description).encode("utf-8"),
            content_type="text/csv; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def _groups_chart(report):
    greyed = not report.cx.enough
    bars = [
        (f"{code} — {GROUP_TITLES[code]}", g.value, g.low, g.high, greyed)
        for code, g in report.groups.items()
    ]
    desc = "; ".join(
        f"{code} — {GROUP_TITLES[code]}: {fmt(g.value)}" for code, g in report.groups.items()
    )
    return bar_chart(
        bars,
        title=_("Баллы пяти групп ожиданий, % благоприятных ответов"),
        desc=_("За период %(period)s: %(values)s.")
        % {"period": report.filters.period.label, "values": desc},
    )


def _trend_chart(report):
    points = [
        (month_short(month), month_label(month), cx.value, cx.low, cx.high, not cx.enough)
        for month, cx in report.trend
    ]
    desc = "; ".join(f"{month_label(month)}: {fmt(cx.value)}" for month, cx in report.trend)
    return line_chart(
        points,
        title=_("Индекс клиентоцентричности по месяцам"),
        desc=_("Цель — %(target)s. %(values)s.")
        % {"target": fmt(settings.CX_INDEX_TARGET, 0), "values": desc},
        target=settings.CX_INDEX_TARGET,
    )


def _method():
    weights = settings.CX_GROUP_WEIGHTS
    side_total = settings.CX_CITIZEN_WEIGHT + settings.CX_EMPLOYER_WEIGHT
    return {
        "groups": [
            (code, GROUP_TITLES[code], GROUP_RULES[code], fmt(weights.get(code, 0), 2))
            for code in GROUP_CODES
        ],
        "citizen_weight": fmt(settings.CX_CITIZEN_WEIGHT / side_total, 2),
        "employer_weight": fmt(settings.CX_EMPLOYER_WEIGHT / side_total, 2),
        "equal_groups": len(set(weights.values())) == 1,
    }
