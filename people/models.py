from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey


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


class Profile(models.Model):
    """What the portal knows about a staff member beyond the login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    position = models.CharField(_("должность"), max_length=200, blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("подразделение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    phone = models.CharField(_("телефон"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("профиль сотрудника")
        verbose_name_plural = _("профили сотрудников")

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()


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
