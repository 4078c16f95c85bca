"""An article page lists the ideas that name it, at no cost to a page without
any: the reader state's one statement counts them, and their one query runs
only when there are some."""

import pytest
from django.test import Client

from ideas import services
from ideas.models import Idea
from ideas.selectors import ARTICLE_IDEAS_LIMIT
from tests.factories import ROLE_USERS, make_article, make_user
from tests.ideas.factories import bulk_ideas, make_idea
from tests.test_query_counts import ARTICLE


@pytest.fixture
def article(db):
    return make_article(title="Стандарт встречи клиента в ЦЗН")


@pytest.fixture
def reader(db):
    client = Client()
    client.force_login(make_user(role=ROLE_USERS["staff"]))
    return client


def _ideas_block(response):
    page = response.content.decode()
    if 'id="ideas"' not in page:
        return None
    start = page.index('id="ideas"')
    return page[start : page.index("</section>", start)]


def test_article_lists_the_ideas_that_name_it(reader, staff, article, working_group):
    first = make_idea(staff, title="Табличка с часами приёма", articles=[article])
    second = make_idea(staff, title="Запись на <b>время</b>", articles=[article])
    make_idea(staff, title="Идея о другом")
    services.idea_status_set(idea=first, status=Idea.Status.UNDER_REVIEW, by=working_group)
    block = _ideas_block(reader.get(article.get_absolute_url()))
    assert block is not None
    assert f'<a href="/ideas/{first.pk}/">№{first.pk}. Табличка с часами приёма</a>' in block
    assert f"№{second.pk}. Запись на &lt;b&gt;время&lt;/b&gt;" in block  # escaped
    assert '<span class="badge">на рассмотрении</span>' in block
    assert '<span class="badge">подана</span>' in block
    assert "Идея о другом" not in block
    assert block.index(f"№{second.pk}.") < block.index(f"№{first.pk}.")  # newest first


def test_merged_duplicates_are_left_out(reader, staff, article, working_group):
    original = make_idea(staff, title="Исходная идея")
    duplicate = make_idea(staff, title="Повтор той же идеи", articles=[article])
    services.idea_merge(duplicate=duplicate, original=original, by=working_group)
    assert _ideas_block(reader.get(article.get_absolute_url())) is None


def test_no_block_without_ideas(reader, article):
    response = reader.get(article.get_absolute_url())
    assert _ideas_block(response) is None
    assert response.context["article_ideas"] == ()


def test_a_long_list_says_how_many_there_are(reader, staff, article):
    ideas = bulk_ideas(staff, ARTICLE_IDEAS_LIMIT + 5)
    article.ideas.add(*ideas)
    block = _ideas_block(reader.get(article.get_absolute_url()))
    assert block.count("<li>") == ARTICLE_IDEAS_LIMIT
    assert f"Показаны {ARTICLE_IDEAS_LIMIT} новых из {ARTICLE_IDEAS_LIMIT + 5}." in block


@pytest.mark.parametrize("count", [0, 1, 3, 40])
def test_query_count_is_one_more_only_with_ideas(
    reader, staff, article, count, django_assert_num_queries
):
    """ARTICLE (tests/test_query_counts.py) without ideas, one more with any number."""
    if count:
        article.ideas.add(*bulk_ideas(staff, count))
    url = article.get_absolute_url()
    reader.get(url)  # the section tree and the session into the cache
    with django_assert_num_queries(ARTICLE + (1 if count else 0)):
        response = reader.get(url)
    assert len(response.context["article_ideas"]) == min(count, ARTICLE_IDEAS_LIMIT)
