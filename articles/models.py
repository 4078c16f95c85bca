import hashlib
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from articles.richtext import EXTENSIONS, plain_text, sanitize_html
from articles.uploads import ALLOWED, inspect_upload, safe_filename
from people.roles import is_editor


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)


class SectionManager(models.Manager):
    """The default manager: deleted sections are in the trash, not in the portal."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True).order_by("tree_id", "lft")


class Section(MPTTModel):
    """A node of the knowledge-base tree; its order is its place in the tree."""

    title = models.CharField(_("название"), max_length=200)
    slug = models.SlugField(
        _("адрес (slug)"),
        max_length=80,
        unique=True,
        help_text=_("Латиницей, через дефис; часть адреса страницы раздела."),
        error_messages={"unique": _("Раздел с таким адресом уже есть.")},
    )
    description = models.TextField(
        _("описание"), blank=True, help_text=_("Одно-два предложения: что лежит в разделе.")
    )
    parent = TreeForeignKey(
        "self",
        verbose_name=_("родительский раздел"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    modified_at = models.DateTimeField(_("изменён"), auto_now=True)
    deleted_at = models.DateTimeField(_("удалён"), null=True, blank=True, editable=False)
    # Who the section (with its subsections and their articles) is for:
    # discovery, not access. Written by articles.services.section_target_apply;
    # the audience keeps its own history.
    target_audience = models.OneToOneField(
        "people.Audience",
        verbose_name=_("для кого раздел"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="targeted_section",
    )

    history = HistoricalRecords(
        excluded_fields=["lft", "rght", "tree_id", "level", "target_audience"]
    )
    objects = SectionManager()
    # Tree bookkeeping must see deleted nodes too, or moves corrupt the tree.
    all_objects = TreeManager()

    class Meta:
        verbose_name = _("раздел")
        verbose_name_plural = _("разделы")
        base_manager_name = "all_objects"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class ArticleQuerySet(SoftDeleteQuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED, deleted_at__isnull=True)

    def mandatory(self):
        """Marked mandatory. Written as ``IN (true)``: Django writes
        ``mandatory=True`` as the bare column on SQLite, which no index
        serves, and 10,000 articles would then be read to find a few."""
        return self.filter(mandatory__in=[True])

    def visible_to(self, user):
        """What ``user`` may open: editors see every live article."""
        if is_editor(user):
            return self.alive()
        return self.filter(
            status__in=[Article.Status.PUBLISHED, Article.Status.ARCHIVED],
            deleted_at__isnull=True,
        )

    def listed_for(self, user):
        """What lists show ``user``: editors see drafts too (with their status),
        staff only what is published; archived articles open by link only."""
        return self.alive() if is_editor(user) else self.published()

    def for_cards(self, *extra):
        """The columns an article card shows (and ``extra`` ones).

        No join to the section: its title and slug come from the cached tree
        (``selectors.with_sections``), which also lets the database walk the
        ordering index and stop after one page instead of sorting everything.
        """
        return self.only(
            "id",
            "title",
            "slug",
            "summary",
            "kind",
            "status",
            "mandatory",
            "mandatory_audience_id",
            "published_at",
            "updated_at",
            "review_due",
            "section_id",
            *extra,
        )


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Article(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("документ")
        STANDARD = "standard", _("стандарт / инструкция / скрипт")
        CASE = "case", _("кейс")
        PROFILE = "profile", _("профиль клиентской группы")
        ROUTE = "route", _("маршрут клиента")
        ALGORITHM = "algorithm", _("алгоритм оказания услуги")
        FAQ = "faq", _("вопрос-ответ")
        LITERATURE = "literature", _("литература")
        VIDEO = "video", _("видео")
        PODCAST = "podcast", _("подкаст")
        PRESENTATION = "presentation", _("презентация")
        EXTERNAL = "external", _("внешний материал")
        REPORT = "report", _("фото/видеоотчёт")
        CONTACT = "contact", _("контакт")

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        REVIEW = "review", _("на проверке")
        PUBLISHED = "published", _("опубликовано")
        ARCHIVED = "archived", _("в архиве")

    class Lifecycle(models.TextChoices):
        EVERGREEN = "evergreen", _("долго не устаревает")
        DYNAMIC = "dynamic", _("часто меняется")

    section = TreeForeignKey(
        Section,
        verbose_name=_("раздел"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    title = models.CharField(_("заголовок"), max_length=200)
    slug = models.SlugField(
        _("адрес (slug)"),
        max_length=80,
        unique=True,
        help_text=_("Латиницей, через дефис. Можно менять: старые ссылки продолжат работать."),
        error_messages={"unique": _("Материал с таким адресом уже есть.")},
    )
    summary = models.TextField(
        _("кратко"),
        max_length=500,
        blank=True,
        help_text=_("Одно-два простых предложения: о чём материал и кому он нужен."),
    )
    body = ProseEditorField(
        _("текст"),
        extensions=EXTENSIONS,
        sanitize=sanitize_html,
        blank=True,
        help_text=_(
            "Заголовки, списки, ссылки, таблицы. Картинка: прикрепите PNG или JPG во "
            "«Вложениях», сохраните и вставьте её адрес (/attachments/…/) кнопкой "
            "«Изображение с подписью»."
        ),
    )
    kind = models.CharField(_("вид материала"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    lifecycle = models.CharField(
        _("актуальность"),
        max_length=20,
        choices=Lifecycle.choices,
        default=Lifecycle.EVERGREEN,
        help_text=_(
            "«Долго не устаревает» — кодекс, методика, профиль клиента; «часто меняется» — "
            "сроки, контакты, графики: такой материал проверяют чаще."
        ),
    )
    mandatory = models.BooleanField(
        _("обязательно для ознакомления"),
        default=False,
        help_text=_("Сотрудники увидят материал на главной, пока не отметят, что ознакомились."),
    )
    # Who must read it (None: everyone) and by when; edited in the article's
    # admin form through articles.services.article_mandatory_apply.
    mandatory_audience = models.OneToOneField(
        "people.Audience",
        verbose_name=_("для кого обязателен"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="mandatory_article",
    )
    # Who the material is for («Для вас» on the home page; None: not
    # targeted by itself, its sections may be). Discovery, not access:
    # everyone can still open it. Written by
    # articles.services.article_target_apply.
    target_audience = models.OneToOneField(
        "people.Audience",
        verbose_name=_("для кого материал"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="targeted_article",
    )
    mandatory_deadline = models.DateField(
        _("срок ознакомления"),
        null=True,
        blank=True,
        help_text=_("Включительно. Пусто — без срока."),
    )
    # The version everyone in the audience must have acknowledged: that of the
    # latest re-acknowledgement round (0: any acknowledgement counts).
    ack_required_version = models.PositiveIntegerField(
        _("версия для ознакомления"), default=0, editable=False
    )
    approved_on = models.DateField(
        _("дата утверждения"), null=True, blank=True, help_text=_("Если документ утверждён.")
    )
    approval_number = models.CharField(
        _("номер документа об утверждении"),
        max_length=100,
        blank=True,
        help_text=_("Например: приказ № 45-п."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ответственный редактор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_articles",
    )
    external_url = models.URLField(
        _("внешняя ссылка"),
        blank=True,
        max_length=500,
        help_text=_("Для ссылок, видео и подкастов, размещённых в другом месте интранета."),
    )
    published_at = models.DateTimeField(_("опубликовано"), null=True, blank=True)
    updated_at = models.DateTimeField(
        _("обновлено"),
        default=timezone.now,
        editable=False,
        help_text=_("Меняется только при изменении содержания."),
    )
    review_due = models.DateField(
        _("следующая актуализация"),
        null=True,
        blank=True,
        help_text=_("Когда проверить, что материал всё ещё верен."),
    )
    reviewed_at = models.DateTimeField(
        _("проверено"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Когда владелец или редактор в последний раз подтвердил, что материал верен."),
    )
    # Who proposed the changes that were accepted: [{"name", "office", "proposal"}],
    # copied at acceptance so the page needs no query and the credit stays as it
    # was given (the history keeps each state).
    credits = models.JSONField(_("предложили"), default=list, blank=True, editable=False)
    tags = TaggableManager(_("метки"), blank=True, help_text=_("Через запятую."))
    related = models.ManyToManyField(
        "self",
        verbose_name=_("связанные материалы"),
        blank=True,
        symmetrical=True,
        help_text=_("Перекрёстные ссылки: связь видна на обеих страницах."),
    )
    content_hash = models.CharField(max_length=64, editable=False, default="")
    version = models.PositiveIntegerField(_("версия"), default=0, editable=False)
    view_count = models.PositiveIntegerField(_("просмотры"), default=0, editable=False)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    modified_at = models.DateTimeField(_("сохранено"), auto_now=True)
    deleted_at = models.DateTimeField(_("удалено"), null=True, blank=True, editable=False)

    # Fields whose change moves «обновлено»; status, tags or dates do not.
    CONTENT_FIELDS = ("title", "summary", "body", "external_url", "kind")

    # The audience and the required version are written by
    # articles.services.article_mandatory_apply, not by the form: the
    # audience keeps its own history, each round is a record, and reverting
    # the article to an old version must not change who has to read it.
    history = HistoricalRecords(
        excluded_fields=[
            "view_count",
            "content_hash",
            "mandatory_audience",
            "ack_required_version",
            "target_audience",
        ]
    )
    objects = ArticleManager()
    all_objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("материал")
        verbose_name_plural = _("материалы")
        base_manager_name = "all_objects"
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["-published_at"]),
            models.Index(fields=["-updated_at"]),
            models.Index(fields=["-view_count"]),
            models.Index(fields=["section", "status"]),
            models.Index(fields=["mandatory", "status"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Invariants that hold whatever way the data arrives (admin, import,
        # a shell): rich text is sanitised, plain fields hold no markup,
        # «обновлено» moves only when the content really changed, and every
        # save gets a new version so a stale form can be detected.
        self.body = sanitize_html(self.body)
        self.title = plain_text(self.title)
        self.summary = plain_text(self.summary)
        content_hash = self.compute_content_hash()
        if content_hash != self.content_hash:
            self.content_hash = content_hash
            self.updated_at = timezone.now()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            # Whole seconds, as the admin's date-time field keeps them: otherwise
            # the first admin save would record a change nobody made.
            self.published_at = timezone.now().replace(microsecond=0)
        self.version = self.current_version() + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "articles:article", kwargs={"section_slug": self.section.slug, "slug": self.slug}
        )

    def compute_content_hash(self):
        digest = hashlib.sha256()
        for name in self.CONTENT_FIELDS:
            digest.update(str(getattr(self, name) or "").encode())
            digest.update(b"\x1f")
        return digest.hexdigest()

    def current_version(self):
        """The version stored in the database (0 for a new article)."""
        if self.pk is None:
            return 0
        stored = Article.all_objects.filter(pk=self.pk).values_list("version", flat=True)
        return stored.first() or 0

    def content_changed(self):
        """Record a change to content kept outside the row (attachments)."""
        self.updated_at = timezone.now()
        Article.all_objects.filter(pk=self.pk).update(updated_at=self.updated_at)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def review_overdue(self):
        return self.review_due is not None and self.review_due < timezone.localdate()

    @property
    def is_approved(self):
        return self.approved_on is not None or bool(self.approval_number)

    @property
    def mandatory_for_everyone(self):
        """Mandatory for every member of staff (no audience chosen): the one
        case lists can mark without asking who is reading."""
        return self.mandatory and self.mandatory_audience_id is None


class ArticleTemplate(models.Model):
    """The text a new article of one kind starts with («шаблон»): the
    headings an editor fills in, e.g. a case's «Ситуация — Что сделали —
    Результат — Что повторить». Read once, when the add form opens; an
    article's own text is never replaced by it."""

    kind = models.CharField(
        _("вид материала"),
        max_length=20,
        choices=Article.Kind.choices,
        unique=True,
        error_messages={"unique": _("Шаблон для этого вида материала уже есть.")},
    )
    body = ProseEditorField(
        _("текст шаблона"),
        extensions=EXTENSIONS,
        sanitize=sanitize_html,
        blank=True,
        help_text=_(
            "С него начинается текст нового материала этого вида: заголовки разделов и "
            "подсказки, что в них написать. Пустой текст — шаблона нет."
        ),
    )
    modified_at = models.DateTimeField(_("изменён"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("шаблон текста")
        verbose_name_plural = _("шаблоны текста по видам материалов")
        ordering = ["kind"]

    def __str__(self):
        return gettext("Шаблон: %(kind)s") % {"kind": self.get_kind_display()}

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)


def attachment_upload_to(instance, filename):
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{safe_filename(filename)}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("документ")
        TABLE = "table", _("таблица")
        PRESENTATION = "presentation", _("презентация")
        TEXT = "text", _("текст")
        IMAGE = "image", _("изображение")
        VIDEO = "video", _("видео")
        AUDIO = "audio", _("аудио")

    class ExtractionStatus(models.TextChoices):
        PENDING = "pending", _("ожидает извлечения")
        OK = "ok", _("текст извлечён")
        EMPTY = "empty", _("текста нет")
        FAILED = "failed", _("не удалось извлечь")
        UNSUPPORTED = "unsupported", _("формат без текста")

    article = models.ForeignKey(
        Article,
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("файл"),
        upload_to=attachment_upload_to,
        max_length=300,
        help_text=_("PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, TXT, PNG, JPG, MP4, MP3."),
    )
    title = models.CharField(
        _("название"), max_length=200, blank=True, help_text=_("Если пусто — имя файла.")
    )
    original_name = models.CharField(_("имя файла"), max_length=255, editable=False)
    kind = models.CharField(_("тип"), max_length=20, choices=Kind.choices, editable=False)
    mime_type = models.CharField(_("MIME-тип"), max_length=120, editable=False)
    size = models.PositiveBigIntegerField(_("размер, байт"), default=0, editable=False)
    extracted_text = models.TextField(_("извлечённый текст"), blank=True, editable=False)
    extraction_status = models.CharField(
        _("извлечение текста"),
        max_length=20,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.PENDING,
        editable=False,
    )
    extraction_error = models.CharField(
        _("причина"),
        max_length=300,
        blank=True,
        editable=False,
        help_text=_("Почему текст не извлечён или извлечён не весь."),
    )
    extracted_at = models.DateTimeField(_("текст извлечён"), null=True, blank=True, editable=False)
    # A presentation's text slide by slide, for its preview on the article
    # page: at most SLIDES_KEPT + 1 slides (one more than shown, to say that
    # there are more), each cut to SLIDE_CHARS. The search reads extracted_text.
    slides = models.JSONField(_("текст слайдов"), default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("добавлено"), auto_now_add=True)

    SLIDES_KEPT = 60
    SLIDE_CHARS = 1000

    # Derived from the file, so not content of its own: re-extracting must not
    # add history rows.
    history = HistoricalRecords(
        excluded_fields=[
            "extracted_text",
            "extraction_status",
            "extraction_error",
            "extracted_at",
            "slides",
        ]
    )

    class Meta:
        verbose_name = _("вложение")
        verbose_name_plural = _("вложения")
        ordering = ["id"]

    def __str__(self):
        return self.display_title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            # A file that did not pass clean() never gets stored.
            file_type = inspect_upload(self.file.file)
            self.original_name = PurePath(self.file.name).name[:255]
            self.kind = file_type.kind
            self.mime_type = file_type.mime
            self.size = self.file.size
        self.title = plain_text(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:attachment", kwargs={"pk": self.pk})

    def clean(self):
        upload = self.file.file if self.file and not self.file._committed else None
        if upload is not None:
            try:
                inspect_upload(upload)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from None

    @property
    def display_title(self):
        return self.title or self.original_name

    @property
    def extension(self):
        return PurePath(self.original_name).suffix.lower().lstrip(".")

    @property
    def type_label(self):
        file_type = ALLOWED.get(self.extension)
        return file_type.label if file_type else self.get_kind_display()

    @property
    def inline(self):
        file_type = ALLOWED.get(self.extension)
        return bool(file_type and file_type.inline)

    @property
    def playable(self):
        """Audio and video the article page plays in the browser's own player."""
        return self.kind in {self.Kind.VIDEO, self.Kind.AUDIO}

    @property
    def is_image(self):
        return self.kind == self.Kind.IMAGE

    @property
    def slide_preview(self):
        """The slides the article page shows, numbered from 1, and whether
        the file has more than those."""
        if self.kind != self.Kind.PRESENTATION or not self.slides:
            return [], False
        shown = self.slides[: self.SLIDES_KEPT]
        return list(enumerate(shown, start=1)), len(self.slides) > len(shown)

    @property
    def extraction_summary(self):
        """What an editor reads about the text search has of this file."""
        status = self.ExtractionStatus
        if self.extraction_status == status.PENDING:
            return gettext("текст ещё не извлечён")
        if self.extraction_status == status.OK:
            count = len(self.extracted_text)
            summary = ngettext(
                "текст извлечён: %(count)s символ",
                "текст извлечён, символов: %(count)s",
                count,
            ) % {"count": number_format(count, force_grouping=True)}
            return f"{summary} ({self.extraction_error})" if self.extraction_error else summary
        return gettext("текст не извлечён: %(reason)s") % {
            "reason": self.extraction_error or self.get_extraction_status_display()
        }


class Acknowledgement(models.Model):
    """A staff member's mark that they have read a mandatory document, in the
    version they read. A re-acknowledgement round asks for a newer version;
    the mark for the old one stays on record."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="acknowledgements",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сотрудник"),
        on_delete=models.CASCADE,
        related_name="acknowledgements",
    )
    acknowledged_at = models.DateTimeField(_("ознакомлен"), default=timezone.now)
    article_version = models.PositiveIntegerField(_("версия материала"))

    class Meta:
        verbose_name = _("ознакомление")
        verbose_name_plural = _("ознакомления")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user", "article_version"], name="one_ack_per_user_version"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.article}"


class AcknowledgementRound(models.Model):
    """«Требуется повторное ознакомление»: an editor saved a substantive change
    of a mandatory document and everyone in its audience must read it again.
    ``article_version`` is the article's version saved with the change; from
    then on only an acknowledgement of that version or a later one counts."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="acknowledgement_rounds",
    )
    article_version = models.PositiveIntegerField(_("версия материала"))
    summary = models.TextField(_("что изменилось"), max_length=2000)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто запросил"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("когда"), default=timezone.now)
    deadline = models.DateField(_("срок ознакомления"), null=True, blank=True)
    notified = models.PositiveIntegerField(_("уведомлено сотрудников"), default=0)

    class Meta:
        verbose_name = _("повторное ознакомление")
        verbose_name_plural = _("повторные ознакомления")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "article_version"], name="one_round_per_article_version"
            )
        ]

    def __str__(self):
        return f"{self.article} — {gettext('версия')} {self.article_version}"


class ArticleUpdate(models.Model):
    """«Существенное изменение»: an editor said a save of a published article
    changed it in substance and wrote what changed. A re-acknowledgement
    round is one too (it records its own), and so is an accepted proposal.
    «Что нового» (/new/), the subscriptions and the digests read these;
    a plain save (a typo fixed) records nothing."""

    class Source(models.TextChoices):
        EDITOR = "editor", _("правка редактора")
        REACK = "reack", _("повторное ознакомление")
        PROPOSAL = "proposal", _("принятое предложение")

    article = models.ForeignKey(
        Article,
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="substantive_updates",
    )
    article_version = models.PositiveIntegerField(_("версия материала"))
    summary = models.TextField(_("что изменилось"), max_length=2000)
    source = models.CharField(
        _("откуда"), max_length=20, choices=Source.choices, default=Source.EDITOR
    )
    at = models.DateTimeField(_("когда"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("существенное изменение")
        verbose_name_plural = _("существенные изменения")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "article_version"], name="one_update_per_article_version"
            )
        ]
        indexes = [models.Index(fields=["-at"], name="article_update_at")]

    def __str__(self):
        return f"{self.article} — {gettext('версия')} {self.article_version}"


class MandatoryReminder(models.Model):
    """That the reminders of one stage went out for one document, one
    deadline and one required version: the unique constraint makes
    ``send_mandatory_reminders`` safe to re-run. A new deadline or a new
    re-acknowledgement round starts the reminders over."""

    class Stage(models.TextChoices):
        WEEK = "week", _("за 7 дней до срока")
        DAY = "day", _("за 1 день до срока")

    article = models.ForeignKey(
        Article,
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="mandatory_reminders",
    )
    stage = models.CharField(_("напоминание"), max_length=10, choices=Stage.choices)
    deadline = models.DateField(_("срок ознакомления"))
    article_version = models.PositiveIntegerField(
        _("версия для ознакомления"), help_text=_("Какую версию нужно было прочитать.")
    )
    sent_on = models.DateField(_("отправлено"), help_text=_("День, за который шла рассылка."))
    recipients = models.PositiveIntegerField(_("получателей"), default=0)
    created_at = models.DateTimeField(_("записано"), default=timezone.now)

    class Meta:
        verbose_name = _("напоминание об ознакомлении")
        verbose_name_plural = _("напоминания об ознакомлении")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "stage", "deadline", "article_version"],
                name="one_mandatory_reminder_per_stage",
            )
        ]

    def __str__(self):
        return f"{self.article} — {self.get_stage_display()} ({self.deadline:%d.%m.%Y})"


class DeletedManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=False)


class ArticleTrash(Article):
    """Deleted articles, as the admin's trash shows them."""

    objects = DeletedManager()

    class Meta:
        proxy = True
        verbose_name = _("материал в корзине")
        verbose_name_plural = _("корзина: материалы")
        ordering = ["-deleted_at"]


class SectionTrash(Section):
    """Deleted sections, as the admin's trash shows them."""

    objects = DeletedManager()

    class Meta:
        proxy = True
        verbose_name = _("раздел в корзине")
        verbose_name_plural = _("корзина: разделы")
        ordering = ["-deleted_at"]


class ArticleViewDay(models.Model):
    """How many times the staff of one office opened one article on one day.

    A compact count, never a log of who read what: one row per article,
    office and day. Views are added up in the cache and written here in
    amounts (``articles.services.article_count_view``, and the command
    ``flush_article_views`` for what is still in the cache). Views by
    people without an office have ``office`` empty and count in the
    region's total only. Read by «Знания и индекс» (kbuse, by month) and by
    the reading analytics per article and office.
    """

    # No index of their own: the unique index starts with the article, and
    # the office is read with the day (the indexes below). Each index is paid
    # for on every new row (one per article, office and day) and, holding
    # ``views``, on every flush of buffered views into it.
    article = models.ForeignKey(
        Article,
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="view_days",
        db_index=False,
    )
    office = models.ForeignKey(
        "people.Office",
        verbose_name=_("подразделение читателя"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
        help_text=_("Пусто — читатель без подразделения: его просмотры входят только в итог."),
    )
    date = models.DateField(_("день"))
    views = models.PositiveIntegerField(_("просмотров"), default=0)

    class Meta:
        verbose_name = _("просмотры материала за день")
        verbose_name_plural = _("просмотры материалов по дням")
        constraints = [
            # COALESCE: rows without an office must collide too (NULLs never
            # do in a plain unique index), so that the upsert finds them.
            models.UniqueConstraint(
                "article",
                "date",
                Coalesce("office", 0),
                name="article_view_day_unique",
            ),
        ]
        indexes = [
            # Both cover what their reads need (``views`` too), so PostgreSQL
            # answers from the index alone: a period's views by office and
            # article for the region (the reading analytics, «Знания и индекс») ...
            models.Index(
                fields=["date", "office", "article", "views"], name="article_view_day_date_cover"
            ),
            # ... the same for the offices of one manager's subtree ...
            models.Index(
                fields=["office", "date", "article", "views"], name="article_view_day_office_cover"
            ),
            # ... and one article's recent days (the admin's 30-day column,
            # the analytics' sparklines).
            models.Index(
                fields=["article", "date", "views"], name="article_view_day_article_cover"
            ),
        ]

    def __str__(self):
        return f"{self.article_id} · {self.office_id or '—'} · {self.date:%Y-%m-%d}: {self.views}"
