from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from articles.report import report_scope
from articles.selectors import section_tree
from dashboards import selectors as cx_selectors
from dashboards.svg import fmt, sparkline
from people.roles import can_view_reading_stats
from readstats import exports, selectors
from readstats.forms import OfficeSort, ReadingFilterForm


def _section_choices(tree):
    choices = []

    def walk(nodes):
        for node in nodes:
            choices.append((node.id, "— " * node.level + node.title))
            walk(node.children)

    walk(tree.roots)
    return choices


def _build(request):
    """The person's scope and the report for the page's GET parameters:
    (form, report, where) — or None for a manager without an office."""
    if not can_view_reading_stats(request.user):
        raise PermissionDenied
    offices = cx_selectors.offices_all(user=request.user)
    scope = report_scope(request.user, offices=offices)
    if scope.no_office:
        return None
    tree = cx_selectors.OfficeTree(offices)
    visible = tree.offices if scope.everything else tree.subtree(tree.by_id[scope.office.pk])
    top = min((o.level for o in visible), default=0)
    sections = section_tree(request)
    form = ReadingFilterForm(
        request.GET or None,
        today=timezone.localdate(),
        sections=_section_choices(sections),
        offices=[(o.pk, "— " * (o.level - top) + o.title) for o in visible],
    )
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    root = tree.by_id.get(filters.office_id)
    report = selectors.reading_report(
        scope=scope, tree=tree, sections=sections, filters=filters, root=root
    )
    if root is not None:
        where = root.title
    elif scope.everything:
        where = _("весь регион")
    else:
        where = scope.office.title
    section = sections.by_id.get(filters.section_id)
    return form, report, where, section.title if section else _("все разделы")


def reading(request):
    """Top and least-read articles, views per section and office, search click-through."""
    built = _build(request)
    if built is None:
        return render(request, "readstats/reading.html", {"no_office": True})
    form, report, where, section_label = built
    filters = report.filters
    for row in [*report.top, *report.least]:
        row.sparkline = _sparkline(row, report)
    context = {
        "form": form,
        "report": report,
        "filters": filters,
        "where": where,
        "section_label": section_label,
        "filter_query": urlencode(filters.query()),
        "sort_links": [
            (value, label, urlencode(filters.query(sort=value)))
            for value, label in OfficeSort.choices
        ],
    }
    return render(request, "readstats/reading.html", context)


def reading_export(request, file_format):
    """The page's tables for the same GET parameters, as XLSX or CSV."""
    if file_format not in ("xlsx", "csv"):
        raise Http404
    built = _build(request)
    if built is None:
        raise PermissionDenied
    _form, report, where, section_label = built
    filters = report.filters
    described = exports.description(report, where=where, section=section_label)
    name = f"reading-{filters.start:%Y-%m-%d}-{filters.end:%Y-%m-%d}"
    if filters.office_id is not None:
        name += f"-office-{filters.office_id}"
    if file_format == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(report, described),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            exports.to_csv(report, described).encode("utf-8"),
            content_type="text/csv; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def _sparkline(row, report):
    unit = _("по неделям") if report.filters.weekly else _("по дням")
    first, last = report.buckets[0], report.buckets[-1]
    peak = max(row.series, default=0)
    return sparkline(
        row.series,
        title=_("Просмотры «%(title)s» %(unit)s") % {"title": row.title, "unit": unit},
        desc=_("С %(first)s по %(last)s: всего %(total)s, больше всего %(peak)s за точку.")
        % {
            "first": formats.date_format(first, "j E"),
            "last": formats.date_format(last, "j E"),
            "total": fmt(row.views, 0),
            "peak": fmt(peak, 0),
        },
        width=120,
        height=28,
    )
