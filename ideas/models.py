"""The idea bank: staff propose improvements, vote for them, and the working
group on client-centricity answers every idea at its monthly meeting.

Status flow (changed only by ``ideas.services``, never by a form field):

    подана ──(рабочая группа берёт в работу)──> на рассмотрении
    подана / на рассмотрении ──(решение заседания)──> принята / отклонена /
        реализована / дубликат / на доработке
    на доработке ──(автор изменил текст)──> подана; the idea stays on the
        agenda meanwhile, and the working group may also take it up again
    принята ──(рабочая группа)──> в работе ──(решение «реализовано»)──> реализована
    принята ──(решение «реализовано»)──> реализована

«Реализовано» is decided only for an idea the working group accepted (принята
or в работе), and it records an ``Implementation``: what changed, when, and
which articles of the knowledge base it changed.

«Нужна доработка» has a status of its own, so an idea sent back never shows
«подана» beside that decision as if nobody had answered it.

Counters (``vote_count``, ``comment_count``) are denormalised so the list page
needs no aggregation; the services recount them under a row lock on the idea
inside the same transaction as the change, so they are always exact.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from people.roles import can_review_ideas

TITLE_MAX = 200
TEXT_MAX = 4000
EFFECT_MAX = 2000
COMMENT_MAX = 2000
RATIONALE_MAX = 4000
CHANGES_MAX = 4000
MINUTES_MAX = 20000


class Idea(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("подана")
        UNDER_REVIEW = "under_review", _("на рассмотрении")
        REWORK = "rework", _("на доработке")
        ACCEPTED = "accepted", _("принята")
        IN_PROGRESS = "in_progress", _("в работе")
        IMPLEMENTED = "implemented", _("реализована")
        REJECTED = "rejected", _("отклонена")
        DUPLICATE = "duplicate", _("дубликат")

    # Ideas on the working group's agenda: still waiting for an answer, or
    # sent back for rework (they come back to the next meeting).
    AWAITING = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.REWORK)
    # Ideas people may still vote for: not yet closed by a decision.
    VOTABLE = (
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.REWORK,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
    )
    # The author may edit the text in these.
    EDITABLE = (Status.SUBMITTED, Status.REWORK)

    title = models.CharField(
        _("название"),
        max_length=TITLE_MAX,
        help_text=_("Коротко, в одной строке: что предлагаете."),
    )
    problem = models.TextField(
        _("проблема"),
        max_length=TEXT_MAX,
        help_text=_("Что сейчас идёт не так для клиентов или сотрудников."),
    )
    proposal = models.TextField(
        _("предложение"), max_length=TEXT_MAX, help_text=_("Что и как изменить.")
    )
    expected_effect = models.TextField(
        _("ожидаемый эффект"),
        max_length=EFFECT_MAX,
        help_text=_("Что станет лучше и как это можно будет заметить."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    office = models.ForeignKey(
        "people.Office",
        verbose_name=_("подразделение автора"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        help_text=_("Подразделение автора на момент подачи."),
    )
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("дубликат идеи"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    tags = TaggableManager(_("метки"), blank=True)
    articles = models.ManyToManyField(
        "articles.Article",
        verbose_name=_("материалы базы знаний"),
        blank=True,
        related_name="ideas",
    )
    vote_count = models.PositiveIntegerField(_("голосов"), default=0, editable=False)
    comment_count = models.PositiveIntegerField(_("комментариев"), default=0, editable=False)
    ice_score = models.PositiveIntegerField(
        _("оценка ICE"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Влияние × уверенность × простота из последнего решения с оценками."),
    )
    latest_decision = models.ForeignKey(
        "Decision",
        verbose_name=_("последнее решение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("подана"), default=timezone.now)
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)
    status_changed_at = models.DateTimeField(_("статус изменён"), default=timezone.now)
    # History keeps this column per version: the status history shows the
    # whole comment, while simple-history's change reason (100 characters)
    # holds only a short label of it.
    status_comment = models.TextField(
        _("комментарий к смене статуса"),
        max_length=RATIONALE_MAX,
        blank=True,
        editable=False,
        help_text=_("Что рабочая группа написала, меняя статус вне заседания."),
    )
    first_reviewed_at = models.DateTimeField(
        _("первое решение"),
        null=True,
        blank=True,
        help_text=_("Когда рабочая группа впервые ответила на идею."),
    )
    decided_at = models.DateTimeField(_("последнее решение принято"), null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=["vote_count", "comment_count", "latest_decision", "updated_at"],
        verbose_name=_("история идеи"),
    )

    class Meta:
        verbose_name = _("идея")
        verbose_name_plural = _("идеи")
        ordering = ["-created_at", "-id"]
        # One index per sort of the list, matching its ORDER BY exactly, so a
        # page is read from the index instead of sorting every idea.
        indexes = [
            models.Index(fields=["-vote_count", "-created_at", "-id"], name="idea_by_votes"),
            models.Index(fields=["-created_at", "-id"], name="idea_by_created"),
            models.Index(fields=["-decided_at", "-id"], name="idea_by_decided"),
            models.Index(fields=["status", "-created_at"], name="idea_by_status"),
        ]

    def __str__(self):
        return f"№{self.pk} {self.title}" if self.pk else self.title

    def get_absolute_url(self):
        return reverse("ideas:detail", kwargs={"pk": self.pk})

    @property
    def is_awaiting(self):
        return self.status in self.AWAITING

    @property
    def is_votable(self):
        return self.status in self.VOTABLE

    @property
    def waiting_since(self):
        """Since when the idea waits for an answer: its submission, or, when
        sent back for rework, the moment it came back."""
        if self.first_reviewed_at is None:
            return self.created_at
        return self.status_changed_at

    def waiting_days(self, now=None):
        return ((now or timezone.now()) - self.waiting_since).days

    def can_be_edited_by(self, user):
        """The author edits until the working group takes the idea up, and
        again when it is sent back for rework."""
        return self.author_id == user.pk and self.status in self.EDITABLE


class Vote(models.Model):
    """One person's support for one idea; the constraint makes a second vote
    impossible whatever the application does."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("идея"), on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сотрудник"),
        on_delete=models.CASCADE,
        related_name="idea_votes",
    )
    created_at = models.DateTimeField(_("когда"), default=timezone.now)

    class Meta:
        verbose_name = _("голос")
        verbose_name_plural = _("голоса")
        constraints = [
            models.UniqueConstraint(fields=["user", "idea"], name="ideas_one_vote_per_person")
        ]
        indexes = [models.Index(fields=["idea", "user"], name="vote_by_idea")]

    def __str__(self):
        return f"{self.user} → {self.idea_id}"


class CommentQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)


class Comment(models.Model):
    """A comment on an idea. Deleting hides it (soft delete) so the thread
    keeps its shape and nothing said is lost to the working group."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("идея"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        on_delete=models.PROTECT,
        related_name="idea_comments",
    )
    text = models.TextField(_("текст"), max_length=COMMENT_MAX)
    created_at = models.DateTimeField(_("написан"), default=timezone.now)
    deleted_at = models.DateTimeField(_("удалён"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кем удалён"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("комментарий")
        verbose_name_plural = _("комментарии")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["idea", "created_at"], name="comment_by_idea")]

    def __str__(self):
        return self.text[:60]

    def can_be_deleted_by(self, user):
        return self.deleted_at is None and (self.author_id == user.pk or can_review_ideas(user))


class ReviewMeeting(models.Model):
    """The working group's (at least) monthly meeting on the idea bank."""

    held_on = models.DateField(_("дата заседания"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("участники"),
        blank=True,
        related_name="idea_meetings",
    )
    minutes = models.TextField(_("протокол"), max_length=MINUTES_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто записал"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("записано"), default=timezone.now)

    class Meta:
        verbose_name = _("заседание рабочей группы")
        verbose_name_plural = _("заседания рабочей группы")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return str(_("Заседание %(date)s")) % {"date": self.held_on.strftime("%d.%m.%Y")}

    def get_absolute_url(self):
        return reverse("ideas:meeting", kwargs={"pk": self.pk})


class Decision(models.Model):
    class Outcome(models.TextChoices):
        ACCEPT = "accept", _("принять")
        REJECT = "reject", _("отклонить")
        REWORK = "rework", _("нужна доработка")
        DUPLICATE = "duplicate", _("дубликат")
        IMPLEMENTED = "implemented", _("реализовано")

    # Outcomes that must say why: the author deserves the reasons.
    NEEDS_RATIONALE = (Outcome.REJECT, Outcome.REWORK)

    idea = models.ForeignKey(
        Idea, verbose_name=_("идея"), on_delete=models.CASCADE, related_name="decisions"
    )
    meeting = models.ForeignKey(
        ReviewMeeting,
        verbose_name=_("заседание"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    outcome = models.CharField(_("решение"), max_length=20, choices=Outcome.choices)
    rationale = models.TextField(_("обоснование"), max_length=RATIONALE_MAX, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ответственный"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="idea_decisions",
    )
    due_date = models.DateField(_("срок"), null=True, blank=True)
    merged_into = models.ForeignKey(
        Idea,
        verbose_name=_("объединена с идеей"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    impact = models.PositiveSmallIntegerField(
        _("влияние"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    confidence = models.PositiveSmallIntegerField(
        _("уверенность"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    ease = models.PositiveSmallIntegerField(
        _("простота"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто записал"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("записано"), default=timezone.now)

    class Meta:
        verbose_name = _("решение по идее")
        verbose_name_plural = _("решения по идеям")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.idea_id}"

    @property
    def ice_score(self):
        if None in (self.impact, self.confidence, self.ease):
            return None
        return self.impact * self.confidence * self.ease

    def one_line(self):
        """The decision as the list shows it: outcome, and the reasons' first line."""
        reason = self.rationale.strip().splitlines()[0] if self.rationale.strip() else ""
        label = str(self.get_outcome_display())
        return f"{label[:1].upper()}{label[1:]}: {reason}" if reason else label.capitalize()


class Implementation(models.Model):
    """What changed when an accepted idea was implemented, recorded by the
    working group with the meeting's decision «реализовано».

    One per idea. An idea reopened by a later decision and implemented again
    gets its record rewritten; the history keeps the earlier one.
    """

    idea = models.OneToOneField(
        Idea,
        verbose_name=_("идея"),
        on_delete=models.CASCADE,
        related_name="implementation",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("решение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Решение заседания «реализовано», с которым записана реализация."),
    )
    changes = models.TextField(
        _("что изменено"),
        max_length=CHANGES_MAX,
        help_text=_("Что именно поменялось для клиентов и сотрудников."),
    )
    implemented_on = models.DateField(_("дата внедрения"))
    articles = models.ManyToManyField(
        "articles.Article",
        verbose_name=_("изменённые материалы"),
        blank=True,
        related_name="implementations",
        help_text=_("Опубликованные материалы базы знаний, которые изменились вместе с идеей."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто записал"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("записано"), default=timezone.now)

    history = HistoricalRecords(m2m_fields=[articles], verbose_name=_("история реализации"))

    class Meta:
        verbose_name = _("реализация идеи")
        verbose_name_plural = _("реализации идей")
        ordering = ["-implemented_on", "-id"]

    def __str__(self):
        return str(_("Реализация идеи №%(number)s")) % {"number": self.idea_id}

    def get_absolute_url(self):
        return f"{reverse('ideas:detail', kwargs={'pk': self.idea_id})}#implementation"
