"""Many readers opening one article at once on PostgreSQL, with the flush
command running beside them: no view is lost between the cache's buffer and
the day rows, and none is counted twice.

Each thread has its own connection; a barrier starts them together, so the
first views race to add the buffer and INSERT the day's row, the rest to
incr it, several to take VIEW_FLUSH_EVERY out of it at once, and the command
to take what it read while views keep arriving. At every end the table and
the buffer together hold every view, and after a last run of the command
the table alone does. With the local-memory cache and with a real Redis
(the production backend, whose incr is not one command)."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction

from articles.models import ArticleViewDay
from articles.services import article_count_view, article_views_flush, view_day_key
from tests.factories import make_article
from tests.feedback.factories import make_office
from tests.kb_portal.test_cache_outage import _redis_cache, redis_server  # noqa: F401

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent writes need PostgreSQL"
)

THREADS = 8
VIEWS_EACH = 60


def _run(workers):
    barrier = threading.Barrier(len(workers))
    errors = []

    def run(work):
        try:
            connections["default"].ensure_connection()
            barrier.wait(timeout=30)
            work()
        except Exception as error:  # reported below, with the others
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def _reader(article, office_id, *, in_transaction):
    def read():
        for _ in range(VIEWS_EACH):
            if in_transaction:
                # As if the page ran in a transaction: the row lock of a
                # write is held to the commit, and the others wait for it.
                with transaction.atomic():
                    article_count_view(article=article, office_id=office_id)
            else:
                article_count_view(article=article, office_id=office_id)

    return read


def _flusher(stop):
    def flush():
        try:
            while not stop.is_set():
                article_views_flush()
        finally:
            stop.set()  # a failed flusher stops the other one

    return flush


def _counted(article, office_ids):
    rows = dict(ArticleViewDay.objects.filter(article=article).values_list("office_id", "views"))
    day = ArticleViewDay.objects.values_list("date", flat=True).first()
    pending = {
        office_id: cache.get(view_day_key(day=day, article_id=article.pk, office_id=office_id))
        for office_id in office_ids
    }
    return rows, pending


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request, settings):
    if request.param == "redis":
        server = request.getfixturevalue("redis_server")
        settings.CACHES = _redis_cache(server.location)
    return request.param


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("in_transaction", [False, True], ids=["autocommit", "in-transaction"])
@pytest.mark.parametrize("with_flush", [False, True], ids=["views", "views-and-flush"])
def test_simultaneous_views_and_flushes_lose_and_double_nothing(
    shared_cache, in_transaction, with_flush
):
    article = make_article(title="Стандарт приёма")
    office = make_office("ЦЗН Ленинского района")
    office_ids = [office.pk, None]
    readers = [
        _reader(article, office_ids[i % 2], in_transaction=in_transaction) for i in range(THREADS)
    ]
    stop = threading.Event()
    flushers = [_flusher(stop), _flusher(stop)] if with_flush else []

    def last_reader_stops_the_flushers(read):
        def run():
            try:
                read()
            finally:  # a failed reader too: the flushers must not run on for ever
                finished.append(1)
                if len(finished) == len(readers):
                    stop.set()

        return run

    finished = []
    _run([*(last_reader_stops_the_flushers(read) for read in readers), *flushers])
    each = THREADS // 2 * VIEWS_EACH
    rows, pending = _counted(article, office_ids)
    assert {o: rows[o] + pending[o] for o in office_ids} == {office.pk: each, None: each}
    assert min(pending.values()) >= 0
    article_views_flush()
    rows, pending = _counted(article, office_ids)
    assert rows == {office.pk: each, None: each}
    assert pending == {office.pk: 0, None: 0}
