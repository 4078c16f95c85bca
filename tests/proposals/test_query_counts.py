"""Pinned query counts of the proposal pages: the same with 2 or 20 proposals."""

import pytest
from django.test import Client

from proposals.services import proposal_return
from tests.factories import ROLE_USERS, make_article, make_attachment, make_section, make_user
from tests.proposals.helpers import propose_edit, propose_new

# user, roles (menu), section tree stamp (sidebar) on every page, then:
MY = 4  # + my proposals with their article/section
QUEUE = 6  # + counts per status, page count, the page
DETAIL = 5  # + the proposal with its article, author, office…, its attachments
STALE_DETAIL = DETAIL + 1  # + the history record of the proposal's base version
FORM_EDIT = 4  # + the article with its section
FORM_NEW = 4  # + the section (live ancestors: from the cached tree)


@pytest.fixture(params=[2, 20], ids=["2-proposals", "20-proposals"])
def world(request, db, settings):
    settings.PROPOSALS_PER_HOUR = 1000
    n = request.param
    editor = make_user(role=ROLE_USERS["editor"])
    author = make_user(role=ROLE_USERS["staff"])
    section = make_section()
    article = make_article(section, owner=editor, body="<p>Текст материала.</p>")
    make_attachment(article)
    proposals = []
    for i in range(n):
        proposals.append(propose_edit(article, author, body=f"<p>Текст {i}.</p>"))
        new = propose_new(section, make_user(role=ROLE_USERS["staff"]), title=f"Новый {i}")
        proposal_return(proposal=new, by=editor, comment="Доработайте.")
    return {
        "editor": editor,
        "author": author,
        "article": article,
        "section": section,
        "proposal": proposals[0],
        "n": n,
    }


def _count(django_assert_num_queries, user, url, expected):
    client = Client()
    client.force_login(user)
    client.get(url)  # warm the section tree cache
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_my_proposals(world, django_assert_num_queries):
    response = _count(django_assert_num_queries, world["author"], "/proposals/my/", MY)
    assert len(response.context["proposals"]) == world["n"]


@pytest.mark.parametrize("status", ["", "?status=returned", "?status=all"])
def test_queue(world, django_assert_num_queries, status):
    _count(django_assert_num_queries, world["editor"], f"/proposals/{status}", QUEUE)


def test_review_page(world, django_assert_num_queries):
    url = world["proposal"].get_absolute_url()
    _count(django_assert_num_queries, world["editor"], url, DETAIL)


def test_stale_review_page(world, django_assert_num_queries):
    article = world["article"]
    for i in range(world["n"]):
        article.summary = f"Изменение {i}"
        article.save()
    url = world["proposal"].get_absolute_url()
    response = _count(django_assert_num_queries, world["editor"], url, STALE_DETAIL)
    assert response.context["stale"] and response.context["since_base"]


def test_propose_edit_form(world, django_assert_num_queries):
    url = f"/proposals/articles/{world['article'].pk}/new/"
    _count(django_assert_num_queries, world["author"], url, FORM_EDIT)


def test_propose_new_form(world, django_assert_num_queries):
    url = f"/proposals/sections/{world['section'].pk}/new/"
    _count(django_assert_num_queries, world["author"], url, FORM_NEW)
