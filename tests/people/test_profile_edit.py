"""A person changes their own phone, subjects and photo (/accounts/profile/edit/):
only their own, everything checked first, nothing half-saved."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from people import roles
from people.models import Expertise, Profile
from tests.factories import make_user
from tests.people import images
from tests.people.factories import make_office, make_person

URL = "/accounts/profile/edit/"


@pytest.fixture
def anna(db):
    return make_person(
        "Анна",
        "Петрова",
        office=make_office("ЦЗН г. Сызрани"),
        position="юрист",
        phone="+7 846 200-00-01",
        expertise=["СВО"],
    )


def _post(client, *, phone="+7 846 200-00-02", expertise="", photo=None, **extra):
    data = {"phone": phone, "expertise": expertise, **extra}
    if photo is not None:
        data["photo"] = photo
    return client.post(URL, data)


def _jpeg(name="фото.jpg", data=None):
    return SimpleUploadedFile(name, images.jpeg_bytes() if data is None else data)


def _stored_files():
    folder = Path(settings.MEDIA_ROOT) / "people" / "photos"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def _state(user):
    profile = Profile.objects.get(user=user)
    return profile.phone, [e.name for e in profile.expertise.order_by("key")], profile.photo.name


def test_anonymous_is_sent_to_login(client, db):
    for response in (client.get(URL), client.post(URL, {"phone": "1"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_form_shows_what_is_saved(anna, client_for):
    page = client_for(anna).get(URL).content.decode()
    assert 'value="+7 846 200-00-01"' in page
    assert ">\nСВО</textarea>" in page
    assert 'enctype="multipart/form-data"' in page
    assert 'accept="image/jpeg,image/png"' in page


def test_phone_subjects_and_photo_are_saved_together(anna, client_for):
    client = client_for(anna)
    response = _post(
        client,
        phone="  +7 (846)  200-00-02 доб. 15 ",
        expertise="квотирование; Пособие по безработице,\nсво, , КВОТИРОВАНИЕ",
        photo=_jpeg(),
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    phone, subjects, photo = _state(anna)
    assert phone == "+7 (846) 200-00-02 доб. 15"
    # «сво» is the «СВО» already there; the second «КВОТИРОВАНИЕ» is the first.
    assert subjects == ["квотирование", "Пособие по безработице", "СВО"]
    assert photo.startswith("people/photos/") and photo.endswith(".jpg")
    assert "фото" not in photo  # the name from the person's computer is not used
    page = client.get("/accounts/profile/").content.decode()
    assert "Телефон, темы и фотография сохранены." in page
    assert ">Пособие по безработице</a>" in page
    assert f"/people/{anna.profile.pk}/photo/?v=" in page


def test_a_subject_written_another_way_is_the_same_subject(anna, client_for, db):
    boris = make_person("Борис", "Иванов")
    _post(client_for(boris), expertise="сво")
    assert Expertise.objects.filter(key="сво").count() == 1
    assert Expertise.objects.get(key="сво").name == "СВО"  # as first written
    assert set(Expertise.objects.get(key="сво").profiles.all()) == {anna.profile, boris.profile}


def test_the_exif_of_an_uploaded_photo_is_not_stored(anna, client_for):
    data = images.jpeg_with(exif=images.exif_segment(orientation=6), comment=b"secret")
    _post(client_for(anna), photo=_jpeg(data=data))
    stored = (Path(settings.MEDIA_ROOT) / _state(anna)[2]).read_bytes()
    assert b"SecretCam" not in stored and b"secret" not in stored
    assert b"Exif\x00\x00MM" in stored  # the orientation alone


def test_clearing_the_fields_removes_phone_and_subjects(anna, client_for):
    _post(client_for(anna), phone="", expertise="")
    assert _state(anna)[:2] == ("", [])


def test_a_new_photo_replaces_the_old_one_and_its_file(
    anna, client_for, django_capture_on_commit_callbacks
):
    client = client_for(anna)
    _post(client, photo=_jpeg())
    first = _state(anna)[2]
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, photo=SimpleUploadedFile("new.png", images.png_bytes()))
    second = _state(anna)[2]
    assert second.endswith(".png") and second != first
    assert _stored_files() == [Path(second).name]


def test_the_photo_can_be_removed(anna, client_for, django_capture_on_commit_callbacks):
    client = client_for(anna)
    _post(client, photo=_jpeg())
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, remove_photo="on")
    assert _state(anna)[2] == ""
    assert _stored_files() == []


def test_a_new_photo_and_removing_it_at_once_is_refused(anna, client_for):
    client = client_for(anna)
    _post(client, photo=_jpeg())
    before = _state(anna)
    response = _post(client, phone="+7 846 999-99-99", photo=_jpeg(), remove_photo="on")
    assert "Выберите что-то одно" in response.content.decode()
    assert _state(anna) == before


@pytest.mark.parametrize(
    ("photo", "error"),
    [
        pytest.param(
            lambda: SimpleUploadedFile("фото.jpg", "Это не фото".encode()),
            "Файл «фото.jpg» — не фотография",
            id="not an image",
        ),
        pytest.param(
            lambda: SimpleUploadedFile("фото.jpg", images.png_bytes()),
            "Файл «фото.jpg» называется как JPEG, а внутри — изображение PNG.",
            id="wrong bytes for the extension",
        ),
        pytest.param(
            lambda: SimpleUploadedFile("фото.gif", b"GIF89a"),
            "Файлы .gif как фотографию загрузить нельзя",
            id="another extension",
        ),
        pytest.param(
            lambda: SimpleUploadedFile("фото.jpg", images.jpeg_bytes()[:300]),
            "повреждён или обрезан",
            id="cut",
        ),
        pytest.param(
            lambda: SimpleUploadedFile("фото.jpg", images.jpeg_bytes() + b"\0" * (2 << 20)),
            "Фотография слишком большая: 2,0\xa0МБ, можно не больше 1,0\xa0МБ.",
            id="too big",
        ),
    ],
)
def test_a_bad_photo_is_refused_and_nothing_is_saved(anna, client_for, photo, error):
    before = _state(anna)
    response = _post(
        client_for(anna), phone="+7 846 999-99-99", expertise="квотирование", photo=photo()
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert _state(anna) == before  # not even the phone
    assert _stored_files() == []
    assert not Expertise.objects.filter(key="квотирование").exists()


@pytest.mark.parametrize(
    ("phone", "expertise", "error"),
    [
        ("позвоните мне", "", "Телефон пишется цифрами"),
        ("12-3", "", "Телефон пишется цифрами"),
        ("+7 846 200-00-00 " + "1" * 40, "", "Телефон длиннее 50 знаков"),
        ("", ", ".join(f"тема {n}" for n in range(11)), "Тем не больше 10, а указано 11"),
        ("", "я" * 41, "длиннее 40 знаков (41)"),
        ("", "СВО, <script>alert(1)</script>", "есть недопустимые знаки: &lt; &gt;."),
        ("", "СВО, а", "Тема «а» слишком короткая"),
        ("", "—", "Тема «—» слишком короткая"),
    ],
)
def test_a_bad_phone_or_subject_is_refused_and_nothing_is_saved(
    anna, client_for, phone, expertise, error
):
    before = _state(anna)
    response = _post(client_for(anna), phone=phone, expertise=expertise, photo=_jpeg())
    assert response.status_code == 200
    assert error in response.content.decode()
    assert _state(anna) == before
    assert _stored_files() == []


def test_only_ones_own_profile_is_changed(anna, client_for, db):
    boris = make_person("Борис", "Иванов", phone="+7 846 111-11-11", expertise=["кадры"])
    before = _state(boris)
    response = _post(
        client_for(anna),
        phone="+7 846 222-22-22",
        user=str(boris.pk),
        profile=str(boris.profile.pk),
        user_id=str(boris.pk),
    )
    assert response.status_code == 302
    assert _state(boris) == before
    assert _state(anna)[0] == "+7 846 222-22-22"


@pytest.mark.parametrize(
    "url",
    ["/accounts/profile/{pk}/edit/", "/people/{pk}/edit/", "/people/{pk}/", "/accounts/{pk}/"],
)
def test_there_is_no_address_to_edit_someone_else(anna, client_for, db, url):
    boris = make_person("Борис", "Иванов")
    response = client_for(anna).post(url.format(pk=boris.profile.pk), {"phone": "+7 846 1"})
    assert response.status_code == 404


def test_a_person_without_a_profile_gets_one(db, client_for):
    user = make_user("bez-profilya", role=roles.STAFF)
    assert client_for(user).get(URL).status_code == 200
    _post(client_for(user), phone="+7 846 300-00-00", expertise="кадры")
    assert _state(user)[:2] == ("+7 846 300-00-00", ["кадры"])


@pytest.mark.parametrize(
    "role", [roles.STAFF, roles.EDITOR, roles.WORKING_GROUP, roles.MANAGER, roles.ADMINISTRATOR]
)
def test_every_role_edits_their_own(client_for, db, role):
    user = make_person("Имя", "Фамилия", role=role)
    assert _post(client_for(user), phone="+7 846 300-00-01").status_code == 302
    assert _state(user)[0] == "+7 846 300-00-01"


def test_errors_show_names_as_text(anna, client_for):
    page = _post(client_for(anna), expertise='"><img src=x onerror=alert(1)>').content.decode()
    assert "<img src=x onerror=alert(1)>" not in page


# user, roles, section tree stamp; the profile, its subjects
EDIT_QUERIES = 5


@pytest.mark.parametrize("subjects", [1, 10])
def test_query_count_does_not_grow(anna, client_for, django_assert_num_queries, subjects):
    client = client_for(anna)
    _post(client, expertise=", ".join(f"тема {n}" for n in range(subjects)), photo=_jpeg())
    client.get(URL)
    with django_assert_num_queries(EDIT_QUERIES):
        assert client.get(URL).status_code == 200
