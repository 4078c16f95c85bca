"""Questions and answers under articles, and reports of errors in them.

Everything here is plain text (escaped when shown, line breaks kept), soft
deleted and in history: a question or an answer an editor removes stays on
record, and a report keeps who closed it and why.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

QUESTION_MAX = 2000
ANSWER_MAX = 5000
REPORT_MAX = 2000
QUOTE_MAX = 1000
REPLY_MAX = 1000


class QuestionQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def open(self):
        return self.alive().filter(resolved_at__isnull=True)


class Question(models.Model):
    """«Задать вопрос» under an article: any member of staff asks, anyone answers."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        on_delete=models.PROTECT,
        related_name="kb_questions",
    )
    text = models.TextField(
        _("вопрос"), max_length=QUESTION_MAX, help_text=_("Обычный текст, без оформления.")
    )
    created_at = models.DateTimeField(_("задан"), default=timezone.now)
    resolved_at = models.DateTimeField(_("решён"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто отметил решённым"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    best_answer = models.ForeignKey(
        "questions.Answer",
        verbose_name=_("лучший ответ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    faq_article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("материал FAQ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_sources",
        help_text=_("Материал «вопрос-ответ», сделанный из этого вопроса."),
    )
    deleted_at = models.DateTimeField(_("удалён"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кем удалён"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = QuestionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("вопрос к материалу")
        verbose_name_plural = _("вопросы к материалам")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "created_at"], name="question_by_article"),
            models.Index(fields=["author", "-created_at"], name="question_by_author"),
        ]

    def __str__(self):
        return " ".join(self.text.split())[:80]

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#question-{self.pk}"

    @property
    def is_resolved(self):
        return self.resolved_at is not None

    @property
    def is_deleted(self):
        return self.deleted_at is not None


class AnswerQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)


class Answer(models.Model):
    """An answer to a question: anyone on staff may give one (KCS)."""

    question = models.ForeignKey(
        Question, verbose_name=_("вопрос"), on_delete=models.CASCADE, related_name="answers"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        on_delete=models.PROTECT,
        related_name="kb_answers",
    )
    text = models.TextField(
        _("ответ"), max_length=ANSWER_MAX, help_text=_("Обычный текст, без оформления.")
    )
    created_at = models.DateTimeField(_("дан"), default=timezone.now)
    deleted_at = models.DateTimeField(_("удалён"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кем удалён"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AnswerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ответ на вопрос")
        verbose_name_plural = _("ответы на вопросы")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["question", "created_at"], name="answer_by_question"),
            models.Index(fields=["author", "-created_at"], name="answer_by_author"),
        ]

    def __str__(self):
        return " ".join(self.text.split())[:80]


class ErrorReport(models.Model):
    """«Сообщить о неточности»: seen only by its author, the article's owner and editors."""

    class Status(models.TextChoices):
        OPEN = "open", _("на рассмотрении")
        FIXED = "fixed", _("исправлено")
        REJECTED = "rejected", _("отклонено")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="error_reports",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто сообщил"),
        on_delete=models.PROTECT,
        related_name="kb_error_reports",
    )
    text = models.TextField(
        _("что не так"), max_length=REPORT_MAX, help_text=_("Обычный текст, без оформления.")
    )
    quote = models.TextField(
        _("неточный текст"),
        max_length=QUOTE_MAX,
        blank=True,
        help_text=_("Цитата из материала, если она помогает найти место."),
    )
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("отправлено"), default=timezone.now)
    closed_at = models.DateTimeField(_("закрыто"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто закрыл"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply = models.TextField(
        _("комментарий"),
        max_length=REPLY_MAX,
        blank=True,
        help_text=_("Что сделано или почему отклонено; его увидит сообщивший."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("сообщение о неточности")
        verbose_name_plural = _("сообщения о неточностях")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["article", "status"], name="report_by_article"),
            models.Index(fields=["author", "-created_at"], name="report_by_author"),
        ]

    def __str__(self):
        return " ".join(self.text.split())[:80]

    def get_absolute_url(self):
        return reverse("questions:report", kwargs={"pk": self.pk})

    @property
    def is_open(self):
        return self.status == self.Status.OPEN
