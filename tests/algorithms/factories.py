"""Decision trees for the tests, written as the admin would store them."""

from algorithms.models import DecisionAnswer, DecisionNode
from articles.models import Article
from tests.factories import make_article

# (code, kind, text, is_start) and (from, label, to): a small real tree.
NODES = [
    ("В1", "question", "Гражданин достиг пенсионного возраста?", True),
    ("И1", "result", "Признать безработным нельзя: предложить поиск работы", False),
    ("В2", "question", "Есть подтверждённая учётная запись на Госуслугах?", False),
    ("И2", "result", "Помочь подать заявление на «Работа России»", False),
    ("И3", "result", "Принять заявление очно", False),
]
ANSWERS = [
    ("В1", "Да", "И1"),
    ("В1", "Нет", "В2"),
    ("В2", "Да", "И2"),
    ("В2", "Нет", "И3"),
]
RESULT_FIELDS = {
    "steps": "Проверить паспорт\nПринять заявление\nНазначить дату встречи",
    "documents": "Паспорт\nСНИЛС",
    "script": "Здравствуйте! Сейчас оформим заявление вместе.\nЭто займёт десять минут.",
    "links": "Заявление на портале | https://trudvsem.ru/\nПамятка | /kb/pamyatka/",
}


def build_tree(article, nodes=NODES, answers=ANSWERS, fields=None):
    """Store ``nodes`` and ``answers`` for ``article``; every result gets
    ``fields`` (RESULT_FIELDS by default). Returns {code: node}."""
    fields = RESULT_FIELDS if fields is None else fields
    made = {}
    for order, (code, kind, text, is_start) in enumerate(nodes):
        extra = fields if kind == "result" else {}
        made[code] = DecisionNode.objects.create(
            article=article,
            code=code,
            kind=kind,
            text=text,
            is_start=is_start,
            order=order,
            **extra,
        )
    for order, (source, label, target) in enumerate(answers):
        DecisionAnswer.objects.create(
            article=article,
            from_node=made[source],
            label=label,
            to_node=made.get(target),
            order=order,
        )
    return made


def make_algorithm(section=None, *, tree=True, **fields):
    fields.setdefault("title", "Регистрация гражданина в качестве безработного")
    article = make_article(section, kind=Article.Kind.ALGORITHM, **fields)
    if tree:
        build_tree(article)
    return article


def chain(depth):
    """A tree of ``depth`` questions in a row, each with a result aside: its
    nodes and answers for ``build_tree`` (2 × depth + 1 nodes)."""
    nodes, answers = [], []
    for number in range(1, depth + 1):
        nodes.append((f"В{number}", "question", f"Вопрос номер {number}?", number == 1))
        nodes.append((f"И{number}", "result", f"Итог номер {number}", False))
        answers.append((f"В{number}", "Да", f"И{number}"))
        answers.append((f"В{number}", "Нет", f"В{number + 1}" if number < depth else "ИК"))
    nodes.append(("ИК", "result", "Последний итог", False))
    return nodes, answers


def answer(article, source, label):
    return DecisionAnswer.objects.get(article=article, from_node__code=source, label=label)
