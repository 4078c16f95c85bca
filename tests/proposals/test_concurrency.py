"""Two editors accept one proposal at the same moment, on PostgreSQL: exactly
one wins, the other is told in Russian, and the change is applied once."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections

from articles.models import Article
from people import roles
from proposals.models import Proposal
from proposals.services import ProposalRefused, proposal_accept
from tests.factories import make_article, make_section, make_user
from tests.proposals.helpers import propose_edit, propose_new

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"
)


def _editor():
    # A transactional test empties the tables, the roles' groups included.
    user = make_user()
    user.groups.add(Group.objects.get_or_create(name=roles.EDITOR)[0])
    return user


def _race(proposal, editors):
    barrier = threading.Barrier(len(editors))
    won, refused, errors = [], [], []

    def accept(editor):
        try:
            connections["default"].ensure_connection()
            barrier.wait(timeout=30)
            proposal_accept(proposal=proposal, by=editor)
            won.append(editor)
        except ProposalRefused as error:
            refused.append(error.messages[0])
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(editor,)) for editor in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return won, refused, errors


@pytest.mark.django_db(transaction=True)
def test_two_editors_accept_an_edit_at_once():
    editors = [_editor() for _ in range(2)]
    article = make_article(body="<p>Старый текст.</p>")
    proposal = propose_edit(article, make_user(), body="<p>Новый текст.</p>")
    version = article.version
    won, refused, errors = _race(proposal, editors)
    assert errors == []
    assert len(won) == 1 and len(refused) == 1
    assert "уже рассмотрено" in refused[0]
    article = Article.objects.get(pk=article.pk)
    assert article.version == version + 1
    assert len(article.credits) == 1
    assert Proposal.objects.get(pk=proposal.pk).decided_by == won[0]


@pytest.mark.django_db(transaction=True)
def test_two_editors_accept_a_new_material_at_once():
    editors = [_editor() for _ in range(3)]
    section = make_section()
    proposal = propose_new(section, make_user())
    won, refused, errors = _race(proposal, editors)
    assert errors == []
    assert len(won) == 1 and len(refused) == 2
    assert Article.objects.filter(section=section).count() == 1
