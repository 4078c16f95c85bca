"""Two people saving one case at once on PostgreSQL: exactly one wins, the
other is told in Russian; two imports of one file open one case per response."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections

from cases import services
from cases.models import Case
from people import roles
from tests.cases.factories import make_case, make_head
from tests.feedback.factories import make_office

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent writes need PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_two_people_changing_a_case_at_once_one_wins():
    # A transactional test empties the tables, the roles' groups included,
    # so the group of the office heads may have to be made again.
    Group.objects.get_or_create(name=roles.MANAGER)
    office = make_office("ЦЗН Ленинского района")
    case = make_case(office)
    people = [make_head(office) for _ in range(4)]
    barrier = threading.Barrier(len(people))
    won, refused, errors = [], [], []

    def change(index):
        try:
            connections["default"].ensure_connection()
            barrier.wait(timeout=30)
            services.case_update(
                case=case,
                user=people[index],
                version=case.version,
                status=Case.Status.RESOLVED,
                assignee=people[index],
                action_taken=f"Сделал сотрудник {index}",
                contacted_back=True,
            )
            won.append(index)
        except services.CaseConflict as conflict:
            refused.append(str(conflict))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(won) == 1
    assert len(refused) == len(people) - 1
    assert all("уже изменили" in message for message in refused)
    case.refresh_from_db()
    assert case.action_taken == f"Сделал сотрудник {won[0]}"
    assert case.version == 2
