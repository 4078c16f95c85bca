"""Pieces rendered once per process (kb_portal.fragments): the same for
everyone who sees them, so nobody may ever get another person's data, token or
menu from the cache."""

import re

import pytest
from django.test import Client
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import translation

from contributions.models import Helpfulness
from contributions.views import helpfulness_question_html
from kb_portal.fragments import fragment
from kb_portal.navigation import main_menu_html
from questions.models import Question
from questions.views import question_fields_html, report_fields_html
from tests.factories import make_article

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _empty_caches():
    for cached in (main_menu_html, helpfulness_question_html):
        cached.cache_clear()
    yield


def test_a_fragment_renders_once_per_arguments_language_and_prefix(settings):
    settings.DEBUG = False
    calls = []

    @fragment
    def piece(n):
        calls.append(n)
        return f"<p>{n} {translation.get_language()}</p>"

    assert piece(1) == piece(1) == "<p>1 ru</p>"
    assert calls == [1]
    assert piece(2) == "<p>2 ru</p>"
    with translation.override("en"):
        assert piece(1) == "<p>1 en</p>"
    set_script_prefix("/kb/")
    try:
        piece(1)
    finally:
        clear_script_prefix()
    assert calls == [1, 2, 1, 1]


def test_with_debug_nothing_is_cached(settings):
    settings.DEBUG = True
    calls = []

    @fragment
    def piece():
        calls.append(1)
        return "<p></p>"

    piece()
    piece()
    assert calls == [1, 1]


def test_fragments_hold_no_token_and_no_person():
    for html in (helpfulness_question_html(), question_fields_html(), report_fields_html()):
        assert "csrfmiddlewaretoken" not in html
        assert "Петрова" not in html


@pytest.mark.parametrize("first", ["staff", "editor"])
def test_each_person_posts_from_the_cached_form_with_their_own_token(first, staff, editor):
    """The helpfulness question comes from the cache; its form's token is the
    reader's own, so a token from someone else's page is never served."""
    article = make_article()
    people = [staff, editor] if first == "staff" else [editor, staff]
    tokens = []
    for person in people:
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        page = client.get(article.get_absolute_url()).content.decode()
        form = page[page.index('id="helpfulness"') :]
        token = TOKEN.search(form).group(1)
        tokens.append(token)
        url = reverse("contributions:helpfulness", kwargs={"pk": article.pk})
        response = client.post(url, {"helpful": "yes", "csrfmiddlewaretoken": token})
        assert response.status_code == 302
    assert tokens[0] != tokens[1]
    assert Helpfulness.objects.filter(article=article).count() == 2
    # Someone else's token is refused: the cache did not make tokens shared.
    stranger = Client(enforce_csrf_checks=True)
    stranger.force_login(staff)
    stranger.get("/")
    question_url = reverse("questions:ask", kwargs={"pk": article.pk})
    refused = stranger.post(question_url, {"text": "Вопрос", "csrfmiddlewaretoken": tokens[1]})
    assert refused.status_code == 403
    assert not Question.objects.exists()


def _menu(client, url="/"):
    page = client.get(url).content.decode()
    return page[page.index('<nav class="main-nav"') : page.index("</nav>", page.index("main-nav"))]


def test_the_menu_is_per_role_whoever_came_first(client_for, staff, manager, editor):
    dashboard = f'href="{reverse("reports")}"'
    desk = f'href="{reverse("contributions:owner_desk")}"'
    assert dashboard in _menu(client_for(manager))
    staff_menu = _menu(client_for(staff))
    assert dashboard not in staff_menu
    assert desk not in staff_menu
    assert desk in _menu(client_for(editor))
    assert dashboard in _menu(client_for(manager))


def test_the_menu_marks_the_page_it_is_on(client_for, staff):
    client = client_for(staff)
    article = make_article()
    home = _menu(client, "/")
    assert 'href="/" aria-current="page"' in home
    on_article = _menu(client, article.get_absolute_url())
    assert 'href="/" aria-current="page"' not in on_article
    assert 'href="/kb/" aria-current="page"' in on_article
