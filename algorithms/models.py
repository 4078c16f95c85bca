"""A service algorithm (алгоритм оказания услуги) as a decision tree.

The algorithm is an ``articles.Article`` of the kind «алгоритм оказания
услуги» (search, history, trash, targeting and proposals work for it as
for any article); its tree is kept here: questions and results
(``DecisionNode``), the answers leading from a question to the next node
(``DecisionAnswer``), and how often each node was shown (``NodeViewDay``,
counts per day, never per person).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.models import Article

CODE_MAX = 20
LINK_SEPARATOR = "|"


def text_lines(value):
    """The non-empty lines of a plain-text list field, trimmed."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def safe_link_address(address):
    """Whether ``address`` may be a link on the page: http(s) or an address
    of the portal itself (``/…``, never ``//host``). Nothing else — no
    ``javascript:``, no ``data:``."""
    if address.startswith("/"):
        return not address.startswith(("//", "/\\"))
    lowered = address.lower()
    return lowered.startswith(("http://", "https://")) and len(address) > len("https://")


def link_lines(value):
    """[(title, address)] of a «формы и ссылки» field: one link a line,
    «Название | адрес» or just the address. Unsafe addresses are left out
    (the field's validator refuses them on save)."""
    links = []
    for line in text_lines(value):
        title, _sep, address = line.rpartition(LINK_SEPARATOR)
        address = address.strip()
        title = title.strip() or address
        if safe_link_address(address):
            links.append((title, address))
    return links


def validate_link_lines(value):
    for number, line in enumerate((value or "").splitlines(), start=1):
        if not line.strip():
            continue
        address = line.rpartition(LINK_SEPARATOR)[2].strip()
        if not safe_link_address(address):
            raise ValidationError(
                gettext(
                    "Строка %(number)s: «%(address)s» — не адрес. Пишите «Название | https://…» "
                    "или адрес портала, начинающийся с «/»."
                ),
                params={"number": number, "address": address[:80]},
                code="link",
            )


class Algorithm(Article):
    """The articles of the kind «алгоритм», for the admin of their trees."""

    class Meta:
        proxy = True
        verbose_name = _("алгоритм (дерево решений)")
        verbose_name_plural = _("алгоритмы: деревья решений")


class DecisionNode(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("вопрос")
        RESULT = "result", _("итог")

    article = models.ForeignKey(
        Article,
        verbose_name=_("алгоритм"),
        on_delete=models.CASCADE,
        related_name="decision_nodes",
    )
    code = models.CharField(
        _("код"),
        max_length=CODE_MAX,
        help_text=_("Короткий код узла, например В1 или И3: по нему ответы ссылаются на узлы."),
    )
    kind = models.CharField(_("тип"), max_length=10, choices=Kind.choices, default=Kind.QUESTION)
    is_start = models.BooleanField(
        _("начало"),
        default=False,
        help_text=_("С этого узла начинается прохождение. Такой узел один."),
    )
    text = models.CharField(
        _("вопрос или итог"),
        max_length=300,
        help_text=_("Вопрос, который задаёт специалист, или итог: что делать в этом случае."),
    )
    explanation = models.TextField(
        _("пояснение"),
        blank=True,
        help_text=_("Как это выяснить или на что обратить внимание (необязательно)."),
    )
    steps = models.TextField(
        _("что сделать"),
        blank=True,
        help_text=_("Для итога: по одному действию в строке — специалист отметит их галочками."),
    )
    documents = models.TextField(
        _("какие документы попросить"),
        blank=True,
        help_text=_("Для итога: по одному документу в строке."),
    )
    script = models.TextField(
        _("что сказать клиенту"),
        blank=True,
        help_text=_("Для итога: слова для клиента, по абзацу на строку."),
    )
    articles = models.ManyToManyField(
        Article,
        verbose_name=_("материалы базы знаний"),
        blank=True,
        related_name="decision_links",
        help_text=_("Стандарты, скрипты и памятки, которые пригодятся на этом шаге."),
    )
    links = models.TextField(
        _("формы и ссылки"),
        blank=True,
        validators=[validate_link_lines],
        help_text=_("По одной в строке: «Название | https://…» или адрес портала «/…»."),
    )
    order = models.PositiveIntegerField(_("порядок"), default=0)

    history = HistoricalRecords(m2m_fields=[articles])

    class Meta:
        verbose_name = _("узел алгоритма")
        verbose_name_plural = _("узлы алгоритма")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "code"],
                name="decision_node_code_once",
                violation_error_message=_("Узел с таким кодом в этом алгоритме уже есть."),
            )
        ]

    def __str__(self):
        return f"{self.code}: {self.text}"

    @property
    def is_result(self):
        return self.kind == self.Kind.RESULT

    def step_lines(self):
        return text_lines(self.steps)

    def document_lines(self):
        return text_lines(self.documents)

    def script_lines(self):
        return text_lines(self.script)

    def link_lines(self):
        return link_lines(self.links)


class DecisionAnswer(models.Model):
    """An answer to a question: it leads to the next question or to a result."""

    # The algorithm again (the nodes' own): the answers are edited on the
    # algorithm's page and the whole tree is read in two queries.
    article = models.ForeignKey(
        Article,
        verbose_name=_("алгоритм"),
        on_delete=models.CASCADE,
        related_name="decision_answers",
    )
    from_node = models.ForeignKey(
        DecisionNode,
        verbose_name=_("вопрос"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    label = models.CharField(_("ответ"), max_length=200)
    # Null only when the node it led to was deleted outside the admin: the
    # check of the tree names such an answer, the wizard says it leads nowhere.
    to_node = models.ForeignKey(
        DecisionNode,
        verbose_name=_("ведёт к"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="incoming",
    )
    order = models.PositiveIntegerField(_("порядок"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ответ")
        verbose_name_plural = _("ответы")
        ordering = ["order", "id"]

    def __str__(self):
        return self.label


class NodeViewDay(models.Model):
    """How many times a node was shown in the wizard on a day: where people
    stop, for the editors. A count, never who."""

    node = models.ForeignKey(
        DecisionNode, verbose_name=_("узел"), on_delete=models.CASCADE, related_name="view_days"
    )
    day = models.DateField(_("день"))
    count = models.PositiveIntegerField(_("показов"), default=0)

    class Meta:
        verbose_name = _("показы узла за день")
        verbose_name_plural = _("показы узлов по дням")
        constraints = [
            models.UniqueConstraint(fields=["node", "day"], name="node_view_day_once"),
        ]

    def __str__(self):
        return f"{self.node_id} {self.day}: {self.count}"


def walk_url(article_id, path=()):
    """The wizard's address for the answers ``path`` (answer ids) chosen so far."""
    if not path:
        return reverse("algorithms:walk", kwargs={"article_id": article_id})
    return reverse(
        "algorithms:walk_path",
        kwargs={"article_id": article_id, "path": ".".join(str(pk) for pk in path)},
    )
