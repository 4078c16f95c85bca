"""Reading decision trees: the whole tree of an algorithm in two queries, a
walk along the answers of a path, the article page's block, the text
search indexes, and the editors' counts of the nodes shown."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from algorithms.models import DecisionAnswer, DecisionNode, NodeViewDay, link_lines, walk_url

# A path is the answers chosen, as their numbers joined by dots. No tree is
# this deep; anything longer is not a path of one.
PATH_MAX_STEPS = 200
PATH_RE = re.compile(r"[1-9][0-9]{0,17}(?:\.[1-9][0-9]{0,17})*")
STATS_DAYS = 30


@dataclass
class Tree:
    article_id: int
    nodes: dict  # id -> DecisionNode
    answers: dict  # id -> DecisionAnswer
    choices: dict  # node id -> [DecisionAnswer] in order
    start: DecisionNode | None


def algorithm_tree(*, article):
    """The tree of ``article``: every node and answer (two queries, whatever
    its size: the wizard walks it in memory)."""
    nodes = {node.pk: node for node in DecisionNode.objects.filter(article=article)}
    answers = {}
    choices = {}
    for answer in DecisionAnswer.objects.filter(article=article).order_by("order", "id"):
        if answer.from_node_id in nodes:
            answers[answer.pk] = answer
            choices.setdefault(answer.from_node_id, []).append(answer)
    starts = sorted((n for n in nodes.values() if n.is_start), key=lambda n: (n.order, n.pk))
    return Tree(
        article_id=article.pk,
        nodes=nodes,
        answers=answers,
        choices=choices,
        start=starts[0] if starts else None,
    )


@dataclass
class Step:
    """A question answered on the way: the wizard at it is ``url``."""

    node: DecisionNode
    answer: DecisionAnswer
    url: str


@dataclass
class Choice:
    answer: DecisionAnswer
    url: str


@dataclass
class Walk:
    steps: list = field(default_factory=list)
    node: DecisionNode | None = None  # where the walk is now
    path: tuple = ()  # the answers that led here
    choices: list = field(default_factory=list)  # the answers of the question shown
    error: str = ""  # why the path asked for could not be walked

    @property
    def back_url(self):
        return self.steps[-1].url if self.steps else None


def path_parse(raw):
    """The answer ids of a path in the address (``12.15.19``), or None when
    it is not one."""
    if not raw:
        return ()
    if len(raw) > PATH_MAX_STEPS * 19 or not PATH_RE.fullmatch(raw):
        return None
    ids = tuple(int(part) for part in raw.split("."))
    return ids if len(ids) <= PATH_MAX_STEPS else None


def tree_walk(tree, path):
    """Follow the answers ``path`` (ids) from the start of ``tree``. A path
    that leaves the tree stops at the last node it reached, with ``error``
    saying what happened (the algorithm may have changed since the address
    was saved)."""
    walk = Walk(node=tree.start)
    if path is None:
        walk.error = _(
            "Адрес шага неверен: в нём должны быть номера ответов через точку. "
            "Начните алгоритм сначала."
        )
        return _with_choices(tree, walk)
    taken = []
    for answer_id in path:
        answer = tree.answers.get(answer_id)
        if answer is None or answer.from_node_id != walk.node.pk:
            walk.error = _(
                "Такого пути в этом алгоритме нет — возможно, алгоритм изменился после того, "
                "как ссылку сохранили. Продолжите с последнего шага, который удалось найти, "
                "или начните сначала."
            )
            break
        target = tree.nodes.get(answer.to_node_id)
        if target is None:
            walk.error = _(
                "Ответ «%(label)s» пока никуда не ведёт: алгоритм нужно поправить. "
                "Сообщите редактору."
            ) % {"label": answer.label}
            break
        walk.steps.append(Step(node=walk.node, answer=answer, url=walk_url(tree.article_id, taken)))
        taken.append(answer_id)
        walk.node = target
    walk.path = tuple(taken)
    return _with_choices(tree, walk)


def _with_choices(tree, walk):
    if walk.node is not None and not walk.node.is_result:
        walk.choices = [
            Choice(answer=answer, url=walk_url(tree.article_id, (*walk.path, answer.pk)))
            for answer in tree.choices.get(walk.node.pk, [])
        ]
    return walk


def result_articles(*, node, user):
    """The materials a result links to that ``user`` may open, with their
    sections (one query)."""
    from articles.models import Article

    return list(
        Article.objects.visible_to(user)
        .filter(decision_links=node)
        .select_related("section")
        .only("id", "title", "slug", "kind", "section__slug")
        .order_by("title")
    )


def article_block(*, request, article):
    """The article page's block of an algorithm (articles.companions): the
    first question with its answers, each a way into the wizard. One query
    (the start's answers with their question); a second only when there are
    none (a start that is a result; or no nodes: no block at all)."""
    answers = list(
        DecisionAnswer.objects.filter(article=article, from_node__is_start=True)
        .select_related("from_node")
        .order_by("order", "id")
    )
    if answers:
        start = min((answer.from_node for answer in answers), key=lambda n: (n.order, n.pk))
        answers = [answer for answer in answers if answer.from_node_id == start.pk]
    else:
        start = DecisionNode.objects.filter(article=article, is_start=True).order_by("order", "id")
        start = start.first()
    if start is None:
        return None
    choices = []
    if not start.is_result:
        choices = [
            Choice(answer=answer, url=walk_url(article.pk, (answer.pk,))) for answer in answers
        ]
    return {
        "template": "algorithms/includes/article_block.html",
        "start": start,
        "choices": choices,
        "walk_url": walk_url(article.pk),
    }


def articles_texts(*, article_ids):
    """{article id: the words of its tree} for search: questions, results,
    explanations, steps, documents, the script, link titles and answers."""
    texts = {}
    for values in DecisionNode.objects.filter(article_id__in=article_ids).values_list(
        "article_id", "text", "explanation", "steps", "documents", "script", "links"
    ):
        article_id, *parts, links = values
        parts.extend(title for title, _address in link_lines(links))
        texts.setdefault(article_id, []).extend(part for part in parts if part)
    for article_id, label in DecisionAnswer.objects.filter(article_id__in=article_ids).values_list(
        "article_id", "label"
    ):
        texts.setdefault(article_id, []).append(label)
    return {article_id: "\n".join(parts) for article_id, parts in texts.items()}


@dataclass
class NodeCount:
    node: DecisionNode
    recent: int
    total: int
    share: int | None  # of the start's showings in the same days, in %


def node_counts(*, article, today=None):
    """For the editors: how many times each node of ``article`` was shown in
    the last STATS_DAYS days and in all, with its share of the start's (where
    people stop: a question shown much more than what its answers lead to).
    Two queries."""
    since = (today or timezone.localdate()) - timedelta(days=STATS_DAYS - 1)
    nodes = list(
        DecisionNode.objects.filter(article=article).only("id", "code", "kind", "text", "is_start")
    )
    sums = {
        row["node_id"]: row
        for row in NodeViewDay.objects.filter(node__article=article)
        .values("node_id")
        .annotate(total=Sum("count"), recent=Sum("count", filter=Q(day__gte=since)))
    }
    start = next((node for node in nodes if node.is_start), None)
    start_recent = 0
    if start is not None:
        start_recent = sums.get(start.pk, {}).get("recent") or 0
    rows = []
    for node in nodes:
        row = sums.get(node.pk) or {}
        recent = row.get("recent") or 0
        share = round(100 * recent / start_recent) if start_recent else None
        rows.append(NodeCount(node=node, recent=recent, total=row.get("total") or 0, share=share))
    return rows
