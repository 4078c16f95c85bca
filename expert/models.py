"""The typed companions of two structured kinds of articles.

A profile of a client group and a client journey map stay `Article`s
(search, history, trash, targeting, proposals and mandatory reading keep
working for them); what is structured about them lives here, edited in the
admin, shown on the article page and indexed with it (expert.companions).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords

from articles.models import Article
from articles.richtext import EXTENSIONS, plain_text, sanitize_html
from feedback.models import Channel as FeedbackChannel
from feedback.models import ClientGroup

# The kinds a profile may link to: the routes and algorithms for the group.
LINKED_KINDS = (Article.Kind.ROUTE, Article.Kind.ALGORITHM)
UNKNOWN_GROUP = _(
    "Неизвестная группа клиентов «%(value)s». Выберите группу из справочника, по которому "
    "загружаются отзывы клиентов."
)


def kind_error(article, wanted):
    """The Russian message for ``article`` that is not of the ``wanted`` kinds."""
    labels = dict(Article.Kind.choices)
    return gettext("«%(title)s» — %(kind)s, а здесь нужен материал вида: %(wanted)s.") % {
        "title": article.title,
        "kind": labels.get(article.kind, article.kind),
        "wanted": ", ".join(str(labels[kind]) for kind in wanted),
    }


def _rich(verbose_name, help_text):
    return ProseEditorField(
        verbose_name,
        extensions=EXTENSIONS,
        sanitize=sanitize_html,
        blank=True,
        help_text=help_text,
    )


class ClientGroupProfile(models.Model):
    """«Профиль клиентской группы»: who the clients of a group are and how to
    serve them, beside that group's live figures from the feedback."""

    RICH_FIELDS = ("who", "situations", "needs", "pains", "helps", "services")

    article = models.OneToOneField(
        Article,
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="client_profile",
        help_text=_("Материал вида «профиль клиентской группы», к которому относится профиль."),
        error_messages={"unique": _("У этого материала уже есть профиль клиентской группы.")},
    )
    client_group = models.CharField(
        _("группа клиентов"),
        max_length=20,
        choices=ClientGroup.choices,
        help_text=_(
            "Из того же справочника, что и загрузка отзывов: по ней на странице профиля "
            "показываются индекс, CSAT и частые темы жалоб этой группы."
        ),
        error_messages={"invalid_choice": UNKNOWN_GROUP},
    )
    who = _rich(_("кто это"), _("Кто эти клиенты, чем отличаются от других."))
    situations = _rich(_("типичные ситуации"), _("С чем и в каких обстоятельствах обращаются."))
    needs = _rich(_("потребности и ожидания"), _("Что для них важно, чего они ждут от ЦЗН."))
    pains = _rich(_("боли"), _("Что мешает, раздражает, пугает — по отзывам и жалобам."))
    helps = _rich(_("что помогает"), _("Приёмы и решения, которые работают с этой группой."))
    services = _rich(
        _("услуги и меры поддержки"), _("Какие услуги и меры поддержки предложить группе.")
    )
    linked_articles = models.ManyToManyField(
        Article,
        verbose_name=_("маршруты и алгоритмы"),
        blank=True,
        related_name="linked_profiles",
        help_text=_("Маршруты клиента и алгоритмы оказания услуг для этой группы."),
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    modified_at = models.DateTimeField(_("сохранён"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[linked_articles], excluded_fields=["modified_at"])

    class Meta:
        verbose_name = _("профиль клиентской группы")
        verbose_name_plural = _("профили клиентских групп")
        ordering = ["client_group", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(client_group__in=ClientGroup.values),
                name="expert_profile_known_group",
                violation_error_message=_("Неизвестная группа клиентов."),
            ),
        ]

    def __str__(self):
        return f"{self.get_client_group_display()}: {self.article}"

    def save(self, *args, **kwargs):
        # Whatever way the text arrives (admin, demo, a shell), it is cleaned.
        for name in self.RICH_FIELDS:
            setattr(self, name, sanitize_html(getattr(self, name)))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.article.get_absolute_url()

    def clean(self):
        article = getattr(self, "article", None) if self.article_id else None
        if article is not None and article.kind != Article.Kind.PROFILE:
            raise ValidationError({"article": kind_error(article, [Article.Kind.PROFILE])})

    @property
    def sections(self):
        """(heading, sanitised HTML) of the filled text fields, in order."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.RICH_FIELDS
            if getattr(self, name)
        ]


class Feeling(models.IntegerChoices):
    """What the client feels at a step, from −2 to +2."""

    VERY_BAD = -2, _("−2 — очень плохо")
    BAD = -1, _("−1 — скорее плохо")
    NEUTRAL = 0, _("0 — спокойно")
    GOOD = 1, _("+1 — скорее хорошо")
    VERY_GOOD = 2, _("+2 — отлично")


FEELING_MIN, FEELING_MAX = -2, 2
FEELING_ERROR = _("Чувство клиента — целое число от −2 до +2.")


class StepChannel(models.TextChoices):
    """Where a step happens: the feedback's channels and a few more a journey has."""

    IN_PERSON = FeedbackChannel.IN_PERSON.value, FeedbackChannel.IN_PERSON.label
    ECP = FeedbackChannel.ECP.value, _("ЕЦП «Работа России»")
    EPGU = FeedbackChannel.EPGU.value, _("ЕПГУ (Госуслуги)")
    PHONE = FeedbackChannel.PHONE.value, FeedbackChannel.PHONE.label
    OUTREACH = FeedbackChannel.OUTREACH.value, _("выездной приём")
    MESSENGER = "messenger", _("мессенджер, соцсети")
    WEBSITE = "website", _("сайт")
    EMAIL = "email", _("электронная почта")
    PARTNER = "partner", _("через другое ведомство")


class JourneyStage(models.Model):
    """A stage of a client journey map (a column of the map)."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("маршрут"),
        on_delete=models.CASCADE,
        related_name="journey_stages",
        help_text=_("Материал вида «маршрут клиента»."),
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    title = models.CharField(_("этап"), max_length=150)
    description = models.TextField(
        _("цель этапа"), blank=True, help_text=_("Коротко: чего клиент хочет на этом этапе.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("этап пути клиента")
        verbose_name_plural = _("этапы пути клиента")
        ordering = ["article_id", "order", "id"]
        indexes = [models.Index(fields=["article", "order"], name="expert_stage_article_order")]

    def __str__(self):
        return f"{self.article}: {self.title}"

    def save(self, *args, **kwargs):
        self.title = plain_text(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.article.get_absolute_url()

    def clean(self):
        article = getattr(self, "article", None) if self.article_id else None
        if article is not None and article.kind != Article.Kind.ROUTE:
            raise ValidationError({"article": kind_error(article, [Article.Kind.ROUTE])})


class JourneyStep(models.Model):
    """A step of a stage: what the client does and feels, and what we do."""

    stage = models.ForeignKey(
        JourneyStage, verbose_name=_("этап"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    client_action = models.TextField(_("что делает клиент"))
    touchpoint = models.CharField(
        _("точка контакта"),
        max_length=200,
        blank=True,
        help_text=_("Где клиент встречается со службой: окно приёма, звонок, личный кабинет…"),
    )
    channel = models.CharField(_("канал"), max_length=20, choices=StepChannel.choices, blank=True)
    feeling = models.SmallIntegerField(
        _("что чувствует клиент"),
        choices=Feeling.choices,
        default=Feeling.NEUTRAL,
        help_text=_("От −2 (очень плохо) до +2 (отлично): по интервью, анкетам и жалобам."),
        error_messages={"invalid_choice": FEELING_ERROR},
    )
    feeling_note = models.CharField(
        _("эмоция словами"),
        max_length=200,
        blank=True,
        help_text=_("Например: «тревога: хватит ли денег до выплаты»."),
    )
    pain_points = models.TextField(
        _("боли"),
        blank=True,
        help_text=_("По одной на строке. Шаг с болями отмечается на карте."),
    )
    our_action = models.TextField(_("что делаем мы"), blank=True)
    responsible = models.CharField(_("кто отвечает"), max_length=200, blank=True)
    standard_time = models.CharField(
        _("норматив времени"),
        max_length=100,
        blank=True,
        help_text=_("Например: «15 минут», «в день обращения», «до 3 рабочих дней»."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("шаг пути клиента")
        verbose_name_plural = _("шаги пути клиента")
        ordering = ["stage_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(feeling__gte=FEELING_MIN) & models.Q(feeling__lte=FEELING_MAX),
                name="expert_step_feeling_range",
                violation_error_message=FEELING_ERROR,
            ),
        ]

    def __str__(self):
        return plain_text(self.client_action)[:80]

    @property
    def pains(self):
        """The pain points, one per non-blank line."""
        return [line.strip() for line in self.pain_points.splitlines() if line.strip()]
