"""Demo answers to «Материал был полезен?» and one «Проверено, актуально»."""

from articles.models import Article
from contributions.models import Helpfulness, Review
from contributions.services import article_review, helpfulness_record

# (login, answer, reason, text) on the first published articles, in order.
ANSWERS = [
    ("sotrudnik", True, "", ""),
    ("rabgruppa", False, "unclear", "Не хватает примера заполнения."),
    ("rukovoditel", True, "", ""),
]


def seed_contributions(users):
    """Create what is missing; return counts of what was created."""
    created = {"helpfulness": 0, "reviews": 0}
    articles = list(Article.objects.published().order_by("id")[:2])
    for article in articles:
        for login, helpful, reason, text in ANSWERS:
            user = users[login]
            if not Helpfulness.objects.filter(article=article, user=user).exists():
                helpfulness_record(
                    article=article, user=user, helpful=helpful, reason=reason, text=text
                )
                created["helpfulness"] += 1
    if articles and not Review.objects.filter(article=articles[0]).exists():
        article_review(article=articles[0], by=users["redaktor"], note="Сверено с приказом.")
        created["reviews"] += 1
    return created
