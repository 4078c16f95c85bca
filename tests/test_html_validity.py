"""Every main page is valid HTML: the Nu HTML Checker (vnu.jar) finds no error.

The pages are rendered with the demo data plus a few import batches, as the
person each page is for, and checked together in one Java process. A page
known to be invalid goes along, so a checker that silently checks nothing
cannot pass the test. Without Java or vnu.jar the test fails and says what to
install: it never skips.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from articles.models import Article, ArticleTemplate, Section
from cases.models import Case
from events.models import Event
from feedback import services as feedback_services
from feedback.models import ImportBatch
from ideas.models import Idea, ReviewMeeting
from ideas.services import decision_record
from kb_portal.demo import seed_demo
from kbimport.models import KbImportBatch
from onboarding.models import ReadingPath
from people import roles
from people.models import Office
from people.photos import photo_clean
from people.services import profile_contacts_update
from proposals.models import Proposal
from questions.models import ErrorReport, Question
from tests import vnu
from tests.factories import make_user
from tests.feedback.factories import csv_bytes, feedback_row, import_file, upload
from tests.ideas.factories import make_idea
from tests.kbimport.factories import import_zip as kb_import_zip
from tests.kbimport.factories import sample_tree as kb_sample_tree
from tests.kbimport.factories import upload as kb_upload
from tests.kbimport.factories import zip_bytes as kb_zip_bytes
from tests.people import images

# Microseconds in a datetime attribute: the error this test was written for.
CANARY = (
    '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>canary</title></head>'
    '<body><time datetime="2026-12-01T07:19:05.481810+04:00">1 декабря</time></body></html>'
)


@pytest.fixture
def _imports_run_inline(settings):
    settings.FEEDBACK_IMPORT_RUNNER = "sync"
    settings.KB_IMPORT_RUNNER = "sync"


def _client(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _batches(office_title, manager):
    """Import batches in the states that have a page of their own."""
    good = feedback_row(office=office_title)
    done = import_file(
        csv_bytes(
            [
                good,
                feedback_row(office=office_title, csat="0", comment="<b>Ожидание</b> & очередь"),
                feedback_row(office="Нет такого ЦЗН"),
                feedback_row(
                    office=office_title, complaint="да", comment="<b>Жалоба</b> & «очередь»"
                ),
            ]
        ),
        user=manager,
    )
    file = upload(csv_bytes([feedback_row(office=office_title)]))
    unmapped = feedback_services.batch_create(
        kind="feedback", upload=file, user=manager, info=feedback_services.upload_inspect(file)
    )
    running = import_file(
        csv_bytes([feedback_row(office=office_title)]), user=manager, confirm=False
    )
    ImportBatch.objects.filter(pk=running.pk).update(status="running", rows_processed=1)
    failed = import_file(
        csv_bytes([feedback_row(office=office_title)]), user=manager, confirm=False
    )
    feedback_services.batch_fail(failed, "Строка 5 не читается", phase="write")
    rolled_back = import_file(csv_bytes([feedback_row(office=office_title)]), user=manager)
    feedback_services.batch_rollback(batch=rolled_back, user=manager)
    return done, unmapped, running, failed


def _kb_imports():
    """Imports of a knowledge base: the demo's (done), one checked with
    skipped files, one running."""
    done = KbImportBatch.objects.get()
    tree = {**kb_sample_tree(), "База/Программа.exe": b"MZ", "База/Thumbs.db": b"x"}
    checked = kb_import_zip(kb_zip_bytes(tree), confirm=False)
    running = kb_import_zip(kb_zip_bytes(kb_sample_tree()), confirm=False)
    KbImportBatch.objects.filter(pk=running.pk).update(
        status="running", step="extract", files_total=4, files_done=1, heartbeat_at=timezone.now()
    )
    return done, checked, running


def _pages():
    """{page name: (client, method, URL, data, expected status)}."""
    seed_demo()
    staff, wg, manager = _client("sotrudnik"), _client("rabgruppa"), _client("rukovoditel")
    admin, anonymous = _client("administrator"), Client()
    editor = _client("redaktor")
    sotrudnik = User.objects.get(username="sotrudnik")

    article = (
        Article.objects.published()
        .filter(attachments__isnull=False, tags__isnull=False)
        .select_related("section")
        .first()
    )
    tag = article.tags.first()
    mandatory = Article.objects.published().filter(mandatory=True).first()
    discussed = (
        Idea.objects.filter(comments__isnull=False, decisions__isnull=False).distinct().first()
    )
    own = make_idea(sotrudnik, title="Табличка с часами приёма у входа", days_ago=3)
    meeting = ReviewMeeting.objects.order_by("-held_on").first()
    office = Office.objects.order_by("pk").first()
    done, unmapped, running, failed = _batches(
        office.title, User.objects.get(username="rukovoditel")
    )
    month = (timezone.localdate() - timedelta(days=40)).strftime("%Y-%m")
    case = Case.objects.filter(response__isnull=False).order_by("pk").first()
    no_office = Client()
    no_office.force_login(make_user("bez-podrazdeleniya", role=roles.MANAGER))
    head = Client()
    # The demo's head of one job centre (kb_portal.demo makes it now).
    head_user = User.objects.get(username="rukovoditel-czn")
    assert head_user.profile.office.code == "czn-samara-zheleznodorozhnyj"
    head.force_login(head_user)
    outside = Office.objects.get(code="czn-samara-leninskij").pk
    discussed_article = (
        Article.objects.published()
        .filter(questions__answers__isnull=False)
        .select_related("section")
        .distinct()
        .first()
    )
    question = Question.objects.filter(answers__isnull=False).first()
    open_report = ErrorReport.objects.filter(status="open").first()
    closed_report = ErrorReport.objects.exclude(status="open").first()
    pending_edit = Proposal.objects.filter(status="pending", article__isnull=False).first()
    new_material = Proposal.objects.filter(section__isnull=False).first()
    returned = Proposal.objects.filter(status="returned").first()
    accepted = Proposal.objects.filter(status="accepted").first()
    # Implemented ideas: with three complete months after (the demo's story),
    # with one, and one without an office (a person without a profile).
    story = Idea.objects.get(
        implementation__implemented_on__lt=timezone.localdate() - timedelta(100)
    )
    recent = Idea.objects.filter(implementation__isnull=False).exclude(pk=story.pk).first()
    in_work = Idea.objects.filter(status=Idea.Status.IN_PROGRESS).first()
    homeless = make_idea(make_user("bez-profilya"), title="Звонок-напоминание о приёме")
    wg_user = User.objects.get(username="rabgruppa")
    decision_record(meeting=meeting, idea=homeless, outcome="accept", by=wg_user)
    decision_record(
        meeting=meeting,
        idea=homeless,
        outcome="implemented",
        by=wg_user,
        changes="Звоним накануне приёма.",
        implemented_on=timezone.localdate(),
    )
    ideas_article = Article.objects.filter(ideas__isnull=False).distinct().first()
    reasked = Article.objects.published().filter(ack_required_version__gt=0).first()
    department = Office.objects.get(code="to-samara-zhd").pk
    targeted_section = Section.objects.filter(target_audience__isnull=False).first()
    reading_path = ReadingPath.objects.get()
    reported_event = Event.objects.filter(report__isnull=False).first()
    calendar_owner = _client("rukovoditel")
    calendar_owner.post("/events/calendar/create/")
    calendar_owner.get("/")  # shows (and so uses up) the «created» message
    profile = Article.objects.get(slug="profil-molodezh-i-studenty")
    journey = Article.objects.get(slug="marshrut-uchastnika-svo")
    stage = journey.journey_stages.first()
    report = Article.objects.select_related("section").get(
        slug="fotootchet-fleshmob-myslim-klientocentrichno"
    )
    presentation = Article.objects.select_related("section").get(
        slug="berezhlivoe-proizvodstvo-v-czn-vvodnaya-prezentaciya"
    )
    case_template = ArticleTemplate.objects.get(kind="case")
    photographed = _client("rukovoditel-czn")
    photo = photo_clean(SimpleUploadedFile("фото.jpg", images.jpeg_bytes()))
    profile_contacts_update(
        user=User.objects.get(username="rukovoditel-czn"),
        phone="+7 846 000-00-20",
        expertise=["обращения клиентов"],
        photo=photo,
    )
    kb_done, kb_checked, kb_running = _kb_imports()

    return {
        "staff: home": (staff, "get", "/", None, 200),
        "staff: sections": (staff, "get", "/kb/", None, 200),
        "staff: section": (staff, "get", article.section.get_absolute_url(), None, 200),
        "staff: article": (staff, "get", article.get_absolute_url(), None, 200),
        "staff: mandatory article": (staff, "get", mandatory.get_absolute_url(), None, 200),
        "staff: client group profile": (staff, "get", profile.get_absolute_url(), None, 200),
        "manager: client group profile": (manager, "get", profile.get_absolute_url(), None, 200),
        "staff: journey map": (staff, "get", journey.get_absolute_url(), None, 200),
        "editor: journey map": (editor, "get", journey.get_absolute_url(), None, 200),
        "editor: journey stage in the admin": (
            editor,
            "get",
            f"/admin/expert/journeystage/{stage.pk}/change/",
            None,
            200,
        ),
        "editor: profile in the admin": (
            editor,
            "get",
            f"/admin/expert/clientgroupprofile/{profile.client_profile.pk}/change/",
            None,
            200,
        ),
        "staff: article history": (staff, "get", f"/articles/{article.pk}/history/", None, 200),
        "staff: mandatory": (staff, "get", "/mandatory/", None, 200),
        "staff: for you": (staff, "get", "/for-you/", None, 200),
        "staff: for you, page 2": (staff, "get", "/for-you/", {"page": "2"}, 200),
        "manager without an office: for you (hint)": (no_office, "get", "/for-you/", None, 200),
        "editor: targeted section in the admin": (
            editor,
            "get",
            f"/admin/articles/section/{targeted_section.pk}/change/",
            None,
            200,
        ),
        "staff: search": (staff, "get", "/search/", {"q": "клиент"}, 200),
        "staff: search, filtered": (
            staff,
            "get",
            "/search/",
            {"q": "клиент", "attachments": "1", "updated_from": "2026-13-01"},
            200,
        ),
        "staff: search, nothing found": (staff, "get", "/search/", {"q": "йцукенгшщз"}, 200),
        "staff: search, empty": (staff, "get", "/search/", None, 200),
        "staff: tags": (staff, "get", "/tags/", None, 200),
        "staff: tag": (staff, "get", f"/tags/{tag.slug}/", None, 200),
        "staff: ideas": (staff, "get", "/ideas/", None, 200),
        "staff: ideas, newest": (staff, "get", "/ideas/", {"sort": "new"}, 200),
        "staff: idea": (staff, "get", discussed.get_absolute_url(), None, 200),
        "staff: own idea": (staff, "get", own.get_absolute_url(), None, 200),
        "staff: own idea, edit": (staff, "get", f"/ideas/{own.pk}/edit/", None, 200),
        "staff: new idea": (staff, "get", "/ideas/new/", None, 200),
        "staff: new idea, errors": (staff, "post", "/ideas/new/", {"title": "x"}, 200),
        "staff: notifications": (staff, "get", "/notifications/", None, 200),
        "staff: notification settings": (staff, "get", "/notifications/settings/", None, 200),
        "staff: profile": (staff, "get", "/accounts/profile/", None, 200),
        # «Что нового», «Следить», the digest's choice (the demo's sotrudnik
        # follows a section and an article and has a feed address).
        "staff: news": (staff, "get", "/new/", None, 200),
        "staff: news, bad filters": (staff, "get", "/new/", {"section": "x", "kind": "y"}, 200),
        "staff: followed section": (
            staff,
            "get",
            "/kb/upravlenie-klientskim-opytom/",
            None,
            200,
        ),
        "staff: digest choice forged": (
            staff,
            "post",
            "/notifications/settings/digest/",
            {"frequency": "hourly"},
            400,
        ),
        "editor: profile without a feed": (editor, "get", "/accounts/profile/", None, 200),
        # The staff directory (the demo's generated staff have phones and subjects).
        "staff: people": (staff, "get", "/people/", None, 200),
        "staff: people, search": (staff, "get", "/people/", {"q": "квотирование"}, 200),
        "staff: people, a subject in an office": (
            staff,
            "get",
            "/people/",
            {"expertise": "сво", "office": "to-samara-zhd", "page": "2"},
            200,
        ),
        "staff: people, bad filters": (
            staff,
            "get",
            "/people/",
            {"office": "x", "position": "y", "expertise": "z", "q": "я" * 101},
            200,
        ),
        "staff: people, nothing found": (staff, "get", "/people/", {"q": "йцукенгшщз"}, 200),
        "staff: offices": (staff, "get", "/people/offices/", None, 200),
        "staff: office with a head": (
            staff,
            "get",
            "/people/offices/czn-samara-zheleznodorozhnyj/",
            None,
            200,
        ),
        "staff: office with offices under it": (
            staff,
            "get",
            "/people/offices/to-samara-zhd/",
            None,
            200,
        ),
        "staff: profile edit": (staff, "get", "/accounts/profile/edit/", None, 200),
        "staff: profile edit, errors": (
            staff,
            "post",
            "/accounts/profile/edit/",
            {"phone": "позвоните", "expertise": "<b>, " + "я" * 41},
            200,
        ),
        "manager with a photo: profile edit": (
            photographed,
            "get",
            "/accounts/profile/edit/",
            None,
            200,
        ),
        "manager with a photo: profile": (photographed, "get", "/accounts/profile/", None, 200),
        "staff: password": (staff, "get", "/accounts/password/", None, 200),
        "staff: password, errors": (
            staff,
            "post",
            "/accounts/password/",
            {"old_password": "no", "new_password1": "1", "new_password2": "2"},
            200,
        ),
        "staff: password changed": (staff, "get", "/accounts/password/done/", None, 200),
        "staff: not found": (staff, "get", "/kb/no-such-section/", None, 404),
        "staff: forbidden": (staff, "get", "/dashboards/cx/", None, 403),
        "anonymous: login": (anonymous, "get", "/accounts/login/", None, 200),
        "anonymous: login, errors": (
            anonymous,
            "post",
            "/accounts/login/",
            {"username": "sotrudnik", "password": "wrong"},
            200,
        ),
        "staff: cx block": (staff, "get", "/cx/", None, 200),
        "editor: cx block, office at the root": (editor, "get", "/cx/", None, 200),
        "manager without an office: cx block": (no_office, "get", "/cx/", None, 200),
        "manager: home": (manager, "get", "/", None, 200),
        "manager: reports": (manager, "get", "/reports/", None, 200),
        "editor: reports": (editor, "get", "/reports/", None, 200),
        "manager: dashboard": (manager, "get", "/dashboards/cx/", None, 200),
        "manager: dashboard, months": (
            manager,
            "get",
            "/dashboards/cx/",
            {"period": "custom", "month": month, "start": month, "end": month},
            200,
        ),
        "manager: dashboard, bad filter": (
            manager,
            "get",
            "/dashboards/cx/",
            {"period": "custom", "month": month, "start": "2026-99"},
            200,
        ),
        "manager: dashboard comments": (
            manager,
            "get",
            "/dashboards/cx/comments/",
            {"q": "очередь", "topic": "1"},
            200,
        ),
        "manager: dashboard comments, bad input": (
            manager,
            "get",
            "/dashboards/cx/comments/",
            {"q": "и", "topic": "x", "page": "z"},
            200,
        ),
        "head of a job centre: dashboard": (head, "get", "/dashboards/cx/", None, 200),
        "head of a job centre: dashboard comments": (
            head,
            "get",
            "/dashboards/cx/comments/",
            {"q": "очередь"},
            200,
        ),
        "head of a job centre: another office": (
            head,
            "get",
            "/dashboards/cx/",
            {"office": outside},
            403,
        ),
        "head of a job centre: another office's comments": (
            head,
            "get",
            "/dashboards/cx/comments/",
            {"office": outside},
            403,
        ),
        "manager without an office: dashboard": (no_office, "get", "/dashboards/cx/", None, 200),
        "manager: imports": (manager, "get", "/feedback/imports/", None, 200),
        "manager: import": (manager, "get", f"/feedback/imports/{done.pk}/", None, 200),
        "manager: import mapping": (
            manager,
            "get",
            f"/feedback/imports/{unmapped.pk}/mapping/",
            None,
            200,
        ),
        "manager: import mapping, errors": (
            manager,
            "post",
            f"/feedback/imports/{unmapped.pk}/mapping/",
            {},
            200,
        ),
        "manager: import running": (manager, "get", f"/feedback/imports/{running.pk}/", None, 200),
        "manager: import failed": (manager, "get", f"/feedback/imports/{failed.pk}/", None, 200),
        "manager: import rollback": (
            manager,
            "get",
            f"/feedback/imports/{done.pk}/rollback/",
            None,
            200,
        ),
        "working group: review": (wg, "get", "/ideas/review/", None, 200),
        "working group: idea": (wg, "get", discussed.get_absolute_url(), None, 200),
        "working group: meeting": (wg, "get", meeting.get_absolute_url(), None, 200),
        "working group: minutes": (
            wg,
            "get",
            f"/ideas/review/meetings/{meeting.pk}/print/",
            None,
            200,
        ),
        "working group: new meeting": (wg, "get", "/ideas/review/meetings/new/", None, 200),
        "working group: decision": (
            wg,
            "get",
            f"/ideas/review/meetings/{meeting.pk}/ideas/{own.pk}/",
            None,
            200,
        ),
        "admin: index": (admin, "get", "/admin/", None, 200),
        "admin: idea change form": (
            admin,
            "get",
            f"/admin/ideas/idea/{discussed.pk}/change/",
            None,
            200,
        ),
        "admin: article change form": (
            admin,
            "get",
            f"/admin/articles/article/{article.pk}/change/",
            None,
            200,
        ),
        "working group: cases": (wg, "get", "/cases/", None, 200),
        "working group: cases, filtered": (
            wg,
            "get",
            "/cases/",
            {"status": "open", "office": office.pk, "overdue": "on"},
            200,
        ),
        "working group: case": (wg, "get", case.get_absolute_url(), None, 200),
        "working group: case, errors": (
            wg,
            "post",
            case.get_absolute_url(),
            {"status": "resolved", "action_taken": "", "version": case.version},
            200,
        ),
        "manager: cases": (manager, "get", "/cases/", None, 200),
        "manager without an office: cases": (no_office, "get", "/cases/", None, 200),
        "manager: knowledge use": (manager, "get", "/dashboards/knowledge/", None, 200),
        "working group: knowledge use, job centres, reading": (
            wg,
            "get",
            "/dashboards/knowledge/",
            {"level": "2", "x": "reading", "start": month},
            200,
        ),
        "manager: knowledge use, bad filters": (
            manager,
            "get",
            "/dashboards/knowledge/",
            {"start": "2026-99", "end": timezone.localdate().strftime("%Y-%m"), "level": "x"},
            200,
        ),
        "manager without an office: knowledge use": (
            no_office,
            "get",
            "/dashboards/knowledge/",
            None,
            200,
        ),
        "staff: article with questions": (
            staff,
            "get",
            discussed_article.get_absolute_url(),
            None,
            200,
        ),
        "editor: article with questions": (
            editor,
            "get",
            discussed_article.get_absolute_url(),
            None,
            200,
        ),
        "staff: ask, errors": (
            staff,
            "post",
            f"/questions/articles/{discussed_article.pk}/ask/",
            {"text": ""},
            200,
        ),
        "staff: error report, errors": (
            staff,
            "post",
            f"/questions/articles/{discussed_article.pk}/report/",
            {"text": "", "quote": "x" * 1001},
            200,
        ),
        "staff: question": (staff, "get", f"/questions/{question.pk}/answer/", None, 200),
        "editor: question": (editor, "get", f"/questions/{question.pk}/answer/", None, 200),
        "staff: my questions": (staff, "get", "/questions/my/", None, 200),
        "editor: open error report": (
            editor,
            "post",
            f"/questions/reports/{open_report.pk}/",
            {"status": "", "comment": ""},
            200,
        ),
        "working group: closed error report": (
            wg,
            "get",
            f"/questions/reports/{closed_report.pk}/",
            None,
            200,
        ),
        "editor: my materials": (editor, "get", "/contributions/my/", None, 200),
        "editor: profile": (editor, "get", "/accounts/profile/", None, 200),
        "admin: notification settings, every area": (
            admin,
            "get",
            "/notifications/settings/",
            None,
            200,
        ),
        "editor: knowledge base health": (editor, "get", "/contributions/health/", None, 200),
        "staff: my materials, none owned": (staff, "get", "/contributions/my/", None, 200),
        "staff: my proposals": (staff, "get", "/proposals/my/", None, 200),
        "staff: propose an edit": (
            staff,
            "get",
            f"/proposals/articles/{article.pk}/new/",
            None,
            200,
        ),
        "staff: propose an edit, errors": (
            staff,
            "post",
            f"/proposals/articles/{article.pk}/new/",
            {"title": "", "rationale": ""},
            200,
        ),
        "staff: propose a material": (
            staff,
            "get",
            f"/proposals/sections/{article.section_id}/new/",
            None,
            200,
        ),
        "staff: propose a material, errors": (
            staff,
            "post",
            f"/proposals/sections/{article.section_id}/new/",
            {"title": "x", "kind": "nonsense"},
            200,
        ),
        "staff: own proposal, accepted": (staff, "get", accepted.get_absolute_url(), None, 200),
        "working group: own proposal, returned": (
            wg,
            "get",
            returned.get_absolute_url(),
            None,
            200,
        ),
        "working group: rework a proposal": (
            wg,
            "get",
            f"{returned.get_absolute_url()}edit/",
            None,
            200,
        ),
        "editor: proposals": (editor, "get", "/proposals/", None, 200),
        "editor: proposals, all": (editor, "get", "/proposals/", {"status": "all"}, 200),
        "editor: review an edit": (editor, "get", pending_edit.get_absolute_url(), None, 200),
        "editor: review a new material": (
            editor,
            "get",
            new_material.get_absolute_url(),
            None,
            200,
        ),
        "editor: review, errors": (
            editor,
            "post",
            f"{pending_edit.get_absolute_url()}return/",
            {"return-comment": ""},
            400,
        ),
        "staff: implemented idea": (staff, "get", story.get_absolute_url(), None, 200),
        "staff: implemented idea, a month after": (
            staff,
            "get",
            recent.get_absolute_url(),
            None,
            200,
        ),
        "manager: implemented idea, no office": (
            manager,
            "get",
            homeless.get_absolute_url(),
            None,
            200,
        ),
        "staff: article with ideas": (staff, "get", ideas_article.get_absolute_url(), None, 200),
        "working group: idea in work": (wg, "get", in_work.get_absolute_url(), None, 200),
        "working group: decision, implemented": (
            wg,
            "get",
            f"/ideas/review/meetings/{meeting.pk}/ideas/{in_work.pk}/",
            {"outcome": "implemented"},
            200,
        ),
        "working group: decision, implementation errors": (
            wg,
            "post",
            f"/ideas/review/meetings/{meeting.pk}/ideas/{in_work.pk}/",
            {
                "outcome": "implemented",
                "changes": "",
                "implemented_on": "2999-01-01",
                "changed_articles": "/kb/net/takogo/",
            },
            200,
        ),
        "admin: implementation": (
            admin,
            "get",
            f"/admin/ideas/implementation/{story.implementation.pk}/change/",
            None,
            200,
        ),
        "editor: article history": (
            editor,
            "get",
            f"/admin/articles/article/{article.pk}/history/",
            None,
            200,
        ),
        "staff: mandatory, unread only": (staff, "get", "/mandatory/", {"unread": "1"}, 200),
        "staff: article asked again after a change": (
            staff,
            "get",
            reasked.get_absolute_url(),
            None,
            200,
        ),
        "staff: what changed": (
            staff,
            "get",
            f"/articles/{reasked.pk}/history/compare/",
            {"from": reasked.ack_required_version - 1},
            200,
        ),
        "manager: reading report, region": (manager, "get", "/mandatory/report/", None, 200),
        "manager: reading report, a department and a document": (
            manager,
            "get",
            "/mandatory/report/",
            {"office": department, "article": reasked.pk},
            200,
        ),
        "head of a job centre: reading report": (head, "get", "/mandatory/report/", None, 200),
        "head of a job centre: reading report, another office": (
            head,
            "get",
            "/mandatory/report/",
            {"office": outside},
            403,
        ),
        "manager without an office: reading report": (
            no_office,
            "get",
            "/mandatory/report/",
            None,
            200,
        ),
        "editor: reading report, all read in a page": (
            editor,
            "get",
            "/mandatory/report/",
            {"office": department, "page": "2"},
            200,
        ),
        "editor: reading analytics, region": (editor, "get", "/dashboards/reading/", None, 200),
        "working group: reading analytics, 90 days by views per 100": (
            wg,
            "get",
            "/dashboards/reading/",
            {"period": "90", "sort": "per100", "section": article.section_id},
            200,
        ),
        "head of a job centre: reading analytics, bad dates": (
            head,
            "get",
            "/dashboards/reading/",
            {"period": "custom", "start": "2026-02-30", "office": outside},
            200,
        ),
        "manager without an office: reading analytics": (
            no_office,
            "get",
            "/dashboards/reading/",
            None,
            200,
        ),
        "admin: mandatory article change form": (
            admin,
            "get",
            f"/admin/articles/article/{reasked.pk}/change/",
            None,
            200,
        ),
        # «Путь новичка»: sotrudnik's path (the home block above too), a step's note.
        "staff: onboarding path": (staff, "get", "/onboarding/", None, 200),
        "staff: article on the onboarding path": (
            staff,
            "get",
            reading_path.steps.order_by("order")[2].article.get_absolute_url(),
            None,
            200,
        ),
        "editor: no onboarding path": (editor, "get", "/onboarding/", None, 200),
        "manager: onboarding progress": (manager, "get", "/onboarding/progress/", None, 200),
        "head of a job centre: onboarding progress": (
            head,
            "get",
            "/onboarding/progress/",
            None,
            200,
        ),
        "manager without an office: onboarding progress": (
            no_office,
            "get",
            "/onboarding/progress/",
            None,
            200,
        ),
        "staff: photo report with its gallery": (
            staff,
            "get",
            report.get_absolute_url(),
            None,
            200,
        ),
        "staff: presentation with its slides": (
            staff,
            "get",
            presentation.get_absolute_url(),
            None,
            200,
        ),
        "staff: article print version": (
            staff,
            "get",
            presentation.get_absolute_url(),
            {"print": "1"},
            200,
        ),
        "editor: article templates": (editor, "get", "/admin/articles/articletemplate/", None, 200),
        "editor: article template change form": (
            editor,
            "get",
            f"/admin/articles/articletemplate/{case_template.pk}/change/",
            None,
            200,
        ),
        "administrator: kb imports": (admin, "get", "/kb-import/", None, 200),
        "administrator: kb import done": (admin, "get", f"/kb-import/{kb_done.pk}/", None, 200),
        "administrator: kb import checked": (
            admin,
            "get",
            f"/kb-import/{kb_checked.pk}/",
            None,
            200,
        ),
        "administrator: kb import running": (
            admin,
            "get",
            f"/kb-import/{kb_running.pk}/",
            None,
            200,
        ),
        "administrator: kb import refused": (
            admin,
            "post",
            "/kb-import/",
            {"file": kb_upload(b"not a zip")},
            200,
        ),
        "editor: reading paths": (editor, "get", "/admin/onboarding/readingpath/", None, 200),
        "editor: reading path change form": (
            editor,
            "get",
            f"/admin/onboarding/readingpath/{reading_path.pk}/change/",
            None,
            200,
        ),
        # Events: the month (the demo's month around today), another month,
        # wrong filters, the lists, an event with its report and materials,
        # the profile with a calendar address, the admin's list and view.
        "staff: events calendar": (staff, "get", "/events/", None, 200),
        "staff: events calendar, filtered": (
            staff,
            "get",
            "/events/",
            {"mine": "1", "format": "online", "month": month},
            200,
        ),
        "staff: events calendar, bad filters": (
            staff,
            "get",
            "/events/",
            {"month": "2026-13", "office": "x", "kind": "y", "format": "z"},
            200,
        ),
        "staff: events, upcoming": (staff, "get", "/events/list/", None, 200),
        "staff: events, past": (staff, "get", "/events/list/", {"when": "past"}, 200),
        "staff: event with a report": (staff, "get", reported_event.get_absolute_url(), None, 200),
        "staff: profile with a calendar": (calendar_owner, "get", "/accounts/profile/", None, 200),
        "admin: event change form": (
            admin,
            "get",
            f"/admin/events/event/{reported_event.pk}/change/",
            None,
            200,
        ),
        "editor: events in the admin": (editor, "get", "/admin/events/event/", None, 200),
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("_imports_run_inline")
def test_main_pages_have_no_html_errors():
    html = {"canary": CANARY}
    for name, (client, method, url, data, status) in _pages().items():
        response = getattr(client, method)(url, data)
        assert response.status_code == status, f"{name}: {url} answered {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), name
        html[f"{name} ({url})"] = response.content

    try:
        errors = vnu.check(html)
    except vnu.CheckerUnavailable as problem:
        pytest.fail(f"The Nu HTML Checker cannot run: {problem}")

    canary = [error for error in errors if error.page == "canary"]
    assert canary, "vnu.jar reported nothing for a page known to be invalid"
    errors = [error for error in errors if error.page != "canary"]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(f"  {e}" for e in errors)


def test_without_java_the_checker_says_what_to_install(monkeypatch):
    monkeypatch.setattr(vnu.shutil, "which", lambda name: None)
    with pytest.raises(vnu.CheckerUnavailable, match="default-jre-headless"):
        vnu.check({"page": CANARY})


def test_a_missing_jar_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("VNU_JAR", str(tmp_path / "vnu.jar"))
    with pytest.raises(vnu.CheckerUnavailable, match=r"vnu\.jar not found"):
        vnu.jar_path()
