"""Who may open what: every URL of the project × every role, anonymous included."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.models import Article
from kbimport.models import KbImportBatch
from people.models import Office
from people.photos import photo_clean
from people.services import profile_contacts_update
from proposals.services import proposal_submit
from tests.cases.factories import make_case, make_head
from tests.events.factories import make_event
from tests.expert.factories import make_journey, make_profile, make_route
from tests.factories import ROLE_USERS, make_article, make_attachment, make_section, make_user
from tests.feedback.factories import make_office
from tests.onboarding.factories import make_path
from tests.people import images
from tests.people.factories import make_person

ROLES = ["anonymous", "staff", "editor", "working_group", "manager", "administrator"]

# url name -> (method, url template)
URLS = {
    "home": ("get", "/"),
    "kb_index": ("get", "/kb/"),
    "mandatory": ("get", "/mandatory/"),
    "for_you": ("get", "/for-you/"),
    "mandatory_report": ("get", "/mandatory/report/"),
    "reports": ("get", "/reports/"),
    "mandatory_report_export": ("get", "/mandatory/report/export.xlsx"),
    "article_compare": ("get", "/articles/{article_pk}/history/compare/?from=1"),
    "section": ("get", "/kb/{section}/"),
    "article": ("get", "/kb/{section}/{article}/"),
    # A client group's profile and a journey map (expert companions).
    "profile_article": ("get", "/kb/{section}/{profile_article}/"),
    "route_article": ("get", "/kb/{section}/{route_article}/"),
    "article_print": ("get", "/kb/{section}/{article}/?print=1"),
    "acknowledge": ("post", "/articles/{article_pk}/acknowledge/"),
    "article_history": ("get", "/articles/{article_pk}/history/"),
    "attachment": ("get", "/attachments/{attachment_pk}/"),
    "tag_list": ("get", "/tags/"),
    "tag": ("get", "/tags/{tag}/"),
    "search": ("get", "/search/?q=%D0%BF%D0%B0%D0%BC%D1%8F%D1%82%D0%BA%D0%B0"),  # памятка
    "password_change": ("get", "/accounts/password/"),
    "profile": ("get", "/accounts/profile/"),
    "password_change_done": ("get", "/accounts/password/done/"),
    "logout": ("post", "/accounts/logout/"),
    "admin_index": ("get", "/admin/"),
    "admin_articles": ("get", "/admin/articles/article/"),
    "admin_article_add": ("get", "/admin/articles/article/add/"),
    "admin_article_change": ("get", "/admin/articles/article/{article_pk}/change/"),
    "admin_article_history": ("get", "/admin/articles/article/{article_pk}/history/"),
    "admin_sections": ("get", "/admin/articles/section/"),
    "admin_section_add": ("get", "/admin/articles/section/add/"),
    "admin_tags": ("get", "/admin/taggit/tag/"),
    "admin_users": ("get", "/admin/auth/user/"),
    "admin_user_add": ("get", "/admin/auth/user/add/"),
    "admin_groups": ("get", "/admin/auth/group/"),
    "admin_group_add": ("get", "/admin/auth/group/add/"),
    "admin_offices": ("get", "/admin/people/office/"),
    "admin_article_trash": ("get", "/admin/articles/articletrash/"),
    "admin_section_trash": ("get", "/admin/articles/sectiontrash/"),
    "admin_review_reminders": ("get", "/admin/contributions/reviewreminder/"),
    "admin_positions": ("get", "/admin/people/position/"),
    "admin_position_add": ("get", "/admin/people/position/add/"),
    "admin_ack_rounds": ("get", "/admin/articles/acknowledgementround/"),
    "admin_mandatory_reminders": ("get", "/admin/articles/mandatoryreminder/"),
    "admin_article_templates": ("get", "/admin/articles/articletemplate/"),
    "admin_article_template_add": ("get", "/admin/articles/articletemplate/add/"),
    "cases": ("get", "/cases/"),
    "case": ("get", "/cases/{case_pk}/"),
    "knowledge_use": ("get", "/dashboards/knowledge/"),
    "knowledge_use_csv": ("get", "/dashboards/knowledge/export.csv"),
    "knowledge_use_xlsx": ("get", "/dashboards/knowledge/export.xlsx"),
    "reading_stats": ("get", "/dashboards/reading/"),
    "reading_stats_csv": ("get", "/dashboards/reading/export.csv"),
    "reading_stats_xlsx": ("get", "/dashboards/reading/export.xlsx"),
    "questions_my": ("get", "/questions/my/"),
    "question_ask": ("get", "/questions/articles/{article_pk}/ask/"),
    "error_report_form": ("get", "/questions/articles/{article_pk}/report/"),
    "admin_questions": ("get", "/admin/questions/question/"),
    "admin_error_reports": ("get", "/admin/questions/errorreport/"),
    "proposals_my": ("get", "/proposals/my/"),
    "proposals_queue": ("get", "/proposals/"),
    "propose_edit": ("get", "/proposals/articles/{article_pk}/new/"),
    "propose_new": ("get", "/proposals/sections/{section_pk}/new/"),
    # Someone else's proposal: private to its author and the editors.
    "proposal": ("get", "/proposals/{proposal_pk}/"),
    "proposal_attachment": ("get", "/proposals/attachments/{proposal_attachment_pk}/"),
    "proposal_withdraw": ("post", "/proposals/{proposal_pk}/withdraw/"),
    "proposal_accept": ("post", "/proposals/{proposal_pk}/accept/"),
    # The CX block: aggregates only, for every signed-in person.
    "cx_block": ("get", "/cx/"),
    # «Что нового», «Следить», the private feed (a wrong token: 404 for everyone).
    "news": ("get", "/new/"),
    "news_feed_bad_token": ("get", "/new/feed/" + "0" * 64 + ".atom"),
    "follow_section": ("post", "/notifications/follow/sections/{section_pk}/"),
    "follow_article": ("post", "/notifications/follow/articles/{article_pk}/"),
    "feed_create": ("post", "/notifications/feed/create/"),
    "feed_revoke": ("post", "/notifications/feed/revoke/"),
    "digest_settings": ("post", "/notifications/settings/digest/"),
    # «Путь новичка»: the person's paths, a mark (the matrix's people hold no
    # position: not their path), the managers' progress page and its CSV.
    "onboarding_my": ("get", "/onboarding/"),
    "onboarding_mark": ("post", "/onboarding/steps/{step_pk}/done/"),
    "onboarding_progress": ("get", "/onboarding/progress/"),
    "onboarding_progress_csv": ("get", "/onboarding/progress/export.csv"),
    # «Импорт базы знаний»: administrators only.
    "kb_import": ("get", "/kb-import/"),
    "kb_import_batch": ("get", "/kb-import/{kb_import_pk}/"),
    "kb_import_cancel": ("post", "/kb-import/{kb_import_pk}/cancel/"),
    "admin_reading_paths": ("get", "/admin/onboarding/readingpath/"),
    "admin_reading_path_add": ("get", "/admin/onboarding/readingpath/add/"),
    # Events: the calendar, the lists, an event and its file for everyone; the
    # private calendar feed (a wrong token: 404 for everyone) and its buttons;
    # the admin for editors (administrators look).
    "events_calendar": ("get", "/events/"),
    "events_list": ("get", "/events/list/?when=past"),
    "event": ("get", "/events/{event_pk}/"),
    "event_ics": ("get", "/events/{event_pk}/event.ics"),
    "events_feed_bad_token": ("get", "/events/calendar/" + "0" * 64 + ".ics"),
    "events_feed_create": ("post", "/events/calendar/create/"),
    "events_feed_revoke": ("post", "/events/calendar/revoke/"),
    "admin_events": ("get", "/admin/events/event/"),
    "admin_event_add": ("get", "/admin/events/event/add/"),
    "admin_event_change": ("get", "/admin/events/event/{event_pk}/change/"),
    "admin_event_trash": ("get", "/admin/events/eventtrash/"),
    "admin_client_profiles": ("get", "/admin/expert/clientgroupprofile/"),
    "admin_client_profile_add": ("get", "/admin/expert/clientgroupprofile/add/"),
    "admin_journey_stages": ("get", "/admin/expert/journeystage/"),
    "admin_journey_stage_add": ("get", "/admin/expert/journeystage/add/"),
    # The staff directory: every signed-in person; one's own profile only.
    "people": ("get", "/people/?q=%D0%BF%D0%B5%D1%82%D1%80%D0%BE%D0%B2%D0%B0"),  # петрова
    "people_offices": ("get", "/people/offices/"),
    "people_office": ("get", "/people/offices/{office_code}/"),
    "people_photo": ("get", "/people/{photo_pk}/photo/"),
    "profile_edit": ("get", "/accounts/profile/edit/"),
    "profile_edit_save": ("post", "/accounts/profile/edit/"),
    "healthz": ("get", "/healthz"),
    "login": ("get", "/accounts/login/"),
}

# What a logged-in user of each role gets (after following redirects for the
# admin, whose refusal goes through its login view). Anonymous is separate.
_PORTAL = {
    "home": 200,
    "kb_index": 200,
    "mandatory": 200,
    "for_you": 200,  # «Для вас»: for every signed-in person
    # «Ознакомление с обязательными документами»: managers, the working group,
    # administrators and editors (the matrix's manager has no office: the
    # page says so, and the file is refused).
    "mandatory_report": 403,
    "mandatory_report_export": 403,
    # «Отчёты»: the list of the reports a role opens; staff have none.
    "reports": 403,
    "article_compare": 200,
    "section": 200,
    "article": 200,
    "profile_article": 200,
    "route_article": 200,
    "article_print": 200,
    "acknowledge": 302,  # back to the article
    "article_history": 200,
    "attachment": 200,
    "tag_list": 200,
    "tag": 200,
    "search": 200,
    "password_change": 200,
    "profile": 200,
    "password_change_done": 200,
    "logout": 302,  # to the login page
    "questions_my": 200,
    "question_ask": 200,
    "error_report_form": 200,
    "proposals_my": 200,
    "proposals_queue": 403,
    "propose_edit": 200,
    "propose_new": 200,
    "proposal": 404,
    "proposal_attachment": 404,
    "proposal_withdraw": 404,  # only its author
    "proposal_accept": 404,
    "cx_block": 200,
    "news": 200,
    "news_feed_bad_token": 404,
    "follow_section": 404,  # no action chosen: a forged form
    "follow_article": 404,
    "feed_create": 302,  # back to the profile
    "feed_revoke": 302,
    "digest_settings": 400,  # no choice: the form again, with the error
    "onboarding_my": 200,
    "onboarding_mark": 404,
    "onboarding_progress": 403,
    "onboarding_progress_csv": 403,
    "events_calendar": 200,
    "events_list": 200,
    "event": 200,
    "event_ics": 200,
    "events_feed_bad_token": 404,
    "events_feed_create": 302,  # back to the profile
    "events_feed_revoke": 302,
    "people": 200,
    "people_offices": 200,
    "people_office": 200,
    "people_photo": 200,
    "profile_edit": 200,
    "profile_edit_save": 302,  # saved (an empty form clears phone and subjects), to the profile
    "kb_import": 403,
    "kb_import_batch": 403,
    "kb_import_cancel": 403,
    "healthz": 200,
    "login": 302,  # already logged in: sent home
}
# Editors (and administrators) review proposals; withdrawing stays the author's.
_PROPOSAL_REVIEW = {
    "proposals_queue": 200,
    "proposal": 200,
    "proposal_attachment": 200,
    "proposal_withdraw": 404,
    "proposal_accept": 302,  # accepted, on to the new article
}
_NO_ADMIN = {name: 403 for name in URLS if name.startswith("admin_")}
_EDITOR_ADMIN = {
    "admin_index": 200,
    "admin_articles": 200,
    "admin_article_add": 200,
    "admin_article_change": 200,
    "admin_article_history": 200,
    "admin_sections": 200,
    "admin_section_add": 200,
    "admin_tags": 200,
    "admin_users": 403,
    "admin_user_add": 403,
    "admin_groups": 403,
    "admin_group_add": 403,
    "admin_offices": 200,  # may look offices up, not change them
    "admin_article_trash": 200,
    "admin_section_trash": 200,
    "admin_review_reminders": 200,  # read-only
    "admin_questions": 200,
    "admin_error_reports": 200,
    "admin_positions": 200,  # may look positions up, not change them
    "admin_position_add": 403,
    "admin_ack_rounds": 200,  # read-only
    "admin_mandatory_reminders": 200,  # read-only
    "admin_reading_paths": 200,
    "admin_reading_path_add": 200,
    "admin_events": 200,
    "admin_event_add": 200,
    "admin_event_change": 200,
    "admin_event_trash": 200,
    "admin_client_profiles": 200,
    "admin_client_profile_add": 200,
    "admin_journey_stages": 200,
    "admin_journey_stage_add": 200,
    "admin_article_templates": 200,
    "admin_article_template_add": 200,
}
_ADMINISTRATOR_ADMIN = {
    "admin_index": 200,
    "admin_articles": 200,  # may look, not write
    "admin_article_add": 403,
    "admin_article_change": 200,  # read-only view of the form
    "admin_article_history": 200,
    "admin_sections": 200,
    "admin_section_add": 403,
    "admin_tags": 403,
    "admin_users": 200,
    "admin_user_add": 200,
    "admin_groups": 200,
    "admin_group_add": 403,  # roles come from a migration, not by hand
    "admin_offices": 200,
    "admin_article_trash": 403,
    "admin_section_trash": 403,
    "admin_review_reminders": 200,  # read-only
    "admin_questions": 200,  # may look them up
    "admin_error_reports": 200,
    "admin_positions": 200,  # keep the reference list
    "admin_position_add": 200,
    "admin_ack_rounds": 200,  # read-only
    "admin_mandatory_reminders": 200,  # read-only
    "admin_reading_paths": 200,  # may look, not write
    "admin_reading_path_add": 403,
    "admin_events": 200,  # may look, not write
    "admin_event_add": 403,
    "admin_event_change": 200,  # read-only view of the form
    "admin_event_trash": 403,
    "admin_client_profiles": 200,  # may look, not write
    "admin_client_profile_add": 403,
    "admin_journey_stages": 200,
    "admin_journey_stage_add": 403,
    "admin_article_templates": 200,  # may look, not write
    "admin_article_template_add": 403,
}
# «Обращения к разбору»: the working group and administrators see every case;
# a Руководитель sees their office's (the matrix's has no office: the list says
# so and a case is not found — tests/cases/test_pages.py has heads of offices).
_NO_CASES = {"cases": 403, "case": 403}
_ALL_CASES = {"cases": 200, "case": 200}
# «Знания и индекс»: the people of the CX dashboard, scoped as the cases; the
# matrix's manager has no office: the page says so, there is nothing to export
# (tests/kbuse/test_pages.py has managers of offices).
_NO_KNOWLEDGE_USE = {"knowledge_use": 403, "knowledge_use_csv": 403, "knowledge_use_xlsx": 403}
_KNOWLEDGE_USE = {"knowledge_use": 200, "knowledge_use_csv": 200, "knowledge_use_xlsx": 200}
_READING_REPORT = {"mandatory_report": 200, "mandatory_report_export": 200, "reports": 200}
# «Аналитика чтения»: editors, the working group, managers (scoped: the
# matrix's has no office, so the page says so and the files are refused —
# tests/readstats has heads of offices) and administrators.
_NO_READING_STATS = {"reading_stats": 403, "reading_stats_csv": 403, "reading_stats_xlsx": 403}
_READING_STATS = {"reading_stats": 200, "reading_stats_csv": 200, "reading_stats_xlsx": 200}
# «Путь новичка: прогресс»: scoped as the cases (tests/onboarding/test_progress_page.py
# has heads of offices).
_ONBOARDING_PROGRESS = {"onboarding_progress": 200, "onboarding_progress_csv": 200}
EXPECTED = {
    "staff": {**_PORTAL, **_NO_ADMIN, **_NO_CASES, **_NO_KNOWLEDGE_USE, **_NO_READING_STATS},
    "editor": {
        **_PORTAL,
        **_EDITOR_ADMIN,
        **_NO_CASES,
        **_PROPOSAL_REVIEW,
        **_NO_KNOWLEDGE_USE,
        **_READING_REPORT,
        **_READING_STATS,
    },
    "working_group": {
        **_PORTAL,
        **_NO_ADMIN,
        **_ALL_CASES,
        **_KNOWLEDGE_USE,
        **_READING_REPORT,
        **_READING_STATS,
        **_ONBOARDING_PROGRESS,
    },
    "manager": {
        **_PORTAL,
        **_NO_ADMIN,
        "cases": 200,
        "case": 404,
        "knowledge_use": 200,
        "knowledge_use_csv": 403,
        "knowledge_use_xlsx": 403,
        "mandatory_report": 200,  # «your profile has no office»
        "reports": 200,
        "mandatory_report_export": 403,
        "reading_stats": 200,  # «your profile has no office»
        "reading_stats_csv": 403,
        "reading_stats_xlsx": 403,
        "onboarding_progress": 200,  # «your profile has no office»
        "onboarding_progress_csv": 403,
    },
    "administrator": {
        **_PORTAL,
        **_ADMINISTRATOR_ADMIN,
        **_ALL_CASES,
        **_PROPOSAL_REVIEW,
        **_KNOWLEDGE_USE,
        **_READING_REPORT,
        **_READING_STATS,
        **_ONBOARDING_PROGRESS,
        "kb_import": 200,
        "kb_import_batch": 200,
        "kb_import_cancel": 302,  # cancelled, back to its page
    },
}
PUBLIC = {"healthz", "login", "news_feed_bad_token", "events_feed_bad_token"}


@pytest.fixture
def world(db):
    section = make_section("Кодекс клиентоцентричности", slug="kodeks")
    article = make_article(section, slug="pravila", title="Правила", mandatory=True)
    article.tags.add("памятка")
    attachment = make_attachment(article)
    proposal = proposal_submit(
        author=make_user(role=ROLE_USERS["staff"]),
        section=section,
        kind="document",
        title="Памятка",
        summary="",
        body="<p>Текст</p>",
        rationale="Нужна.",
        uploads=[SimpleUploadedFile("памятка.txt", "Текст".encode())],
    )
    profile = make_profile(
        make_article(section, slug="profil-molodezh", kind="profile"), client_group="youth"
    )
    route = make_journey(make_route(section, slug="put-studenta"), pains={1: "Очередь"})
    return {
        "section": section.slug,
        "profile_article": profile.article.slug,
        "route_article": route.slug,
        "section_pk": section.pk,
        "proposal_pk": proposal.pk,
        "proposal_attachment_pk": proposal.attachments.get().pk,
        "article": article.slug,
        "article_pk": article.pk,
        "attachment_pk": attachment.pk,
        "tag": article.tags.get().slug,
        "case_pk": make_case(make_office("ЦЗН Ленинского района", code="czn-leninskij")).pk,
        "office_code": "czn-leninskij",
        "photo_pk": _person_with_photo().profile.pk,
        "step_pk": make_path(steps=1).steps.get().pk,
        "event_pk": make_event("Обучение «Скрипты»").pk,
        "kb_import_pk": KbImportBatch.objects.create(original_name="диск.zip").pk,
    }


def _person_with_photo():
    person = make_person("Анна", "Петрова", office=Office.objects.get(code="czn-leninskij"))
    photo = photo_clean(SimpleUploadedFile("фото.jpg", images.jpeg_bytes()))
    profile_contacts_update(user=person, phone="", expertise=["СВО"], photo=photo)
    return person


def _request(client, name, world, **kwargs):
    method, template = URLS[name]
    url = template.format(**world)
    return url, getattr(client, method)(url, **kwargs)


def _matrix():
    return [
        pytest.param(role, name, EXPECTED[role][name], id=f"{role}-{name}")
        for role in ROLES[1:]
        for name in URLS
    ]


def test_matrix_covers_every_role_and_url():
    for role in ROLES[1:]:
        assert set(EXPECTED[role]) == set(URLS), role


@pytest.mark.parametrize("name", [n for n in URLS if n not in PUBLIC])
def test_anonymous_is_sent_to_login(client, world, name):
    url, response = _request(client, name, world, follow=True)
    # The admin index goes through the admin's login view, which hands over to ours.
    assert len(response.redirect_chain) == (2 if name == "admin_index" else 1)
    assert all(status == 302 for _url, status in response.redirect_chain)
    location = urlsplit(response.redirect_chain[-1][0])
    assert location.path == "/accounts/login/"
    assert unquote(parse_qs(location.query)["next"][0]) == unquote(url)
    assert response.status_code == 200
    assert "Вход в базу знаний" in response.content.decode()


@pytest.mark.parametrize(("role", "status"), [("editor", 200), ("staff", 403)])
def test_login_from_admin_link_leads_back_to_admin(client, db, role, status):
    make_user("person", role=ROLE_USERS[role])
    login_page = client.get("/admin/articles/article/", follow=True)
    next_url = login_page.context["next"]
    assert next_url == "/admin/articles/article/"
    response = client.post(
        "/accounts/login/",
        {"username": "person", "password": "pass-1234-word", "next": next_url},
        follow=True,
    )
    assert response.redirect_chain[0] == ("/admin/articles/article/", 302)
    assert response.status_code == status


def test_editor_on_admin_login_url_goes_to_admin(editor_client):
    response = editor_client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_anonymous_gets_404_for_a_wrong_feed_token(client, db):
    response = client.get("/new/feed/" + "0" * 64 + ".atom")
    assert response.status_code == 404
    assert client.get("/events/calendar/" + "0" * 64 + ".ics").status_code == 404


def test_anonymous_reaches_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_anonymous_gets_the_login_page(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Вход в базу знаний" in response.content.decode()


@pytest.mark.parametrize(("role", "name", "expected"), _matrix())
def test_role_gets_expected_status(world, role, name, expected):
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    url, response = _request(client, name, world, follow=name.startswith("admin_"))
    assert response.status_code == expected, url
    if name == "login":
        assert response["Location"] == "/"
    if name == "logout":
        assert response["Location"] == "/accounts/login/"
        assert "_auth_user_id" not in client.session


def test_staff_refused_by_admin_sees_russian_403(staff_client):
    response = staff_client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "Доступ закрыт" in response.content.decode()


def test_staff_cannot_reach_admin(staff_client):
    response = staff_client.get("/admin/")
    # The admin sends unauthorised people to its login view, which refuses.
    assert response.status_code == 302
    assert staff_client.get(response["Location"]).status_code == 403


def test_inactive_user_is_logged_out(client, world, staff):
    client.force_login(staff)
    staff.is_active = False
    staff.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_superuser_reaches_everything_in_admin(client, world):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    for name in ["admin_index", "admin_article_add", "admin_users", "admin_group_add"]:
        assert _request(client, name, world, follow=True)[1].status_code == 200, name


def test_manager_of_another_office_is_refused_the_reading_report(client, world):
    mine = make_office("ЦЗН Кировского района")
    other = make_office("ЦЗН Ленинского района, второй")
    client.force_login(make_head(mine))
    for url in ["/mandatory/report/", "/mandatory/report/export.csv"]:
        response = client.get(url, {"office": other.pk})
        assert response.status_code == 403, url
        assert "Это подразделение вне вашей зоны" in response.content.decode()
    assert client.get("/mandatory/report/", {"office": mine.pk}).status_code == 200


def test_acknowledge_refuses_get(staff_client, world):
    response = staff_client.get(f"/articles/{world['article_pk']}/acknowledge/")
    assert response.status_code == 405


# --- Drafts and other unpublished material -------------------------------------------------


@pytest.fixture
def draft(db):
    article = make_article(slug="chernovik", title="Черновик", status=Article.Status.DRAFT)
    make_attachment(article, name="draft.txt")
    return article


def test_draft_is_404_for_staff(staff_client, draft):
    assert staff_client.get(draft.get_absolute_url()).status_code == 404


def test_draft_under_review_is_404_for_staff(staff_client, draft):
    draft.status = Article.Status.REVIEW
    draft.save()
    assert staff_client.get(draft.get_absolute_url()).status_code == 404


def test_draft_is_visible_to_editors(editor_client, draft):
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "это предпросмотр" in response.content.decode()


def test_draft_attachment_is_404_for_staff(staff_client, draft):
    attachment = draft.attachments.get()
    assert staff_client.get(attachment.get_absolute_url()).status_code == 404


def test_draft_attachment_is_served_to_editors(editor_client, draft):
    attachment = draft.attachments.get()
    assert editor_client.get(attachment.get_absolute_url()).status_code == 200


def test_draft_history_is_404_for_staff(staff_client, draft):
    assert staff_client.get(f"/articles/{draft.pk}/history/").status_code == 404


def test_draft_is_not_listed_for_staff(staff_client, draft):
    for url in ["/", draft.section.get_absolute_url()]:
        assert "Черновик" not in staff_client.get(url).content.decode(), url
    found = staff_client.get("/search/?q=Черновик").context["page"]
    assert list(found) == []


def test_draft_is_listed_for_editors_on_its_section(editor_client, draft):
    assert "Черновик" in editor_client.get(draft.section.get_absolute_url()).content.decode()


def test_draft_cannot_be_acknowledged(staff_client, draft):
    draft.mandatory = True
    draft.save()
    response = staff_client.post(f"/articles/{draft.pk}/acknowledge/")
    assert response.status_code == 404
    assert not draft.acknowledgements.exists()


def test_archived_article_opens_by_direct_link_for_staff(staff_client, draft):
    draft.status = Article.Status.ARCHIVED
    draft.save()
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "видят только по прямой ссылке" in response.content.decode()
