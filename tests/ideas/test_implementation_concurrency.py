"""Two members of the working group mark one accepted idea implemented at
the same moment on PostgreSQL, each with a real connection: exactly one
wins, the other is told in Russian, and nothing of theirs is saved."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from ideas import services
from ideas.models import Decision, Idea, Implementation
from tests.factories import make_user
from tests.ideas.factories import make_idea, make_meeting

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row locks need PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_two_members_marking_implemented_at_once_one_wins():
    # No role groups: a transactional test starts from an emptied database,
    # and the service checks none (the views do).
    members = [make_user(), make_user()]
    idea = make_idea(make_user(), days_ago=20)
    meeting = make_meeting(members[0], attendees=members)
    services.decision_record(meeting=meeting, idea=idea, outcome="accept", by=members[0])
    idea = Idea.objects.get(pk=idea.pk)  # as both pages loaded it: «принята»
    barrier = threading.Barrier(len(members))
    won, refused, errors = [], [], []

    def implement(index):
        try:
            connections["default"].ensure_connection()
            barrier.wait(timeout=30)
            services.decision_record(
                meeting=meeting,
                idea=idea,
                outcome="implemented",
                by=members[index],
                changes=f"Внедрил участник {index}",
                implemented_on=timezone.localdate(),
            )
            won.append(index)
        except ValidationError as error:
            refused.append(" ".join(error.messages))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=implement, args=(i,)) for i in range(len(members))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(won) == 1
    assert len(refused) == 1
    assert "уже отметили реализованной" in refused[0]
    idea.refresh_from_db()
    assert idea.status == Idea.Status.IMPLEMENTED
    assert Decision.objects.filter(idea=idea, outcome="implemented").count() == 1
    implementation = Implementation.objects.get()
    assert implementation.changes == f"Внедрил участник {won[0]}"
    assert implementation.recorded_by == members[won[0]]
    assert implementation.history.count() == 1
    assert idea.latest_decision.created_by == members[won[0]]
