"""Imports of a knowledge base kept as folders of files, and what each
imported file and folder became, so that a re-import changes only what
changed."""

import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def path_key(path):
    """The key a path inside the imported tree is found by: paths may be
    longer than an index allows."""
    return hashlib.sha256(path.encode()).hexdigest()


class KbImportBatch(models.Model):
    """One import of a ZIP (uploaded) or of a server folder (the command):
    its check, what it was to create and what it did."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("загружен")
        CHECKING = "checking", _("проверяется")
        CHECKED = "checked", _("проверен")
        RUNNING = "running", _("выполняется")
        IMPORTED = "imported", _("импортирован")
        FAILED = "failed", _("ошибка")
        CANCELLED = "cancelled", _("отменён")

    class Phase(models.TextChoices):
        CHECK = "check", _("проверка")
        WRITE = "write", _("импорт")

    class Step(models.TextChoices):
        READ = "read", _("чтение файлов")
        EXTRACT = "extract", _("извлечение текста")
        WRITE = "write", _("запись в базу")

    CANCELLABLE = (Status.UPLOADED, Status.CHECKED, Status.FAILED)

    status = models.CharField(
        _("состояние"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    file = models.FileField(_("архив"), upload_to="kbimports/%Y/%m/", max_length=255, blank=True)
    source_path = models.CharField(
        _("папка на сервере"),
        max_length=1000,
        blank=True,
        help_text=_("Для импорта папки командой сервера."),
    )
    original_name = models.CharField(_("имя архива или папки"), max_length=255)
    # The section the tree goes under; root_key keeps which one was chosen
    # (0: the top level) even if that section is purged later.
    root = models.ForeignKey(
        "articles.Section",
        verbose_name=_("раздел, куда импортировать"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    root_key = models.PositiveBigIntegerField(default=0, editable=False)
    root_title = models.CharField(_("раздел"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто импортировал"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("загружен"), auto_now_add=True)
    finished_at = models.DateTimeField(_("завершён"), null=True, blank=True)
    files_total = models.PositiveIntegerField(_("файлов"), default=0)
    files_done = models.PositiveIntegerField(_("файлов обработано"), default=0)
    sections_created = models.PositiveIntegerField(_("разделов создано"), default=0)
    articles_created = models.PositiveIntegerField(_("материалов создано"), default=0)
    articles_updated = models.PositiveIntegerField(_("новых версий"), default=0)
    files_unchanged = models.PositiveIntegerField(_("без изменений"), default=0)
    files_skipped = models.PositiveIntegerField(_("пропущено"), default=0)
    # What the check found (and, after the import, what was done): the
    # sections, the files with their titles, kinds and dates, what is
    # skipped and why. Read only by the batch's own page.
    report = models.JSONField(_("отчёт"), default=dict, blank=True)
    error = models.TextField(_("ошибка"), blank=True)
    # The background job, as in feedback.ImportBatch: what it does now, who
    # runs it and when it last said it was alive.
    phase = models.CharField(_("этап"), max_length=10, choices=Phase.choices, blank=True)
    step = models.CharField(_("шаг"), max_length=10, choices=Step.choices, blank=True)
    runner_host = models.CharField(_("сервер обработки"), max_length=255, blank=True)
    runner_pid = models.PositiveIntegerField(_("процесс обработки"), null=True, blank=True)
    runner_started_at = models.DateTimeField(_("обработка начата"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("последний признак работы"), null=True, blank=True)

    class Meta:
        verbose_name = _("импорт базы знаний")
        verbose_name_plural = _("импорты базы знаний")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.original_name} ({self.created_at:%d.%m.%Y %H:%M})"

    def get_absolute_url(self):
        return reverse("kbimport:batch", args=[self.pk])

    @property
    def is_busy(self):
        return self.status in {self.Status.CHECKING, self.Status.RUNNING}

    @property
    def can_restart(self):
        return self.status == self.Status.FAILED

    @property
    def can_cancel(self):
        return self.status in self.CANCELLABLE

    @property
    def to_write(self):
        """Sections and articles confirming would create or change."""
        return self.sections_created + self.articles_created + self.articles_updated


class ImportedFolder(models.Model):
    """A folder of an imported tree and the section it became."""

    root_key = models.PositiveBigIntegerField(_("раздел импорта"))
    path = models.TextField(_("путь"))
    path_hash = models.CharField(max_length=64, editable=False)
    section = models.ForeignKey(
        "articles.Section",
        verbose_name=_("раздел"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    batch = models.ForeignKey(
        KbImportBatch,
        verbose_name=_("импорт"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("импортирована"), auto_now_add=True)

    class Meta:
        verbose_name = _("импортированная папка")
        verbose_name_plural = _("импортированные папки")
        constraints = [
            models.UniqueConstraint(fields=["root_key", "path_hash"], name="kbimport_one_folder")
        ]

    def __str__(self):
        return self.path


class ImportedFile(models.Model):
    """A file of an imported tree: the article it became and the hash of
    its content, so a re-import knows whether it changed."""

    root_key = models.PositiveBigIntegerField(_("раздел импорта"))
    path = models.TextField(_("путь"))
    path_hash = models.CharField(max_length=64, editable=False)
    content_hash = models.CharField(_("SHA-256 содержимого"), max_length=64)
    size = models.PositiveBigIntegerField(_("размер, байт"))
    file_date = models.DateTimeField(_("дата файла"), null=True)
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    attachment = models.ForeignKey(
        "articles.Attachment",
        verbose_name=_("вложение"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    batch = models.ForeignKey(
        KbImportBatch,
        verbose_name=_("последний импорт"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("импортирован"), auto_now_add=True)
    updated_at = models.DateTimeField(_("обновлён"), auto_now=True)

    class Meta:
        verbose_name = _("импортированный файл")
        verbose_name_plural = _("импортированные файлы")
        constraints = [
            models.UniqueConstraint(fields=["root_key", "path_hash"], name="kbimport_one_file")
        ]
        indexes = [models.Index(fields=["root_key", "content_hash"], name="kbimport_file_hash")]

    def __str__(self):
        return self.path
