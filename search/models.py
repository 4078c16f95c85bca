from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class SearchDocument(models.Model):
    """One article as search sees it: its analysed text and what filters need.

    The ``*_terms`` columns hold the output of ``search.analysis.analyse``;
    the database's full-text index is built from them (an FTS5 table kept in
    step by triggers on SQLite, a generated tsvector column on PostgreSQL,
    both created in migration 0002). Only live articles have a row.
    """

    article = models.OneToOneField(
        Article,
        verbose_name=_("материал"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    # Not a foreign key: the section may go to the trash, which search
    # learns from the article's own re-indexing.
    section_id = models.BigIntegerField(_("раздел"), db_index=True)
    kind = models.CharField(_("вид материала"), max_length=20)
    status = models.CharField(_("статус"), max_length=20)
    mandatory = models.BooleanField(_("обязательно для ознакомления"), default=False)
    has_attachments = models.BooleanField(_("есть вложения"), default=False)
    updated_at = models.DateTimeField(_("обновлено"))
    title_terms = models.TextField(_("термины заголовка"), blank=True)
    tags_terms = models.TextField(_("термины меток"), blank=True)
    summary_terms = models.TextField(_("термины краткого описания"), blank=True)
    body_terms = models.TextField(_("термины текста"), blank=True)
    attachment_terms = models.TextField(_("термины вложений"), blank=True)
    body_text = models.TextField(_("текст без разметки"), blank=True)
    indexed_at = models.DateTimeField(_("проиндексирован"), default=timezone.now)

    class Meta:
        verbose_name = _("поисковый документ")
        verbose_name_plural = _("поисковые документы")
        indexes = [
            # Covers the filters, so joining a full-text match to them reads a
            # narrow index instead of the wide rows (SQLite especially).
            models.Index(
                fields=[
                    "article",
                    "status",
                    "section_id",
                    "kind",
                    "mandatory",
                    "has_attachments",
                    "updated_at",
                ],
                name="search_doc_filters",
            ),
        ]

    def __str__(self):
        return str(self.article_id)


class SearchTerm(models.Model):
    """A word of the knowledge base, for typo correction: «клиентоцентричость»
    is corrected to a word that exists here, not to a dictionary's."""

    word = models.CharField(_("слово"), max_length=40)
    term = models.CharField(_("термин"), max_length=41, db_index=True)
    frequency = models.PositiveIntegerField(_("частота"), default=0)

    class Meta:
        verbose_name = _("слово словаря")
        verbose_name_plural = _("словарь поиска")
        constraints = [
            models.UniqueConstraint(fields=["word", "term"], name="search_term_word_term")
        ]
        indexes = [models.Index(fields=["word"])]

    def __str__(self):
        return self.word


class SearchTermDelete(models.Model):
    """A vocabulary stem with one letter left out (SymSpell): finds the words
    within two edits of a typo with one indexed lookup."""

    key = models.CharField(_("ключ"), max_length=41, db_index=True)
    term = models.CharField(_("термин"), max_length=41)

    class Meta:
        verbose_name = _("ключ исправления опечаток")
        verbose_name_plural = _("ключи исправления опечаток")

    def __str__(self):
        return self.key


class SearchQuery(models.Model):
    """One search as it was asked: never who asked, only their role."""

    created_at = models.DateTimeField(_("когда"), default=timezone.now, db_index=True)
    query = models.CharField(_("запрос"), max_length=200)
    filters = models.JSONField(_("фильтры"), default=dict, blank=True)
    results = models.PositiveIntegerField(_("найдено"), default=0)
    role = models.CharField(_("роль"), max_length=50, blank=True)
    page = models.PositiveIntegerField(_("страница"), default=1)
    corrected = models.CharField(_("исправленный запрос"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("поисковый запрос")
        verbose_name_plural = _("поисковые запросы")
        ordering = ["-created_at"]

    def __str__(self):
        return self.query


class SearchClick(models.Model):
    """A result someone opened from a search."""

    search = models.ForeignKey(
        SearchQuery, verbose_name=_("запрос"), on_delete=models.CASCADE, related_name="clicks"
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("материал"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveIntegerField(_("место в выдаче"), default=0)
    created_at = models.DateTimeField(_("когда"), default=timezone.now)

    class Meta:
        verbose_name = _("переход из поиска")
        verbose_name_plural = _("переходы из поиска")

    def __str__(self):
        return f"{self.search_id} → {self.article_id}"
