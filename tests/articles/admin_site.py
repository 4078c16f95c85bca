"""The whole admin site with real data in it, for tests that walk every page.

``admin_data`` seeds the demo (every model the demo knows) and adds what the
demo does not make: a trashed article and section, a search log entry and a
feedback import. ``admin_people`` are the people who can open the admin.
"""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from articles.services import article_trash, mandatory_reminders_send, section_trash
from contributions.services import article_review, helpfulness_record, review_reminders_send
from dashboards.models import CxReportSent
from dashboards.services import cx_reports_send
from events.services import event_trash
from feedback.models import OperationalIndicator, Topic
from ideas.models import Decision
from ideas.services import comment_add, decision_record, idea_vote_cast
from notifications.models import Kind
from notifications.services import preferences_set
from people import roles
from people.models import Office
from people.services import profile_contacts_update
from proposals.services import proposal_submit
from questions.services import answer_post, error_report_submit, question_ask
from search.services import search_log
from tests.algorithms.factories import make_algorithm
from tests.articles.reading import mandatory_article, person, reack, spec
from tests.events.factories import make_event
from tests.expert.factories import make_journey, make_profile, make_route
from tests.factories import make_article, make_attachment, make_position, make_section, make_user
from tests.feedback.factories import csv_bytes, feedback_row, import_file, make_office, make_service
from tests.ideas.factories import make_idea, make_meeting
from tests.onboarding.factories import make_path


@pytest.fixture
def small_admin_data(db, settings):
    """One or two rows of every model in the admin: cheap pages for tests that
    open thousands of them."""
    settings.FEEDBACK_IMPORT_RUNNER = "sync"
    editor = make_user("redaktor", role=roles.EDITOR)
    administrator = make_user("administrator", role=roles.ADMINISTRATOR)
    make_user("superuser", is_superuser=True, is_staff=True)
    office = make_office("ЦЗН Ленинского района", code="czn-leninskij")
    make_office("Отдел", parent=office)
    section = make_section("Раздел", parent=make_section("Корень"))
    article = make_article(section, review_due=timezone.localdate())
    article.tags.add("пособие")
    make_attachment(article)
    article_trash(article=make_article(section, title="Материал в корзине"))
    section_trash(section=make_section("Раздел в корзине"))
    search_log(query="пособие", filters={}, results=3, user=editor)
    make_service()
    # The second row is a complaint: the default rules open a case for it.
    import_file(
        csv_bytes(
            [feedback_row(office=office.title), feedback_row(office=office.title, complaint="да")]
        ),
        user=administrator,
    )
    OperationalIndicator.objects.create(
        office=office, month=date(2026, 3, 1), code=OperationalIndicator.Code.choices[0][0], value=1
    )
    author = make_user(role=roles.STAFF)
    idea = make_idea(author)
    idea_vote_cast(idea=idea, user=editor)
    comment_add(idea=idea, author=editor, text="Поддерживаю.")
    meeting = make_meeting(administrator)
    accepted = make_idea(author)
    decision_record(
        meeting=meeting,
        idea=accepted,
        outcome=Decision.Outcome.choices[0][0],
        by=administrator,
    )
    decision_record(
        meeting=meeting,
        idea=accepted,
        outcome=Decision.Outcome.IMPLEMENTED,
        by=administrator,
        changes="Ввели запись на время.",
        implemented_on=timezone.localdate(),
        changed_articles=[article],
    )
    helpfulness_record(article=article, user=author, helpful=False, reason="error", text="Опечатка")
    review_reminders_send(today=timezone.localdate())
    article_review(article=article, by=editor, note="Проверено.")
    preferences_set(user=author, email_kinds=[Kind.IDEA_COMMENT])
    question = question_ask(article=article, author=author, text="Где взять бланк?")
    answer_post(question=question, author=editor, text="Во вложениях.")
    error_report_submit(article=article, author=author, text="Опечатка", quote="бланак")
    proposal_submit(
        author=author,
        section=section,
        kind="document",
        title="Предложенный материал",
        summary="",
        body="<p>Текст.</p>",
        rationale="Нужен.",
        uploads=[SimpleUploadedFile("памятка.txt", "Текст".encode())],
    )
    _topic_with_history()
    CxReportSent.objects.create(
        user=make_user("rukovoditel", role=roles.MANAGER), month=date(2026, 3, 1), office=office
    )
    # Mandatory reading: a position, a document for it with a deadline in a
    # week (its reminder sent) and a re-acknowledgement round.
    reader = person("reader", office=office, position="консультант")
    # The staff directory: a subject someone can be asked about (in its history).
    profile_contacts_update(user=reader, phone="+7 846 200-00-00", expertise=["СВО"])
    document = mandatory_article(
        section=section,
        audience=spec(positions=["консультант"]),
        deadline=timezone.localdate() + timedelta(days=7),
    )
    mandatory_reminders_send(today=timezone.localdate())
    reack(document, by=editor)
    # «Путь новичка»: a path of two steps for the position.
    make_path(make_position("консультант"), steps=2, section=section)
    # Events: one on the calendar, one in the trash.
    make_event("Семинар для консультантов")
    event_trash(event=make_event("Отменённая встреча"))
    # A service algorithm with its decision tree.
    make_algorithm(section, slug="algoritm")
    # The expert system: a profile of a client group and a journey map.
    route = make_journey(make_route(section), pains={1: "Очередь у входа"})
    make_profile(make_article(section, kind="profile"), client_group="youth", linked=[route])


def _topic_with_history():
    """The default topics come from a migration, which writes no history:
    one edited in the admin has a version to open."""
    topic = Topic.objects.order_by("pk").first()
    topic.words += "\nдолгое ожидание"
    topic.save()


# Who can open the admin: the two admin roles of the demo and a superuser.
ADMIN_PEOPLE = ["redaktor", "administrator", "superuser"]


@pytest.fixture
def admin_data(db, settings):
    settings.FEEDBACK_IMPORT_RUNNER = "sync"
    call_command("seed_demo", allow_production=True, stdout=StringIO())
    editor = User.objects.get(username="redaktor")
    article_trash(article=make_article(title="Материал в корзине"))
    section_trash(section=make_section("Раздел в корзине"))
    event_trash(event=make_event("Отменённая встреча"))
    search_log(query="пособие", filters={}, results=3, user=editor)
    job_centre = Office.objects.filter(kind=Office.Kind.JOB_CENTRE).first().title
    import_file(
        csv_bytes([feedback_row(), feedback_row(office=job_centre, complaint="да")]),
        user=User.objects.get(username="administrator"),
    )
    preferences_set(user=User.objects.get(username="sotrudnik"), email_kinds=[Kind.IDEA_STATUS])
    make_user("superuser", is_superuser=True, is_staff=True)
    _topic_with_history()
    # The demo's managers: the region's (at the root) and one job centre's.
    assert cx_reports_send().sent == 2


def registered():
    """(model, model admin) for every model in the admin, in a stable order."""
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def admin_request(user, path="/admin/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def sample_object(model_admin, user):
    """One real object the model admin lists."""
    return model_admin.get_queryset(admin_request(user)).order_by("pk").first()


def url(model, view, *args):
    opts = model._meta
    path = f"/admin/{opts.app_label}/{opts.model_name}/"
    if view == "changelist":
        return path
    if view == "add":
        return f"{path}add/"
    return f"{path}{'/'.join(str(arg) for arg in args)}/{view}/"
