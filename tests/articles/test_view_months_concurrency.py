"""Many readers opening one article at once on PostgreSQL: every view counts.

Each thread has its own connection; a barrier starts them together, so the
first views race to INSERT the month's row and the rest to UPDATE it. A
read-then-write counter would lose views or fail on the unique index; the
upsert loses none, for readers with an office and without one alike."""

import threading

import pytest
from django.db import connection, connections, transaction

from articles.models import ArticleViewMonth
from articles.services import article_count_view
from people.models import Profile
from tests.factories import make_article, make_user
from tests.feedback.factories import make_office

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent writes need PostgreSQL"
)

THREADS = 8
VIEWS_EACH = 25


def _run(readers, article, *, in_transaction=False):
    barrier = threading.Barrier(len(readers))
    errors = []

    def read(user):
        try:
            connections["default"].ensure_connection()
            barrier.wait(timeout=30)
            for _ in range(VIEWS_EACH):
                if in_transaction:
                    # As if the page ran in a transaction: the row lock is
                    # held to the commit, and the others wait for it.
                    with transaction.atomic():
                        article_count_view(article=article, user=user)
                else:
                    article_count_view(article=article, user=user)
        except Exception as error:  # reported below, with the others
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read, args=(user,)) for user in readers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("in_transaction", [False, True], ids=["autocommit", "in-transaction"])
def test_simultaneous_views_all_count(in_transaction):
    article = make_article(title="Стандарт приёма")
    office = make_office("ЦЗН Ленинского района")
    with_office = [make_user() for _ in range(THREADS // 2)]
    for user in with_office:
        Profile.objects.create(user=user, office=office)
    without = [make_user() for _ in range(THREADS - len(with_office))]
    _run([*with_office, *without], article, in_transaction=in_transaction)
    counts = dict(ArticleViewMonth.objects.values_list("office_id", "views"))
    assert counts == {
        office.pk: len(with_office) * VIEWS_EACH,
        None: len(without) * VIEWS_EACH,
    }
