"""The directory in the admin: administrators keep the subjects, see and
remove a person's photo (never upload one: that is the owner's checked
form), and a renamed account is found by its new name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from people.models import Expertise, Profile
from people.photos import photo_clean
from people.services import profile_contacts_update
from tests.html import form_data
from tests.people import images
from tests.people.factories import make_person

EXPERTISE = "/admin/people/expertise/"


def _change_url(user):
    return f"/admin/auth/user/{user.pk}/change/"


@pytest.fixture
def anna(db):
    user = make_person("Анна", "Петрова", expertise=["СВО", "квотирование"])
    photo = photo_clean(SimpleUploadedFile("фото.jpg", images.jpeg_bytes()))
    profile_contacts_update(user=user, phone="+7 846 1", expertise=["СВО"], photo=photo)
    return user


def test_administrators_keep_the_subjects_with_their_people_counted(
    client_for, administrator, anna
):
    make_person("Борис", "Иванов", expertise=["сво"])
    response = client_for(administrator).get(EXPERTISE)
    assert response.status_code == 200
    rows = {row.name: row.people_count for row in response.context["cl"].result_list}
    assert rows == {"СВО": 2, "квотирование": 0}


@pytest.mark.parametrize("role", ["editor", "staff"])
def test_others_cannot(client_for, request, role, anna):
    user = request.getfixturevalue(role)
    assert client_for(user).get(EXPERTISE, follow=True).status_code == 403


@pytest.mark.parametrize("typed", ["сво", "СВО", "Сво"])
def test_the_admin_search_folds_letter_case(client_for, administrator, anna, typed):
    response = client_for(administrator).get(EXPERTISE, {"q": typed})
    assert [row.name for row in response.context["cl"].result_list] == ["СВО"]


def test_a_rename_to_an_existing_subject_is_refused_in_russian(client_for, administrator, anna):
    quota = Expertise.objects.get(key="квотирование")
    client = client_for(administrator)
    response = client.post(f"{EXPERTISE}{quota.pk}/change/", {"name": "  сВо "})
    assert response.status_code == 200
    assert "Такая тема уже есть: «СВО»." in response.content.decode()
    response = client.post(f"{EXPERTISE}{quota.pk}/change/", {"name": "Квотирование рабочих мест"})
    assert response.status_code == 302
    quota.refresh_from_db()
    assert quota.key == "квотирование рабочих мест"


def test_a_renamed_account_is_found_by_its_new_name(client_for, administrator, anna, staff_client):
    client = client_for(administrator)
    data = form_data(client.get(_change_url(anna)), "user_form")
    data["last_name"] = "Сидорова"
    assert client.post(_change_url(anna), data).status_code == 302
    assert " сидорова " in Profile.objects.get(user=anna).search_name
    people = staff_client.get("/people/", {"q": "СИДОРОВА"}).context["page"]
    assert [person.user.last_name for person in people] == ["Сидорова"]


def test_a_photo_is_shown_and_removed_not_uploaded_in_the_admin(
    client_for, administrator, anna, django_capture_on_commit_callbacks
):
    client = client_for(administrator)
    page = client.get(_change_url(anna)).content.decode()
    assert 'type="file"' not in page
    assert f'href="/people/{anna.profile.pk}/photo/?v=' in page
    data = form_data(client.get(_change_url(anna)), "user_form")
    data["profile-0-remove_photo"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_change_url(anna), data).status_code == 302
    profile = Profile.objects.get(user=anna)
    assert not profile.photo
    assert profile.phone == "+7 846 1"  # the rest of the profile as it was
    assert [e.name for e in profile.expertise.all()] == ["СВО"]


def test_a_subjects_changes_are_in_its_history(client_for, administrator, anna):
    quota = Expertise.objects.get(key="квотирование")
    client = client_for(administrator)
    client.post(f"{EXPERTISE}{quota.pk}/change/", {"name": "квоты"})
    assert [h.name for h in quota.history.order_by("history_id")] == ["квотирование", "квоты"]
    assert client.get(f"{EXPERTISE}{quota.pk}/history/").status_code == 200
