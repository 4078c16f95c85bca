"""Client feedback: responses, their imports, reference lists and monthly slices.

A score left blank is «no answer» and stays NULL, never 0: every share and
mean is computed over the answers actually given.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from people.models import Office


class Source(models.TextChoices):
    SURVEY = "survey", _("анкета")
    ECP = "ecp", _("ЕЦП «Работа России»")
    POS = "pos", _("ПОС/Госуслуги")
    VASH_CONTROL = "vash_control", _("«Ваш контроль»")
    PHONE = "phone", _("телефон")
    QR = "qr", _("QR-код")


class ClientType(models.TextChoices):
    CITIZEN = "citizen", _("гражданин")
    EMPLOYER = "employer", _("работодатель")


class ClientGroup(models.TextChoices):
    JOBSEEKER = "jobseeker", _("соискатель")
    UNEMPLOYED = "unemployed", _("безработный")
    DISABLED = "disabled", _("гражданин с инвалидностью")
    YOUTH = "youth", _("молодёжь/студент")
    PARENT = "parent", _("женщина с детьми")
    PRE_RETIREMENT = "pre_retirement", _("предпенсионер 50+")
    SVO = "svo", _("участник СВО и член семьи")
    OTHER = "other", _("иное")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("очно")
    ECP = "ecp", _("ЕЦП")
    EPGU = "epgu", _("ЕПГУ")
    PHONE = "phone", _("телефон")
    OUTREACH = "outreach", _("выездной")


class ProblemSolved(models.TextChoices):
    YES = "yes", _("да")
    PARTLY = "partly", _("частично")
    NO = "no", _("нет")


# The 1–5 scores of a response, in the order of the questionnaire.
SCORE_FIELDS = (
    "csat",
    "politeness",
    "competence",
    "waiting",
    "comfort",
    "information",
    "relevance",
    "ces",
)


class Service(models.Model):
    """A service of the employment service that clients rate."""

    code = models.SlugField(_("код"), max_length=50, unique=True)
    title = models.CharField(_("название"), max_length=255, unique=True)
    is_active = models.BooleanField(_("действует"), default=True)

    class Meta:
        verbose_name = _("услуга")
        verbose_name_plural = _("услуги")
        ordering = ["title"]

    def __str__(self):
        return self.title


class ImportBatch(models.Model):
    """One import of a file: who, when, what came of each row."""

    class Kind(models.TextChoices):
        FEEDBACK = "feedback", _("отзывы клиентов")
        INDICATORS = "indicators", _("операционные показатели")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("загружен")
        VALIDATING = "validating", _("проверяется")
        VALIDATED = "validated", _("проверен")
        RUNNING = "running", _("выполняется")
        IMPORTED = "imported", _("импортирован")
        FAILED = "failed", _("ошибка")
        ROLLED_BACK = "rolled_back", _("откачен")
        CANCELLED = "cancelled", _("отменён")

    class Phase(models.TextChoices):
        VALIDATE = "validate", _("проверка")
        WRITE = "write", _("запись")

    # Nothing written and no job at work: the batch can be dropped (`can_cancel`).
    CANCELLABLE = (Status.UPLOADED, Status.VALIDATED, Status.FAILED)

    kind = models.CharField(_("что импортируется"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("состояние"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    file = models.FileField(_("файл"), upload_to="imports/%Y/%m/", max_length=255)
    original_name = models.CharField(_("имя файла"), max_length=255)
    mapping = models.JSONField(_("соответствие колонок"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто импортировал"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("загружен"), auto_now_add=True)
    finished_at = models.DateTimeField(_("завершён"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("строк прочитано"), default=0)
    rows_processed = models.PositiveIntegerField(_("строк обработано"), default=0)
    rows_imported = models.PositiveIntegerField(_("строк загружено"), default=0)
    rows_duplicate = models.PositiveIntegerField(_("повторов пропущено"), default=0)
    # Indicators only: rows that replaced the value of an existing office ×
    # month × code (counted in rows_imported too).
    rows_updated = models.PositiveIntegerField(_("значений обновлено"), default=0)
    rows_rejected = models.PositiveIntegerField(_("строк отклонено"), default=0)
    error = models.TextField(_("ошибка"), blank=True)
    # Indicators only: the values this import overwrote, as
    # [office_id, "YYYY-MM-DD", code, "value", batch_id or null], so that a
    # rollback puts them back instead of losing them.
    replaced = models.JSONField(_("заменённые значения"), default=list, blank=True)
    # The background job of the last phase queued (see feedback.services):
    # the phase, who runs it and when it last said it was alive, so that a
    # job that died (killed, out of memory, host lost) is noticed and the
    # batch can be restarted or cancelled instead of «выполняется» forever.
    phase = models.CharField(_("этап"), max_length=10, choices=Phase.choices, blank=True)
    runner_host = models.CharField(_("сервер обработки"), max_length=255, blank=True)
    runner_pid = models.PositiveIntegerField(_("процесс обработки"), null=True, blank=True)
    runner_started_at = models.DateTimeField(_("обработка начата"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("последний признак работы"),
        null=True,
        blank=True,
        help_text=_("Когда этап поставлен в очередь, потом — когда обработка сообщила о себе."),
    )
    rolled_back_at = models.DateTimeField(_("откачен"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто откатил"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("импорт")
        verbose_name_plural = _("импорты")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.original_name} ({self.created_at:%d.%m.%Y %H:%M})"

    def get_absolute_url(self):
        return reverse("feedback:batch", args=[self.pk])

    @property
    def is_busy(self):
        """A background job is working on this batch right now."""
        return self.status in {self.Status.VALIDATING, self.Status.RUNNING}

    @property
    def can_restart(self):
        """A failed phase can be run again from the file kept with the batch."""
        return self.status == self.Status.FAILED

    @property
    def can_cancel(self):
        """Nothing written yet: the batch can be dropped from the journal's work."""
        return self.status in self.CANCELLABLE

    @property
    def rows_to_import(self):
        """Rows that passed validation and are new: what confirming would write."""
        return max(self.rows_read - self.rows_rejected - self.rows_duplicate, 0)


class RejectedRow(models.Model):
    """A row of an import that was not written, with why, for correction."""

    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("импорт"),
        on_delete=models.CASCADE,
        related_name="rejected_rows",
    )
    row_number = models.PositiveIntegerField(_("номер строки"))
    values = models.JSONField(_("значения"), default=list)
    reasons = models.TextField(_("причины"))

    class Meta:
        verbose_name = _("отклонённая строка")
        verbose_name_plural = _("отклонённые строки")
        ordering = ["batch", "row_number"]

    def __str__(self):
        return _("строка %(number)s") % {"number": self.row_number}


def _score_check(field, low, high):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=f"feedback_%(class)s_{field}_range",
    )


class FeedbackResponse(models.Model):
    """One client's answer to a questionnaire, from any source."""

    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("импорт"),
        on_delete=models.CASCADE,
        related_name="responses",
        null=True,
        blank=True,
        # No database constraint: an import writes up to millions of rows
        # of its own batch, and checking each against that one row at the
        # commit took a third of it. Batches are never deleted (read-only in
        # the admin; a rollback keeps its batch), and the importer sets the
        # key to the batch it runs.
        db_constraint=False,
    )
    source = models.CharField(_("источник"), max_length=20, choices=Source.choices)
    external_id = models.CharField(_("номер в источнике"), max_length=100, blank=True)
    # sha256 of (source, external_id), or of the row's values when the source
    # has no id: importing the same row again can never duplicate it.
    # Unique through Meta.constraints rather than unique=True: on PostgreSQL
    # that spares the extra LIKE index Django adds to unique text fields,
    # which a hash is never searched with and which slowed imports by ~25%.
    dedup_key = models.CharField(_("ключ повтора"), max_length=64)
    submitted_at = models.DateTimeField(_("дата ответа"))
    # The first day of submitted_at's month in the portal's time zone, kept so
    # that monthly slices group and filter on an index.
    month = models.DateField(_("месяц"))
    # No index of its own: feedback_office_submitted starts with office.
    office = models.ForeignKey(
        Office,
        verbose_name=_("подразделение"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    client_type = models.CharField(_("тип клиента"), max_length=20, choices=ClientType.choices)
    client_group = models.CharField(
        _("группа клиентов"), max_length=20, choices=ClientGroup.choices
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("услуга"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    channel = models.CharField(_("канал"), max_length=20, choices=Channel.choices)

    csat = models.PositiveSmallIntegerField(_("удовлетворённость (CSAT)"), null=True, blank=True)
    politeness = models.PositiveSmallIntegerField(_("вежливость"), null=True, blank=True)
    competence = models.PositiveSmallIntegerField(_("компетентность"), null=True, blank=True)
    waiting = models.PositiveSmallIntegerField(_("время ожидания"), null=True, blank=True)
    comfort = models.PositiveSmallIntegerField(_("комфорт"), null=True, blank=True)
    information = models.PositiveSmallIntegerField(_("информирование"), null=True, blank=True)
    relevance = models.PositiveSmallIntegerField(_("адресность"), null=True, blank=True)
    ces = models.PositiveSmallIntegerField(
        _("лёгкость (CES)"), null=True, blank=True, help_text=_("5 — очень легко")
    )
    nps = models.PositiveSmallIntegerField(
        _("готовность рекомендовать (NPS)"), null=True, blank=True
    )
    problem_solved = models.CharField(
        _("вопрос решён"), max_length=10, choices=ProblemSolved.choices, blank=True
    )

    wait_minutes = models.PositiveIntegerField(_("ожидание, минут"), null=True, blank=True)
    visits_count = models.PositiveSmallIntegerField(_("число визитов"), null=True, blank=True)
    on_time = models.BooleanField(_("услуга в срок"), null=True, blank=True)
    complaint = models.BooleanField(_("жалоба"), default=False)
    complaint_justified = models.BooleanField(_("жалоба обоснована"), null=True, blank=True)
    # Masked before it is stored (feedback.masking): the raw text is never kept.
    comment = models.TextField(_("комментарий клиента"), blank=True)
    # The comment through the search analysis (stems, ё→е, no stop words),
    # as « term term »: topics and the comments search read these.
    comment_terms = models.TextField(_("термины комментария"), blank=True, editable=False)

    class Meta:
        verbose_name = _("отзыв клиента")
        verbose_name_plural = _("отзывы клиентов")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["month", "office"], name="feedback_month_office"),
            models.Index(fields=["office", "submitted_at"], name="feedback_office_submitted"),
            models.Index(fields=["submitted_at"], name="feedback_submitted"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dedup_key"], name="feedback_response_dedup_key"),
            *(_score_check(field, 1, 5) for field in SCORE_FIELDS),
            _score_check("nps", 0, 10),
        ]

    def __str__(self):
        return _("отзыв от %(date)s") % {"date": f"{self.submitted_at:%d.%m.%Y}"}


class OperationalIndicator(models.Model):
    """A process figure of an office for a month (waiting time, complaints…)."""

    class Code(models.TextChoices):
        WAIT_MINUTES = "wait_minutes", _("среднее время ожидания, мин")
        ON_TIME_SHARE = "on_time_share", _("доля услуг в срок, %")
        CONTACTS = "contacts", _("число обращений")
        COMPLAINTS = "complaints", _("число жалоб")
        JUSTIFIED_COMPLAINTS = "justified_complaints", _("обоснованных жалоб")
        EMPLOYED = "employed", _("трудоустроено")
        VACANCIES = "vacancies", _("вакансий заявлено")

    office = models.ForeignKey(
        Office, verbose_name=_("подразделение"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("месяц"), help_text=_("первое число месяца"))
    code = models.CharField(_("показатель"), max_length=40, choices=Code.choices)
    value = models.DecimalField(_("значение"), max_digits=14, decimal_places=2)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("импорт"),
        on_delete=models.SET_NULL,
        related_name="indicators",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("операционный показатель")
        verbose_name_plural = _("операционные показатели")
        ordering = ["-month", "office", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "month", "code"], name="feedback_indicator_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_code_display()}: {self.value}"


class SliceCounts(models.Model):
    """The counters of a slice of responses.

    ``<score>_n`` counts answers given, ``<score>_fav`` the answers 4–5. Slices
    are derived data: `feedback.aggregates.slices_refresh` rebuilds the slices
    of the months and offices an import or a rollback touched, in the same
    transaction, so the page and the raw responses cannot disagree.
    """

    responses = models.PositiveIntegerField(default=0)
    csat_n = models.PositiveIntegerField(default=0)
    csat_fav = models.PositiveIntegerField(default=0)
    csat_sum = models.PositiveIntegerField(default=0)
    politeness_n = models.PositiveIntegerField(default=0)
    politeness_fav = models.PositiveIntegerField(default=0)
    competence_n = models.PositiveIntegerField(default=0)
    competence_fav = models.PositiveIntegerField(default=0)
    waiting_n = models.PositiveIntegerField(default=0)
    waiting_fav = models.PositiveIntegerField(default=0)
    comfort_n = models.PositiveIntegerField(default=0)
    comfort_fav = models.PositiveIntegerField(default=0)
    information_n = models.PositiveIntegerField(default=0)
    information_fav = models.PositiveIntegerField(default=0)
    relevance_n = models.PositiveIntegerField(default=0)
    relevance_fav = models.PositiveIntegerField(default=0)
    ces_n = models.PositiveIntegerField(default=0)
    ces_fav = models.PositiveIntegerField(default=0)
    ces_sum = models.PositiveIntegerField(default=0)
    nps_n = models.PositiveIntegerField(default=0)
    nps_promoters = models.PositiveIntegerField(default=0)
    nps_detractors = models.PositiveIntegerField(default=0)
    solved_n = models.PositiveIntegerField(default=0)
    solved_yes = models.PositiveIntegerField(default=0)
    on_time_n = models.PositiveIntegerField(default=0)
    on_time_yes = models.PositiveIntegerField(default=0)
    wait_n = models.PositiveIntegerField(default=0)
    wait_sum = models.PositiveBigIntegerField(default=0)
    complaints = models.PositiveIntegerField(default=0)
    complaints_justified = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class MonthlySlice(SliceCounts):
    """Counts of the responses of one month × office × client type × group × channel.

    The dashboard reads these instead of millions of rows.
    """

    month = models.DateField(_("месяц"))
    office = models.ForeignKey(
        Office, verbose_name=_("подразделение"), on_delete=models.CASCADE, related_name="+"
    )
    client_type = models.CharField(_("тип клиента"), max_length=20, choices=ClientType.choices)
    client_group = models.CharField(
        _("группа клиентов"), max_length=20, choices=ClientGroup.choices
    )
    channel = models.CharField(_("канал"), max_length=20, choices=Channel.choices)

    class Meta:
        verbose_name = _("срез за месяц")
        verbose_name_plural = _("срезы за месяц")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "office", "client_type", "client_group", "channel"],
                name="feedback_slice_unique",
            ),
        ]
        indexes = [models.Index(fields=["month", "office"], name="feedback_slice_month_office")]

    def __str__(self):
        return f"{self.month:%m.%Y} {self.office_id} {self.client_type}/{self.client_group}"


class ServiceSlice(SliceCounts):
    """Counts of the responses of one month × office × client type × service.

    The dashboard's breakdown by service reads these when no client group or
    channel is chosen; with one of those it counts the raw responses.
    """

    month = models.DateField(_("месяц"))
    office = models.ForeignKey(
        Office, verbose_name=_("подразделение"), on_delete=models.CASCADE, related_name="+"
    )
    client_type = models.CharField(_("тип клиента"), max_length=20, choices=ClientType.choices)
    service = models.ForeignKey(
        Service,
        verbose_name=_("услуга"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("срез по услуге за месяц")
        verbose_name_plural = _("срезы по услугам за месяц")
        indexes = [
            models.Index(fields=["month", "office"], name="feedback_sslice_month_office"),
        ]

    def __str__(self):
        return f"{self.month:%m.%Y} {self.office_id} {self.client_type}/{self.service_id}"


class Topic(models.Model):
    """A subject clients write about, found in comments by its words.

    Each line of ``words`` is a word or a phrase; a comment has the topic
    when it holds a phrase's words one after another, compared through the
    search app's analysis: lower case, ё as е, Russian stems («очередь»,
    «очереди», «очередью» are one word), stop words skipped.
    """

    name = models.CharField(_("название"), max_length=100, unique=True)
    words = models.TextField(
        _("слова и фразы"),
        help_text=_(
            "По одному слову или фразе на строке. Формы слова находятся сами "
            "(«очередь» найдёт «очереди» и «очередью»), ё и е не различаются; "
            "однокоренные слова с другой основой («запись» и «записаться») "
            "укажите отдельно."
        ),
    )
    is_active = models.BooleanField(
        _("действует"), default=True, help_text=_("Недействующая тема снимается с комментариев.")
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    changed_at = models.DateTimeField(_("изменена"), auto_now=True)
    # When the comments were last tagged with this topic as it is: the
    # dashboard's cache key holds the latest, so new counts show at once.
    tagged_at = models.DateTimeField(_("комментарии размечены"), null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["changed_at", "tagged_at"])

    class Meta:
        verbose_name = _("тема комментариев")
        verbose_name_plural = _("темы комментариев")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def phrases(self):
        """The non-blank lines of ``words``, stripped."""
        return [line.strip() for line in self.words.splitlines() if line.strip()]

    def clean(self):
        from feedback.topics import words_errors

        errors = words_errors(self.words)
        if errors:
            raise ValidationError({"words": errors})


class ResponseTopic(models.Model):
    """A comment of a response has a topic.

    The response's month, office, client type, group, channel, date and
    whether it is negative are copied here, so the dashboard counts topics
    from this table alone (responses are never edited, only imported and
    rolled back, which removes these rows with them).
    """

    response = models.ForeignKey(
        FeedbackResponse,
        verbose_name=_("отзыв"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # feedback_response_topic starts with it
        # No database constraint: checking it for every link at the commit
        # of an import cost more than the links' own writing. Links are
        # written only by feedback.topics from rows just read, and go with
        # their response through Django's cascade or the rollback.
        db_constraint=False,
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("тема"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,  # topics are never deleted, only switched off
    )
    submitted_at = models.DateTimeField(_("дата ответа"))
    month = models.DateField(_("месяц"))
    office = models.ForeignKey(
        Office,
        verbose_name=_("подразделение"),
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,  # the response's own key guards it
    )
    client_type = models.CharField(_("тип клиента"), max_length=20, choices=ClientType.choices)
    client_group = models.CharField(
        _("группа клиентов"), max_length=20, choices=ClientGroup.choices
    )
    channel = models.CharField(_("канал"), max_length=20, choices=Channel.choices)
    negative = models.BooleanField(_("негативный ответ"), default=False)

    class Meta:
        verbose_name = _("тема отзыва")
        verbose_name_plural = _("темы отзывов")
        constraints = [
            models.UniqueConstraint(fields=["response", "topic"], name="feedback_response_topic"),
        ]
        # Every reader goes by month and office (the topics block, a topic's
        # comments) or by response (a page's topics, the rollback); an import
        # writes hundreds of thousands of links, so no index more than that.
        indexes = [
            models.Index(fields=["month", "office"], name="feedback_rtopic_month_office"),
        ]

    def __str__(self):
        return f"{self.response_id} — {self.topic_id}"
