"""Merging a duplicate into the original: votes move, nobody counts twice,
people are told; bad merges are refused in Russian and save nothing."""

import pytest
from django.core.exceptions import ValidationError

from ideas import services
from ideas.models import Idea, Vote
from notifications.models import Notification
from tests.factories import ROLE_USERS, make_user
from tests.ideas.factories import make_idea, make_voters


@pytest.fixture
def pair(staff, colleague):
    original = make_idea(staff, title="Электронная очередь с SMS")
    duplicate = make_idea(colleague, title="SMS при вызове из очереди")
    return original, duplicate


def _snapshot():
    return (
        sorted(Idea.objects.values_list("pk", "status", "duplicate_of_id", "vote_count")),
        sorted(Vote.objects.values_list("idea_id", "user_id")),
        Notification.objects.count(),
    )


def test_votes_move_without_counting_anyone_twice(pair, staff, colleague, working_group):
    original, duplicate = pair
    both = make_voters(original, 2)
    for voter in both:
        services.idea_vote_cast(idea=duplicate, user=voter)
    only_duplicate = make_voters(duplicate, 3)
    services.idea_vote_cast(idea=duplicate, user=staff)  # the original's author

    services.idea_merge(duplicate=duplicate, original=original, by=working_group)

    original.refresh_from_db()
    duplicate.refresh_from_db()
    expected = {v.pk for v in both + only_duplicate} | {colleague.pk}
    assert set(Vote.objects.filter(idea=original).values_list("user_id", flat=True)) == expected
    assert original.vote_count == len(expected) == 6
    assert duplicate.vote_count == 0
    assert not Vote.objects.filter(idea=duplicate).exists()
    assert duplicate.status == Idea.Status.DUPLICATE
    assert duplicate.duplicate_of == original
    assert duplicate.first_reviewed_at is not None


def test_author_and_voters_of_duplicate_are_told_where_it_went(pair, colleague, working_group):
    original, duplicate = pair
    voters = make_voters(duplicate, 2)
    services.idea_vote_cast(idea=duplicate, user=working_group)
    services.idea_merge(duplicate=duplicate, original=original, by=working_group, reason="То же")
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {colleague.pk, *(v.pk for v in voters)}  # not the one who merged
    note = Notification.objects.filter(recipient=colleague).get()
    assert f"№{original.pk} «{original.title}»" in note.text
    assert "/ideas/" not in note.text  # the link is the notification's own, to the original
    assert note.get_absolute_url() == original.get_absolute_url()
    assert "То же" in note.text


def test_merge_into_itself_is_refused(pair, working_group):
    _original, duplicate = pair
    before = _snapshot()
    with pytest.raises(ValidationError, match="саму с собой"):
        services.idea_merge(duplicate=duplicate, original=duplicate, by=working_group)
    assert _snapshot() == before


def test_merge_into_own_duplicate_is_refused(pair, working_group):
    original, duplicate = pair
    services.idea_merge(duplicate=duplicate, original=original, by=working_group)
    before = _snapshot()
    with pytest.raises(ValidationError, match="сама отмечена как дубликат"):
        services.idea_merge(duplicate=original, original=duplicate, by=working_group)
    assert _snapshot() == before


def test_merge_into_a_duplicate_of_another_idea_is_refused(pair, working_group):
    original, duplicate = pair
    third = make_idea(title="Третья идея")
    services.idea_merge(duplicate=duplicate, original=original, by=working_group)
    before = _snapshot()
    with pytest.raises(ValidationError, match=f"исходной идеей №{original.pk}"):
        services.idea_merge(duplicate=third, original=duplicate, by=working_group)
    assert _snapshot() == before


def test_merging_an_idea_twice_is_refused(pair, working_group):
    original, duplicate = pair
    third = make_idea(title="Третья идея")
    services.idea_merge(duplicate=duplicate, original=original, by=working_group)
    before = _snapshot()
    with pytest.raises(ValidationError, match="уже объединена"):
        services.idea_merge(duplicate=duplicate, original=third, by=working_group)
    assert _snapshot() == before


def test_earlier_duplicates_follow_so_no_chain_forms(pair, working_group):
    original, duplicate = pair
    earlier = make_idea(title="Совсем ранний дубликат")
    voter = make_voters(earlier, 1)[0]
    services.idea_merge(duplicate=earlier, original=duplicate, by=working_group)
    services.idea_merge(duplicate=duplicate, original=original, by=working_group)
    earlier.refresh_from_db()
    assert earlier.duplicate_of_id == original.pk
    assert Vote.objects.filter(idea=original, user=voter).exists()


def test_merge_page_works_for_the_group(wg_client, pair):
    original, duplicate = pair
    response = wg_client.post(f"/ideas/{duplicate.pk}/merge/", {"original": original.pk})
    assert response.status_code == 302
    assert response["Location"] == original.get_absolute_url()
    assert Idea.objects.get(pk=duplicate.pk).status == Idea.Status.DUPLICATE


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("self", "саму с собой"),
        ("", "Укажите номер исходной идеи"),
        ("999999", "Идеи с таким номером нет"),
    ],
)
def test_bad_merge_on_the_page_shows_russian_error(wg_client, pair, target, message):
    _original, duplicate = pair
    before = _snapshot()
    value = duplicate.pk if target == "self" else target
    response = wg_client.post(f"/ideas/{duplicate.pk}/merge/", {"original": value}, follow=True)
    assert message in response.content.decode()
    assert _snapshot() == before


@pytest.mark.parametrize("role", ["staff", "editor", "manager"])
def test_only_the_group_merges(client_for, pair, role):
    original, duplicate = pair
    before = _snapshot()
    client = client_for(make_user(role=ROLE_USERS[role]))
    response = client.post(f"/ideas/{duplicate.pk}/merge/", {"original": original.pk})
    assert response.status_code == 403
    assert _snapshot() == before
