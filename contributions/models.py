from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEXT_MAX_LENGTH = 1000


class Helpfulness(models.Model):
    """A person's answer to «Материал был полезен?»: one per person per article."""

    class Reason(models.TextChoices):
        OUTDATED = "outdated", _("устарело")
        UNCLEAR = "unclear", _("непонятно")
        MISSING = "missing", _("нет нужного")
        ERROR = "error", _("ошибка")
        OTHER = "other", _("другое")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="helpfulness",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сотрудник"),
        on_delete=models.CASCADE,
        related_name="helpfulness",
    )
    helpful = models.BooleanField(_("полезен"))
    reason = models.CharField(_("что не так"), max_length=20, choices=Reason.choices, blank=True)
    text = models.TextField(
        _("пояснение"),
        max_length=TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("Обычный текст, без оформления."),
    )
    article_version = models.PositiveIntegerField(
        _("версия материала"), help_text=_("Версия, которую видел сотрудник, когда ответил.")
    )
    answered_at = models.DateTimeField(_("ответ дан"), default=timezone.now)

    class Meta:
        verbose_name = _("оценка полезности")
        verbose_name_plural = _("оценки полезности")
        ordering = ["-answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], name="one_helpfulness_per_user_article"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.article}"


class Review(models.Model):
    """«Проверено, актуально»: the owner or an editor confirmed the article is true."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("проверил"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="article_reviews",
    )
    reviewed_at = models.DateTimeField(_("проверено"), default=timezone.now)
    note = models.TextField(_("примечание"), max_length=TEXT_MAX_LENGTH, blank=True)
    article_version = models.PositiveIntegerField(_("версия материала"))

    class Meta:
        verbose_name = _("проверка актуальности")
        verbose_name_plural = _("проверки актуальности")
        ordering = ["-reviewed_at"]
        indexes = [models.Index(fields=["article", "-reviewed_at"])]

    def __str__(self):
        return f"{self.article} — {self.reviewed_at:%Y-%m-%d}"


class ReviewReminder(models.Model):
    """That a review reminder went out for one article, one stage and one
    «следующая актуализация» date: the unique constraint is what makes
    ``send_review_reminders`` safe to re-run (and to run twice at once). A
    review moves the date, so the next cycle starts from scratch."""

    class Stage(models.TextChoices):
        SOON = "soon", _("срок проверки подходит")
        OVERDUE = "overdue", _("срок проверки прошёл")
        ESCALATION = "escalation", _("эскалация редакторам раздела")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="review_reminders",
    )
    stage = models.CharField(_("напоминание"), max_length=20, choices=Stage.choices)
    review_due = models.DateField(
        _("срок проверки"), help_text=_("«Следующая актуализация» материала в день отправки.")
    )
    sent_on = models.DateField(_("отправлено"), help_text=_("День, за который шла рассылка."))
    recipients = models.PositiveIntegerField(_("получателей"), default=0)
    created_at = models.DateTimeField(_("записано"), default=timezone.now)

    class Meta:
        verbose_name = _("напоминание об актуализации")
        verbose_name_plural = _("напоминания об актуализации")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "stage", "review_due"], name="one_review_reminder_per_stage"
            )
        ]

    def __str__(self):
        return f"{self.article} — {self.get_stage_display()} ({self.review_due:%Y-%m-%d})"
