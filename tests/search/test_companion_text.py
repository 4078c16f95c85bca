"""A structured kind's own fields are found by search like its body."""

import pytest

from articles import companions
from articles.models import Article
from tests.search.factories import make_indexed, titles


@pytest.fixture
def profile_texts(monkeypatch):
    calls = []

    def texts(*, article_ids):
        calls.append(sorted(article_ids))
        return dict.fromkeys(article_ids, "Боли: долгое ожидание справки")

    monkeypatch.setitem(companions._TEXTS, Article.Kind.PROFILE, texts)
    return calls


def test_companion_fields_are_searched(client_for, staff, section, profile_texts):
    make_indexed(section, title="Профиль: молодёжь", slug="molodezh", kind="profile")
    make_indexed(section, title="Памятка", slug="pamyatka", kind="standard")
    assert titles(client_for(staff).get("/search/", {"q": "справки"})) == ["Профиль: молодёжь"]
    # Asked only for the articles of the kind it registered.
    assert all(len(ids) == 1 for ids in profile_texts)


def test_other_kinds_ask_no_companion(section, profile_texts):
    make_indexed(section, title="Памятка", slug="pamyatka", kind="standard")
    assert profile_texts == []


def test_page_includes_the_companion_block(
    client_for, staff, section, monkeypatch, settings, tmp_path
):
    (tmp_path / "companion_test.html").write_text(
        '<div class="companion-test">{{ companion.label }}</div>', encoding="utf-8"
    )
    engine = {**settings.TEMPLATES[0]}
    engine["DIRS"] = [*engine["DIRS"], tmp_path]
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]
    article = make_indexed(section, title="Профиль", slug="profil", kind="profile")
    seen = []

    def loader(*, request, article):
        seen.append(article.pk)
        return {"template": "companion_test.html", "label": "Живые цифры"}

    monkeypatch.setitem(companions._LOADERS, Article.Kind.PROFILE, loader)
    page = client_for(staff).get(article.get_absolute_url())
    assert seen == [article.pk]
    assert '<div class="companion-test">Живые цифры</div>' in page.content.decode()
