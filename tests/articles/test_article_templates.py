"""«Шаблоны текста по видам материалов»: editors keep them in the admin, a new
article of a kind starts with its template, and an article's own text is
never replaced by one."""

import pytest

from articles.models import Article, ArticleTemplate
from tests.factories import ROLE_USERS, make_article, make_section, make_user
from tests.html import form_data

ADD_URL = "/admin/articles/article/add/"
TEMPLATES_URL = "/admin/articles/articletemplate/"


def _body(response):
    return form_data(response, "article_form")["body"][0]


def _selected_kind(response):
    return form_data(response, "article_form")["kind"]


# --- The templates the portal starts with ---------------------------------------------


def test_the_portal_starts_with_templates_for_kinds_of_a_fixed_shape(db):
    kinds = set(ArticleTemplate.objects.values_list("kind", flat=True))
    assert {"case", "standard", "profile", "route", "faq", "report"} <= kinds
    case = ArticleTemplate.objects.get(kind="case").body
    headings = ["Ситуация", "Что сделали", "Результат", "Что повторить"]
    positions = [case.index(f"<h2>{heading}</h2>") for heading in headings]
    assert positions == sorted(positions)  # in this order


def test_template_says_which_kind_it_is_for(db):
    assert str(ArticleTemplate.objects.get(kind="case")) == "Шаблон: кейс"


# --- A new article starts with its kind's template ---------------------------------------


def test_new_article_of_a_kind_starts_with_its_template(editor_client):
    response = editor_client.get(f"{ADD_URL}?kind=case")
    assert response.status_code == 200
    body = _body(response)
    assert "<h2>Ситуация</h2>" in body
    assert "<h2>Что повторить</h2>" in body
    assert _selected_kind(response) == ["case"]
    assert "Текст заполнен по шаблону «кейс»" in response.content.decode()


def test_template_text_is_what_the_editor_wrote_last(editor_client):
    ArticleTemplate.objects.filter(kind="faq").update(body="<h2>Вопрос клиента</h2><p>…</p>")
    assert _body(editor_client.get(f"{ADD_URL}?kind=faq")) == "<h2>Вопрос клиента</h2><p>…</p>"


def test_kind_step_links_every_kind_with_a_template(editor_client, db):
    ArticleTemplate.objects.filter(kind="route").update(body="")
    section = make_section(slug="kejsy")
    page = editor_client.get(f"{ADD_URL}?section={section.pk}").content.decode()
    assert "Начать по шаблону:" in page
    # The section chosen before stays in the link.
    assert f'href="?section={section.pk}&amp;kind=case"' in page
    assert f'href="?section={section.pk}&amp;kind=faq"' in page
    assert "kind=route" not in page  # an empty template is no template
    assert "Текст заполнен по шаблону" not in page


def test_new_article_without_a_kind_starts_empty(editor_client):
    assert _body(editor_client.get(ADD_URL)) == ""


@pytest.mark.parametrize("kind", ["literature", "nonsense", "", "case'><script>"])
def test_kind_without_a_template_or_unknown_prefills_nothing(editor_client, kind):
    response = editor_client.get(ADD_URL, {"kind": kind})
    assert response.status_code == 200
    assert _body(response) == ""
    assert "Текст заполнен по шаблону" not in response.content.decode()
    assert "<script>" not in response.content.decode().split('id="content-main"')[1]


def test_empty_template_prefills_nothing(editor_client):
    ArticleTemplate.objects.filter(kind="case").update(body="")
    assert _body(editor_client.get(f"{ADD_URL}?kind=case")) == ""


# --- Never over the article's own text -------------------------------------------------


def test_a_text_brought_by_the_address_is_kept(editor_client):
    response = editor_client.get(ADD_URL, {"kind": "case", "body": "<p>Мой черновик</p>"})
    assert _body(response) == "<p>Мой черновик</p>"
    assert "Текст заполнен по шаблону" not in response.content.decode()


def test_an_existing_article_is_never_filled_from_a_template(editor_client):
    article = make_article(kind=Article.Kind.CASE, body="")
    url = f"/admin/articles/article/{article.pk}/change/"
    assert _body(editor_client.get(f"{url}?kind=case")) == ""
    assert "Начать по шаблону" not in editor_client.get(url).content.decode()


def test_a_saved_new_article_keeps_the_text_sent_even_if_empty(editor_client):
    section = make_section()
    data = form_data(editor_client.get(f"{ADD_URL}?kind=case"), "article_form")
    data.update(section=[str(section.pk)], title=["Кейс без текста"], slug=["kejs"], body=[""])
    assert editor_client.post(f"{ADD_URL}?kind=case", data).status_code == 302
    assert Article.objects.get(slug="kejs").body == ""


def test_a_new_article_saved_from_the_template_keeps_it(editor_client):
    section = make_section()
    data = form_data(editor_client.get(f"{ADD_URL}?kind=case"), "article_form")
    data.update(section=[str(section.pk)], title=["Кейс: очередь"], slug=["ochered"])
    assert editor_client.post(f"{ADD_URL}?kind=case", data).status_code == 302
    article = Article.objects.get(slug="ochered")
    assert article.kind == Article.Kind.CASE
    assert "<h2>Что сделали</h2>" in article.body


# --- Editors keep the templates ----------------------------------------------------------


def test_editor_changes_a_template_sanitised_with_history(editor_client):
    template = ArticleTemplate.objects.get(kind="case")
    url = f"{TEMPLATES_URL}{template.pk}/change/"
    data = form_data(editor_client.get(url), "articletemplate_form")
    data["body"] = ['<h2>Ситуация</h2><p onclick="alert(1)">Что было</p><script>alert(2)</script>']
    assert editor_client.post(url, data).status_code == 302
    template.refresh_from_db()
    assert template.body == "<h2>Ситуация</h2><p>Что было</p>"
    record = template.history.latest()
    assert record.history_type == "~"
    assert record.history_user.username == "editor"


def test_editor_adds_a_template_for_a_kind_without_one(editor_client):
    data = form_data(editor_client.get(f"{TEMPLATES_URL}add/"), "articletemplate_form")
    data.update(kind=["literature"], body=["<h2>О чём книга</h2>"])
    assert editor_client.post(f"{TEMPLATES_URL}add/", data).status_code == 302
    assert ArticleTemplate.objects.get(kind="literature").body == "<h2>О чём книга</h2>"
    assert _body(editor_client.get(f"{ADD_URL}?kind=literature")) == "<h2>О чём книга</h2>"


def test_second_template_for_a_kind_is_refused_in_russian(editor_client):
    data = form_data(editor_client.get(f"{TEMPLATES_URL}add/"), "articletemplate_form")
    data.update(kind=["case"], body=["<p>Другой</p>"])
    response = editor_client.post(f"{TEMPLATES_URL}add/", data)
    assert response.status_code == 200
    assert "Шаблон для этого вида материала уже есть." in response.content.decode()
    assert ArticleTemplate.objects.filter(kind="case").count() == 1


def test_the_kind_of_a_saved_template_stays(editor_client):
    template = ArticleTemplate.objects.get(kind="faq")
    url = f"{TEMPLATES_URL}{template.pk}/change/"
    data = form_data(editor_client.get(url), "articletemplate_form")
    assert "kind" not in data
    data.update(kind=["case"], body=["<p>Ответ</p>"])
    assert editor_client.post(url, data).status_code == 302
    template.refresh_from_db()
    assert (template.kind, template.body) == ("faq", "<p>Ответ</p>")


def test_templates_are_not_deleted_only_emptied(editor_client):
    template = ArticleTemplate.objects.get(kind="faq")
    response = editor_client.post(f"{TEMPLATES_URL}{template.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert ArticleTemplate.objects.filter(pk=template.pk).exists()


# --- Who may open them ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "list_status", "add_status"),
    [
        ("staff", 403, 403),
        ("working_group", 403, 403),
        ("manager", 403, 403),
        ("editor", 200, 200),
        ("administrator", 200, 403),  # may look, not write
    ],
)
def test_who_opens_the_templates(client_for, db, role, list_status, add_status):
    client = client_for(make_user(role=ROLE_USERS[role]))
    # The admin refuses through its login view, which answers 403 to a signed-in person.
    assert client.get(TEMPLATES_URL, follow=True).status_code == list_status
    assert client.get(f"{TEMPLATES_URL}add/", follow=True).status_code == add_status


def test_administrator_cannot_change_a_template(client_for, db):
    template = ArticleTemplate.objects.get(kind="case")
    client = client_for(make_user(role=ROLE_USERS["administrator"]))
    url = f"{TEMPLATES_URL}{template.pk}/change/"
    assert client.get(url).status_code == 200  # read-only
    response = client.post(url, {"body": "<p>Чужой</p>"})
    assert response.status_code == 403
    template.refresh_from_db()
    assert "Чужой" not in template.body


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(TEMPLATES_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_templates_list_query_count_does_not_grow(editor_client, django_assert_max_num_queries):
    editor_client.get(TEMPLATES_URL)
    with django_assert_max_num_queries(12) as few:
        editor_client.get(TEMPLATES_URL)
    before = len(few.captured_queries)
    for kind in ["literature", "video", "podcast", "contact"]:
        ArticleTemplate.objects.create(kind=kind, body="<p>…</p>")
    with django_assert_max_num_queries(before):
        response = editor_client.get(TEMPLATES_URL)
    assert response.context["cl"].result_count == ArticleTemplate.objects.count()


def test_the_first_templates_are_in_their_history(db):
    template = ArticleTemplate.objects.get(kind="case")
    (record,) = template.history.all()
    assert record.history_type == "+"
    assert record.body == template.body
