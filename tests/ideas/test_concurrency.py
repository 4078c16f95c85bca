"""Fifty people vote and withdraw at once on PostgreSQL, each thread with its
own real connection: the stored count must equal the Vote rows."""

import random
import threading

import pytest
from django.db import connection, connections

from ideas import services
from ideas.models import Idea, Vote
from tests.factories import make_user
from tests.ideas.factories import make_idea

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row locks need PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_votes_and_withdrawals_keep_exact_count():
    idea = make_idea(make_user())
    # No role groups: a transactional test starts from an emptied database.
    voters = [make_user() for _ in range(50)]
    # Half of them voted already; they withdraw while the others vote, and
    # everyone double-clicks.
    for voter in voters[:25]:
        services.idea_vote_cast(idea=idea, user=voter)
    barrier = threading.Barrier(50)
    errors = []

    def act(index, voter):
        try:
            # Connect first, so the barrier releases fifty ready connections.
            connections["default"].ensure_connection()
            barrier.wait(timeout=30)
            # Change one's mind a few times, then settle: the first half
            # ends without a vote, the second half with one (double-clicked).
            for _ in range(3):
                services.idea_vote_cast(idea=idea, user=voter)
                services.idea_vote_withdraw(idea=idea, user=voter)
            for _ in range(2):
                if index < 25:
                    services.idea_vote_withdraw(idea=idea, user=voter)
                else:
                    services.idea_vote_cast(idea=idea, user=voter)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(i, v)) for i, v in enumerate(voters)]
    random.shuffle(threads)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    idea.refresh_from_db()
    rows = Vote.objects.filter(idea=idea).count()
    assert rows == 25
    assert idea.vote_count == rows
    assert set(Vote.objects.filter(idea=idea).values_list("user_id", flat=True)) == {
        v.pk for v in voters[25:]
    }


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_double_votes_count_once_each():
    idea = make_idea(make_user())
    voters = [make_user() for _ in range(25)]
    barrier = threading.Barrier(50)
    errors = []

    def act(voter):
        try:
            # Connect first, so the barrier releases fifty ready connections.
            connections["default"].ensure_connection()
            barrier.wait(timeout=30)
            services.idea_vote_cast(idea=idea, user=voter)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(v,)) for v in voters for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Idea.objects.get(pk=idea.pk).vote_count == Vote.objects.filter(idea=idea).count() == 25
