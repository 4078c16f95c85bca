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
