from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey
from simple_history.models import HistoricalRecords

from people.folding import expertise_key, name_key

# Limits of what a person writes about themselves (people.forms).
EXPERTISE_MAX_LENGTH = 40
EXPERTISE_MAX_COUNT = 10


class Office(MPTTModel):
    """A unit of the employment service: the managing centre, a territorial
    department or a job centre (ЦЗН)."""

    class Kind(models.TextChoices):
        CENTER = "center", _("управляющий центр")
        DEPARTMENT = "department", _("территориальный отдел")
        JOB_CENTRE = "job_centre", _("центр занятости (ЦЗН)")

    title = models.CharField(_("название"), max_length=200)
    code = models.SlugField(
        _("код"), max_length=40, unique=True, help_text=_("Короткий латинский код для импорта.")
    )
    kind = models.CharField(_("тип"), max_length=20, choices=Kind.choices)
    parent = TreeForeignKey(
        "self",
        verbose_name=_("входит в"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    city = models.CharField(_("населённый пункт"), max_length=100, blank=True)
    address = models.CharField(_("адрес"), max_length=300, blank=True)
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    is_active = models.BooleanField(_("действует"), default=True)

    class MPTTMeta:
        order_insertion_by = ["title"]

    class Meta:
        verbose_name = _("подразделение")
        verbose_name_plural = _("подразделения")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("people:office", kwargs={"code": self.code})


class Position(models.Model):
    """A position (должность) from the reference list administrators keep.

    A position in use — held by someone or named in an audience — cannot be
    deleted (PROTECT): dropping it from an audience would silently widen the
    audience to every position. Rename it instead."""

    title = models.CharField(
        _("название"),
        max_length=200,
        unique=True,
        help_text=_("Как в штатном расписании, с маленькой буквы: «специалист по профобучению»."),
        error_messages={"unique": _("Такая должность уже есть в справочнике.")},
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("должность")
        verbose_name_plural = _("должности")
        ordering = ["title"]

    def __str__(self):
        return self.title


class Expertise(models.Model):
    """A subject a person can be asked about: «к кому обратиться по…».

    People write their own (on «Мой профиль»); spellings that differ only in
    letter case, ё/е or spacing are one subject, kept as first written, so
    «СВО» and «сво» never become two. ``key`` is that folded form, computed
    on save, and is what the directory searches: SQLite's LIKE does not fold
    Cyrillic letter case, a stored folded column needs no folding at all."""

    name = models.CharField(_("тема"), max_length=EXPERTISE_MAX_LENGTH)
    key = models.CharField(
        _("ключ для поиска"), max_length=EXPERTISE_MAX_LENGTH, unique=True, editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("тема для обращений")
        verbose_name_plural = _("темы для обращений")
        ordering = ["key"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = expertise_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("people:directory") + "?" + urlencode({"expertise": self.key})


def photo_upload_to(profile, filename):
    # The service names the file (a random token and the checked type); the
    # name a person's computer gave it is never used.
    return f"people/photos/{filename}"


class Profile(models.Model):
    """What the portal knows about a staff member beyond the login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("должность"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("подразделение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    expertise = models.ManyToManyField(
        Expertise,
        verbose_name=_("можно обратиться по темам"),
        blank=True,
        related_name="profiles",
    )
    # Stored under MEDIA_ROOT and sent only by people:photo to signed-in
    # people; checked, and stripped of EXIF, by people.photos.
    photo = models.FileField(_("фотография"), upload_to=photo_upload_to, blank=True)
    # The name folded for search (lower case, ё→е, words between spaces):
    # kept by save() and by people.services.profile_search_refresh when the
    # account's name changes.
    search_name = models.TextField(_("имя для поиска"), blank=True, editable=False)
    started_on = models.DateField(
        _("дата начала работы"),
        null=True,
        blank=True,
        help_text=_(
            "С неё считается период «Пути новичка». Не указана — дата регистрации на портале."
        ),
    )

    class Meta:
        verbose_name = _("профиль сотрудника")
        verbose_name_plural = _("профили сотрудников")

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "search_name" in update_fields:
            self.search_name = name_key(self.user)
        super().save(*args, **kwargs)

    @property
    def photo_url(self):
        """The photo's address, changing with every new photo (so it may be
        cached), or "" without one."""
        if not self.photo:
            return ""
        version = self.photo.name.rsplit("/", 1)[-1].split(".", 1)[0]
        return reverse("people:photo", kwargs={"pk": self.pk}) + "?" + urlencode({"v": version})


class AudienceOffice(models.Model):
    audience = models.ForeignKey(
        "Audience",
        verbose_name=_("аудитория"),
        on_delete=models.CASCADE,
        related_name="office_links",
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("подразделение"),
        on_delete=models.PROTECT,
        related_name="audience_links",
    )

    class Meta:
        verbose_name = _("подразделение в аудитории")
        verbose_name_plural = _("подразделения в аудиториях")
        constraints = [
            models.UniqueConstraint(fields=["audience", "office"], name="audience_office_once")
        ]

    def __str__(self):
        return f"{self.audience}: {self.office}"


class AudiencePosition(models.Model):
    audience = models.ForeignKey(
        "Audience",
        verbose_name=_("аудитория"),
        on_delete=models.CASCADE,
        related_name="position_links",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("должность"),
        on_delete=models.PROTECT,
        related_name="audience_links",
    )

    class Meta:
        verbose_name = _("должность в аудитории")
        verbose_name_plural = _("должности в аудиториях")
        constraints = [
            models.UniqueConstraint(fields=["audience", "position"], name="audience_position_once")
        ]

    def __str__(self):
        return f"{self.audience}: {self.position}"


class AudienceRole(models.Model):
    audience = models.ForeignKey(
        "Audience",
        verbose_name=_("аудитория"),
        on_delete=models.CASCADE,
        related_name="role_links",
    )
    role = models.ForeignKey(
        Group, verbose_name=_("роль"), on_delete=models.PROTECT, related_name="audience_links"
    )

    class Meta:
        verbose_name = _("роль в аудитории")
        verbose_name_plural = _("роли в аудиториях")
        constraints = [
            models.UniqueConstraint(fields=["audience", "role"], name="audience_role_once")
        ]

    def __str__(self):
        return f"{self.audience}: {self.role}"


class Audience(models.Model):
    """Who something is for: office subtrees, positions and roles.

    A person is in the audience when they match every dimension that is not
    empty: their office is one of the chosen offices or under one of them,
    their position is one of the chosen positions, and they have one of the
    chosen roles. An audience with nothing chosen is everyone. Matching is
    done by ``people.audiences``, one rule for every use (mandatory reading
    and the targeting of materials and sections).

    The offices, positions and roles are PROTECTed: deleting one that an
    audience names is refused with the list of what names it, since
    silently dropping it would widen the audience."""

    offices = models.ManyToManyField(
        Office, verbose_name=_("подразделения"), blank=True, through=AudienceOffice
    )
    positions = models.ManyToManyField(
        Position, verbose_name=_("должности"), blank=True, through=AudiencePosition
    )
    roles = models.ManyToManyField(Group, verbose_name=_("роли"), blank=True, through=AudienceRole)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[offices, positions, roles])

    class Meta:
        verbose_name = _("аудитория")
        verbose_name_plural = _("аудитории")

    def __str__(self):
        article = getattr(self, "mandatory_article", None)
        if article is not None:
            return _("аудитория обязательного документа «%(title)s»") % {"title": article.title}
        article = getattr(self, "targeted_article", None)
        if article is not None:
            return _("адресаты материала «%(title)s»") % {"title": article.title}
        section = getattr(self, "targeted_section", None)
        if section is not None:
            return _("адресаты раздела «%(title)s»") % {"title": section.title}
        event = getattr(self, "event", None)
        if event is not None:
            return _("адресаты мероприятия «%(title)s»") % {"title": event.title}
        return _("аудитория № %(pk)s") % {"pk": self.pk}


class LoginThrottle(models.Model):
    """Login attempts counted for one account or one address.

    Kept in the database, not the cache: the count must be shared by every
    worker and host, survive a cache outage, and be checked and raised under
    one row lock, so that simultaneous tries cannot pass the limit.
    """

    key = models.CharField(_("ключ"), max_length=100, unique=True)
    attempts = models.PositiveIntegerField(_("попыток"), default=0)
    expires_at = models.DateTimeField(_("действует до"), db_index=True)

    class Meta:
        verbose_name = _("счётчик попыток входа")
        verbose_name_plural = _("счётчики попыток входа")

    def __str__(self):
        return f"{self.key}: {self.attempts}"
