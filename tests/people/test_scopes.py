"""people.scopes: the one definition of whose offices a person sees."""

import pytest
from django.core.exceptions import PermissionDenied

from people import roles
from people.models import Office, Profile
from people.scopes import Scope, office_scope, offices_marked, scope_offices
from tests.cases.factories import make_head
from tests.factories import make_position, make_user
from tests.feedback.factories import make_office


@pytest.fixture
def region(db):
    root = make_office("Управляющий центр", code="uc")
    north = make_office("Северный отдел", code="north", parent=root)
    office = make_office("ЦЗН Ленинского района", code="czn-leninskij", parent=north)
    south = make_office("Южный отдел", code="south", parent=root)
    other = make_office("ЦЗН Кировского района", code="czn-kirovskij", parent=south)
    return {"root": root, "north": north, "office": office, "south": south, "other": other}


def _both(user):
    """The scope read by its own query and the one taken from a list of offices."""
    offices = list(offices_marked(user=user, offices=Office.objects.all()))
    return office_scope(user=user), office_scope(user=user, offices=offices)


@pytest.mark.parametrize("role", [roles.WORKING_GROUP, roles.ADMINISTRATOR])
def test_working_group_and_administrators_see_everything(region, role):
    user = make_user(role=role)
    Profile.objects.create(user=user, office=region["office"])  # an office changes nothing
    for scope in _both(user):
        assert scope == Scope(everything=True)
        assert scope.key == "all"


def test_a_superuser_sees_everything(region):
    assert office_scope(user=make_user(is_superuser=True)).everything


@pytest.mark.parametrize("role", [roles.STAFF, roles.EDITOR])
def test_others_have_no_scope(region, role):
    with pytest.raises(PermissionDenied):
        office_scope(user=make_user(role=role))


def test_a_head_of_a_job_centre_sees_its_subtree_only(region):
    head = make_head(region["office"])
    for scope in _both(head):
        assert scope.office == region["office"]
        assert scope.contains(region["office"])
        assert not scope.contains(region["north"])
        assert not scope.contains(region["other"])
        assert not scope.is_whole(Office.objects.all())
        assert scope.key == f"office:{region['office'].pk}"
    titles = [o.title for o in scope_offices(scope=office_scope(user=head))]
    assert titles == ["ЦЗН Ленинского района"]


def test_a_department_head_sees_its_job_centres(region):
    scope = office_scope(user=make_head(region["north"]))
    assert [o.title for o in scope_offices(scope=scope)] == [
        "Северный отдел",
        "ЦЗН Ленинского района",
    ]
    filtered = Office.objects.filter(scope.office_filter(prefix=""))
    assert set(filtered) == {region["north"], region["office"]}


def test_a_manager_of_the_root_sees_the_whole_region(region):
    head = make_head(region["root"])
    scope = office_scope(user=head)
    offices = list(Office.objects.all())
    assert all(scope.contains(office) for office in offices)
    assert scope.is_whole(offices)
    # ...but not a second region's tree, once there is one
    make_office("Другой регион", code="other-region")
    scope = office_scope(user=head)
    assert not scope.is_whole(list(Office.objects.all()))
    assert scope_offices(scope=scope)[0] == region["root"]
    assert len(scope_offices(scope=scope)) == len(offices)


@pytest.mark.parametrize("with_profile", [True, False])
def test_a_manager_without_an_office_sees_nothing(region, with_profile):
    manager = make_user(role=roles.MANAGER)
    if with_profile:
        Profile.objects.create(user=manager, position=make_position("начальник"))
    for scope in _both(manager):
        assert scope.no_office
        assert scope.key == "none"
        assert not scope.contains(region["office"])
        assert not scope.is_whole(Office.objects.all())
        assert not Office.objects.filter(scope.office_filter(prefix="")).exists()
    assert scope_offices(scope=office_scope(user=manager)) == []


def test_the_scope_from_a_list_of_offices_costs_no_query(region, django_assert_num_queries):
    head = make_head(region["office"])
    # Marking the offices reads the person's roles; the scope needs nothing more.
    offices = list(offices_marked(user=head, offices=Office.objects.all()))
    with django_assert_num_queries(0):
        assert office_scope(user=head, offices=offices).office == region["office"]
