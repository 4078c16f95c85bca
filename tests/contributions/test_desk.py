"""«Мои материалы»: the owner's desk of reviews due and «нет» answers."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from contributions.models import Helpfulness
from contributions.services import helpfulness_record, review_reminders_send
from tests.factories import ROLE_USERS, make_article, make_section, make_user

URL = "/contributions/my/"
ROLES = ["staff", "editor", "working_group", "manager", "administrator"]


@pytest.fixture
def owner(db):
    return make_user("owner", role=ROLE_USERS["editor"], first_name="Ольга", last_name="Иванова")


@pytest.fixture
def owner_client(owner):
    client = Client()
    client.force_login(owner)
    return client


def _days(n):
    return timezone.localdate() + timedelta(days=n)


def _article(owner, days, **extra):
    return make_article(owner=owner, review_due=_days(days), **extra)


def _no(article, *, days_ago=0, reason="outdated", text=""):
    answer = helpfulness_record(
        article=article, user=make_user(), helpful=False, reason=reason, text=text
    )
    Helpfulness.objects.filter(pk=answer.pk).update(
        answered_at=timezone.now() - timedelta(days=days_ago)
    )
    return answer


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/accounts/login/"


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_the_desk(db, role):
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    assert client.get(URL).status_code == 200


def test_someone_owning_nothing_sees_the_empty_state(staff_client):
    make_article(owner=make_user(), review_due=_days(-5), title="Чужой материал")
    page = staff_client.get(URL).content.decode()
    assert "Вы пока не ответственный редактор ни одного материала" in page
    assert "Чужой материал" not in page
    assert "Просрочена актуализация" not in page


def test_a_staff_owner_sees_the_desk_without_admin_links(staff, staff_client):
    article = _article(staff, -1, title="Сроки выплат")
    page = staff_client.get(URL).content.decode()
    assert "Сроки выплат" in page
    assert f"/admin/articles/article/{article.pk}/change/" not in page


def test_reviews_are_split_into_overdue_and_next_30_days(owner, owner_client):
    _article(owner, -10, title="Просроченный график")
    _article(owner, 0, title="Сегодняшний срок")
    _article(owner, 30, title="Через месяц")
    _article(owner, 31, title="Не скоро")
    _article(owner, -3, title="Черновик", status=Article.Status.DRAFT)
    _article(make_user(), -3, title="Чужой")
    response = owner_client.get(URL)
    desk = response.context["desk"]
    assert [a.title for a in desk["overdue"]] == ["Просроченный график"]
    assert [a.title for a in desk["upcoming"]] == ["Сегодняшний срок", "Через месяц"]
    page = response.content.decode()
    assert 'Просрочена актуализация <span class="desk-count">(1)</span>' in page
    assert 'Актуализация в ближайшие 30 дней <span class="desk-count">(2)</span>' in page
    assert "Не скоро" not in page and "Чужой" not in page


def test_review_rows_have_the_action_and_the_admin_link(owner, owner_client):
    article = _article(owner, -2, title="Контакты ЦЗН")
    page = owner_client.get(URL).content.decode()
    assert f'action="/contributions/articles/{article.pk}/review/"' in page
    assert f'name="next" value="{URL}"' in page
    assert f"/admin/articles/article/{article.pk}/change/" in page
    assert article.get_absolute_url() in page
    due = _days(-2)
    assert f'<time datetime="{due:%Y-%m-%d}">' in page


def test_review_from_the_desk_comes_back_to_the_desk(owner, owner_client):
    article = _article(owner, -2)
    response = owner_client.post(
        f"/contributions/articles/{article.pk}/review/", {"note": "", "next": URL}
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    article.refresh_from_db()
    assert article.review_due > timezone.localdate()
    assert owner_client.get(URL).context["desk"]["overdue"] == []


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x", ""]
)
def test_review_ignores_a_next_to_another_site(owner, owner_client, target):
    article = _article(owner, -2)
    response = owner_client.post(f"/contributions/articles/{article.pk}/review/", {"next": target})
    assert response["Location"] == f"{article.get_absolute_url()}#review"


def test_unhelpful_answers_are_listed_newest_first_for_90_days(owner, owner_client):
    article = _article(owner, 200, title="Памятка по пособию")
    _no(article, days_ago=5, reason="unclear", text="Не понял <b>сроки</b>")
    _no(article, days_ago=1, reason="error", text="Опечатка в телефоне")
    _no(article, days_ago=91, text="Старый ответ")
    helpfulness_record(article=article, user=make_user(), helpful=True)
    _no(make_article(owner=make_user()), text="Чужой ответ")
    response = owner_client.get(URL)
    desk = response.context["desk"]
    assert [a.text for a in desk["unhelpful"]] == ["Опечатка в телефоне", "Не понял <b>сроки</b>"]
    assert desk["unhelpful_count"] == 2
    page = response.content.decode()
    assert 'Не помогло <span class="desk-count">(2)</span>' in page
    assert "ошибка" in page and "непонятно" in page
    assert "Не понял &lt;b&gt;сроки&lt;/b&gt;" in page
    assert "Старый ответ" not in page and "Чужой ответ" not in page


def _grow(owner, n):
    section = make_section()
    for i in range(n):
        article = _article(owner, -i - 1 if i % 2 else i, section=section)
        _no(article, text=f"Ответ {i}")
    review_reminders_send(today=timezone.localdate())


def test_late_articles_show_the_reminders_sent_and_when(owner, owner_client):
    make_user("colleague", role=ROLE_USERS["editor"])
    late = _article(owner, -40, title="Давно просрочен")
    reminded = _article(owner, -3, title="Недавно просрочен")
    _article(owner, -2, title="Без напоминаний")
    today = timezone.localdate()
    review_reminders_send(
        today=today - timedelta(days=2), articles=Article.objects.exclude(title="Без напоминаний")
    )
    response = owner_client.get(URL)
    rows = {a.title: a.reminders for a in response.context["desk"]["overdue"]}
    assert rows["Давно просрочен"] == {
        "overdue": today - timedelta(days=2),
        "escalation": today - timedelta(days=2),
    }
    assert rows["Недавно просрочен"] == {"overdue": today - timedelta(days=2)}
    assert rows["Без напоминаний"] == {}
    page = response.content.decode()
    assert "редакторам раздела:" in page and "не отправлялись" in page
    assert late.pk and reminded.pk


def test_reminders_of_an_earlier_review_date_are_not_shown(owner, owner_client):
    article = _article(owner, -3)
    review_reminders_send(today=timezone.localdate())
    Article.objects.filter(pk=article.pk).update(review_due=_days(-1))
    (row,) = owner_client.get(URL).context["desk"]["overdue"]
    assert row.reminders == {}


def test_desk_query_count_does_not_grow(owner, owner_client, django_assert_num_queries):
    _grow(owner, 2)
    owner_client.get(URL)
    with django_assert_num_queries(DESK_QUERIES):
        assert owner_client.get(URL).status_code == 200
    _grow(owner, 15)
    owner_client.get(URL)  # a new section: the cached tree is read again once
    with django_assert_num_queries(DESK_QUERIES):
        response = owner_client.get(URL)
    assert len(response.context["desk"]["overdue"]) + len(response.context["desk"]["upcoming"]) > 10


def test_empty_desk_query_count(staff_client, django_assert_num_queries):
    staff_client.get(URL)
    with django_assert_num_queries(DESK_QUERIES - 7):  # only «owns anything?»
        staff_client.get(URL)


# user, owns anything, reviews due, reminders sent about them, «нет» answers,
# their count, open questions, open error reports, pending proposals
# (proposals.selectors.pending_for_owner), roles (menu), section tree stamp
# (sidebar)
DESK_QUERIES = 11
