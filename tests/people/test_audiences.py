"""Who is in an audience: every non-empty dimension must match (offices and
their subtrees, positions, roles), the choices within one dimension are
alternatives, nothing chosen is everyone — and the three ways the portal
asks (the people of an audience, whether one person is in it, the report's
pairs) give the same answer."""

import pytest
from django.db.models import ProtectedError

from articles.mandatory import is_member
from articles.report import pair_counts
from people import roles
from people.audiences import AudienceSpec, audience_save, members, spec_description
from people.models import Audience, Office, Position
from tests.articles.reading import mandatory_article, person, region, spec


@pytest.fixture
def world(db):
    offices = region()
    people = {
        "anna": person("anna", office=offices["n1"], position="консультант"),
        "boris": person("boris", office=offices["n2"], position="психолог"),
        "vera": person("vera", office=offices["s1"], position="консультант", role=roles.MANAGER),
        "gleb": person("gleb", office=offices["north"], position="руководитель ЦЗН"),
        "dina": person("dina", office=offices["centre"], position="юрист", role=roles.EDITOR),
        "egor": person("egor"),  # no office, no position
        "zoya": person("zoya", office=offices["n1"], position="консультант", is_active=False),
    }
    return offices, people


def _names(users):
    return sorted(user.username for user in users)


def test_nothing_chosen_is_every_active_person(world):
    _offices, people = world
    assert AudienceSpec().everyone
    assert _names(members(AudienceSpec())) == sorted(n for n in people if n != "zoya")


def test_an_office_means_it_and_every_office_under_it(world):
    offices, _people = world
    assert _names(members(spec(offices=[offices["north"]]))) == ["anna", "boris", "gleb"]
    assert _names(members(spec(offices=[offices["n1"]]))) == ["anna"]  # not zoya: inactive
    assert _names(members(spec(offices=[offices["centre"]]))) == [
        "anna",
        "boris",
        "dina",
        "gleb",
        "vera",
    ]


def test_choices_within_a_dimension_are_alternatives(world):
    offices, _people = world
    both = spec(offices=[offices["n1"], offices["s1"]])
    assert _names(members(both)) == ["anna", "vera"]
    assert _names(members(spec(positions=["консультант", "психолог"]))) == [
        "anna",
        "boris",
        "vera",
    ]
    assert _names(members(spec(roles=[roles.MANAGER, roles.EDITOR]))) == ["dina", "vera"]


def test_every_chosen_dimension_must_match(world):
    offices, _people = world
    north_consultants = spec(offices=[offices["north"]], positions=["консультант"])
    assert _names(members(north_consultants)) == ["anna"]
    managing_consultants = spec(positions=["консультант"], roles=[roles.MANAGER])
    assert _names(members(managing_consultants)) == ["vera"]
    nobody = spec(offices=[offices["south"]], positions=["психолог"])
    assert list(members(nobody)) == []


def test_people_without_an_office_or_a_position_are_only_in_audiences_without_them(world):
    offices, people = world
    assert people["egor"] in members(AudienceSpec())
    assert people["egor"] not in members(spec(offices=[offices["centre"]]))
    assert people["egor"] not in members(spec(positions=["консультант"]))


AUDIENCES = [
    {},
    {"offices": ["north"]},
    {"offices": ["n1", "s1"]},
    {"positions": ["консультант"]},
    {"roles": [roles.MANAGER]},
    {"offices": ["centre"], "positions": ["юрист", "консультант"]},
    {"offices": ["south"], "roles": [roles.MANAGER, roles.EDITOR]},
    {"offices": ["north"], "positions": ["психолог"], "roles": [roles.EDITOR]},
]


def _spec_of(offices, wanted):
    return spec(
        offices=[offices[code] for code in wanted.get("offices", [])],
        positions=wanted.get("positions", []),
        roles=wanted.get("roles", []),
    )


def test_the_three_ways_of_asking_agree(world):
    offices, people = world
    documents = []
    for wanted in AUDIENCES:
        audience = _spec_of(offices, wanted)
        documents.append((mandatory_article(audience=audience), audience))
    counts = pair_counts(documents=[article for article, _spec in documents])
    for article, audience in documents:
        expected = _names(members(audience))
        one_by_one = _names(
            user for user in people.values() if is_member(article=article, user=user)
        )
        assert one_by_one == expected, article.title
        pairs = sum(c.audience for (pk, _office), c in counts.items() if pk == article.pk)
        assert pairs == len(expected), article.title


def test_an_audience_remembers_what_it_named(world):
    offices, _people = world
    first = spec(offices=[offices["north"]], positions=["консультант"])
    audience = audience_save(audience=None, spec=first)
    audience_save(audience=audience, spec=spec(roles=[roles.MANAGER]))
    records = list(audience.history.order_by("history_id"))
    assert len(records) == 2  # one entry per save, not one per m2m change
    assert [row.office_id for row in records[0].offices.all()] == [offices["north"].pk]
    assert list(records[1].offices.all()) == []
    assert [row.role.name for row in records[1].roles.all()] == [roles.MANAGER]


def test_an_office_or_position_named_by_an_audience_cannot_be_deleted(world):
    offices, _people = world
    audience_save(audience=None, spec=spec(offices=[offices["s2"]], positions=["аналитик"]))
    with pytest.raises(ProtectedError):
        Office.objects.get(pk=offices["s2"].pk).delete()
    with pytest.raises(ProtectedError):
        Position.objects.get(title="аналитик").delete()
    assert Audience.objects.count() == 1


def test_a_position_someone_holds_cannot_be_deleted(world):
    with pytest.raises(ProtectedError):
        Position.objects.get(title="психолог").delete()


def test_description_names_the_choices(world):
    offices, _people = world
    assert spec_description(AudienceSpec()) == "все сотрудники"
    text = spec_description(
        spec(offices=[offices["north"]], positions=["консультант"], roles=[roles.MANAGER])
    )
    assert text == (
        "подразделения (с подчинёнными): Северный отдел; должности: консультант; роли: Руководитель"
    )


def test_a_large_combination_is_still_one_query_to_count(world, django_assert_num_queries):
    offices, _people = world
    many = spec(
        offices=list(offices.values()),
        positions=[f"должность {i}" for i in range(20)],
        roles=[roles.MANAGER, roles.EDITOR, roles.WORKING_GROUP],
    )
    with django_assert_num_queries(2):  # the offices' places in the tree, the count
        assert members(many).count() == 0
