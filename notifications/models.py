"""One notification centre for the whole portal: what each person was told,
and how each person wants to be told (on the site only, or also by e-mail)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about. Each app adds its kinds here; the prefix
    names the app."""

    IDEA_STATUS = "idea_status", _("Банк идей: изменение статуса идеи и решение рабочей группы")
    IDEA_COMMENT = "idea_comment", _("Банк идей: новый комментарий к идее")
    IDEA_MERGE = "idea_merge", _("Банк идей: идея объединена с похожей")
    PROPOSAL_NEW = "proposal_new", _("Предложения: новое предложение к проверке")
    PROPOSAL_STATUS = "proposal_status", _("Предложения: решение по моему предложению")
    QUESTION_NEW = "question_new", _("Вопросы: новый вопрос к моему материалу")
    QUESTION_ANSWER = "question_answer", _("Вопросы: ответ на мой вопрос")
    ERROR_REPORT = "error_report", _("Неточности: сообщение о неточности в материале")
    REVIEW_DUE = "review_due", _("Актуализация: подходит или прошёл срок проверки материала")
    REVIEW_ESCALATION = (
        "review_escalation",
        _("Актуализация: материал раздела просрочен больше чем на месяц"),
    )
    MANDATORY = "mandatory", _("Обязательные документы: документ для ознакомления")
    CASE_NEW = "case_new", _("Обращения: новое обращение к разбору")
    CASE_OVERDUE = "case_overdue", _("Обращения: срок разбора обращения прошёл")
    CX_REPORT = "cx_report", _("Клиентский опыт: ежемесячный отчёт по офису")
    SUBSCRIPTION = (
        "subscription",
        _("Подписки: новое и изменённое в том, за чем я слежу"),
    )


# Kinds that are also sent by e-mail unless the person turned it off: all but
# the editors' «new proposal», whose queue is on the site (in a busy region a
# letter per proposal would bury the rest). The idea bank has always e-mailed
# its notifications (when e-mail is configured).
# Subscriptions are on the site only unless chosen: the digest is their letter.
EMAIL_BY_DEFAULT = frozenset(Kind) - {Kind.PROPOSAL_NEW, Kind.SUBSCRIPTION}


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message on the site for one person. ``url`` is where it leads (a path
    on this site); ``target`` is the object it is about, so that deleting the
    object (a comment, say) can delete what was said about it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("получатель"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("вид"), max_length=40, choices=Kind.choices)
    text = models.TextField(_("текст"))
    url = models.CharField(
        _("ссылка"), max_length=500, help_text=_("Путь на портале, куда ведёт уведомление.")
    )
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("тип объекта"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    target_id = models.PositiveBigIntegerField(_("номер объекта"), null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(_("создано"), default=timezone.now)
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notifications_unread"),
            models.Index(fields=["target_type", "target_id"], name="notifications_target"),
        ]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        return self.url


class NotificationPreference(models.Model):
    """A person's choice for one kind; without a row the kind's default holds
    (see ``EMAIL_BY_DEFAULT``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сотрудник"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("вид"), max_length=40, choices=Kind.choices)
    email = models.BooleanField(_("также по электронной почте"), default=False)

    class Meta:
        verbose_name = _("настройка уведомлений")
        verbose_name_plural = _("настройки уведомлений")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self):
        return f"{self.user_id}: {self.kind}"


# --- «Следить»: subscriptions, the private feed, digests ------------------------


class Subscription(models.Model):
    """A person follows a section (with its subsections) or one article:
    exactly one of the two is set."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сотрудник"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    section = models.ForeignKey(
        "articles.Section",
        verbose_name=_("раздел"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("материал"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    created_at = models.DateTimeField(_("с какого времени"), default=timezone.now)

    class Meta:
        verbose_name = _("подписка")
        verbose_name_plural = _("подписки")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(section__isnull=False, article__isnull=True)
                    | models.Q(section__isnull=True, article__isnull=False)
                ),
                name="subscription_section_or_article",
            ),
            models.UniqueConstraint(
                fields=["user", "section"],
                condition=models.Q(section__isnull=False),
                name="subscription_one_per_section",
            ),
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=models.Q(article__isnull=False),
                name="subscription_one_per_article",
            ),
        ]
        indexes = [
            models.Index(fields=["section", "user"], name="subscription_by_section"),
            models.Index(fields=["article", "user"], name="subscription_by_article"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.section_id or self.article_id}"


class FeedToken(models.Model):
    """The key of one of a person's private feeds: the Atom feed of what they
    follow, or the iCal calendar of the events for them (``purpose``). The
    URL carries the key and its HMAC under SECRET_KEY, salted per purpose
    (``notifications.feeds``): the table alone is not enough to read
    anyone's feed, a key of one feed never opens the other, and the profile
    can show the address again. Revoking deletes the row; a new one has a
    new key."""

    class Purpose(models.TextChoices):
        ATOM = "atom", _("лента «Что нового» (Atom)")
        CALENDAR = "calendar", _("календарь мероприятий (iCal)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сотрудник"),
        on_delete=models.CASCADE,
        related_name="feed_tokens",
    )
    purpose = models.CharField(
        _("назначение"), max_length=20, choices=Purpose.choices, default=Purpose.ATOM
    )
    key = models.CharField(_("ключ"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("создан"), default=timezone.now)

    class Meta:
        verbose_name = _("ссылка на ленту")
        verbose_name_plural = _("ссылки на ленты")
        constraints = [
            models.UniqueConstraint(fields=["user", "purpose"], name="feed_token_one_per_purpose")
        ]

    def __str__(self):
        return f"{self.user_id}: {self.purpose}"


class DigestFrequency(models.TextChoices):
    NEVER = "never", _("никогда")
    WEEKLY = "weekly", _("раз в неделю")
    DAILY = "daily", _("каждый день")


class DigestSetting(models.Model):
    """How often a person wants the digest; without a row: never."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сотрудник"),
        on_delete=models.CASCADE,
        related_name="digest_setting",
    )
    frequency = models.CharField(
        _("дайджест"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.NEVER,
    )

    class Meta:
        verbose_name = _("настройка дайджеста")
        verbose_name_plural = _("настройки дайджеста")
        indexes = [models.Index(fields=["frequency", "user"], name="digest_setting_due")]

    def __str__(self):
        return f"{self.user_id}: {self.frequency}"


class DigestSent(models.Model):
    """That one person's digest for one day was dealt with: written in the
    same transaction that queues the letter, so a re-run of the day sends
    nothing twice and a run that stopped half-way goes on from where it
    was. ``items`` 0: there was nothing to tell (no letter went out); the
    next digest still starts from ``until``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сотрудник"),
        on_delete=models.CASCADE,
        related_name="digests",
    )
    frequency = models.CharField(_("дайджест"), max_length=10, choices=DigestFrequency.choices)
    period = models.DateField(_("за день"))
    since = models.DateTimeField(_("с"))
    until = models.DateTimeField(_("по"))
    items = models.PositiveIntegerField(_("пунктов"), default=0)
    created_at = models.DateTimeField(_("записано"), default=timezone.now)

    class Meta:
        verbose_name = _("отправленный дайджест")
        verbose_name_plural = _("отправленные дайджесты")
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period"], name="digest_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.user_id}: {self.period:%Y-%m-%d}"
