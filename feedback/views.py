"""Import pages: upload, column mapping with preview, counts and
confirmation, progress, rejected rows, restart, cancel, rollback. Only
Руководитель and Администратор (and superusers) may use them; a manager
sees only the imports of their own office subtree (`batches_visible_to`),
others' are a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from feedback import services
from feedback.forms import MappingForm, SheetForm, UploadForm
from feedback.importers import columns_for
from feedback.models import ImportBatch
from feedback.selectors import batches_visible_to, template_file
from feedback.tables import CSV, XLSX, TableError, TableInfo, table_inspect, table_write
from people.roles import can_import_feedback

PAGE_SIZE = 25
REJECTED_SHOWN = 50
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _check_access(request):
    if not can_import_feedback(request.user):
        raise PermissionDenied


def _batch(request, pk):
    _check_access(request)
    return get_object_or_404(
        batches_visible_to(request.user).select_related("created_by", "rolled_back_by"), pk=pk
    )


def import_list(request):
    _check_access(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = services.batch_create(
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            user=request.user,
            info=form.table_info,
        )
        return redirect("feedback:mapping", pk=batch.pk)
    batches = (
        batches_visible_to(request.user)
        .select_related("created_by")
        .defer("mapping", "replaced", "error")
    )
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    for batch in page:
        services.batch_check_runner(batch=batch)  # a job that died shows as failed
    return render(request, "feedback/import_list.html", {"form": form, "page": page})


def template_download(request, kind, fmt):
    _check_access(request)
    if kind not in ImportBatch.Kind.values or fmt not in CONTENT_TYPES:
        raise Http404
    name = _("шаблон-отзывы") if kind == ImportBatch.Kind.FEEDBACK else _("шаблон-показатели")
    return _download(template_file(kind, fmt), f"{name}.{fmt}", fmt)


def batch_mapping(request, pk):
    batch = _batch(request, pk)
    if batch.status not in {
        ImportBatch.Status.UPLOADED,
        ImportBatch.Status.VALIDATED,
        ImportBatch.Status.FAILED,
    }:
        if batch.status == ImportBatch.Status.CANCELLED:
            messages.warning(request, _("Этот импорт отменён: загрузите файл снова."))
        else:
            messages.warning(request, _("Этот импорт уже записан или выполняется."))
        return redirect(batch)
    info = TableInfo.from_dict(batch.mapping["table"])
    choosing = request.method == "POST" and "choose_sheet" in request.POST
    sheet_form = SheetForm(
        request.POST if choosing else None, sheets=info.sheets, current=info.sheet
    )
    if choosing and sheet_form.is_valid():
        try:
            services.batch_sheet_choose(batch=batch, sheet=sheet_form.cleaned_data["sheet"])
        except TableError as error:
            messages.error(request, str(error))
        return redirect("feedback:mapping", pk=batch.pk)
    form = MappingForm(
        request.POST if request.method == "POST" and not choosing else None,
        kind=batch.kind,
        headers=info.headers,
        columns=batch.mapping.get("columns", {}),
    )
    if form.is_bound and form.is_valid():
        services.batch_map(batch=batch, columns=form.columns())
        return redirect(batch)
    try:
        with batch.file.open("rb") as handle:
            preview = table_inspect(handle, sheet=info.sheet).preview
    except (TableError, FileNotFoundError):
        preview = []
    return render(
        request,
        "feedback/batch_mapping.html",
        {
            "batch": batch,
            "form": form,
            "sheet_form": sheet_form if len(info.sheets) > 1 else None,
            "sheet": info.sheet,
            "headers": info.headers,
            "preview": preview,
            "columns": columns_for(batch.kind),
        },
    )


def batch_detail(request, pk):
    """The import's page: its state and progress (refreshing itself while a
    job runs), counts, rejected rows and what can be done next."""
    batch = services.batch_check_runner(batch=_batch(request, pk))
    rejected = list(batch.rejected_rows.all()[:REJECTED_SHOWN])
    return render(
        request,
        "feedback/batch_detail.html",
        {
            "batch": batch,
            "rejected": rejected,
            "headers": batch.mapping.get("table", {}).get("headers", []),
            "sheet": batch.mapping.get("table", {}).get("sheet", ""),
            "is_feedback": batch.kind == ImportBatch.Kind.FEEDBACK,
        },
    )


@require_POST
def batch_restart(request, pk):
    batch = _batch(request, pk)
    if services.batch_restart(batch=batch):
        messages.success(request, _("Обработка запущена заново."))
    else:
        messages.warning(request, _("Запустить заново можно только импорт, завершившийся ошибкой."))
    return redirect(batch)


@require_POST
def batch_cancel(request, pk):
    batch = _batch(request, pk)
    if services.batch_cancel(batch=batch):
        messages.success(request, _("Импорт отменён: ничего не записано."))
    else:
        messages.warning(
            request,
            _(
                "Этот импорт нельзя отменить: он выполняется или уже записан "
                "(записанный импорт можно откатить)."
            ),
        )
    return redirect(batch)


@require_POST
def batch_confirm(request, pk):
    batch = _batch(request, pk)
    if not services.batch_confirm(batch=batch):
        messages.warning(
            request, _("Этот импорт не ждёт подтверждения: он уже запущен или записан.")
        )
    return redirect(batch)


def batch_rollback(request, pk):
    batch = _batch(request, pk)
    if request.method == "POST":
        try:
            services.batch_rollback(batch=batch, user=request.user)
        except services.RollbackError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Импорт откачен: всё, что он записал, удалено."))
        return redirect(batch)
    if batch.status != ImportBatch.Status.IMPORTED:
        messages.warning(request, _("Откатить можно только завершённый импорт."))
        return redirect(batch)
    return render(
        request,
        "feedback/batch_rollback.html",
        {"batch": batch, "is_feedback": batch.kind == ImportBatch.Kind.FEEDBACK},
    )


def batch_rejected(request, pk, fmt):
    """The rejected rows in the file's own columns plus «Причина», to correct and re-import."""
    batch = _batch(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    table = batch.mapping.get("table", {})
    headers = [*table.get("headers", []), _("Причина")]
    width = len(headers) - 1
    rows = (
        [*row.values[:width], *[""] * (width - len(row.values)), row.reasons.replace("\n", " ")]
        for row in batch.rejected_rows.all().iterator(chunk_size=2000)
    )
    content = table_write(
        fmt,
        headers,
        rows,
        encoding=table.get("encoding") or "utf-8-sig",
        delimiter=table.get("delimiter") or ";",
    )
    name = _("отклонённые-строки-импорта-%(pk)s") % {"pk": batch.pk}
    return _download(content, f"{name}.{fmt}", fmt, encoding=table.get("encoding"))


def batch_file(request, pk):
    """The uploaded file itself, only for those who may import."""
    batch = _batch(request, pk)
    try:
        handle = batch.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=batch.original_name)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _download(content, filename, fmt, *, encoding=None):
    content_type = CONTENT_TYPES[fmt]
    if fmt == CSV and encoding == "cp1251":
        content_type = "text/csv; charset=windows-1251"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
