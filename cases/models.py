"""Cases: a client's negative answer that an office must look into.

Rules (`CaseRule`) say which imported responses open a case; the import opens
them inside its own transaction (`cases.services.cases_open_for_batch`), so a
file either brings its responses and their cases or neither.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from feedback.models import FeedbackResponse, ProblemSolved
from people.models import Office


class CaseRule(models.Model):
    """Conditions on one response, all of which must hold, that open a case.

    A rule with no condition would open a case for every response: the admin
    asks to confirm such a rule with the count of responses it matches.
    """

    title = models.CharField(_("название"), max_length=200)
    is_active = models.BooleanField(_("действует"), default=True)
    order = models.PositiveSmallIntegerField(
        _("порядок"),
        default=0,
        help_text=_("Когда подходят несколько правил, в обращении указано первое."),
    )
    complaint = models.BooleanField(_("клиент подал жалобу"), default=False)
    csat_at_most = models.PositiveSmallIntegerField(
        _("удовлетворённость (CSAT) не выше"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("От 1 до 5; пусто — оценка не важна."),
    )
    nps_at_most = models.PositiveSmallIntegerField(
        _("готовность рекомендовать (NPS) не выше"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text=_("От 0 до 10; пусто — оценка не важна."),
    )
    problem_not_solved = models.BooleanField(_("вопрос не решён"), default=False)
    with_comment = models.BooleanField(_("клиент оставил комментарий"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("правило открытия обращения")
        verbose_name_plural = _("правила открытия обращений")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_catch_all(self):
        """No condition at all: every response matches."""
        return not self.condition().children

    def condition(self):
        """The rule as a filter on FeedbackResponse (an empty Q matches everything)."""
        q = Q()
        if self.complaint:
            q &= Q(complaint=True)
        if self.csat_at_most is not None:
            q &= Q(csat__lte=self.csat_at_most)
        if self.nps_at_most is not None:
            q &= Q(nps__lte=self.nps_at_most)
        if self.problem_not_solved:
            q &= Q(problem_solved=ProblemSolved.NO)
        if self.with_comment:
            q &= ~Q(comment="")
        return q

    def matches(self, response):
        """Whether ``response`` (an unsaved or saved FeedbackResponse) matches, in Python."""
        return (
            (not self.complaint or response.complaint)
            and (
                self.csat_at_most is None
                or (response.csat is not None and response.csat <= self.csat_at_most)
            )
            and (
                self.nps_at_most is None
                or (response.nps is not None and response.nps <= self.nps_at_most)
            )
            and (not self.problem_not_solved or response.problem_solved == ProblemSolved.NO)
            and (not self.with_comment or bool(response.comment))
        )


class Case(models.Model):
    """One response to look into: who works on it, by when, what was done."""

    class Status(models.TextChoices):
        NEW = "new", _("новый")
        IN_PROGRESS = "in_progress", _("в работе")
        RESOLVED = "resolved", _("решено")
        NOT_CONFIRMED = "not_confirmed", _("не подтвердилось")

    OPEN = (Status.NEW, Status.IN_PROGRESS)
    CLOSED = (Status.RESOLVED, Status.NOT_CONFIRMED)

    # DO_NOTHING keeps the rollback's DELETE of a million responses one
    # statement: `cases_on_rollback` deals with the cases first.
    #
    # Response, office and rule have no database constraint: an import opens
    # hundreds of thousands of cases, and checking three keys of each at its
    # commit cost more than writing the cases. The keys are copied by one
    # INSERT … SELECT from the batch's responses and the active rules read
    # in the same transaction (`cases_open_for_batch`); responses go only
    # through `batch_rollback`, which deals with the cases first; offices
    # and rules are guarded by Django (PROTECT, SET_NULL).
    response = models.OneToOneField(
        FeedbackResponse,
        verbose_name=_("отзыв клиента"),
        on_delete=models.DO_NOTHING,
        related_name="case",
        null=True,
        blank=True,
        db_constraint=False,
    )
    # Indexes are what an import pays for on every case it opens: office has
    # none of its own (cases_office_status starts with it), rule none at all
    # (looked up by rule only when an administrator deletes one).
    office = models.ForeignKey(
        Office,
        verbose_name=_("подразделение"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    rule = models.ForeignKey(
        CaseRule,
        verbose_name=_("правило"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
        db_constraint=False,
    )
    status = models.CharField(
        _("состояние"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ответственный"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("открыто"))
    due_date = models.DateField(_("срок"))
    closed_at = models.DateTimeField(_("закрыто"), null=True, blank=True)
    action_taken = models.TextField(_("что сделано"), blank=True)
    contacted_back = models.BooleanField(_("с клиентом связались"), default=False)
    escalated_at = models.DateTimeField(
        _("передано выше"),
        null=True,
        blank=True,
        help_text=_("Когда о просрочке сообщили руководителям вышестоящего подразделения."),
    )
    response_removed = models.BooleanField(_("ответ удалён при откате импорта"), default=False)
    # Optimistic concurrency: a change names the version it was made on.
    version = models.PositiveIntegerField(_("версия"), default=1)
    # History is read by case (its id), never by these: no index to write.
    history = HistoricalRecords(
        excluded_fields=["version"], no_db_index=["response", "office", "rule", "assignee"]
    )

    class Meta:
        verbose_name = _("обращение к разбору")
        verbose_name_plural = _("обращения к разбору")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["office", "status"], name="cases_office_status"),
            models.Index(fields=["status", "due_date"], name="cases_status_due"),
            # Only closed cases: the open ones an import writes by the
            # hundred thousand would all go into it as NULLs.
            models.Index(
                fields=["closed_at"],
                name="cases_closed_at",
                condition=models.Q(closed_at__isnull=False),
            ),
        ]

    def __str__(self):
        return _("обращение № %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status in self.OPEN

    def is_overdue(self, today):
        return self.is_open and self.due_date < today
