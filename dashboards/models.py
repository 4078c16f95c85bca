"""The dashboard reads `feedback.MonthlySlice` (and raw responses for
services and comments) and caches what it computed: no tables for that. Its
one table records the monthly reports sent to the heads of offices."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CxReportSent(models.Model):
    """That the monthly CX report for ``month`` went to one person: the
    unique constraint is what makes ``send_cx_reports`` safe to re-run (and
    to run twice at once) — a person gets each month's report once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("руководитель"),
        on_delete=models.CASCADE,
        related_name="cx_reports_sent",
    )
    month = models.DateField(_("месяц отчёта"), help_text=_("Первое число месяца."))
    office = models.ForeignKey(
        "people.Office",
        verbose_name=_("подразделение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("О котором был отчёт (подразделение из профиля в день отправки)."),
    )
    sent_at = models.DateTimeField(_("отправлено"), default=timezone.now)

    class Meta:
        verbose_name = _("отправленный отчёт о клиентском опыте")
        verbose_name_plural = _("отправленные отчёты о клиентском опыте")
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="one_cx_report_per_month")
        ]

    def __str__(self):
        return f"{self.user} — {self.month:%Y-%m}"
