"""«Сообщить о неточности»: to the owner and editors only, closed with a comment."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from articles.models import Article
from notifications.models import Kind, Notification
from questions import services
from questions.models import ErrorReport
from tests.factories import ROLE_USERS, make_article, make_user
from tests.questions.factories import report


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _url(article):
    return f"/questions/articles/{article.pk}/report/"


def test_the_form_is_under_every_published_article(staff_client, article):
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert "Сообщить о неточности" in page
    assert f'action="{_url(article)}"' in page


def test_a_report_reaches_the_owner_and_editors_only(staff, owner, editor, colleague, article):
    make_user(role=ROLE_USERS["administrator"])
    response = _client(staff).post(
        _url(article), {"text": "Старый телефон", "quote": "8 800 000-00-00"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#report"
    saved = ErrorReport.objects.get()
    assert (saved.text, saved.quote, saved.status) == ("Старый телефон", "8 800 000-00-00", "open")
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {owner.pk, editor.pk}
    notice = Notification.objects.filter(recipient=owner).get()
    assert notice.kind == Kind.ERROR_REPORT
    assert notice.url == f"/questions/reports/{saved.pk}/"


def test_a_report_is_never_shown_on_the_article(staff, colleague, owner, article):
    report(article, staff, "Секретное замечание")
    for person in (colleague, staff, owner):
        assert (
            "Секретное замечание"
            not in _client(person).get(article.get_absolute_url()).content.decode()
        )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("reporter", 200),
        ("owner", 200),
        ("editor", 200),
        ("administrator", 200),
        ("staff", 404),
        ("working_group", 404),
        ("manager", 404),
    ],
)
def test_who_sees_a_report(staff, owner, editor, article, who, status):
    saved = report(article, staff, "Старый телефон")
    person = {"reporter": staff, "owner": owner, "editor": editor}.get(who) or make_user(
        role=ROLE_USERS[who]
    )
    response = _client(person).get(f"/questions/reports/{saved.pk}/")
    assert response.status_code == status
    if status == 200:
        assert "Старый телефон" in response.content.decode()


def test_staff_owner_of_an_article_sees_and_closes_its_reports(colleague, staff):
    article = make_article(owner=colleague)
    saved = report(article, staff)
    client = _client(colleague)
    page = client.get(f"/questions/reports/{saved.pk}/").content.decode()
    assert "Закрыть сообщение" in page
    response = client.post(
        f"/questions/reports/{saved.pk}/", {"status": "fixed", "comment": "Исправлено"}
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.status == "fixed"


def test_closing_tells_the_reporter(staff, owner, article):
    saved = report(article, staff)
    Notification.objects.all().delete()
    response = _client(owner).post(
        f"/questions/reports/{saved.pk}/", {"status": "rejected", "comment": "Телефон верный."}
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.status, saved.reply, saved.closed_by) == ("rejected", "Телефон верный.", owner)
    notice = Notification.objects.get()
    assert notice.recipient == staff
    assert notice.kind == Kind.ERROR_REPORT
    assert "отклонено" in notice.text and "Телефон верный." in notice.text
    assert saved.history.latest().history_change_reason == "отклонено"
    page = _client(staff).get(f"/questions/reports/{saved.pk}/").content.decode()
    assert "отклонено" in page and "Телефон верный." in page
    assert "Закрыть сообщение" not in page


def test_the_reporter_cannot_close_their_own_report(staff, article):
    saved = report(article, staff)
    response = _client(staff).post(
        f"/questions/reports/{saved.pk}/", {"status": "fixed", "comment": "Сам исправил"}
    )
    assert response.status_code == 403
    saved.refresh_from_db()
    assert saved.status == "open"
    with pytest.raises(PermissionDenied):
        services.error_report_close(report=saved, by=staff, status="fixed", comment="x")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "fixed", "comment": ""}, "Напишите комментарий"),
        ({"status": "open", "comment": "x"}, "Выберите: исправлено или отклонено."),
        ({"status": "", "comment": "x"}, "Выберите: исправлено или отклонено."),
        ({"status": "fixed", "comment": "к" * 1001}, "1000"),
    ],
)
def test_bad_close_shows_the_form_and_changes_nothing(staff, owner, article, data, message):
    saved = report(article, staff)
    Notification.objects.all().delete()
    response = _client(owner).post(f"/questions/reports/{saved.pk}/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    saved.refresh_from_db()
    assert saved.status == "open"
    assert not Notification.objects.exists()


def test_closing_twice_is_refused(staff, owner, editor, article):
    saved = report(article, staff)
    services.error_report_close(report=saved, by=owner, status="fixed", comment="Готово")
    response = _client(editor).post(
        f"/questions/reports/{saved.pk}/", {"status": "rejected", "comment": "Нет"}, follow=True
    )
    assert "Сообщение уже закрыто: исправлено." in response.content.decode()
    saved.refresh_from_db()
    assert (saved.status, saved.closed_by) == ("fixed", owner)
    with pytest.raises(ValidationError, match="уже закрыто"):
        services.error_report_close(report=saved, by=editor, status="rejected", comment="Нет")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "", "quote": ""}, "Напишите, что не так в материале."),
        ({"text": "ч" * 2001, "quote": ""}, "2000"),
        ({"text": "Ошибка", "quote": "ц" * 1001}, "1000"),
    ],
)
def test_a_bad_report_gets_its_own_page_and_saves_nothing(staff_client, article, data, message):
    response = staff_client.post(_url(article), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "<h1>Сообщить о неточности</h1>" in page
    assert not ErrorReport.objects.exists()
    assert not Notification.objects.exists()


def test_no_report_on_a_draft(client_for, staff, editor):
    staff_client, editor_client = client_for(staff), client_for(editor)
    draft = make_article(status=Article.Status.DRAFT)
    for client in (staff_client, editor_client):
        assert client.post(_url(draft), {"text": "Ошибка"}).status_code == 404
    assert (
        "Сообщить о неточности" not in editor_client.get(draft.get_absolute_url()).content.decode()
    )
    assert not ErrorReport.objects.exists()


def test_html_in_a_report_is_text_everywhere(staff, owner, article):
    saved = report(
        article, staff, "<script>alert(1)</script>", quote="<img src=x onerror=alert(2)>"
    )
    services.error_report_close(
        report=saved, by=owner, status="fixed", comment="<b onclick=alert(3)>ok</b>"
    )
    for person, url in [
        (owner, f"/questions/reports/{saved.pk}/"),
        (staff, f"/questions/reports/{saved.pk}/"),
        (staff, "/questions/my/"),
    ]:
        page = _client(person).get(url).content.decode()
        assert "<script>alert(1)" not in page
        assert "<img src=x" not in page
        assert "<b onclick" not in page
        assert "&lt;script&gt;" in page


def test_the_desk_close_form_comes_back_to_the_desk(staff, owner, article):
    saved = report(article, staff)
    response = _client(owner).post(
        f"/questions/reports/{saved.pk}/",
        {"status": "fixed", "comment": "Готово", "next": "/contributions/my/#desk-reports"},
    )
    assert response["Location"] == "/contributions/my/#desk-reports"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_next_to_another_site_is_ignored(staff, owner, article, target):
    saved = report(article, staff)
    response = _client(owner).post(
        f"/questions/reports/{saved.pk}/", {"status": "fixed", "comment": "ok", "next": target}
    )
    assert response["Location"] == f"/questions/reports/{saved.pk}/"
