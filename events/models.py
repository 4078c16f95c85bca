"""Events: what happens when and where (a training, a session, a contest),
for whom, who organises it, and the materials and the photo/video report
that belong to it. Shown on /events/ (a month calendar and lists), on the
home page and in each person's private iCal feed."""

import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords

from articles.models import Article, DeletedManager
from articles.richtext import EXTENSIONS, plain_text, sanitize_html

# Only web addresses open from a calendar on every device; anything else
# (ftp:, javascript:, a file share) is refused with a message.
ONLINE_SCHEMES = ["http", "https"]


WEB_ADDRESS_MESSAGE = _(
    "Укажите веб-адрес, который начинается с http:// или https://, например "
    "https://vks.example.ru/room/123."
)


class WebAddressField(models.URLField):
    """A web address: http or https only, refused with the portal's message
    (Django's URLField also takes ftp and says only «Введите правильный URL»)."""

    default_validators = [URLValidator(schemes=ONLINE_SCHEMES, message=WEB_ADDRESS_MESSAGE)]


def day_start(day):
    """The first moment of the local day ``day`` (the portal's time zone)."""
    return timezone.make_aware(datetime.combine(day, time.min))


class EventQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def between(self, first_day, last_day):
        """The events taking place on any local day from ``first_day`` to
        ``last_day`` (inclusive): they start before the end of the last day
        and have not ended before the first one began."""
        return self.filter(
            starts_at__lt=day_start(last_day + timedelta(days=1)),
            ends_at__gt=day_start(first_day),
        )


class EventManager(models.Manager.from_queryset(EventQuerySet)):
    """The default manager: deleted events are in the trash, not on the pages."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Event(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("обучение")
        MEETING = "meeting", _("совещание, заседание")
        SESSION = "session", _("стратегическая сессия")
        CONTEST = "contest", _("конкурс")
        CAMPAIGN = "campaign", _("акция, флешмоб")
        OTHER = "other", _("другое")

    class Format(models.TextChoices):
        """How one takes part; not stored: it follows from the place and the link."""

        OFFLINE = "offline", _("очно")
        ONLINE = "online", _("онлайн")

    title = models.CharField(_("название"), max_length=200)
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    starts_at = models.DateTimeField(_("начало"))
    ends_at = models.DateTimeField(_("окончание"))
    all_day = models.BooleanField(
        _("на весь день"),
        default=False,
        help_text=_(
            "Мероприятие на один или несколько дней целиком: учитываются только даты "
            "начала и окончания, время можно оставить любым."
        ),
    )
    place = models.CharField(
        _("место проведения"),
        max_length=300,
        blank=True,
        help_text=_("Адрес и помещение, например: г. Самара, ул. Галактионовская, 157, зал 2."),
    )
    online_url = WebAddressField(
        _("ссылка для подключения"),
        max_length=500,
        blank=True,
        help_text=_("Адрес онлайн-встречи или трансляции (http:// или https://)."),
    )
    # Who the event is for (None: everyone); written by
    # events.services.event_audience_apply, like the targeting of articles:
    # the audience keeps its own history.
    audience = models.OneToOneField(
        "people.Audience",
        verbose_name=_("для кого"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="event",
    )
    organiser_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("организатор: сотрудник"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
    )
    organiser_office = models.ForeignKey(
        "people.Office",
        verbose_name=_("организатор: подразделение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
    )
    description = ProseEditorField(
        _("описание"),
        extensions=EXTENSIONS,
        sanitize=sanitize_html,
        blank=True,
        help_text=_("Программа, для кого, что подготовить заранее."),
    )
    materials = models.ManyToManyField(
        Article,
        verbose_name=_("материалы мероприятия"),
        blank=True,
        related_name="events",
        help_text=_("Презентации, методички, записи — материалы базы знаний."),
    )
    report = models.ForeignKey(
        Article,
        verbose_name=_("фото/видеоотчёт"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_events",
        limit_choices_to={"kind": Article.Kind.REPORT},
        error_messages={"invalid": _("Выберите материал вида «фото/видеоотчёт».")},
        help_text=_("Материал вида «фото/видеоотчёт» о прошедшем мероприятии."),
    )
    # The iCal UID: stable for the event's life, whatever is edited.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Every save is a new version: the iCal SEQUENCE, so calendars take the change.
    version = models.PositiveIntegerField(_("версия"), default=0, editable=False)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    modified_at = models.DateTimeField(_("сохранено"), auto_now=True)
    deleted_at = models.DateTimeField(_("удалено"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["audience"])
    objects = EventManager()
    all_objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        base_manager_name = "all_objects"
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["starts_at"], name="event_starts"),
            models.Index(fields=["ends_at", "starts_at"], name="event_ends"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("Окончание мероприятия не может быть раньше начала."),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Invariants whatever way the data arrives (admin, demo, a shell):
        # rich text is sanitised, the title holds no markup, an all-day
        # event covers its days from the first moment to the last, and every
        # save is a new version for the calendars.
        self.title = plain_text(self.title)
        self.place = plain_text(self.place)
        self.description = sanitize_html(self.description)
        if self.all_day and self.starts_at and self.ends_at:
            first = timezone.localdate(self.starts_at)
            last = max(first, timezone.localdate(self.ends_at))
            self.starts_at = day_start(first)
            self.ends_at = day_start(last + timedelta(days=1)) - timedelta(seconds=1)
        self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("events:event", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at:
            if self.all_day:
                if timezone.localdate(self.ends_at) < timezone.localdate(self.starts_at):
                    errors["ends_at"] = _(
                        "Окончание раньше начала: день окончания должен быть не раньше дня начала."
                    )
            elif self.ends_at <= self.starts_at:
                errors["ends_at"] = _(
                    "Окончание раньше начала (или совпадает с ним): укажите дату и время "
                    "окончания позже начала."
                )
        if not (self.place or "").strip() and not (self.online_url or "").strip():
            errors["place"] = _(
                "Укажите место проведения или ссылку для подключения (можно и то и другое)."
            )
        if errors:
            raise ValidationError(errors)

    # --- Reading it -------------------------------------------------------------

    @property
    def first_day(self):
        """The local day it starts on."""
        return timezone.localdate(self.starts_at)

    @property
    def last_day(self):
        """The local day it ends on: an event ending at midnight ends the day before."""
        if self.ends_at <= self.starts_at:
            return self.first_day
        return timezone.localdate(self.ends_at - timedelta(microseconds=1))

    @property
    def is_multiday(self):
        return self.last_day != self.first_day

    @property
    def is_online(self):
        return bool(self.online_url)

    @property
    def link(self):
        """The online link if it is a web address (the admin refuses any
        other; a row written around the form must not become a script link)."""
        url = (self.online_url or "").strip()
        return url if url.lower().startswith(("http://", "https://")) else ""

    @property
    def is_offline(self):
        return bool(self.place)

    @property
    def format_label(self):
        if self.is_online and self.is_offline:
            return _("очно и онлайн")
        return self.Format.ONLINE.label if self.is_online else self.Format.OFFLINE.label

    @property
    def is_past(self):
        return self.ends_at < timezone.now()


class EventTrash(Event):
    """Deleted events, as the admin's trash shows them."""

    objects = DeletedManager()

    class Meta:
        proxy = True
        verbose_name = _("мероприятие в корзине")
        verbose_name_plural = _("корзина: мероприятия")
        ordering = ["-deleted_at"]
