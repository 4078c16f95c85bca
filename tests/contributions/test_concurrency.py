"""Two first answers by the same person at once (a double click) on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from contributions.models import Helpfulness
from contributions.services import helpfulness_record
from tests.factories import make_article, make_user

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent inserts need PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_answers_keep_one_row_and_raise_nothing():
    article = make_article()
    user = make_user()
    barrier = threading.Barrier(8)
    errors = []

    def answer(index):
        try:
            connections["default"].ensure_connection()
            barrier.wait(timeout=30)
            helpfulness_record(article=article, user=user, helpful=index % 2 == 0, reason="other")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Helpfulness.objects.filter(article=article, user=user).count() == 1
