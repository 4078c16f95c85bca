"""«Обращения к разбору»: the list of the cases a person may see and one case's page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import selectors, services
from cases.forms import CaseFilterForm, CaseForm
from feedback.models import SCORE_FIELDS, FeedbackResponse
from people.scopes import office_scope, scope_offices

PAGE_SIZE = 50

# What of a response the case page shows, in the questionnaire's order; a
# blank answer (not given, or not in the file) is left out.
ANSWER_FIELDS = (
    "source",
    "submitted_at",
    "client_type",
    "client_group",
    "service",
    "channel",
    *SCORE_FIELDS,
    "nps",
    "problem_solved",
    "wait_minutes",
    "visits_count",
    "on_time",
    "complaint",
    "complaint_justified",
)


def case_list(request):
    scope = office_scope(user=request.user)
    if scope.no_office:
        return render(request, "cases/case_list.html", {"no_office": True})
    offices = scope_offices(scope=scope)
    form = CaseFilterForm(request.GET or None, offices=offices)
    filters = form.cleaned_data if form.is_valid() else {}
    by_id = {office.pk: office for office in offices}
    today = timezone.localdate()
    cases = selectors.cases_list(
        scope,
        status=filters.get("status", ""),
        office=by_id.get(filters.get("office")),
        overdue=filters.get("overdue", False),
        today=today,
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page:
        case.overdue = case.is_overdue(today)
    context = {"form": form, "page": page, "scope": scope, "today": today}
    return render(request, "cases/case_list.html", context)


def case_detail(request, pk):
    scope = office_scope(user=request.user)
    case = get_object_or_404(
        selectors.cases_visible(scope).select_related(
            "office", "assignee", "rule", "response", "response__service"
        ),
        pk=pk,
    )
    assignees = selectors.case_assignees(case, request.user)
    if request.method == "POST":
        form = CaseForm(request.POST, assignees=assignees)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.case_update(
                    case=case,
                    user=request.user,
                    version=data["version"],
                    status=data["status"],
                    assignee=data["assignee"],
                    action_taken=data["action_taken"],
                    contacted_back=data["contacted_back"],
                )
            except services.CaseConflict as error:
                messages.error(request, str(error))
                return redirect(case)
            except services.CaseError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Обращение сохранено."))
                return redirect(case)
    else:
        form = CaseForm(
            initial={
                "status": case.status,
                "assignee": case.assignee_id,
                "action_taken": case.action_taken,
                "contacted_back": case.contacted_back,
                "version": case.version,
            },
            assignees=assignees,
        )
    context = {
        "case": case,
        "form": form,
        "answers": _answers(case.response),
        "overdue": case.is_overdue(timezone.localdate()),
        "history": selectors.case_history(case),
    }
    return render(request, "cases/case_detail.html", context)


def _answers(response):
    """(label, shown value) of what the response carries."""
    if response is None:
        return []
    answers = []
    for name in ANSWER_FIELDS:
        field = FeedbackResponse._meta.get_field(name)
        value = getattr(response, name)
        if value is None or value == "":
            continue
        if name == "complaint" and not value:
            continue
        if field.choices:
            value = getattr(response, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = _("да") if value else _("нет")
        answers.append((field.verbose_name, value, name))
    return answers
