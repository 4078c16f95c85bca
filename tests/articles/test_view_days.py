"""Views of an article per day and reader's office (ArticleViewDay): buffered in
the cache, no database write on an ordinary page view, moved into the day rows
in amounts and by ``manage.py flush_article_views``; readers without an office
in a row of their own; nothing lost but what is still in the cache."""

import datetime as dt
from io import StringIO

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleViewDay
from articles.services import (
    VIEW_FLUSH_EVERY,
    article_count_view,
    article_views_flush,
    view_buffer_take,
    view_day_key,
)
from people import roles
from people.models import Profile
from tests.factories import make_article, make_user
from tests.feedback.factories import make_office

TODAY = dt.date(2026, 11, 20)


def _reader(office=None, *, profile=True):
    user = make_user(role=roles.STAFF)
    if profile:
        Profile.objects.create(user=user, office=office)
    return user


def _rows():
    return {
        (row.article_id, row.office_id, row.date): row.views for row in ArticleViewDay.objects.all()
    }


def _pending(article, office=None, day=TODAY):
    return cache.get(view_day_key(day=day, article_id=article.pk, office_id=office and office.pk))


def _view(article, office=None, n=1, day=TODAY):
    for _ in range(n):
        article_count_view(article=article, office_id=office and office.pk, today=day)


def _writes(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]


@pytest.fixture
def article(db):
    return make_article(title="Стандарт приёма")


# --- The article page ------------------------------------------------------------------


def test_the_page_counts_a_view_for_the_readers_office_today(client, article):
    office = make_office("ЦЗН Ленинского района")
    client.force_login(_reader(office))
    client.get(article.get_absolute_url())
    today = timezone.localdate()
    # The first view writes the day's row at once: the flush will find it.
    assert _rows() == {(article.pk, office.pk, today): 1}
    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())
    assert _rows() == {(article.pk, office.pk, today): 1}  # the others wait in the cache
    assert _pending(article, office, today) == 2
    article_views_flush()
    assert _rows() == {(article.pk, office.pk, today): 3}


def test_an_ordinary_page_view_writes_nothing_to_the_database(client, article):
    client.force_login(_reader(make_office()))
    client.get(article.get_absolute_url())  # the first: the day's row
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    assert _writes(queries.captured_queries) == []


@pytest.mark.parametrize("profile", [True, False], ids=["profile-without-office", "no-profile"])
def test_the_page_counts_readers_without_an_office_in_a_row_of_their_own(client, article, profile):
    for _ in range(3):
        client.force_login(_reader(None, profile=profile))
        client.get(article.get_absolute_url())
    article_views_flush()
    # A plain unique index would let every NULL row through: rows of 1.
    assert _rows() == {(article.pk, None, timezone.localdate()): 3}


def test_unpublished_articles_are_not_counted(client, db):
    client.force_login(make_user(role=roles.EDITOR))
    draft = make_article(status=Article.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 200
    article_views_flush()
    assert not ArticleViewDay.objects.exists()


# --- The buffer ----------------------------------------------------------------------


def test_readers_of_one_office_share_a_row_and_other_offices_have_their_own(article):
    office, other = make_office("ЦЗН 1"), make_office("ЦЗН 2")
    _view(article, office, 2)
    _view(article, other)
    article_views_flush(today=TODAY)
    assert _rows() == {(article.pk, office.pk, TODAY): 2, (article.pk, other.pk, TODAY): 1}


def test_only_the_first_view_of_a_day_writes(article, django_assert_num_queries):
    office = make_office()
    with django_assert_num_queries(1):  # the day's row, with 1
        _view(article, office)
    # (The article's total is written at the VIEW_FLUSH_EVERY-th view.)
    with django_assert_num_queries(0):
        _view(article, office, VIEW_FLUSH_EVERY - 2)
    assert _rows() == {(article.pk, office.pk, TODAY): 1}
    assert _pending(article, office) == VIEW_FLUSH_EVERY - 2


def test_every_flush_every_views_are_moved_and_none_is_lost(article):
    office = make_office()
    total = 3 * VIEW_FLUSH_EVERY + 7
    for n in range(1, total + 1):
        _view(article, office)
        # At every moment the table and the buffer together hold every view.
        assert _rows()[article.pk, office.pk, TODAY] + _pending(article, office) == n
    # 1, then VIEW_FLUSH_EVERY at a time.
    assert _rows()[article.pk, office.pk, TODAY] == 1 + 3 * VIEW_FLUSH_EVERY
    assert _pending(article, office) == 6


def test_each_day_has_its_own_row(article):
    office = make_office()
    _view(article, office, day=dt.date(2026, 10, 31))
    _view(article, office, 2, day=dt.date(2026, 11, 1))
    assert sorted(ArticleViewDay.objects.values_list("date", "views")) == [
        (dt.date(2026, 10, 31), 1),
        (dt.date(2026, 11, 1), 1),
    ]
    assert _pending(article, office, dt.date(2026, 11, 1)) == 1


def test_the_day_is_the_portals_not_utc(article, monkeypatch):
    """At 01:30 on 1 December in Samara it is still 30 November in UTC."""
    at = timezone.make_aware(dt.datetime(2026, 12, 1, 1, 30))
    monkeypatch.setattr(timezone, "now", lambda: at)
    article_count_view(article=article, office_id=make_office().pk)
    assert ArticleViewDay.objects.get().date == dt.date(2026, 12, 1)


def test_the_popular_count_still_moves_with_the_views(article):
    _view(article, make_office(), VIEW_FLUSH_EVERY)
    assert Article.objects.get(pk=article.pk).view_count == VIEW_FLUSH_EVERY


def test_a_take_decrements_and_leaves_what_came_meanwhile(db):
    cache.set("kb:test", 25, timeout=None)
    assert view_buffer_take(key="kb:test", amount=20) == 20
    assert cache.get("kb:test") == 5  # never a delete: the 5 newer views stay


def test_a_take_gives_back_what_another_take_got_first(db):
    # Both saw 20; the other took them first, and 3 new views came since.
    cache.set("kb:test", 3, timeout=None)
    assert view_buffer_take(key="kb:test", amount=20) == 3
    assert cache.get("kb:test") == 0
    cache.set("kb:test", 0, timeout=None)
    assert view_buffer_take(key="kb:test", amount=20) == 0
    assert cache.get("kb:test") == 0


def test_a_take_of_a_vanished_key_takes_nothing(db):
    assert view_buffer_take(key="kb:gone", amount=20) == 0


def test_a_key_evicted_between_add_and_incr_starts_again(article, monkeypatch):
    office = make_office()
    _view(article, office)
    backend = caches["default"]
    real_incr = backend.incr

    def incr_after_eviction(key, delta=1, version=None):
        backend.delete(key)
        return real_incr(key, delta, version=version)

    monkeypatch.setattr(backend, "incr", incr_after_eviction)
    _view(article, office)  # its buffer is gone: the row gets this view at once
    assert _rows() == {(article.pk, office.pk, TODAY): 2}


# --- manage.py flush_article_views -------------------------------------------------------


def test_the_command_moves_todays_and_yesterdays_views_and_reports_it(article, monkeypatch):
    office = make_office()
    yesterday, before = TODAY - dt.timedelta(days=1), TODAY - dt.timedelta(days=2)
    _view(article, office, 5, day=before)
    _view(article, office, 4, day=yesterday)
    _view(article, None, 3, day=TODAY)
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    out = StringIO()
    call_command("flush_article_views", stdout=out)
    assert "Просмотры перенесены: 5 (просмотрено счётчиков: 2)." in out.getvalue()
    assert _rows() == {
        (article.pk, office.pk, before): 1,  # the day before yesterday: not any more
        (article.pk, office.pk, yesterday): 4,
        (article.pk, None, TODAY): 3,
    }
    assert _pending(article, office, yesterday) == 0
    assert _pending(article, None, TODAY) == 0


def test_a_second_run_moves_nothing_twice(article):
    office = make_office()
    _view(article, office, 7)
    assert article_views_flush(today=TODAY) == {"rows": 1, "views": 6}
    assert article_views_flush(today=TODAY) == {"rows": 1, "views": 0}
    assert _rows() == {(article.pk, office.pk, TODAY): 7}
    _view(article, office, 2)
    article_views_flush(today=TODAY)
    assert _rows() == {(article.pk, office.pk, TODAY): 9}


def test_views_arriving_while_the_command_runs_stay_for_the_next_run(article, monkeypatch):
    office = make_office()
    _view(article, office, 5)
    backend = caches["default"]
    real_get_many = backend.get_many

    def get_many_then_views(keys, version=None):
        found = real_get_many(keys, version=version)
        _view(article, office, 3)  # between the command's read and its decrement
        return found

    monkeypatch.setattr(backend, "get_many", get_many_then_views)
    assert article_views_flush(today=TODAY)["views"] == 4
    assert _rows() == {(article.pk, office.pk, TODAY): 5}
    assert _pending(article, office) == 3
    monkeypatch.undo()
    article_views_flush(today=TODAY)
    assert _rows() == {(article.pk, office.pk, TODAY): 8}


def test_the_command_reads_the_buffers_in_batches(article, django_assert_num_queries):
    offices = [make_office() for _ in range(5)]
    for office in offices:
        _view(article, office, 3)
    # Per batch of 2 rows: the rows, then one statement for their amounts;
    # and the empty batch at the end.
    with django_assert_num_queries(3 * 2 + 1):
        assert article_views_flush(today=TODAY, batch=2) == {"rows": 5, "views": 10}
    assert set(_rows().values()) == {3}


# --- The table ---------------------------------------------------------------------------


def test_the_database_refuses_a_second_row_for_the_same_article_office_and_day(article):
    ArticleViewDay.objects.create(article=article, office=None, date=TODAY, views=1)
    with pytest.raises(IntegrityError):
        ArticleViewDay.objects.create(article=article, office=None, date=TODAY, views=1)


def test_deleting_an_article_removes_its_counts(article):
    _view(article, make_office())
    Article.all_objects.filter(pk=article.pk).delete()
    assert not ArticleViewDay.objects.exists()


def test_the_upsert_names_the_unique_index_the_migration_made(db):
    """The ON CONFLICT target must be the index's own expressions, on this database."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, ArticleViewDay._meta.db_table
        )
    assert constraints["article_view_day_unique"]["unique"]
