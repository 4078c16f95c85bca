"""Votes: one per person per idea, idempotent, exact counts; authors do not vote."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ideas import services
from ideas.models import Idea, Vote


def _count(idea):
    return Idea.objects.get(pk=idea.pk).vote_count


def test_vote_is_counted(idea, colleague):
    assert services.idea_vote_cast(idea=idea, user=colleague) is True
    assert _count(idea) == 1
    assert Vote.objects.filter(idea=idea, user=colleague).exists()


def test_voting_twice_counts_once(idea, colleague):
    services.idea_vote_cast(idea=idea, user=colleague)
    assert services.idea_vote_cast(idea=idea, user=colleague) is False
    assert _count(idea) == 1
    assert Vote.objects.filter(idea=idea).count() == 1


def test_withdraw_removes_the_vote_and_is_idempotent(idea, colleague):
    services.idea_vote_cast(idea=idea, user=colleague)
    assert services.idea_vote_withdraw(idea=idea, user=colleague) is True
    assert services.idea_vote_withdraw(idea=idea, user=colleague) is False
    assert _count(idea) == 0
    assert not Vote.objects.exists()


def test_database_refuses_a_second_vote_row(idea, colleague):
    Vote.objects.create(idea=idea, user=colleague)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(idea=idea, user=colleague)


def test_author_cannot_vote_for_own_idea(idea, staff):
    with pytest.raises(ValidationError, match="За свою идею голосовать нельзя"):
        services.idea_vote_cast(idea=idea, user=staff)
    assert _count(idea) == 0
    assert not Vote.objects.exists()


@pytest.mark.parametrize("status", ["implemented", "rejected", "duplicate"])
def test_closed_idea_takes_no_votes(idea, colleague, status):
    Idea.objects.filter(pk=idea.pk).update(status=status)
    idea.refresh_from_db()
    with pytest.raises(ValidationError, match="Голосование по этой идее закрыто"):
        services.idea_vote_cast(idea=idea, user=colleague)
    assert not Vote.objects.exists()


def test_count_heals_a_drifted_counter(idea, colleague):
    """The count is recomputed under the lock, so a wrong stored number is repaired."""
    Idea.objects.filter(pk=idea.pk).update(vote_count=42)
    services.idea_vote_cast(idea=idea, user=colleague)
    assert _count(idea) == 1


def test_vote_page_casts_and_withdraws(client_for, idea, colleague):
    client = client_for(colleague)
    response = client.post(f"/ideas/{idea.pk}/vote/")
    assert response.status_code == 302
    assert response["Location"] == idea.get_absolute_url()
    assert _count(idea) == 1
    client.post(f"/ideas/{idea.pk}/vote/")  # a double click
    assert _count(idea) == 1
    client.post(f"/ideas/{idea.pk}/unvote/", {"next": "/ideas/?sort=new"})
    assert _count(idea) == 0


def test_vote_returns_to_list_but_never_off_site(client_for, idea, colleague):
    client = client_for(colleague)
    response = client.post(f"/ideas/{idea.pk}/vote/", {"next": "/ideas/?sort=new"})
    assert response["Location"] == "/ideas/?sort=new"
    response = client.post(f"/ideas/{idea.pk}/unvote/", {"next": "https://evil.example/"})
    assert response["Location"] == idea.get_absolute_url()


def test_author_vote_by_url_shows_russian_error(staff_client, idea):
    response = staff_client.post(f"/ideas/{idea.pk}/vote/", follow=True)
    assert "За свою идею голосовать нельзя" in response.content.decode()
    assert _count(idea) == 0


def test_vote_by_get_is_refused(client_for, idea, colleague):
    assert client_for(colleague).get(f"/ideas/{idea.pk}/vote/").status_code == 405
    assert _count(idea) == 0


def test_vote_needs_csrf(idea, colleague):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(colleague)
    assert client.post(f"/ideas/{idea.pk}/vote/").status_code == 403
    assert _count(idea) == 0


def test_detail_page_explains_own_vote_rule(staff_client, idea):
    html = staff_client.get(idea.get_absolute_url()).content.decode()
    assert "за свою идею голосовать нельзя" in html
    assert f'action="/ideas/{idea.pk}/vote/"' not in html
