"""«Здоровье базы знаний»: figures for editors, in a fixed number of queries."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from contributions import selectors
from contributions.services import helpfulness_record, review_reminders_send
from search.models import SearchQuery
from tests.factories import ROLE_USERS, make_article, make_section, make_user

URL = "/contributions/health/"
EXPECTED = {
    "staff": 403,
    "editor": 200,
    "working_group": 403,
    "manager": 403,
    "administrator": 200,
}


def _days(n):
    return timezone.localdate() + timedelta(days=n)


def _answers(article, yes, no):
    for _ in range(yes):
        helpfulness_record(article=article, user=make_user(), helpful=True)
    for _ in range(no):
        helpfulness_record(article=article, user=make_user(), helpful=False, reason="other")


def _search(query, *, days_ago=0, results=0, page=1):
    return SearchQuery.objects.create(
        query=query,
        results=results,
        page=page,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/accounts/login/"


@pytest.mark.parametrize(("role", "status"), EXPECTED.items())
def test_only_editors_and_administrators_open_it(db, role, status):
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    assert client.get(URL).status_code == status


@pytest.mark.parametrize(("role", "shown"), [("staff", False), ("editor", True)])
def test_menu_links_are_for_editors(db, role, shown):
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    page = client.get("/").content.decode()
    assert ('href="/contributions/health/"' in page) is shown
    assert ('href="/contributions/my/"' in page) is shown


def test_shares_of_owner_review_date_and_overdue(editor, editor_client):
    make_article(owner=editor, review_due=_days(-1))
    make_article(owner=editor, review_due=_days(10))
    make_article(review_due=_days(-5))
    make_article()
    make_article(status=Article.Status.DRAFT, review_due=_days(-5))  # not published
    totals = editor_client.get(URL).context["totals"]
    assert totals["total"] == 4
    assert (totals["with_owner"], totals["with_owner_percent"]) == (2, 50)
    assert (totals["with_review"], totals["with_review_percent"]) == (3, 75)
    assert (totals["overdue"], totals["overdue_percent"]) == (2, 50)
    assert totals["without_owner"] == 2


def test_an_empty_base_shows_dashes_not_errors(editor_client):
    response = editor_client.get(URL)
    assert response.status_code == 200
    assert response.context["totals"]["overdue_percent"] is None


def test_overdue_per_top_level_section_worst_first(editor_client):
    good = make_section("Кодекс")
    bad = make_section("Сроки и графики")
    child = make_section("Графики приёма", parent=bad)
    make_article(good, review_due=_days(5))
    make_article(good, review_due=_days(-5))
    make_article(good, review_due=_days(50))
    make_article(child, review_due=_days(-1))  # counts for its top-level section
    make_article(bad, review_due=_days(20))
    make_section("Пустой")
    rows = editor_client.get(URL).context["sections"]
    assert [(r["section"].title, r["total"], r["overdue"], r["overdue_percent"]) for r in rows] == [
        ("Сроки и графики", 2, 1, 50),
        ("Кодекс", 3, 1, 33),
        ("Пустой", 0, 0, None),
    ]


def test_articles_without_owner_are_listed_with_admin_links(editor, editor_client):
    orphan = make_article(title="Ничей материал")
    make_article(title="Мой материал", owner=editor)
    page = editor_client.get(URL).content.decode()
    assert "Ничей материал" in page
    assert f"/admin/articles/article/{orphan.pk}/change/" in page
    assert "Мой материал" not in page


def test_without_owner_list_is_limited_but_the_count_is_not(editor_client):
    section = make_section()
    for _ in range(3):
        make_article(section)
    assert len(selectors.health_without_owner(limit=2)) == 2
    assert editor_client.get(URL).context["totals"]["without_owner"] == 3


def test_least_helpful_need_three_answers_and_sort_by_share_of_no(editor_client):
    worst = make_article(title="Хуже всех")
    _answers(worst, yes=1, no=3)
    middle = make_article(title="Середина")
    _answers(middle, yes=2, no=2)
    _answers(make_article(title="Мало ответов"), yes=0, no=2)
    _answers(make_article(title="Всем помог"), yes=4, no=0)
    rows = editor_client.get(URL).context["least_helpful"]
    assert [(r["article__title"], r["yes"], r["no"]) for r in rows] == [
        ("Хуже всех", 1, 3),
        ("Середина", 2, 2),
    ]
    page = editor_client.get(URL).content.decode()
    assert "75 %" in page and worst.get_absolute_url() in page


def test_zero_result_searches_of_four_weeks_with_create_links(editor_client):
    _search("пособие по уходу", days_ago=1)
    _search("пособие по уходу", days_ago=3)
    _search("график & <приёма>", days_ago=2)
    _search("старый запрос", days_ago=29)
    _search("нашлось", results=5)
    _search("вторая страница", page=2)
    response = editor_client.get(URL)
    rows = response.context["zero_searches"]
    assert [(r["query"], r["times"]) for r in rows] == [
        ("пособие по уходу", 2),
        ("график & <приёма>", 1),
    ]
    page = response.content.decode()
    assert "/admin/articles/article/add/?title=%D0%BF%D0%BE%D1%81%D0%BE%D0%B1%D0%B8%D0%B5" in page
    assert "?title=%D0%B3%D1%80%D0%B0%D1%84%D0%B8%D0%BA%20%26%20%3C" in page
    assert "<приёма>" not in page
    assert "старый запрос" not in page and "вторая страница" not in page


def test_create_link_prefills_the_admin_title(editor_client):
    response = editor_client.get(
        "/admin/articles/article/add/?title=%D0%BF%D0%BE%D1%81%D0%BE%D0%B1%D0%B8%D0%B5"
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.initial["title"] == "пособие"


def _grow(editor, n):
    for i in range(n):
        section = make_section()
        article = make_article(section, owner=editor if i % 2 else None, review_due=_days(i - 3))
        _answers(article, yes=1, no=2 + i % 2)
        _search(f"нет такого {i}")
    review_reminders_send(today=timezone.localdate())


def test_health_query_count_does_not_grow(editor, editor_client, django_assert_num_queries):
    _grow(editor, 2)
    editor_client.get(URL)
    with django_assert_num_queries(HEALTH_QUERIES):
        editor_client.get(URL)
    _grow(editor, 12)
    editor_client.get(URL)  # new sections: the cached tree is read again once
    with django_assert_num_queries(HEALTH_QUERIES):
        response = editor_client.get(URL)
    assert len(response.context["least_helpful"]) == 10
    assert len(response.context["sections"]) == 14


# user, roles, totals, reminders sent, per-section counts, top-level sections,
# without owner, least helpful, zero-result searches, section tree stamp (sidebar)
HEALTH_QUERIES = 12  # + questions unanswered over 7 days: their count and list


def test_counts_of_articles_reminded_and_escalated(editor, editor_client):
    section = make_section()
    make_article(section, owner=editor, review_due=_days(5))
    make_article(section, owner=editor, review_due=_days(-2))
    make_article(section, owner=editor, review_due=_days(-31))
    make_article(section, owner=editor, review_due=_days(-40))
    reviewed = make_article(section, owner=editor, review_due=_days(-50))
    archived = make_article(section, owner=editor, review_due=_days(-60))
    make_user("other_editor", role=ROLE_USERS["editor"])
    review_reminders_send(today=timezone.localdate())
    # Reminders of an earlier date or of an article no longer published do not count.
    Article.objects.filter(pk=reviewed.pk).update(review_due=_days(300))
    Article.objects.filter(pk=archived.pk).update(status=Article.Status.ARCHIVED)
    response = editor_client.get(URL)
    assert response.context["reminders"] == {"soon": 1, "overdue": 3, "escalation": 2}
    page = response.content.decode()
    assert "сообщили редакторам раздела: просрочено больше чем на 30 дн." in page
