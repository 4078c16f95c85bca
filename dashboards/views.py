import dataclasses
import datetime as dt
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cases.selectors import case_figures
from dashboards import cards, exports, selectors
from dashboards import forms as cx_forms
from dashboards.cx import GROUP_CODES, GROUP_RULES, GROUP_TITLES
from dashboards.forms import (
    CxFilterForm,
    PeriodKind,
    add_months,
    last_complete,
    month_label,
    month_short,
)
from dashboards.svg import TrendPoint, bar_chart, fmt, line_chart
from feedback.models import Channel, ClientGroup, ClientType
from feedback.topics import text_terms
from people.roles import can_view_cx_dashboard
from search.analysis import iter_words

# Comments shown at once; the rest of the latest ones are behind a «show» toggle.
COMMENTS_SHOWN = 8
ALL_ROWS = "__all__"
COMMENTS_PAGE = 20


def _require_dashboard(request):
    """The person's DashboardScope; PermissionDenied for those without the dashboard."""
    if not can_view_cx_dashboard(request.user):
        raise PermissionDenied
    return selectors.dashboard_scope(user=request.user)


def _outside(request, seen):
    """Whether the request asks for an office outside the person's scope.

    Only a number can name an office; anything else is the form's to
    explain. An office that does not exist is outside too: a head of an
    office is told the same about both, so ids cannot be probed."""
    value = request.GET.get("office", "")
    if seen.region or seen.no_office or not re.fullmatch(r"-?[0-9]+", value):
        return False
    return not seen.allows(int(value))


def _refusal(request, seen, *, page, status=200):
    """The page said instead of figures, or None when there are figures to show:
    a manager without an office (``status``: 200 on pages, 403 for a file) or
    an office outside the scope asked for (403)."""
    if seen.no_office:
        context = {"no_office": True}
    elif _outside(request, seen):
        context = {"office": seen.scope.office, "page": page}
        status = 403
    else:
        return None
    return render(request, "dashboards/cx_scope.html", context, status=status)


def _with_default_office(filters, seen):
    """``filters`` opened on the person's office when they name none."""
    if filters.office_id is None and not seen.region:
        filters = dataclasses.replace(filters, office_id=seen.default_office_id)
    if not seen.allows(filters.office_id):  # _refusal has answered these already
        raise PermissionDenied
    return filters


def _build(request, seen):
    """The filter form and the report for the request's GET parameters."""
    tree = seen.tree
    stamp, latest = selectors.data_stamp()
    current_month = cx_forms.this_month()
    latest = latest or current_month
    office_initial = {} if seen.region else {"office": seen.default_office_id}
    if request.GET:
        form = CxFilterForm(request.GET, offices=tree.offices, region=seen.region)
        form.is_valid()
    else:
        default = last_complete(PeriodKind.QUARTER, latest=latest, current_month=current_month)
        form = CxFilterForm(
            offices=tree.offices,
            region=seen.region,
            initial={
                "period": default.kind,
                "month": f"{default.start:%Y-%m}",
                **office_initial,
            },
        )
    filters = _with_default_office(form.filters(latest=latest, current_month=current_month), seen)
    report = selectors.report_cached(
        filters=filters, seen=seen, stamp=stamp, latest=latest, current_month=current_month
    )
    return form, report, tree


def _labels(filters):
    """(name, value) of the chosen client type, group and channel, for exports."""
    return [
        (_("Тип клиента"), dict(ClientType.choices).get(filters.client_type, _("все"))),
        (_("Группа клиентов"), dict(ClientGroup.choices).get(filters.client_group, _("все"))),
        (_("Канал"), dict(Channel.choices).get(filters.channel, _("все"))),
    ]


def _slice_summary(filters):
    """The chosen client type, group and channel in words, for the filters' summary."""
    parts = [
        dict(ClientType.choices)[filters.client_type] if filters.client_type else _("все клиенты")
    ]
    if filters.client_group:
        parts.append(dict(ClientGroup.choices)[filters.client_group])
    if filters.channel:
        parts.append(_("канал: %(channel)s") % {"channel": dict(Channel.choices)[filters.channel]})
    return parts


def cx_dashboard(request):
    """The CX index for the chosen slice, with its breakdowns (managers)."""
    seen = _require_dashboard(request)
    if refusal := _refusal(request, seen, page="dashboard"):
        return refusal
    form, report, tree = _build(request, seen)
    filters = report.filters
    period = filters.period
    for row in report.offices:
        if not row.own:
            row.url = "?" + urlencode(filters.query(office=row.key))
    comments_url = reverse("dashboards:cx_comments")
    for row in report.topics:
        row.url = f"{comments_url}?{urlencode(filters.query(topic=row.topic_id))}"
    prev_period, next_period = period.previous(), period.following()
    context = {
        "form": form,
        "report": report,
        "filters": filters,
        # The filters as a URL query, for the export links.
        "filter_query": urlencode(filters.query()),
        "comments_url": f"{comments_url}?{urlencode(filters.query())}",
        # «Знания и индекс» (kbuse): for the same people, in the same office
        # scope (a person without an office does not get this far).
        "knowledge_url": (
            reverse("kbuse:knowledge") if can_view_cx_dashboard(request.user) else None
        ),
        "slice_labels": _slice_summary(filters),
        "today": cx_forms.today(),
        # A head of an office starts at their office: nothing above it to go back to.
        "at_top": report.office is None or report.office.pk == seen.default_office_id,
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
        "next_partial": next_period.is_partial(report.current_month),
        # Callables: the template draws them only when its cached fragment misses.
        "cards": lambda: cards.overview(report),
        "groups_chart": lambda: _groups_chart(report),
        "trend_chart": lambda: _trend_chart(report),
        "heat_months": [
            (f"{m:%m}", f".{m:%y}", month_label(m), report.is_partial_month(m))
            for m in report.trend_months
        ],
        "method": _method(),
        "min_responses": settings.CX_MIN_RESPONSES,
        "comments_limit": selectors.COMMENTS_LIMIT,
        "first_comments": report.comments[:COMMENTS_SHOWN],
        "more_comments": report.comments[COMMENTS_SHOWN:],
        "cache_seconds": selectors.CACHE_SECONDS,
        "csat_target": settings.CSAT_TARGET,
        "index_target": settings.CX_INDEX_TARGET,
        "indicator_codes": selectors.OperationalIndicator.Code.choices,
        "has_indicators": any(row.indicators for row in report.offices),
        # Cases change between imports: counted on every view, outside the cache.
        "case_rows": _case_rows(report, tree),
    }
    return render(request, "dashboards/cx.html", context)


def _case_rows(report, tree):
    """(label, CaseFigures) of the period for the slice and each office row;
    two queries, none when there is no office row."""
    if not report.offices:
        return []
    period = report.filters.period
    targets = {
        row.key: [row.office.pk] if row.own else [o.pk for o in tree.subtree(row.office)]
        for row in report.offices
    }
    targets[ALL_ROWS] = (
        [o.pk for o in tree.subtree(report.office)]
        if report.office
        else [o.pk for o in tree.offices]
    )
    figures = case_figures(
        targets=targets,
        start=period.start,
        end=add_months(period.end, 1) - dt.timedelta(days=1),
    )
    rows = [
        (row.label + (" " + _("(собственные)") if row.own else ""), figures[row.key])
        for row in report.offices
        if figures[row.key].closed or figures[row.key].open
    ]
    if not rows:
        return []
    total = report.office.title if report.office else _("Все подразделения")
    return [(total, figures[ALL_ROWS]), *rows]


def cx_comments(request):
    """The comments of the dashboard's slice, of one topic or found by
    words (the search app's analysis), newest first, a page at a time."""
    seen = _require_dashboard(request)
    if refusal := _refusal(request, seen, page="comments"):
        return refusal
    tree = seen.tree
    _stamp, latest = selectors.data_stamp()
    current_month = cx_forms.this_month()
    topics = selectors.topics_active()
    form = cx_forms.CommentsFilterForm(
        request.GET or None, offices=tree.offices, topics=topics, region=seen.region
    )
    valid = form.is_valid() if form.is_bound else False
    filters = _with_default_office(
        form.filters(latest=latest or current_month, current_month=current_month), seen
    )
    office = tree.by_id.get(filters.office_id) if filters.office_id else None
    office_ids = [o.pk for o in tree.subtree(office)] if office else None
    cleaned = form.cleaned_data if form.is_bound else {}
    topic_id = cleaned.get("topic") if "topic" not in form.errors else None
    query = cleaned.get("q", "") if "q" not in form.errors else ""
    terms = list(dict.fromkeys(text_terms(query)))
    responses = selectors.topic_comments(filters, office_ids, topic_id=topic_id, terms=terms)
    page = Paginator(responses, COMMENTS_PAGE).get_page(request.GET.get("page"))
    names = selectors.topics_of_responses([response.pk for response in page])
    for response in page:
        response.topic_names = names.get(response.pk, [])
        response.marked = _highlight(response.comment, set(terms))
    context = {
        "form": form,
        "valid": valid or not form.is_bound,
        "filters": filters,
        "office": office,
        "topic": next((t for t in topics if t.pk == topic_id), None),
        "query": query,
        "page": page,
        "dashboard_url": reverse("dashboards:cx") + "?" + urlencode(filters.query()),
    }
    return render(request, "dashboards/cx_comments.html", context)


def _highlight(text, terms):
    """The comment as safe HTML, the words found by the search marked."""
    if not terms:
        return text
    parts, position = [], 0
    for start, end, word_terms in iter_words(text):
        if terms.intersection(word_terms):
            parts += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
            position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of the text is escaped


def cx_export(request, file_format):
    """What the dashboard shows for the same GET parameters, as XLSX or CSV."""
    seen = _require_dashboard(request)
    if file_format not in ("xlsx", "csv"):
        raise Http404
    if refusal := _refusal(request, seen, page="export", status=403):
        return refusal
    _form, report, _tree = _build(request, seen)
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
        target=settings.CX_INDEX_TARGET,
    )


def _trend_chart(report):
    partial = _("неполный месяц")
    points = [
        TrendPoint(
            axis=month_short(month),
            label=month_label(month),
            value=cx.value,
            low=cx.low,
            high=cx.high,
            greyed=not cx.enough,
            partial=report.is_partial_month(month),
        )
        for month, cx in report.trend
    ]
    desc = "; ".join(
        f"{month_label(month)}: {fmt(cx.value)}"
        + (f" ({partial})" if report.is_partial_month(month) else "")
        for month, cx in report.trend
    )
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
