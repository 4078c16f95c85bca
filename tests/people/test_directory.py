"""«Сотрудники» (/people/): whom to ask, found by name, position, office (with
the offices under it) and subject, in any letter case, ё or е, without
JavaScript (a GET form), active people only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from people import roles
from people.forms import ProfileContactsForm
from people.models import Expertise, Office
from people.services import profile_contacts_update
from tests.people import images
from tests.people.factories import make_office, make_person

URL = "/people/"


@pytest.fixture
def region(db):
    centre = make_office("Управляющий центр", code="uc", kind=Office.Kind.CENTER, city="Самара")
    syzran_department = make_office(
        "Территориальный отдел г. Сызрани",
        code="to-syzran",
        parent=centre,
        kind=Office.Kind.DEPARTMENT,
        city="Сызрань",
    )
    syzran = make_office(
        "ЦЗН г. Сызрани", code="czn-syzran", parent=syzran_department, city="Сызрань"
    )
    tolyatti = make_office(
        "ЦЗН Автозаводского района", code="czn-avto", parent=centre, city="Тольятти"
    )
    people = {
        "petrova": make_person(
            "Анна",
            "Петрова",
            office=syzran,
            position="специалист по работе с гражданами",
            phone="+7 8464 98-76-54 доб. 12",
            email="a.petrova@czn.example",
            expertise=["Пособие по безработице", "СВО"],
        ),
        "fedorov": make_person(
            "Пётр",
            "Фёдоров",
            office=syzran_department,
            position="юрист",
            expertise=["квотирование"],
        ),
        "semenova": make_person(
            "Ольга",
            "Семенова",
            office=tolyatti,
            position="специалист по работе с работодателями",
            expertise=["квотирование", "работодатели"],
        ),
        "raspetrov": make_person("Иван", "Распетров", office=centre, position="аналитик"),
        "gone": make_person(
            "Мария", "Петрова-Уволенная", office=syzran, expertise=["СВО"], is_active=False
        ),
    }
    return {
        "offices": {"uc": centre, "to": syzran_department, "syzran": syzran, "avto": tolyatti},
        "people": people,
    }


def _names(response):
    return [person.user.last_name for person in response.context["page"]]


def _find(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return _names(response)


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/people/")


def test_everyone_active_is_listed_alphabetically_without_a_query(staff_client, region):
    assert _find(staff_client) == ["Петрова", "Распетров", "Семенова", "Фёдоров"]


@pytest.mark.parametrize("query", ["петрова", "ПЕТРОВА", "ПеТрОвА", "петрова анна", "Анна"])
def test_a_name_is_found_in_any_letter_case(staff_client, region, query):
    assert _find(staff_client, q=query) == ["Петрова"]


def test_a_first_name_is_found_too(staff_client, region):
    # «Петр» begins «Петрова» and «Пётр» (Фёдоров's first name).
    assert _find(staff_client, q="ПЕТР") == ["Петрова", "Фёдоров"]


def test_a_query_word_matches_the_start_of_a_word(staff_client, region):
    # «петров» is the beginning of «Петрова», not of «Распетров».
    assert _find(staff_client, q="петров") == ["Петрова"]
    assert _find(staff_client, q="распетров") == ["Распетров"]


@pytest.mark.parametrize(("query", "found"), [("федоров", "Фёдоров"), ("Семёнова", "Семенова")])
def test_yo_and_ye_are_the_same_letter(staff_client, region, query, found):
    assert _find(staff_client, q=query) == [found]


@pytest.mark.parametrize("query", ["юрист", "ЮРИСТ", "Юр"])
def test_a_position_is_found_in_any_letter_case(staff_client, region, query):
    assert _find(staff_client, q=query) == ["Фёдоров"]


def test_a_town_or_office_name_finds_its_people_and_those_under_it(staff_client, region):
    # The Сызрань department and its job centre; not Тольятти, not the centre.
    assert _find(staff_client, q="СЫЗРАНИ") == ["Петрова", "Фёдоров"]
    assert _find(staff_client, q="сызрань") == ["Петрова", "Фёдоров"]
    assert _find(staff_client, q="тольятти") == ["Семенова"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("квотирование", ["Семенова", "Фёдоров"]),
        ("КВОТИРОВАНИЕ", ["Семенова", "Фёдоров"]),
        ("безработ", ["Петрова"]),  # the beginning of a word inside the subject
        ("пособие по безработице", ["Петрова"]),
        ("сво", ["Петрова"]),
    ],
)
def test_a_subject_is_found_by_the_query(staff_client, region, query, found):
    assert _find(staff_client, q=query) == found


def test_every_word_must_match_somewhere(staff_client, region):
    assert _find(staff_client, q="юрист сызрань") == ["Фёдоров"]
    assert _find(staff_client, q="квотирование тольятти") == ["Семенова"]
    assert _find(staff_client, q="юрист тольятти") == []


def test_the_office_filter_takes_the_offices_under_it(staff_client, region):
    assert _find(staff_client, office="to-syzran") == ["Петрова", "Фёдоров"]
    assert _find(staff_client, office="czn-syzran") == ["Петрова"]
    assert _find(staff_client, office="uc") == ["Петрова", "Распетров", "Семенова", "Фёдоров"]


def test_the_position_filter(staff_client, region):
    position = region["people"]["fedorov"].profile.position
    assert _find(staff_client, position=position.pk) == ["Фёдоров"]


@pytest.mark.parametrize("written", ["квотирование", "Квотирование", "КВОТИРОВАНИЕ"])
def test_the_subject_filter_in_any_letter_case(staff_client, region, written):
    response = staff_client.get(URL, {"expertise": written})
    assert _names(response) == ["Семенова", "Фёдоров"]
    page = response.content.decode()
    assert "Тема: «квотирование»" in page
    assert 'name="expertise" value="квотирование"' in page  # kept by the search form


def test_filters_combine(staff_client, region):
    assert _find(staff_client, expertise="СВО", office="to-syzran", q="анна") == ["Петрова"]
    assert _find(staff_client, expertise="квотирование", office="to-syzran") == ["Фёдоров"]


def test_inactive_people_are_never_shown(staff_client, region):
    assert "Петрова-Уволенная" not in staff_client.get(URL, {"q": "уволенная"}).content.decode()
    assert _find(staff_client, q="уволенная") == []
    assert _find(staff_client, expertise="сво") == ["Петрова"]


def test_the_subjects_to_ask_about_are_counted_over_active_people(staff_client, region):
    response = staff_client.get(URL)
    popular = {topic.name: topic.n for topic in response.context["popular"]}
    assert popular == {
        "квотирование": 2,
        "Пособие по безработице": 1,
        "работодатели": 1,
        "СВО": 1,  # the inactive person's «СВО» is not counted
    }
    assert next(iter(popular)) == "квотирование"  # most people first
    page = response.content.decode()
    assert page.index("К кому обратиться по…") < page.index("Все сотрудники: 4")
    assert 'href="/people/?expertise=%D1%81%D0%B2%D0%BE"' in page  # ?expertise=сво


def test_an_entry_shows_name_position_office_phone_mail_and_subjects(staff_client, region):
    page = staff_client.get(URL, {"q": "петрова"}).content.decode()
    for text in (
        "Анна Петрова",
        "специалист по работе с гражданами",
        '<a href="/people/offices/czn-syzran/">ЦЗН г. Сызрани</a>',
        '<a href="tel:+78464987654;ext=12">+7 8464 98-76-54 доб. 12</a>',
        '<a href="mailto:a.petrova@czn.example">a.petrova@czn.example</a>',
        '<a class="tag" href="/people/?expertise=',
        ">Пособие по безработице</a>",
        ">СВО</a>",
        'aria-hidden="true">ПА</span>',  # initials stand in for a photo
    ):
        assert text in page, text


def test_a_photo_is_shown_from_the_login_only_address(staff_client, region):
    user = region["people"]["petrova"]
    form = ProfileContactsForm(
        {"phone": "", "expertise": ""},
        {"photo": SimpleUploadedFile("фото.jpg", images.jpeg_bytes())},
    )
    assert form.is_valid(), form.errors
    profile_contacts_update(user=user, phone="", expertise=[], photo=form.cleaned_data["photo"])
    page = staff_client.get(URL, {"q": "петрова"}).content.decode()
    profile = user.profile
    profile.refresh_from_db()
    assert f'src="/people/{profile.pk}/photo/?v=' in page
    assert 'loading="lazy"' in page
    assert "/media" not in page


def test_the_form_keeps_what_was_asked_and_works_without_javascript(staff_client, region):
    page = staff_client.get(URL, {"q": "юрист", "office": "to-syzran"}).content.decode()
    assert 'method="get" action="/people/"' in page
    assert 'type="search" name="q" value="юрист"' in page
    assert '<option value="to-syzran" selected>— Территориальный отдел г. Сызрани</option>' in page
    assert "Найдено: 1" in page
    # After a search the results come first, the common subjects below them.
    assert page.index("Найдено: 1") < page.index("К кому обратиться по…")
    assert "<script" not in page.split('<main id="content"')[1].split("</main>")[0]


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"office": "no-such"}, "Такого подразделения нет — показаны все подразделения."),
        ({"position": "abc"}, "Такой должности нет — показаны все должности."),
        ({"position": "999999"}, "Такой должности нет — показаны все должности."),
        ({"expertise": "вязание"}, "Такой темы пока никто не указал — показаны все темы."),
        ({"q": "я" * 101}, "Запрос длиннее 100 знаков — сократите его."),
    ],
)
def test_a_wrong_filter_is_named_and_left_out(staff_client, region, query, error):
    response = staff_client.get(URL, query)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert len(_names(response)) == 4


def test_nothing_found_says_what_to_try(staff_client, region):
    page = staff_client.get(URL, {"q": "йцукен"}).content.decode()
    assert "Найдено: 0" in page and "Никого не нашлось" in page


def test_results_are_paged(staff_client, db):
    office = make_office("ЦЗН № 1")
    for n in range(25):
        make_person("Имя", f"Фамилия{n:02d}", office=office)
    first = staff_client.get(URL)
    assert len(first.context["page"]) == 20
    assert "Все сотрудники: 25" in first.content.decode()
    second = staff_client.get(URL, {"page": "2"})
    assert _names(second) == [f"Фамилия{n:02d}" for n in range(20, 25)]
    assert staff_client.get(URL, {"page": "999"}).status_code == 200


@pytest.mark.parametrize(
    "role", [roles.STAFF, roles.EDITOR, roles.WORKING_GROUP, roles.MANAGER, roles.ADMINISTRATOR]
)
def test_every_role_opens_the_directory(client_for, region, role):
    from tests.factories import make_user

    assert client_for(make_user(role=role)).get(URL).status_code == 200


def test_names_and_subjects_stay_text(staff_client, db):
    office = make_office('ЦЗН <img src=x onerror="alert(3)">')
    make_person("<script>alert(1)</script>", "Иванов", office=office, phone="+7 846 200-00-00")
    user = make_person("Ольга", "Смирнова", office=office)
    evil = Expertise.objects.create(name='<b onmouseover="alert(2)">СВО</b>')
    user.profile.expertise.add(evil)
    response = staff_client.get(URL)
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Иванов" in page
    assert '<b onmouseover="alert(2)">' not in page
    assert "&lt;b onmouseover=&quot;alert(2)&quot;&gt;СВО&lt;/b&gt;" in page
    assert '<img src=x onerror="alert(3)">' not in page
    assert "ЦЗН &lt;img src=x onerror=&quot;alert(3)&quot;&gt;" in page


# user, roles, section tree stamp (the session and the menu are cached);
# offices, positions, popular subjects; the count, the page, its people's subjects
DIRECTORY_QUERIES = 9


@pytest.mark.parametrize("people", [3, 30])
@pytest.mark.parametrize(
    "query",
    [{}, {"q": "петрова сызрань"}, {"office": "to-syzran", "position": "1"}],
    ids=["all", "query", "filters"],
)
def test_query_count_does_not_grow(staff_client, region, django_assert_num_queries, people, query):
    syzran = region["offices"]["syzran"]
    for n in range(people):
        make_person(
            "Анна",
            f"Петрова{n}",
            office=syzran,
            position=f"должность {n}",
            expertise=[f"тема {n}", "СВО"],
        )
    staff_client.get(URL, query)  # warm the cached menu and section tree
    with django_assert_num_queries(DIRECTORY_QUERIES):
        assert staff_client.get(URL, query).status_code == 200


def test_query_count_with_a_subject_chosen(staff_client, region, django_assert_num_queries):
    staff_client.get(URL, {"expertise": "сво"})
    with django_assert_num_queries(DIRECTORY_QUERIES + 1):  # the subject itself
        assert staff_client.get(URL, {"expertise": "сво"}).status_code == 200
