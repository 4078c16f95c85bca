"""The check of a decision tree, and the count of the nodes shown."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from algorithms.models import DecisionAnswer, DecisionNode, NodeViewDay


@dataclass(frozen=True)
class DraftNode:
    """A node as the check sees it: stored, or about to be saved."""

    code: str
    kind: str
    is_start: bool
    text: str = ""


@dataclass(frozen=True)
class DraftAnswer:
    from_code: str
    to_code: str  # "" when it leads nowhere
    label: str
    # Set when a stored answer's nodes belong to another algorithm.
    foreign: bool = False


def _name(node):
    return f"{node.code} «{Truncator(node.text).chars(60)}»"


def _codes(nodes):
    return ", ".join(node.code for node in nodes)


def _cycle(nodes, following):
    """The first cycle (a list of codes, its first node repeated at its
    end) reachable along ``following``, or None."""
    state = {}  # code -> 1 on the current path, 2 done
    for root in nodes:
        if root.code in state:
            continue
        path = [root.code]
        stack = [iter(following.get(root.code, ()))]
        state[root.code] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(following.get(nxt, ())))
    return None


def tree_problems(nodes, answers):
    """What is wrong with the tree of ``nodes`` and ``answers``, in Russian
    words naming the nodes (an empty list: nothing). An algorithm without
    nodes is no problem: it is an article with nothing to walk yet."""
    if not nodes:
        return []
    problems = []
    by_code = {}
    for node in nodes:
        if node.code in by_code:
            problems.append(
                _("Код «%(code)s» у двух узлов: коды узлов не повторяются.") % {"code": node.code}
            )
        by_code.setdefault(node.code, node)

    starts = [node for node in nodes if node.is_start]
    if not starts:
        problems.append(
            _("Не отмечено начало: отметьте «начало» у узла, с которого начинается алгоритм.")
        )
    elif len(starts) > 1:
        problems.append(
            _("Начало у алгоритма одно, а отмечено несколько узлов: %(codes)s.")
            % {"codes": _codes(starts)}
        )

    following = {}  # code -> [codes the answers lead to]
    labels = {}
    for answer in answers:
        source = by_code.get(answer.from_code)
        if answer.foreign:
            problems.append(
                _("Ответ «%(label)s» связан с узлом другого алгоритма.") % {"label": answer.label}
            )
            continue
        if source is None:
            problems.append(
                _("Ответ «%(label)s» дан на вопрос «%(code)s», а такого узла нет.")
                % {"label": answer.label, "code": answer.from_code}
            )
            continue
        if source.kind == DecisionNode.Kind.RESULT:
            problems.append(
                _(
                    "Узел %(node)s — итог, а у него есть ответ «%(label)s»: у итога ответов "
                    "не бывает. Сделайте узел вопросом или уберите ответ."
                )
                % {"node": _name(source), "label": answer.label}
            )
        key = (source.code, answer.label.strip().casefold())
        if key in labels:
            problems.append(
                _("У вопроса %(node)s два ответа «%(label)s».")
                % {"node": _name(source), "label": answer.label}
            )
        labels[key] = True
        if not answer.to_code:
            problems.append(
                _(
                    "Ответ «%(label)s» на вопрос %(node)s никуда не ведёт: укажите код узла, "
                    "к которому он ведёт."
                )
                % {"label": answer.label, "node": _name(source)}
            )
        elif answer.to_code not in by_code:
            problems.append(
                _("Ответ «%(label)s» на вопрос %(node)s ведёт к узлу «%(code)s», а такого нет.")
                % {"label": answer.label, "node": _name(source), "code": answer.to_code}
            )
        else:
            following.setdefault(source.code, []).append(answer.to_code)

    answered = {answer.from_code for answer in answers}
    for node in nodes:
        if node.kind == DecisionNode.Kind.QUESTION and node.code not in answered:
            problems.append(
                _(
                    "Вопрос %(node)s — тупик: у него нет ни одного ответа. Добавьте ответы "
                    "или сделайте узел итогом."
                )
                % {"node": _name(node)}
            )

    cycle = _cycle(list(by_code.values()), following)
    if cycle:
        problems.append(
            _(
                "В алгоритме цикл: %(cycle)s. Ответы должны вести только вперёд — к следующим "
                "вопросам и итогам."
            )
            % {"cycle": " → ".join(cycle)}
        )

    if len(starts) == 1:
        reached, queue = {starts[0].code}, [starts[0].code]
        while queue:
            for code in following.get(queue.pop(), ()):
                if code not in reached:
                    reached.add(code)
                    queue.append(code)
        lost = [node for node in by_code.values() if node.code not in reached]
        if lost:
            problems.append(
                _(
                    "До узлов %(nodes)s не дойти от начала: ни один путь ответов к ним не ведёт. "
                    "Свяжите их ответами или удалите."
                )
                % {"nodes": ", ".join(_name(node) for node in lost)}
            )
    return problems


def algorithm_validate(*, article, nodes=None, answers=None):
    """The problems of ``article``'s decision tree, as Russian sentences
    naming the nodes: of the tree stored, or, with ``nodes`` and
    ``answers`` (DraftNode, DraftAnswer), of the tree about to be saved
    (the admin checks the whole tree before it writes any of it)."""
    if nodes is None:
        stored_nodes = DecisionNode.objects.filter(article=article).order_by("order", "id")
        nodes = [
            DraftNode(code=code, kind=kind, is_start=is_start, text=text)
            for code, kind, is_start, text in stored_nodes.values_list(
                "code", "kind", "is_start", "text"
            )
        ]
        stored_answers = DecisionAnswer.objects.filter(article=article).order_by("order", "id")
        answers = [
            DraftAnswer(
                from_code=from_code,
                to_code=to_code or "",
                label=label,
                foreign=from_article != article.pk or to_article not in (None, article.pk),
            )
            for from_code, to_code, label, from_article, to_article in stored_answers.values_list(
                "from_node__code",
                "to_node__code",
                "label",
                "from_node__article_id",
                "to_node__article_id",
            )
        ]
    return tree_problems(nodes, answers or [])


def node_view_count(*, node, day=None):
    """One more showing of ``node`` in the wizard today: one UPDATE, and the
    day's row created by the first showing (two people showing it first at
    once: the one who loses the race adds to the winner's row)."""
    day = day or timezone.localdate()
    rows = NodeViewDay.objects.filter(node=node, day=day)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            NodeViewDay.objects.create(node=node, day=day, count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)
