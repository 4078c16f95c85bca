"""The offices: a tree of them (/people/offices/) and each office's page with
its address, phone, head, people and the offices under it."""

import pytest

from people import roles
from people.models import Office
from tests.people.factories import make_office, make_person

INDEX = "/people/offices/"


@pytest.fixture
def tree(db):
    centre = make_office(
        "Управляющий центр",
        code="uc",
        kind=Office.Kind.CENTER,
        city="Самара",
        address="г. Самара, ул. Агибалова, д. 24",
        phone="+7 846 200-10-00",
    )
    department = make_office(
        "Территориальный отдел г. Сызрани",
        code="to-syzran",
        parent=centre,
        kind=Office.Kind.DEPARTMENT,
        city="Сызрань",
    )
    job_centre = make_office(
        "ЦЗН г. Сызрани",
        code="czn-syzran",
        parent=department,
        city="Сызрань",
        address="г. Сызрань, ул. Советская, д. 7",
        phone="+7 8464 98-00-00",
    )
    closed = make_office("ЦЗН закрытый", code="czn-closed", parent=department, is_active=False)
    head = make_person(
        "Сергей",
        "Никитин",
        office=job_centre,
        position="руководитель ЦЗН",
        role=roles.MANAGER,
        phone="+7 8464 98-00-01",
        expertise=["обращения клиентов"],
    )
    specialist = make_person(
        "Анна", "Петрова", office=job_centre, position="юрист", expertise=["СВО"]
    )
    # A «руководитель ЦЗН» by position without the role is not the head.
    make_person("Ирина", "Зайцева", office=job_centre, position="руководитель ЦЗН")
    make_person("Пётр", "Уволенный", office=job_centre, role=roles.MANAGER, is_active=False)
    make_person("Олег", "Отделов", office=department, position="начальник отдела")
    return {
        "centre": centre,
        "department": department,
        "job_centre": job_centre,
        "closed": closed,
        "head": head,
        "specialist": specialist,
    }


def _url(office):
    return f"/people/offices/{office.code}/"


def test_anonymous_is_sent_to_login(client, tree):
    for url in (INDEX, _url(tree["job_centre"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_index_is_the_tree_with_people_counted_with_the_offices_under(staff_client, tree):
    response = staff_client.get(INDEX)
    (root,) = response.context["roots"]
    assert root.title == "Управляющий центр"
    (department,) = root.nodes
    assert [node.title for node in department.nodes] == ["ЦЗН г. Сызрани"]  # not the closed one
    # ЦЗН: Никитин, Петрова, Зайцева (not the inactive one); the department: one more.
    assert (department.nodes[0].staff_total, department.staff_count) == (3, 1)
    assert (department.staff_total, root.staff_total) == (4, 4)
    page = response.content.decode()
    assert '<a href="/people/offices/czn-syzran/">ЦЗН г. Сызрани</a>' in page
    assert "ЦЗН закрытый" not in page
    # Nested lists: the job centre's list sits inside the department's item.
    department_item = page.split("Территориальный отдел г. Сызрани")[1]
    assert department_item.index("<ul>") < department_item.index("ЦЗН г. Сызрани")


def test_an_office_page_has_address_phone_town_and_its_parent(staff_client, tree):
    response = staff_client.get(_url(tree["job_centre"]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "<h1>ЦЗН г. Сызрани</h1>",
        "центр занятости (ЦЗН)",
        "г. Сызрань, ул. Советская, д. 7",
        '<a href="tel:+78464980000">+7 8464 98-00-00</a>',
        "Сызрань",
        # The parent, and the whole chain in the breadcrumbs.
        '<dt>Входит в</dt><dd><a href="/people/offices/to-syzran/">',
        '<li><a href="/people/offices/uc/">Управляющий центр</a></li>',
    ):
        assert text in page, text


def test_the_head_is_the_active_manager_attached_to_the_office(staff_client, tree):
    response = staff_client.get(_url(tree["job_centre"]))
    assert [person.user.last_name for person in response.context["heads"]] == ["Никитин"]
    head = response.content.decode().split('id="head-title"')[1].split("</section>")[0]
    assert "Сергей Никитин" in head and "руководитель ЦЗН" in head
    assert '<a href="tel:+78464980001">' in head and ">обращения клиентов</a>" in head
    assert "Зайцева" not in head


def test_without_a_head_the_page_says_who_appoints_one(staff_client, tree):
    page = staff_client.get(_url(tree["department"])).content.decode()
    assert "Руководитель подразделения на портале не указан" in page


def test_the_staff_of_the_office_itself_are_listed_active_only(staff_client, tree):
    response = staff_client.get(_url(tree["job_centre"]))
    names = [person.user.last_name for person in response.context["page"]]
    assert names == ["Зайцева", "Никитин", "Петрова"]
    page = response.content.decode()
    assert "Сотрудники: 3" in page and "Уволенный" not in page


def test_child_offices_are_listed_with_their_people_and_a_link_to_all(staff_client, tree):
    response = staff_client.get(_url(tree["department"]))
    children = response.context["children"]
    assert [(child.title, child.staff_count) for child in children] == [("ЦЗН г. Сызрани", 3)]
    page = response.content.decode()
    assert '<a href="/people/?office=to-syzran">' in page
    assert "ЦЗН закрытый" not in page


def test_the_staff_are_paged(staff_client, tree):
    for n in range(22):
        make_person("Имя", f"Сотрудник{n:02d}", office=tree["department"])
    response = staff_client.get(_url(tree["department"]), {"page": "2"})
    assert len(response.context["page"]) == 3  # 23 people, 20 a page
    assert "Страница 2 из 2" in response.content.decode()


@pytest.mark.parametrize("code", ["czn-closed", "no-such-office"])
def test_an_inactive_or_unknown_office_is_not_found(staff_client, tree, code):
    assert staff_client.get(f"/people/offices/{code}/").status_code == 404


def test_office_texts_stay_text(staff_client, db):
    office = make_office(
        "<script>alert(1)</script>",
        code="evil",
        address='<img src=x onerror="alert(2)">',
        phone="<b>1</b>",
    )
    page = staff_client.get(_url(office)).content.decode()
    assert "<script>alert(1)" not in page and '<img src=x onerror="alert(2)">' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;1&lt;/b&gt;" in page


@pytest.mark.parametrize(
    "role", [roles.STAFF, roles.EDITOR, roles.WORKING_GROUP, roles.MANAGER, roles.ADMINISTRATOR]
)
def test_every_role_opens_the_offices(client_for, tree, role):
    from tests.factories import make_user

    client = client_for(make_user(role=role))
    assert client.get(INDEX).status_code == 200
    assert client.get(_url(tree["job_centre"])).status_code == 200


# user, roles, section tree stamp; offices, staff counts
INDEX_QUERIES = 5
# user, roles, section tree stamp; the office, its ancestors, its children,
# its heads, the staff count, the page, the subjects of heads and page
OFFICE_QUERIES = 10


@pytest.mark.parametrize("more", [0, 30])
def test_index_query_count_does_not_grow(staff_client, tree, django_assert_num_queries, more):
    for n in range(more):
        office = make_office(f"ЦЗН № {n}", parent=tree["department"])
        make_person("Имя", f"Фамилия{n}", office=office)
    staff_client.get(INDEX)
    with django_assert_num_queries(INDEX_QUERIES):
        assert staff_client.get(INDEX).status_code == 200


@pytest.mark.parametrize("more", [0, 30])
def test_office_query_count_does_not_grow(staff_client, tree, django_assert_num_queries, more):
    office = tree["job_centre"]
    make_office("Выездной пункт", parent=office)  # a leaf office reads no children: none here
    for n in range(more):
        make_person("Имя", f"Фамилия{n}", office=office, expertise=[f"тема {n}", "СВО"])
        make_office(f"ЦЗН № {n}", parent=office)
        if n % 10 == 0:
            make_person("Глава", f"Руководитель{n}", office=office, role=roles.MANAGER)
    staff_client.get(_url(office))
    with django_assert_num_queries(OFFICE_QUERIES):
        assert staff_client.get(_url(office)).status_code == 200
