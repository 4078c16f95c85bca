"""Titles from file names, kinds from file types, slugs, the numbered order."""

import pytest

from articles.models import Article
from kbimport.naming import (
    clean_title,
    kind_for,
    looks_like_copy,
    natural_key,
    slug_base,
    slugs_unique,
)


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Скрипт_звонка.txt", "Скрипт звонка"),
        ("01_Кодекс_клиентоцентричности.docx", "Кодекс клиентоцентричности"),
        ("1.2 Регламент приёма.pdf", "Регламент приёма"),
        ("1.2.3. Порядок записи.docx", "Порядок записи"),
        ("1) Введение.docx", "Введение"),
        ("3. Итоги года.pptx", "Итоги года"),
        ("01 - Начало работы.pdf", "Начало работы"),
        ("Отчёт - копия.docx", "Отчёт"),
        ("Отчёт - копия (2).docx", "Отчёт"),
        ("Справка копия.pdf", "Справка"),
        ("Копия Регламент.docx", "Регламент"),  # Windows XP's «Копия …»
        ("Копия (2) Регламент.docx", "Регламент"),
        ("Copy of Plan.pptx", "Plan"),
        ("Памятка (1).pdf", "Памятка"),
        ("Памятка [3].pdf", "Памятка"),
        ("Отчёт.pdf.pdf", "Отчёт"),
        ("памятка специалисту.pdf", "Памятка специалисту"),
        ("  Лишние   пробелы _ и_подчёркивания .txt", "Лишние пробелы и подчёркивания"),
        # What the name says stays: a document that is a copy, a number that is content.
        ("Копия паспорта.pdf", "Копия паспорта"),
        ("5 шагов к успеху.pdf", "5 шагов к успеху"),
        ("2024 год в цифрах.pptx", "2024 год в цифрах"),
        ("100 вопросов.docx", "100 вопросов"),
        # Nothing left after cleaning: the name without its extension.
        ("01.pdf", "01"),
        ("(1).pdf", "(1)"),
        ("<img src=x onerror=alert(1)>.txt", "‹img src=x onerror=alert(1)›"),
    ],
)
def test_title_is_cleaned_from_the_file_name(name, title):
    assert clean_title(name) == title


def test_folder_titles_lose_numbering_but_keep_dots():
    assert clean_title("02_Профили клиентов", is_file=False) == "Профили клиентов"
    assert clean_title("Версия 1.5", is_file=False) == "Версия 1.5"


def test_a_long_name_becomes_a_title_that_fits():
    title = clean_title("Очень " * 60 + ".docx")
    assert len(title) == 200
    assert title.endswith("…")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Сессия.pptx", Article.Kind.PRESENTATION),
        ("Сессия.ODP", Article.Kind.PRESENTATION),
        ("Инструкция.mp4", Article.Kind.VIDEO),
        ("Выпуск 1.mp3", Article.Kind.PODCAST),
        ("Регламент.pdf", Article.Kind.DOCUMENT),
        ("Приказ.docx", Article.Kind.DOCUMENT),
        ("Показатели.xlsx", Article.Kind.DOCUMENT),
        ("Показатели.ods", Article.Kind.DOCUMENT),
        ("Скрипт.txt", Article.Kind.DOCUMENT),
        ("Фото с форума.jpg", Article.Kind.REPORT),
        ("Схема.png", Article.Kind.REPORT),
    ],
)
def test_kind_is_guessed_from_the_type(name, kind):
    assert kind_for(name) == kind


def test_slugs_are_transliterated_and_unique():
    assert slug_base("Кодекс клиентоцентричности СЗН", fallback="x") == (
        "kodeks-klientocentrichnosti-szn"
    )
    assert slug_base("Объявление: щётка, юла, ёж", fallback="x") == "obyavlenie-shchetka-yula-ezh"
    assert slug_base("★★★", fallback="material") == "material"
    long = slug_base("Слово " * 40, fallback="x")
    assert len(long) <= 74
    assert not long.endswith("-")
    assert slugs_unique(["a", "a", "b"], taken={"b"}) == ["a", "a-2", "b-2"]


def test_numbered_names_sort_as_numbers():
    names = ["10_Итоги", "2_Методики", "1_Нормы", "Приложение"]
    assert sorted(names, key=natural_key) == ["1_Нормы", "2_Методики", "10_Итоги", "Приложение"]


@pytest.mark.parametrize(
    ("name", "copy"),
    [
        ("Отчёт - копия.docx", True),
        ("Памятка (1).pdf", True),
        ("Copy of Plan.pptx", True),
        ("Копия Регламент.docx", True),
        ("Копия паспорта.pdf", False),
        ("01_Регламент.pdf", False),
    ],
)
def test_copies_are_told_from_originals(name, copy):
    assert looks_like_copy(name) is copy
