"""Proposals: a staff member's edit of an article, or a new article for a
section, that an editor accepts, returns for rework or rejects."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.models import Article
from articles.richtext import plain_text, sanitize_html
from articles.uploads import ALLOWED, inspect_upload, safe_filename

TITLE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 500
BODY_MAX_LENGTH = 200_000
RATIONALE_MAX_LENGTH = 1000
COMMENT_MAX_LENGTH = 2000


class Proposal(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("на рассмотрении")
        RETURNED = "returned", _("нужна доработка")
        ACCEPTED = "accepted", _("принято")
        REJECTED = "rejected", _("отклонено")
        WITHDRAWN = "withdrawn", _("отозвано")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("материал"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
        help_text=_("Для правки материала; пусто, если предложен новый материал."),
    )
    section = models.ForeignKey(
        "articles.Section",
        verbose_name=_("раздел"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
        help_text=_("Для нового материала: куда его предложили."),
    )
    base_version = models.PositiveIntegerField(
        _("версия материала"),
        null=True,
        blank=True,
        help_text=_("Версия, на которой сделана правка."),
    )
    title = models.CharField(_("заголовок"), max_length=TITLE_MAX_LENGTH)
    kind = models.CharField(
        _("вид материала"), max_length=20, choices=Article.Kind.choices, blank=True
    )
    summary = models.TextField(_("кратко"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    body = models.TextField(_("текст"), blank=True)
    rationale = models.TextField(
        _("что и почему изменено"),
        max_length=RATIONALE_MAX_LENGTH,
        help_text=_("Коротко: что изменено и почему."),
    )
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    editor_comment = models.TextField(
        _("комментарий редактора"),
        max_length=COMMENT_MAX_LENGTH,
        blank=True,
        help_text=_("Что доработать или почему отклонено."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("рассмотрел"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decided_proposals",
    )
    decided_at = models.DateTimeField(_("рассмотрено"), null=True, blank=True)
    created_article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("созданный материал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создано"), default=timezone.now, db_index=True)
    submitted_at = models.DateTimeField(_("отправлено"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("предложение")
        verbose_name_plural = _("предложения")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["status", "-submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(article__isnull=False, section__isnull=True)
                    | models.Q(article__isnull=True, section__isnull=False)
                ),
                name="proposal_article_or_section",
            )
        ]

    def __str__(self):
        return f"№ {self.pk}: {self.title}"

    def save(self, *args, **kwargs):
        # Whatever way it arrives: plain fields hold no markup, rich text is
        # cleaned exactly like an article's body.
        self.title = plain_text(self.title)
        self.summary = plain_text(self.summary)
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("proposals:detail", kwargs={"pk": self.pk})

    @property
    def is_edit(self):
        return self.article_id is not None

    @property
    def is_open(self):
        return self.status in {self.Status.PENDING, self.Status.RETURNED}


def proposal_upload_to(instance, filename):
    return f"proposals/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{safe_filename(filename)}"


class ProposalAttachment(models.Model):
    """A file sent with a proposed new article; checked like article attachments."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("предложение"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("файл"), upload_to=proposal_upload_to, max_length=300)
    title = models.CharField(_("название"), max_length=200, blank=True)
    original_name = models.CharField(_("имя файла"), max_length=255, editable=False)
    kind = models.CharField(_("тип"), max_length=20, editable=False)
    mime_type = models.CharField(_("MIME-тип"), max_length=120, editable=False)
    size = models.PositiveBigIntegerField(_("размер, байт"), default=0, editable=False)
    created_at = models.DateTimeField(_("добавлено"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("вложение предложения")
        verbose_name_plural = _("вложения предложений")
        ordering = ["id"]

    def __str__(self):
        return self.display_title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            file_type = inspect_upload(self.file.file)
            self.original_name = PurePath(self.file.name).name[:255]
            self.kind = file_type.kind
            self.mime_type = file_type.mime
            self.size = self.file.size
        self.title = plain_text(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("proposals:attachment", kwargs={"pk": self.pk})

    @property
    def display_title(self):
        return self.title or self.original_name

    @property
    def extension(self):
        return PurePath(self.original_name).suffix.lower().lstrip(".")

    @property
    def inline(self):
        file_type = ALLOWED.get(self.extension)
        return bool(file_type and file_type.inline)

    @property
    def type_label(self):
        file_type = ALLOWED.get(self.extension)
        return file_type.label if file_type else self.kind
