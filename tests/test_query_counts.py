"""Pinned query counts: each staff page costs the same with 5 or 200 articles.

The counts are for a warm cache (the section tree cached), as a logged-in
staff member. A change here is either an N+1 query (a bug) or a deliberate
change to a page, which should then update the number in the same commit.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag, TaggedItem

from articles.models import Article, Section
from tests.factories import (
    ROLE_USERS,
    make_article,
    make_articles_bulk,
    make_attachment,
    make_section,
    make_user,
)

# user and roles (the session comes from the cache); then the page's own queries
# + 5 article lists (new, updated, popular, mandatory, «Для вас»), tree stamp, CX data stamp,
# the person's current «Путь новичка» with its marks (one statement, empty without a
# path; tests/onboarding/test_query_counts.py holds it constant with the path's length),
# and «Ближайшие мероприятия» for the person's audience (one statement;
# tests/events/test_home.py holds it constant with the number of events).
HOME = 11
KB_INDEX = 4  # + tree stamp, published counts
SECTION = 7  # + section, tree stamp, count, page, child counts
# + article (with the last review date), tags, tree stamp, attachments,
# related, and one small statement for the person's helpfulness answer and
# acknowledgement, whether it has questions and the person's office, whose
# views the page counts (contributions.selectors.article_reader_state). An
# article with questions costs two more (the questions, their answers:
# tests/questions/test_query_counts.py). The views are buffered in the cache
# (articles.services.article_count_view): the measured request writes
# nothing. Before «Everyone contributes» it was 8; that issue allows at most 10.
ARTICLE = 8
TAG_LIST = 4
TAG = 6
SEARCH = 12  # + vocabulary, facets, candidates, their terms, tags, cards, texts, files, log
HISTORY = 6  # + article with its section, tree stamp, count, page of records


@pytest.fixture(params=[5, 200], ids=["5-articles", "200-articles"])
def site(request, db):
    """A small tree with ``n`` published articles in one section, and one
    article whose tags, attachments and cross-links grow with ``n`` too."""
    n = request.param
    root = make_section("Управление клиентским опытом", slug="cx")
    section = make_section("Кейсы", parent=root, slug="kejsy")
    for i in range(3):
        make_section(f"Подраздел {i}", parent=section)
    bulk = make_articles_bulk(section, n, mandatory=True)
    tag = Tag.objects.create(name="кейс", slug="kejs")
    TaggedItem.objects.bulk_create(TaggedItem(content_object=article, tag=tag) for article in bulk)
    target = make_article(section, slug="target", title="Кейс: трудный разговор", mandatory=True)
    target.tags.add(*[f"метка {i}" for i in range(n // 20 + 2)])
    for i in range(n // 100 + 1):
        make_attachment(target, name=f"памятка-{i}.txt")
    target.related.add(*bulk[: n // 4])
    for i in range(n // 50 + 1):
        target.title = f"Кейс: трудный разговор, версия {i}"
        target.save()
    client = Client()
    client.force_login(make_user(role=ROLE_USERS["staff"]))
    return {"client": client, "article": target, "n": n}


def _assert_queries(django_assert_num_queries, client, url, expected):
    client.get(url)  # warm the section tree cache
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_home_query_count(site, django_assert_num_queries):
    response = _assert_queries(django_assert_num_queries, site["client"], "/", HOME)
    mandatory = response.context["mandatory"]
    assert mandatory
    assert all(article.mandatory for article in mandatory)


def test_kb_index_query_count(site, django_assert_num_queries):
    _assert_queries(django_assert_num_queries, site["client"], "/kb/", KB_INDEX)


def test_section_query_count(site, django_assert_num_queries):
    response = _assert_queries(django_assert_num_queries, site["client"], "/kb/kejsy/", SECTION)
    assert response.context["page"].paginator.count == site["n"] + 1


def test_section_with_filters_query_count(site, django_assert_num_queries):
    _assert_queries(
        django_assert_num_queries, site["client"], "/kb/kejsy/?kind=case&tag=kejs&all=1", SECTION
    )


def test_article_query_count(site, django_assert_num_queries):
    url = site["article"].get_absolute_url()
    site["client"].get(url)  # the first view of the day writes its row
    response = _assert_queries(django_assert_num_queries, site["client"], url, ARTICLE)
    assert len(response.context["related"]) == site["n"] // 4


def test_an_article_view_writes_nothing(site):
    url = site["article"].get_absolute_url()
    site["client"].get(url)
    with CaptureQueriesContext(connection) as queries:
        assert site["client"].get(url).status_code == 200
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


def test_tag_list_query_count(site, django_assert_num_queries):
    _assert_queries(django_assert_num_queries, site["client"], "/tags/", TAG_LIST)


def test_tag_query_count(site, django_assert_num_queries):
    response = _assert_queries(django_assert_num_queries, site["client"], "/tags/kejs/", TAG)
    assert response.context["page"].paginator.count == site["n"]


def test_search_query_count(site, django_assert_num_queries):
    from search.services import search_rebuild

    search_rebuild()  # bulk_create skips the indexing the app's own writes do
    response = _assert_queries(
        django_assert_num_queries, site["client"], "/search/?q=Массовый", SEARCH
    )
    assert response.context["found"].total == site["n"]


def test_article_history_query_count(site, django_assert_num_queries):
    url = f"/articles/{site['article'].pk}/history/"
    _assert_queries(django_assert_num_queries, site["client"], url, HISTORY)


def test_section_tree_is_rebuilt_once_after_a_section_changes(site, django_assert_num_queries):
    client = site["client"]
    client.get("/kb/")
    section = Section.objects.get(slug="kejsy")
    section.title = "Кейсы службы занятости"
    section.save()
    with django_assert_num_queries(KB_INDEX + 1):  # the stamp changed: the tree is read again
        response = client.get("/kb/")
    assert "Кейсы службы занятости" in response.content.decode()
    with django_assert_num_queries(KB_INDEX):
        client.get("/kb/")


# --- Mandatory reading ----------------------------------------------------------

MANDATORY = 6  # + tree stamp, the documents for the person, their marks, the rounds in force
COMPARE = 6  # + the article with its section, tree stamp, the two versions compared


@pytest.fixture(params=[3, 30], ids=["3-documents", "30-documents"])
def reading(request, db):
    """A person in several audiences, documents with rounds and marks; the
    numbers grow with ``n``."""
    from people import roles
    from tests.articles.reading import mandatory_article, person, reack, region, spec

    n = request.param
    offices = region()
    reader = person("reader", office=offices["n1"], position="консультант", role=roles.STAFF)
    section = make_section("Обязательные", slug="obyazatelnye")
    documents = []
    for i in range(n):
        audience = [
            spec(),
            spec(offices=[offices["north"]]),
            spec(positions=["консультант"], offices=[offices["centre"]]),
        ][i % 3]
        article = mandatory_article(title=f"Документ {i}", audience=audience, section=section)
        if i % 2:
            article.acknowledgements.create(user=reader, article_version=article.version)
            reack(article, summary=f"Изменение {i}")
        documents.append(article)
    for i in range(n):
        person(f"colleague{i}", office=offices["n2"], position="консультант")
    client = Client()
    client.force_login(reader)
    return {"client": client, "documents": documents, "n": n}


def test_mandatory_page_query_count(reading, django_assert_num_queries):
    response = _assert_queries(
        django_assert_num_queries, reading["client"], "/mandatory/", MANDATORY
    )
    rows = response.context["rows"]
    assert len(rows) == reading["n"]
    assert any(row.reasked for row in rows) == (reading["n"] > 1)


def test_article_page_of_a_targeted_document_after_a_round_query_count(
    reading, django_assert_num_queries
):
    article = reading["documents"][-1 if reading["n"] % 2 == 0 else -2]
    article.refresh_from_db()
    assert article.ack_required_version  # re-asked
    response = _assert_queries(
        django_assert_num_queries, reading["client"], article.get_absolute_url(), ARTICLE
    )
    assert response.context["reasked"] and response.context["round_summary"]


def test_home_with_targeted_documents_query_count(reading, django_assert_num_queries):
    response = _assert_queries(django_assert_num_queries, reading["client"], "/", HOME)
    assert len(response.context["mandatory"]) == min(5, reading["n"])


def test_compare_query_count(reading, django_assert_num_queries):
    article = reading["documents"][1]
    url = f"/articles/{article.pk}/history/compare/?from=1"
    _assert_queries(django_assert_num_queries, reading["client"], url, COMPARE)


REPORTS = 3  # session, user, their roles (read once: no query per report listed)


@pytest.mark.parametrize("role", [ROLE_USERS["manager"], ROLE_USERS["administrator"]])
def test_reports_query_count(db, role, django_assert_num_queries):
    client = Client()
    client.force_login(make_user(role=role))
    _assert_queries(django_assert_num_queries, client, "/reports/", REPORTS)


# --- Targeting («Для вас») ---------------------------------------------------------

# + tree stamp, count, and the page — or, when nothing is for the person (no
# page to read), whether their profile names a position (the hint)
FOR_YOU = 5


@pytest.fixture(params=[3, 30], ids=["3-targets", "30-targets"])
def targeted(request, db):
    """Sections and articles targeted at offices and positions, more of each
    with ``n``; the reader matches some by section, some by their own target."""
    from articles.services import article_target_apply, section_target_apply
    from tests.articles.reading import person, region, spec

    n = request.param
    offices = region()
    reader = person("reader", office=offices["n1"], position="консультант")
    for i in range(n):
        section = make_section(f"Адресный раздел {i}")
        child = make_section(f"Подраздел {i}", parent=section)
        audience = [
            spec(positions=["консультант"]),
            spec(offices=[offices["north"]]),
            spec(offices=[offices["south"]], positions=["психолог"]),
        ][i % 3]
        section_target_apply(section=section, spec=audience)
        make_articles_bulk(child, 2)
        article = make_article(child, title=f"Адресный материал {i}")
        article_target_apply(article=article, spec=audience)
        person(f"colleague{i}", office=offices["n2"], position="консультант")
    client = Client()
    client.force_login(reader)
    first = Article.objects.get(title="Адресный материал 0")  # for the reader's position
    return {"client": client, "n": n, "article": first}


def test_article_page_of_a_targeted_article_query_count(targeted, django_assert_num_queries):
    # Its own target and its section's are checked in the reader's statement.
    url = targeted["article"].get_absolute_url()
    targeted["client"].get(url)  # the first view of the day writes its row
    response = _assert_queries(django_assert_num_queries, targeted["client"], url, ARTICLE)
    assert response.context["article_for_you"]


def test_home_with_for_you_query_count(targeted, django_assert_num_queries):
    response = _assert_queries(django_assert_num_queries, targeted["client"], "/", HOME)
    assert len(response.context["for_you"].articles) == 6
    assert response.context["for_you"].more == (targeted["n"] > 3)


def test_for_you_query_count(targeted, django_assert_num_queries):
    response = _assert_queries(django_assert_num_queries, targeted["client"], "/for-you/", FOR_YOU)
    # Two of every three targets hold the reader: 2 articles per section + its own.
    assert response.context["page"].paginator.count == 3 * len(
        [i for i in range(targeted["n"]) if i % 3 != 2]
    )


def test_for_you_empty_query_count(site, django_assert_num_queries):
    response = _assert_queries(django_assert_num_queries, site["client"], "/for-you/", FOR_YOU)
    assert response.context["no_position"]
