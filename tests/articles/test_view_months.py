"""Views of an article counted per reader's office and month (ArticleViewMonth):
one statement per view, exact, readers without an office in the region's total."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from articles.models import Article, ArticleViewMonth
from articles.services import _view_month_add, article_count_view
from people import roles
from people.models import Profile
from tests.factories import make_article, make_user
from tests.feedback.factories import make_office


def _reader(office=None, *, profile=True):
    user = make_user(role=roles.STAFF)
    if profile:
        Profile.objects.create(user=user, office=office)
    return user


def _counts():
    return {
        (row.article_id, row.office_id, row.month): row.views
        for row in ArticleViewMonth.objects.all()
    }


@pytest.fixture
def article(db):
    return make_article(title="Стандарт приёма")


def test_a_view_counts_for_the_readers_office_this_month(client, article):
    office = make_office("ЦЗН Ленинского района")
    reader = _reader(office)
    client.force_login(reader)
    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())
    month = timezone.localdate().replace(day=1)
    assert _counts() == {(article.pk, office.pk, month): 2}


def test_readers_of_one_office_share_a_row_and_other_offices_have_their_own(article):
    office, other = make_office("ЦЗН 1"), make_office("ЦЗН 2")
    for reader in (_reader(office), _reader(office), _reader(other)):
        article_count_view(article=article, user=reader)
    month = timezone.localdate().replace(day=1)
    assert _counts() == {(article.pk, office.pk, month): 2, (article.pk, other.pk, month): 1}


@pytest.mark.parametrize("profile", [True, False], ids=["profile-without-office", "no-profile"])
def test_readers_without_an_office_count_in_one_row_of_their_own(article, profile):
    for _ in range(3):
        article_count_view(article=article, user=_reader(None, profile=profile))
    # A plain unique index would let every NULL row through: three rows of 1.
    month = timezone.localdate().replace(day=1)
    assert _counts() == {(article.pk, None, month): 3}


def test_each_month_has_its_own_row(article):
    reader = _reader(make_office())
    _view_month_add(article_id=article.pk, user_id=reader.pk, month=dt.date(2026, 10, 1))
    _view_month_add(article_id=article.pk, user_id=reader.pk, month=dt.date(2026, 11, 1))
    _view_month_add(article_id=article.pk, user_id=reader.pk, month=dt.date(2026, 11, 1))
    assert sorted(ArticleViewMonth.objects.values_list("month", "views")) == [
        (dt.date(2026, 10, 1), 1),
        (dt.date(2026, 11, 1), 2),
    ]


def test_the_month_is_the_portals_not_utc(article, settings, monkeypatch):
    """At 01:30 on 1 December in Samara it is still November in UTC."""
    at = timezone.make_aware(dt.datetime(2026, 12, 1, 1, 30))
    monkeypatch.setattr(timezone, "now", lambda: at)
    article_count_view(article=article, user=_reader(make_office()))
    assert ArticleViewMonth.objects.get().month == dt.date(2026, 12, 1)


def test_a_view_costs_one_statement(article, django_assert_num_queries):
    reader = _reader(make_office())
    article_count_view(article=article, user=reader)  # the first: an INSERT
    with django_assert_num_queries(1):
        article_count_view(article=article, user=reader)  # then an UPDATE of the same row
    assert ArticleViewMonth.objects.get().views == 2


def test_no_user_no_monthly_count(article):
    article_count_view(article=article)
    assert not ArticleViewMonth.objects.exists()


def test_unpublished_articles_are_not_counted(client, db):
    editor = make_user(role=roles.EDITOR)
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert not ArticleViewMonth.objects.exists()


def test_the_popular_count_still_moves_with_the_views(article):
    from articles.services import VIEW_FLUSH_EVERY

    reader = _reader(make_office())
    for _ in range(VIEW_FLUSH_EVERY):
        article_count_view(article=article, user=reader)
    assert Article.objects.get(pk=article.pk).view_count == VIEW_FLUSH_EVERY
    assert ArticleViewMonth.objects.get().views == VIEW_FLUSH_EVERY


def test_the_database_refuses_a_second_row_for_the_same_article_office_and_month(article):
    month = dt.date(2026, 11, 1)
    ArticleViewMonth.objects.create(article=article, office=None, month=month, views=1)
    with pytest.raises(IntegrityError):
        ArticleViewMonth.objects.create(article=article, office=None, month=month, views=1)


def test_deleting_an_article_removes_its_counts(article):
    article_count_view(article=article, user=_reader(make_office()))
    Article.all_objects.filter(pk=article.pk).delete()
    assert not ArticleViewMonth.objects.exists()


def test_the_upsert_names_the_unique_index_the_migration_made(db):
    """The ON CONFLICT target must be the index's own expressions, on this database."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, ArticleViewMonth._meta.db_table
        )
    assert constraints["article_view_month_unique"]["unique"]
