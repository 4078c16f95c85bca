"""Demo data of «Что нового»: subscriptions, substantive updates with «что
изменилось», digest choices and a feed address for the demo's staff member."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article, ArticleUpdate, Section
from articles.services import article_update_record
from notifications.feeds import feed_token_create
from notifications.models import DigestFrequency, DigestSetting, Subscription
from notifications.subscriptions import subscription_follow

# (login, section slugs followed, article slugs followed)
FOLLOWS = [
    ("sotrudnik", ["upravlenie-klientskim-opytom"], ["standart-gosudarstvo-dlya-biznesa"]),
    ("rukovoditel", ["kodeks-klientocentrichnosti", "kejsy"], []),
    ("rabgruppa", ["meropriyatiya-po-klientocentrichnosti"], ["standart-vnutrennego-klienta"]),
]
# (article slug, what changed, days ago)
UPDATES = [
    (
        "standart-gosudarstvo-dlya-biznesa",
        "Добавлен срок ответа работодателю на обращение через ЕЦП — один рабочий день.",
        2,
    ),
    (
        "deklaraciya-cennostej-klientocentrichnosti",
        "Переписан раздел «Наши ценности»: проще формулировки, добавлены примеры из практики ЦЗН.",
        5,
    ),
]
DIGESTS = {
    "sotrudnik": DigestFrequency.WEEKLY,
    "rukovoditel": DigestFrequency.DAILY,
    "rabgruppa": DigestFrequency.WEEKLY,
    "redaktor": DigestFrequency.NEVER,
}


def seed_updates(users):
    """Create what is missing; return counts of what was created."""
    created = {"subscriptions": 0, "article_updates": 0}
    if Subscription.objects.filter(user=users["sotrudnik"]).exists():
        return created
    for login, section_slugs, article_slugs in FOLLOWS:
        user = users[login]
        for section in Section.objects.filter(slug__in=section_slugs):
            subscription_follow(user=user, section=section)
            created["subscriptions"] += 1
        for article in Article.objects.published().filter(slug__in=article_slugs):
            subscription_follow(user=user, article=article)
            created["subscriptions"] += 1
    now = timezone.now()
    for slug, summary, days in UPDATES:
        article = Article.objects.published().filter(slug=slug).select_related("section").first()
        if article is None or ArticleUpdate.objects.filter(article=article).exists():
            continue
        update = article_update_record(article=article, summary=summary, by=users["redaktor"])
        ArticleUpdate.objects.filter(pk=update.pk).update(at=now - timedelta(days=days))
        created["article_updates"] += 1
    for login, frequency in DIGESTS.items():
        DigestSetting.objects.get_or_create(user=users[login], defaults={"frequency": frequency})
    feed_token_create(user=users["sotrudnik"])
    return created
