from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dashboards import selectors as cx_selectors
from dashboards.forms import month_label, this_month
from dashboards.svg import fmt
from kbuse import exports, selectors
from kbuse.forms import KnowledgeFilterForm, Measure
from kbuse.svg import Dot, scatter_chart
from people.roles import can_view_cx_dashboard
from people.scopes import office_scope

# Per measure: the limits of its axis.
AXES = {
    Measure.VIEWS: (0, None),
    Measure.READING: (0, 100),
    Measure.IDEAS: (0, None),
    Measure.CASES: (0, 100),
}


def _scope(request):
    """Who may see the page: as the CX dashboard; which offices: the person's
    office scope (``people.scopes.office_scope``). The person's office is
    found among every office, read once (one query) for the tree too."""
    if not can_view_cx_dashboard(request.user):
        raise PermissionDenied
    offices = cx_selectors.offices_all(user=request.user)
    return office_scope(user=request.user, offices=offices), offices


def _build(request, scope, offices):
    tree = cx_selectors.OfficeTree(offices)
    levels = selectors.office_levels(scope, tree)
    form = KnowledgeFilterForm(request.GET or None, levels=levels, current_month=this_month())
    if form.is_bound:
        form.is_valid()
    filters = form.filters(default_level=selectors.default_level(scope, tree))
    # The fields show what the page shows: the defaults where nothing was given.
    if form.is_bound:
        shown = form.data.copy()
        for name, value in filters.query().items():
            if not shown.get(name) and name not in form.errors:
                shown[name] = value
        form.data = shown
    else:
        form.initial = filters.query()
    report = selectors.knowledge_report(scope=scope, tree=tree, filters=filters)
    return form, report, dict(levels).get(filters.level, "")


def knowledge(request):
    """Knowledge use per office and month beside the CX index: a table and a scatter chart."""
    scope, offices = _scope(request)
    if scope.no_office:
        return render(request, "kbuse/knowledge.html", {"no_office": True})
    form, report, level_label = _build(request, scope, offices)
    filters = report.filters
    measure_label = dict(Measure.choices)[filters.measure]
    context = {
        "form": form,
        "report": report,
        "filters": filters,
        "scope": scope,
        "level_label": level_label,
        "where": _("весь регион") if scope.everything else report.total.label,
        "measure_label": measure_label,
        "filter_query": urlencode(filters.query()),
        "chart": _chart(report, measure_label),
        "min_responses": settings.CX_MIN_RESPONSES,
        "last_complete": month_label(form.last_complete),
        "first_counted": month_label(report.first_counted) if report.first_counted else None,
    }
    return render(request, "kbuse/knowledge.html", context)


def knowledge_export(request, file_format):
    """The page's table for the same GET parameters, as XLSX or CSV."""
    scope, offices = _scope(request)
    if file_format not in ("xlsx", "csv"):
        raise Http404
    if scope.no_office:
        raise PermissionDenied
    _form, report, level_label = _build(request, scope, offices)
    pairs = exports.description(report, scope_label=report.total.label, level_label=level_label)
    filters = report.filters
    name = f"knowledge-cx-{filters.start:%Y-%m}-{filters.end:%Y-%m}-level-{filters.level + 1}"
    if not scope.everything:
        name += f"-office-{scope.office.pk}"
    if file_format == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(report, pairs),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            exports.to_csv(report, pairs).encode("utf-8"),
            content_type="text/csv; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def _chart(report, measure_label):
    measure = report.filters.measure
    few = _("мало ответов")
    dots = [
        Dot(
            x=point.x,
            y=point.y,
            greyed=point.greyed,
            label=(
                f"{point.row.label}, {month_label(point.cell.month)}: {measure_label} — "
                f"{fmt(point.x, 2 if measure == Measure.VIEWS else 1)}, "
                + _("индекс %(value)s") % {"value": fmt(point.y)}
                + (f" ({few})" if point.greyed else "")
            ),
        )
        for point in report.points
    ]
    correlation = report.correlation
    if correlation.r is None:
        summary = _(
            "Точек: %(points)s; связь не посчитана: мало точек с достаточным числом ответов."
        ) % {"points": len(dots)}
    else:
        summary = _(
            "Точек: %(points)s; по %(used)s из них с достаточным числом ответов коэффициент "
            "корреляции r = %(r)s (%(strength)s)."
        ) % {
            "points": len(dots),
            "used": correlation.n,
            "r": fmt(correlation.r, 2),
            "strength": correlation.strength,
        }
    return scatter_chart(
        dots,
        title=_("Индекс клиентоцентричности и %(measure)s, подразделение × месяц")
        % {"measure": measure_label},
        desc=summary + " " + _("Те же числа — в таблице под графиком."),
        x_label=Measure.axis[measure],
        y_label=_("индекс клиентоцентричности"),
        x_bounds=AXES[measure],
    )
