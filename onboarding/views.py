import csv
import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kb_portal.spreadsheets import csv_value
from onboarding import selectors, services
from people.scopes import can_have_scope, office_scope


def _safe_next(request):
    """A ``next`` path on this site only: never another host, never ``//``."""
    target = request.POST.get("next", "")
    relative = target.startswith("/") and not target.startswith(("//", "/\\"))
    if relative and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return None


@require_GET
def my_paths(request):
    """The person's paths: the steps in order, each with its «Изучено» button."""
    paths = selectors.person_paths(user=request.user)
    context = {
        "paths": paths,
        "days": settings.ONBOARDING_DAYS,
        # The managers' page has no place in the main menu (a third line for
        # administrators): it is linked from here.
        "can_view_progress": can_have_scope(request.user),
    }
    return render(request, "onboarding/my.html", context)


@require_POST
def step_mark(request, step_id):
    step = services.progress_mark(user=request.user, step_id=step_id)
    messages.success(request, _("Отмечено как изученное: «%(title)s».") % {"title": step.article})
    return redirect(_safe_next(request) or "onboarding:my")


@require_POST
def step_unmark(request, step_id):
    step = services.progress_unmark(user=request.user, step_id=step_id)
    messages.success(request, _("Отметка снята: «%(title)s».") % {"title": step.article})
    return redirect(_safe_next(request) or "onboarding:my")


def _scope(request):
    """Managers see their office's subtree, the working group and
    administrators the region; anyone else is refused (``office_scope``)."""
    return office_scope(user=request.user)


@require_GET
def progress(request):
    """«Путь новичка: прогресс» — the newcomers of the manager's offices."""
    scope = _scope(request)
    if scope.no_office:
        return render(request, "onboarding/progress.html", {"no_office": True})
    rows = selectors.progress_rows(scope=scope)
    return render(
        request,
        "onboarding/progress.html",
        {
            "rows": rows,
            "scope": scope,
            "days": settings.ONBOARDING_DAYS,
            "overdue_count": sum(1 for row in rows if row.overdue),
        },
    )


def _date(value):
    return formats.date_format(value, "d.m.Y") if value else ""


@require_GET
def progress_csv(request):
    """The same rows as a CSV for Russian Excel (UTF-8 with BOM, «;»)."""
    scope = _scope(request)
    if scope.no_office:
        raise PermissionDenied
    rows = selectors.progress_rows(scope=scope)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    headers = [
        _("Сотрудник"),
        _("Должность"),
        _("Подразделение"),
        _("Путь"),
        _("Начало работы"),
        _("Изучено шагов"),
        _("Всего шагов"),
        _("Последняя отметка"),
        _("Просрочено"),
    ]
    writer.writerow([csv_value(h) for h in headers])
    for row in rows:
        user = row.profile.user
        last = timezone.localtime(row.last_mark) if row.last_mark else None
        writer.writerow(
            [
                csv_value(value)
                for value in [
                    user.get_full_name() or user.get_username(),
                    row.profile.position.title,
                    row.profile.office.title if row.profile.office else "",
                    row.path.title,
                    _date(row.start),
                    row.done,
                    row.total,
                    formats.date_format(last, "d.m.Y H:i") if last else "",
                    _("да") if row.overdue else _("нет"),
                ]
            ]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="onboarding-progress.csv"'
    return response
