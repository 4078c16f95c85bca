"""«Импорт базы знаний»: upload a ZIP, read the check's report, confirm,
follow the progress; restart or cancel. Administrators only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kbimport import jobs, services
from kbimport.forms import UploadForm
from kbimport.models import KbImportBatch
from kbimport.selectors import report_view
from people.roles import can_import_kb

PAGE_SIZE = 25


def _check_access(request):
    if not can_import_kb(request.user):
        raise PermissionDenied


def _batch(request, pk):
    """The import, without its report (which may list thousands of files):
    the page reads it only once there is one to show."""
    _check_access(request)
    batches = KbImportBatch.objects.select_related("created_by", "root").defer("report")
    return get_object_or_404(batches, pk=pk)


def import_list(request):
    _check_access(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = services.batch_create(
            upload=form.cleaned_data["file"], root=form.cleaned_data["root"], user=request.user
        )
        return redirect(batch)
    batches = KbImportBatch.objects.select_related("created_by").defer("report", "error")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    for batch in page:
        jobs.batch_check_runner(batch=batch)  # a job that died shows as failed
    return render(request, "kbimport/import_list.html", {"form": form, "page": page})


def batch_detail(request, pk):
    """The import's page: the check's report, then the progress (the page
    refreshes itself while a job runs), then what was done."""
    batch = jobs.batch_check_runner(batch=_batch(request, pk))
    has_report = batch.status in {KbImportBatch.Status.CHECKED, KbImportBatch.Status.IMPORTED}
    context = {"batch": batch, "shown": report_view(batch) if has_report else None}
    if batch.files_total and batch.is_busy:
        context["percent"] = min(100, batch.files_done * 100 // batch.files_total)
    return render(request, "kbimport/batch_detail.html", context)


@require_POST
def batch_confirm(request, pk):
    batch = _batch(request, pk)
    if not services.batch_confirm(batch=batch):
        messages.warning(
            request,
            _(
                "Импорт не запущен: он уже запущен или записан, либо сейчас записывается "
                "другой импорт — дождитесь его окончания."
            ),
        )
    return redirect(batch)


@require_POST
def batch_restart(request, pk):
    batch = _batch(request, pk)
    if services.batch_restart(batch=batch):
        messages.success(request, _("Импорт запущен заново."))
    else:
        messages.warning(
            request,
            _(
                "Запустить заново можно только импорт, завершившийся ошибкой, и не во время "
                "записи другого импорта."
            ),
        )
    return redirect(batch)


@require_POST
def batch_cancel(request, pk):
    batch = _batch(request, pk)
    if services.batch_cancel(batch=batch):
        messages.success(request, _("Импорт отменён: ничего не записано, архив удалён."))
    else:
        messages.warning(request, _("Этот импорт нельзя отменить: он выполняется или записан."))
    return redirect(batch)
