"""/search/: morphology, typos, ranking, snippets, safety, visibility, filters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from search.services import search_index_articles
from tests.factories import make_section
from tests.search.factories import make_indexed, titles


def test_empty_query_shows_the_form_only(staff_client):
    response = staff_client.get("/search/")
    assert response.status_code == 200
    assert response.context["found"].total == 0
    assert 'name="q"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("маршруты клиентов", "Маршрут клиента-студента"),
        ("студента", "Маршрут клиента-студента"),
        ("клиента-студента", "Маршрут клиента-студента"),
        ("клиентстудент", "Маршрут клиента-студента"),
        ("работодателям", "Памятка работодатель"),
        ("инвалидов", "Путь клиента Инвалид"),
        ("ПУТЬ КЛИЕНТА", "Путь клиента Инвалид"),
        ("ёлочный", "Елочный базар"),
        ("елочный", "Ёлочный праздник"),
    ],
)
def test_word_forms_case_and_yo(staff_client, section, query, title):
    make_indexed(section, title="Маршрут клиента-студента")
    make_indexed(section, title="Памятка работодатель")
    make_indexed(section, title="Путь клиента Инвалид")
    make_indexed(section, title="Елочный базар")
    make_indexed(section, title="Ёлочный праздник")
    assert title in titles(staff_client.get("/search/", {"q": query}))


@pytest.mark.parametrize("query", ["СВО", "сво", "ЦЗН", "цзн", "ЕЦП", "МТЗН"])
def test_abbreviations_match_as_written(staff_client, section, query):
    make_indexed(section, title="Участники СВО в ЦЗН", body="<p>Запись через ЕЦП, МТЗН.</p>")
    make_indexed(section, title="Свои правила", body="<p>У каждого своих забот хватает.</p>")
    assert titles(staff_client.get("/search/", {"q": query})) == ["Участники СВО в ЦЗН"]


def test_typo_still_finds_and_suggests(staff_client, section):
    make_indexed(section, title="Кодекс клиентоцентричности", body="<p>клиентоцентричность</p>")
    response = staff_client.get("/search/", {"q": "клиентоцентричость"})
    assert titles(response) == ["Кодекс клиентоцентричности"]
    assert response.context["found"].suggestion == "клиентоцентричность"
    html = response.content.decode()
    assert "Возможно, вы имели в виду:" in html
    assert "?q=%D0%BA%D0%BB%D0%B8%D0%B5%D0%BD%D1%82" in html  # a link with the corrected query


def test_known_words_get_no_suggestion(staff_client, section):
    make_indexed(section, title="Кодекс клиентоцентричности")
    response = staff_client.get("/search/", {"q": "кодекс"})
    assert response.context["found"].suggestion == ""
    assert "Возможно, вы имели в виду" not in response.content.decode()


def test_title_outranks_tags_summary_body_and_attachments(staff_client, section):
    from tests.factories import make_attachment

    in_attachment = make_indexed(section, title="Пятый")
    make_attachment(in_attachment, name="файл.txt", content="тут про навигатор".encode())
    make_indexed(section, title="Четвёртый", body="<p>Слово навигатор в тексте.</p>")
    make_indexed(section, title="Третий", summary="Кратко про навигатор.")
    make_indexed(section, title="Второй", tags=["навигатор"])
    make_indexed(section, title="Первый навигатор по услугам")
    assert titles(staff_client.get("/search/", {"q": "навигатор"})) == [
        "Первый навигатор по услугам",
        "Второй",
        "Третий",
        "Четвёртый",
        "Пятый",
    ]


def test_words_near_each_other_outrank_scattered_ones(staff_client, section):
    filler = " ".join(["текст"] * 40)
    make_indexed(section, title="Далеко", body=f"<p>оценка {filler} качества</p>")
    make_indexed(section, title="Рядом", body=f"<p>оценка качества {filler}</p>")
    assert titles(staff_client.get("/search/", {"q": "оценка качества"})) == ["Рядом", "Далеко"]


def test_fresher_article_wins_a_tie(staff_client, section):
    old = make_indexed(section, title="Анкета", summary="Одинаково")
    new = make_indexed(section, title="Анкета", summary="Одинаково", slug="anketa-2")
    Article.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=30))
    search_index_articles(article_ids=[old.pk, new.pk])
    found = staff_client.get("/search/", {"q": "анкета"}).context["page"]
    assert [result.article.pk for result in found] == [new.pk, old.pk]


def test_exact_title_match_is_first(staff_client, section):
    make_indexed(section, title="Путь клиента с инвалидностью")
    make_indexed(
        section,
        title="Путь клиента: инвалидность, путь и снова путь клиента",
        tags=["путь клиента", "инвалидность"],
        summary="Путь клиента с инвалидностью, путь клиента с инвалидностью.",
    )
    found = titles(staff_client.get("/search/", {"q": "путь клиента с инвалидностью"}))
    assert found[0] == "Путь клиента с инвалидностью"


def test_snippet_marks_the_matched_words(staff_client, section):
    make_indexed(section, title="Памятка", body="<p>Начало. Порядок записи на консультацию.</p>")
    html = staff_client.get("/search/", {"q": "консультации"}).content.decode()
    assert "<mark>консультацию</mark>" in html


def test_html_in_query_is_shown_as_text(staff_client, section):
    make_indexed(section, title="Скрипт разговора")
    query = "<script>alert(1)</script> скрипт"
    html = staff_client.get("/search/", {"q": query}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_in_document_is_shown_as_text(staff_client, section):
    article = make_indexed(section, title="Про теги <b>жирный</b>")
    # Text that reads like markup once escaped by the sanitiser, and a raw
    # body bypassing the sanitiser, both end up escaped in snippets.
    Article.objects.filter(pk=article.pk).update(
        body="<p>&lt;img src=x onerror=alert(1)&gt; жирный шрифт</p>"
    )
    search_index_articles(article_ids=[article.pk])
    html = staff_client.get("/search/", {"q": "жирный"}).content.decode()
    assert "<img" not in html
    assert "onerror=alert(1)&gt;" in html
    assert "<b>" not in html


def test_staff_do_not_find_drafts(staff_client, section):
    make_indexed(section, title="Черновик регламента", status=Article.Status.DRAFT)
    make_indexed(section, title="Регламент опубликован")
    assert titles(staff_client.get("/search/", {"q": "регламент", "drafts": "1"})) == [
        "Регламент опубликован"
    ]


def test_editors_may_include_drafts(editor_client, section):
    make_indexed(section, title="Черновик регламента", status=Article.Status.DRAFT)
    make_indexed(section, title="Регламент опубликован")
    assert titles(editor_client.get("/search/", {"q": "регламент"})) == ["Регламент опубликован"]
    response = editor_client.get("/search/", {"q": "регламент", "drafts": "1"})
    assert sorted(titles(response)) == ["Регламент опубликован", "Черновик регламента"]
    assert "включая черновики" in response.content.decode()


def test_results_show_kind_section_path_and_badges(staff_client):
    root = make_section("Управление клиентским опытом", slug="cx")
    child = make_section("Стандарты", parent=root, slug="standarty")
    make_indexed(child, title="Стандарт приёма", kind=Article.Kind.STANDARD, mandatory=True)
    html = staff_client.get("/search/", {"q": "стандарт"}).content.decode()
    assert "стандарт / инструкция / скрипт" in html
    assert "Управление клиентским опытом</a> › <a" in html
    assert "обязательно для ознакомления" in html
    assert "обновлено" in html


@pytest.fixture
def catalogue(db):
    root = make_section("Работа с клиентами", slug="clients")
    sub = make_section("Молодёжь", parent=root, slug="youth")
    other = make_section("Работодатели", slug="employers")
    make_indexed(sub, title="Анкета студента", kind=Article.Kind.CASE, tags=["молодёжь"])
    make_indexed(
        root, title="Анкета соискателя", kind=Article.Kind.DOCUMENT, mandatory=True, tags=["анкеты"]
    )
    with_file = make_indexed(other, title="Анкета работодателя", kind=Article.Kind.DOCUMENT)
    from tests.factories import make_attachment

    make_attachment(with_file, name="бланк.txt", content="бланк".encode())
    old = make_indexed(other, title="Анкета старая", kind=Article.Kind.FAQ)
    Article.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=400))
    search_index_articles(article_ids=[old.pk])
    return {"root": root, "sub": sub, "other": other}


def test_section_filter_includes_subsections(staff_client, catalogue):
    response = staff_client.get("/search/", {"q": "анкета", "section": catalogue["root"].pk})
    assert sorted(titles(response)) == ["Анкета соискателя", "Анкета студента"]


def test_kind_filter_and_counts(staff_client, catalogue):
    response = staff_client.get("/search/", {"q": "анкета", "kind": "document"})
    assert sorted(titles(response)) == ["Анкета работодателя", "Анкета соискателя"]
    facets = response.context["found"].facets
    # A facet counts as if its own filter were off, the other filters on.
    assert {value: count for value, _label, count in facets.kinds} == {
        "document": 2,
        "case": 1,
        "faq": 1,
    }
    sections = {node.title: count for node, _label, count in facets.sections}
    assert sections == {"Работа с клиентами": 1, "Работодатели": 1}


def test_section_counts_add_up_subsections(staff_client, catalogue):
    facets = staff_client.get("/search/", {"q": "анкета"}).context["found"].facets
    sections = {node.title: count for node, _label, count in facets.sections}
    assert sections == {"Работа с клиентами": 2, "Молодёжь": 1, "Работодатели": 2}
    assert facets.mandatory == 1
    assert facets.attachments == 1
    assert ("molodyozh", "молодёжь", 1) in [tuple(tag) for tag in facets.tags] or any(
        name == "молодёжь" and count == 1 for _slug, name, count in facets.tags
    )


def test_tag_filter(staff_client, catalogue):
    facets = staff_client.get("/search/", {"q": "анкета"}).context["found"].facets
    slug = next(slug for slug, name, _count in facets.tags if name == "молодёжь")
    assert titles(staff_client.get("/search/", {"q": "анкета", "tag": slug})) == ["Анкета студента"]


def test_mandatory_and_attachment_filters(staff_client, catalogue):
    assert titles(staff_client.get("/search/", {"q": "анкета", "mandatory": "1"})) == [
        "Анкета соискателя"
    ]
    assert titles(staff_client.get("/search/", {"q": "анкета", "attachments": "1"})) == [
        "Анкета работодателя"
    ]


def test_updated_date_range(staff_client, catalogue):
    today = timezone.localdate()
    recent = staff_client.get(
        "/search/", {"q": "анкета", "updated_from": (today - timedelta(days=30)).isoformat()}
    )
    assert "Анкета старая" not in titles(recent)
    assert len(titles(recent)) == 3
    old = staff_client.get(
        "/search/", {"q": "анкета", "updated_to": (today - timedelta(days=300)).isoformat()}
    )
    assert titles(old) == ["Анкета старая"]


def test_reversed_date_range_is_explained_not_fatal(staff_client, catalogue):
    response = staff_client.get(
        "/search/", {"q": "анкета", "updated_from": "2026-05-01", "updated_to": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "Конец периода раньше его начала." in response.content.decode()


def test_bad_filter_values_are_ignored(staff_client, catalogue):
    response = staff_client.get(
        "/search/", {"q": "анкета", "section": "abc", "kind": "nope", "updated_from": "вчера"}
    )
    assert response.status_code == 200
    assert len(titles(response)) == 4


def test_pagination_keeps_the_query_and_filters(staff_client, section):
    for n in range(45):
        make_indexed(section, title=f"Консультация номер {n}", slug=f"k-{n}")
    first = staff_client.get("/search/", {"q": "консультация", "kind": "document"})
    assert first.context["found"].total == 45
    assert len(titles(first)) == 20
    html = first.content.decode()
    assert "page=2" in html and "kind=document" in html
    third = staff_client.get("/search/", {"q": "консультация", "kind": "document", "page": 3})
    assert len(titles(third)) == 5
    seen = set()
    for page in (1, 2, 3):
        seen |= set(titles(staff_client.get("/search/", {"q": "консультация", "page": page})))
    assert len(seen) == 45


def test_deep_pages_follow_the_engine_order(staff_client, section, settings):
    settings.SEARCH_RERANK = 20
    for n in range(50):
        make_indexed(section, title=f"Вакансия {n}", slug=f"v-{n}")
    seen = []
    for page in (1, 2, 3):
        seen += titles(staff_client.get("/search/", {"q": "вакансия", "page": page}))
    assert len(seen) == len(set(seen)) == 50


def test_some_words_are_enough_when_none_has_all(staff_client, section):
    make_indexed(section, title="Профиль молодёжи")
    response = staff_client.get("/search/", {"q": "профиль пенсионера"})
    assert titles(response) == ["Профиль молодёжи"]
    assert response.context["found"].any_word


def test_nothing_found_says_so(staff_client, section):
    make_indexed(section, title="Профиль молодёжи")
    html = staff_client.get("/search/", {"q": "квантовая"}).content.decode()
    assert "ничего не нашлось" in html


def test_many_matches_rank_title_matches_first_and_count_up_to_the_limit(
    staff_client, section, settings, monkeypatch
):
    from search import selectors

    monkeypatch.setattr(selectors, "COUNT_LIMIT", 30)
    settings.SEARCH_RERANK = 20
    make_indexed(section, title="Выплата пособия", slug="target")  # the oldest of all
    for n in range(50):
        make_indexed(
            section, title=f"Материал {n}", body="<p>Про выплату пособия.</p>", slug=f"m-{n}"
        )
    first = staff_client.get("/search/", {"q": "выплата пособия"})
    found = first.context["found"]
    assert found.large and found.total == 30
    assert found.facets.approximate
    assert titles(first)[0] == "Выплата пособия"
    assert "Найдено более 30 материалов." in first.content.decode()
    second = titles(staff_client.get("/search/", {"q": "выплата пособия", "page": 2}))
    assert len(second) == 10
    assert not set(second) & set(titles(first))


def test_many_matches_with_a_narrow_filter_are_counted_exactly(staff_client, section, monkeypatch):
    from search import selectors

    monkeypatch.setattr(selectors, "COUNT_LIMIT", 30)
    for n in range(40):
        make_indexed(section, title=f"Выплата {n}", slug=f"m-{n}")
    make_indexed(section, title="Выплата: контакт", slug="c", kind=Article.Kind.CONTACT)
    response = staff_client.get("/search/", {"q": "выплата", "kind": "contact"})
    assert response.context["found"].total == 1
    assert titles(response) == ["Выплата: контакт"]
