from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# One step is an article read with care, not a course: eight hours at most.
STEP_MAX_MINUTES = 480


class ReadingPath(models.Model):
    """«Путь новичка»: the articles a newcomer in ``position`` reads first,
    in order. A person holding the position sees it during their first
    ``ONBOARDING_DAYS`` days (from ``Profile.started_on``), until every step
    is marked «Изучено»."""

    title = models.CharField(_("название"), max_length=200)
    description = models.TextField(
        _("описание"), blank=True, help_text=_("Несколько слов новичку: зачем этот путь.")
    )
    position = models.ForeignKey(
        "people.Position",
        verbose_name=_("должность"),
        on_delete=models.PROTECT,
        related_name="reading_paths",
        help_text=_("Путь видят новые сотрудники с этой должностью."),
    )
    is_active = models.BooleanField(
        _("действует"), default=True, help_text=_("Снимите, чтобы скрыть путь от сотрудников.")
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("путь новичка")
        verbose_name_plural = _("пути новичка")
        ordering = ["title", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("onboarding:my")


class ReadingPathStep(models.Model):
    path = models.ForeignKey(
        ReadingPath, verbose_name=_("путь"), on_delete=models.CASCADE, related_name="steps"
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="reading_path_steps",
    )
    expected_minutes = models.PositiveSmallIntegerField(
        _("минут на изучение"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(STEP_MAX_MINUTES)],
        help_text=_("Сколько времени примерно нужно: от 1 до 480 минут."),
    )
    order = models.PositiveIntegerField(_("порядок"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("шаг пути")
        verbose_name_plural = _("шаги пути")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["path", "article"],
                name="reading_path_article_once",
                violation_error_message=_("Этот материал уже есть в пути."),
            ),
            models.CheckConstraint(
                condition=models.Q(expected_minutes__gte=1)
                & models.Q(expected_minutes__lte=STEP_MAX_MINUTES),
                name="reading_path_step_minutes_bounded",
                violation_error_message=_("Время на шаг — от 1 до 480 минут."),
            ),
        ]

    def __str__(self):
        return f"{self.path}: {self.article}"


class ReadingPathProgress(models.Model):
    """A person's «Изучено» on one step: the only per-person record of the
    path (views are never logged per person)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сотрудник"),
        on_delete=models.CASCADE,
        related_name="reading_path_marks",
    )
    step = models.ForeignKey(
        ReadingPathStep, verbose_name=_("шаг"), on_delete=models.CASCADE, related_name="marks"
    )
    done_at = models.DateTimeField(_("изучено"), default=timezone.now)

    class Meta:
        verbose_name = _("отметка «изучено»")
        verbose_name_plural = _("отметки «изучено»")
        constraints = [
            models.UniqueConstraint(fields=["user", "step"], name="reading_path_mark_once")
        ]

    def __str__(self):
        return f"{self.user}: {self.step}"
