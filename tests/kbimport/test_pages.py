"""The import pages: who may open them, the flow upload → report → confirm →
result, bad archives refused on the form, the progress page, a dead job."""

import subprocess
import sys

import pytest
from django.utils import timezone

from articles.models import Article, Section
from kbimport import jobs
from kbimport.models import KbImportBatch
from tests.factories import ROLE_USERS, make_section, make_user
from tests.kbimport.factories import import_zip, sample_tree, upload, zip_bytes

pytestmark = pytest.mark.django_db

NOT_ADMINISTRATORS = ["staff", "editor", "working_group", "manager"]


@pytest.fixture
def checked(administrator):
    return import_zip(zip_bytes(sample_tree()), user=administrator, confirm=False)


def _urls(batch):
    return [
        ("get", "/kb-import/"),
        ("get", f"/kb-import/{batch.pk}/"),
        ("post", f"/kb-import/{batch.pk}/confirm/"),
        ("post", f"/kb-import/{batch.pk}/restart/"),
        ("post", f"/kb-import/{batch.pk}/cancel/"),
    ]


def test_anonymous_is_sent_to_login(client, checked):
    for method, url in _urls(checked):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


@pytest.mark.parametrize("role", NOT_ADMINISTRATORS)
def test_only_administrators_may_import(client_for, checked, role):
    client = client_for(make_user(role=ROLE_USERS[role]))
    for method, url in _urls(checked):
        response = getattr(client, method)(url)
        assert response.status_code == 403, (role, url)
    response = client.post("/kb-import/", {"file": upload(zip_bytes(sample_tree()))})
    assert response.status_code == 403
    checked.refresh_from_db()
    assert checked.status == KbImportBatch.Status.CHECKED  # nobody confirmed or cancelled it
    assert KbImportBatch.objects.count() == 1
    assert not Article.all_objects.exists()


def test_administrator_uploads_reads_the_report_and_confirms(admin_client, administrator):
    root = make_section("Управление клиентским опытом")
    response = admin_client.get("/kb-import/")
    assert response.status_code == 200
    assert "Импорт базы знаний из папок и файлов" in response.content.decode()
    response = admin_client.post(
        "/kb-import/", {"file": upload(zip_bytes(sample_tree())), "root": root.pk}
    )
    batch = KbImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/kb-import/{batch.pk}/"
    page = admin_client.get(response["Location"]).content.decode()
    assert "Итог проверки: что будет сделано" in page
    assert "Импортировать (материалов: 4)" in page
    assert "Нормативные документы" in page and "Презентация" in page
    assert "новый черновик" in page
    assert not Article.all_objects.exists()
    response = admin_client.post(f"/kb-import/{batch.pk}/confirm/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == KbImportBatch.Status.IMPORTED
    assert batch.created_by == administrator
    assert batch.root == root
    page = admin_client.get(f"/kb-import/{batch.pk}/").content.decode()
    assert "Итог импорта" in page
    assert "создан черновик" in page
    article = Article.objects.get(title="Презентация")
    assert f"/admin/articles/article/{article.pk}/change/" in page
    assert Section.objects.get(title="База").parent == root
    journal = admin_client.get("/kb-import/").content.decode()
    assert "disk.zip" in journal and "импортирован" in journal


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip", "Файл не похож на ZIP-архив"),
        (zip_bytes({"../../etc/passwd": b"x"}), "выходящий за его пределы"),
        (zip_bytes({"Раздел/" + "Я" * 1000 + ".txt": b"x"}), "Слишком длинное имя"),
        (
            zip_bytes({"Раздел/Тайна.docx": b"x"}, encrypted={"Раздел/Тайна.docx"}),
            "защищён паролем",
        ),
        (zip_bytes({"Раздел/Бомба.txt": b"\0" * (30 * 1024 * 1024)}), "архивы-«бомбы»"),
        (zip_bytes({}, folders=["Пусто"]), "В архиве нет ни одного файла"),
    ],
    ids=["not-zip", "outside", "long-name", "encrypted", "bomb", "no-files"],
)
def test_a_bad_archive_is_refused_on_the_form_and_nothing_is_saved(admin_client, content, message):
    response = admin_client.post("/kb-import/", {"file": upload(content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not KbImportBatch.objects.exists()
    assert not Section.objects.exists()


def test_too_many_files_are_refused_on_the_form(admin_client, settings):
    settings.KB_IMPORT_MAX_FILES = 50
    content = zip_bytes({f"Раздел/{n}.txt": b"" for n in range(60)})
    response = admin_client.post("/kb-import/", {"file": upload(content)})
    assert "В архиве 60 файлов и папок, можно не больше 50" in response.content.decode()
    assert not KbImportBatch.objects.exists()


def test_an_archive_over_the_upload_limit_is_refused(admin_client, settings):
    settings.KB_IMPORT_MAX_UPLOAD_BYTES = 1024
    response = admin_client.post("/kb-import/", {"file": upload(zip_bytes(sample_tree()))})
    assert "Архив больше 0 МБ" in response.content.decode()
    assert not KbImportBatch.objects.exists()


def test_a_forged_section_is_refused(admin_client):
    response = admin_client.post(
        "/kb-import/", {"file": upload(zip_bytes(sample_tree())), "root": "999999"}
    )
    assert "Такого раздела нет" in response.content.decode()
    assert not KbImportBatch.objects.exists()


def test_file_names_are_shown_escaped(admin_client, administrator):
    name = "Раздел/<img src=x onerror=alert(1)>.txt"
    batch = import_zip(zip_bytes({name: "Текст".encode()}), user=administrator, confirm=False)
    page = admin_client.get(f"/kb-import/{batch.pk}/").content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in page  # the file's name, escaped
    assert "‹img src=x onerror=alert(1)›" in page  # the title: plain text that keeps it
    admin_client.post(f"/kb-import/{batch.pk}/confirm/")
    assert Article.objects.get().title == "‹img src=x onerror=alert(1)›"


def test_the_progress_page_shows_the_step_and_refreshes(admin_client, checked):
    KbImportBatch.objects.filter(pk=checked.pk).update(
        status=KbImportBatch.Status.RUNNING,
        phase=KbImportBatch.Phase.WRITE,
        step=KbImportBatch.Step.EXTRACT,
        files_total=40,
        files_done=10,
        runner_host=jobs.host(),
        runner_pid=jobs.os.getpid(),  # this very process: alive
        runner_started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    page = admin_client.get(f"/kb-import/{checked.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Идёт импорт: извлечение текста" in page
    assert '<progress max="40" value="10">25%</progress>' in page
    assert "Обработано файлов: 10 из 40 (25%)" in page
    assert "Импортировать:" not in page  # no second confirmation while it runs


def _dead_pid():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_dead_job_is_noticed_and_the_import_restarted(admin_client, checked):
    KbImportBatch.objects.filter(pk=checked.pk).update(
        status=KbImportBatch.Status.RUNNING,
        phase=KbImportBatch.Phase.WRITE,
        step=KbImportBatch.Step.WRITE,
        runner_host=jobs.host(),
        runner_pid=_dead_pid(),
        runner_started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    page = admin_client.get(f"/kb-import/{checked.pk}/").content.decode()
    assert "Импорт прервался: процесс" in page
    assert "завершился, не закончив работу" in page
    assert "Запустить импорт заново" in page
    checked.refresh_from_db()
    assert checked.status == KbImportBatch.Status.FAILED
    response = admin_client.post(f"/kb-import/{checked.pk}/restart/", follow=True)
    assert "Импорт запущен заново" in response.content.decode()
    checked.refresh_from_db()
    assert checked.status == KbImportBatch.Status.IMPORTED
    assert Article.objects.count() == 4


def test_a_silent_job_elsewhere_is_noticed_after_the_stale_time(admin_client, checked, settings):
    settings.KB_IMPORT_STALE_SECONDS = 60
    KbImportBatch.objects.filter(pk=checked.pk).update(
        status=KbImportBatch.Status.CHECKING,
        phase=KbImportBatch.Phase.CHECK,
        runner_host="другой-сервер",
        runner_pid=12345,
        runner_started_at=timezone.now(),
        heartbeat_at=timezone.now() - timezone.timedelta(seconds=61),
    )
    page = admin_client.get("/kb-import/").content.decode()  # the journal checks too
    checked.refresh_from_db()
    assert checked.status == KbImportBatch.Status.FAILED
    assert "не подаёт признаков работы" in checked.error
    assert "ошибка" in page
    assert admin_client.post(f"/kb-import/{checked.pk}/restart/").status_code == 302
    checked.refresh_from_db()
    assert checked.status == KbImportBatch.Status.CHECKED


def test_a_job_that_never_started_is_noticed(checked, settings):
    KbImportBatch.objects.filter(pk=checked.pk).update(**jobs.queued(KbImportBatch.Phase.WRITE))
    KbImportBatch.objects.filter(pk=checked.pk).update(
        heartbeat_at=timezone.now()
        - timezone.timedelta(seconds=settings.KB_IMPORT_STALE_SECONDS + 1)
    )
    checked.refresh_from_db()
    batch = jobs.batch_check_runner(batch=checked)
    assert batch.status == KbImportBatch.Status.FAILED
    assert "фоновая задача не запустилась" in batch.error


def test_a_second_confirmation_changes_nothing(admin_client, checked):
    admin_client.post(f"/kb-import/{checked.pk}/confirm/")
    count = Article.objects.count()
    response = admin_client.post(f"/kb-import/{checked.pk}/confirm/", follow=True)
    assert "Импорт не запущен" in response.content.decode()
    assert Article.objects.count() == count == 4


def test_cancel_from_the_page(admin_client, checked):
    response = admin_client.post(f"/kb-import/{checked.pk}/cancel/", follow=True)
    assert "Импорт отменён: ничего не записано" in response.content.decode()
    response = admin_client.post(f"/kb-import/{checked.pk}/cancel/", follow=True)
    assert "Этот импорт нельзя отменить" in response.content.decode()


def test_get_is_not_allowed_on_actions(admin_client, checked):
    for action in ("confirm", "restart", "cancel"):
        assert admin_client.get(f"/kb-import/{checked.pk}/{action}/").status_code == 405


def test_a_missing_import_is_a_404(admin_client):
    assert admin_client.get("/kb-import/999/").status_code == 404


def test_the_subprocess_runner_spawns_the_command(
    settings, administrator, monkeypatch, django_capture_on_commit_callbacks
):
    settings.KB_IMPORT_RUNNER = "subprocess"
    spawned = []
    monkeypatch.setattr(jobs, "spawn", spawned.append)
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_zip(zip_bytes(sample_tree()), user=administrator, confirm=False)
    assert batch.status == KbImportBatch.Status.CHECKING
    assert spawned[0][-5:] == ["import_kb", "--batch", str(batch.pk), "--phase", "check"]


def test_the_thread_runner_imports_too(client, settings, transactional_db):
    """For the development server: the job runs in a thread with its own connection."""
    from unittest import mock

    from django.contrib.auth.models import User

    # A transactional test may follow another that emptied the role groups.
    client.force_login(User.objects.create_superuser("root", password="x-1234-word"))
    batch = import_zip(zip_bytes(sample_tree()), confirm=False)
    settings.KB_IMPORT_RUNNER = "thread"
    started = []
    with mock.patch("kbimport.jobs.threading.Thread.start", lambda thread: started.append(thread)):
        client.post(f"/kb-import/{batch.pk}/confirm/")
    assert len(started) == 1
    started[0].run()  # what the thread would do, here, to keep the test deterministic
    batch.refresh_from_db()
    assert (batch.status, batch.articles_created) == ("imported", 4)


def test_an_unknown_runner_fails_loudly(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.KB_IMPORT_RUNNER = "celery"
    with pytest.raises(ImproperlyConfigured, match="KB_IMPORT_RUNNER"):
        import_zip(zip_bytes(sample_tree()))
