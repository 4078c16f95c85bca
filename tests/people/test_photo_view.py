"""A staff photo goes to signed-in people only, through a view, as an image
the browser shows without running anything; never from a public path."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from people.models import Profile
from people.photos import photo_clean
from people.services import profile_contacts_update
from tests.people import images
from tests.people.factories import make_person


@pytest.fixture
def anna(db):
    user = make_person("Анна", "Петрова")
    photo = photo_clean(SimpleUploadedFile("фото.jpg", images.jpeg_bytes()))
    profile_contacts_update(user=user, phone="", expertise=[], photo=photo)
    return Profile.objects.get(user=user)


def _url(profile):
    return f"/people/{profile.pk}/photo/"


def test_anonymous_is_sent_to_login(client, anna):
    response = client.get(_url(anna))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_signed_in_person_gets_the_image_locked_down(staff_client, anna):
    response = staff_client.get(anna.photo_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == images.jpeg_bytes()
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == "inline"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'; img-src 'self'")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, max-age=86400"


def test_the_address_changes_with_a_new_photo(staff_client, anna):
    before = anna.photo_url
    photo = photo_clean(SimpleUploadedFile("new.png", images.png_bytes()))
    profile_contacts_update(user=anna.user, phone="", expertise=[], photo=photo)
    anna.refresh_from_db()
    assert anna.photo_url != before
    assert staff_client.get(anna.photo_url)["Content-Type"] == "image/png"


def test_an_unchanged_photo_is_not_sent_again(staff_client, anna):
    etag = staff_client.get(_url(anna))["ETag"]
    response = staff_client.get(_url(anna), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_no_photo_an_inactive_person_or_a_missing_file_is_not_found(staff_client, anna):
    without = Profile.objects.get(user=make_person("Борис", "Иванов"))
    assert staff_client.get(_url(without)).status_code == 404
    assert staff_client.get("/people/999999/photo/").status_code == 404
    (Path(settings.MEDIA_ROOT) / anna.photo.name).unlink()
    assert staff_client.get(_url(anna)).status_code == 404
    User.objects.filter(pk=anna.user_id).update(is_active=False)
    assert staff_client.get(_url(anna)).status_code == 404


def test_the_file_is_not_reachable_by_a_media_address(staff_client, anna):
    assert staff_client.get(f"/media/{anna.photo.name}").status_code == 404
    assert staff_client.get(f"{settings.MEDIA_URL}{anna.photo.name}").status_code == 404


def test_only_get(staff_client, anna):
    assert staff_client.post(_url(anna)).status_code == 405


# user; the profile (an image: no page around it)
PHOTO_QUERIES = 2


def test_query_count(staff_client, anna, django_assert_num_queries):
    staff_client.get(_url(anna))
    with django_assert_num_queries(PHOTO_QUERIES):
        assert staff_client.get(_url(anna)).status_code == 200
