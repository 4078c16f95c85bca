"""The demo's import: a corporate disk's ZIP (fixtures/kb_disk) brought in
under «Управление клиентским опытом» by the demo administrator, so that the
journal has an import to open and the editors have its drafts to publish."""

from pathlib import Path

from django.core.files import File

from articles.models import Section
from kbimport import jobs, services
from kbimport.models import KbImportBatch

DEMO_ZIP = Path(__file__).resolve().parent.parent / "fixtures" / "kb_disk" / "obshchij-disk-czn.zip"
DEMO_ROOT = "upravlenie-klientskim-opytom"


def seed_kb_import(users):
    """Import the demo ZIP once (the check, then the writing, here and now:
    seed_demo holds one transaction, which a background job could not see)."""
    root = Section.objects.filter(slug=DEMO_ROOT).first()
    if root is None or KbImportBatch.objects.filter(original_name=DEMO_ZIP.name).exists():
        return {"kb_import": 0}
    batch = KbImportBatch(
        original_name=DEMO_ZIP.name,
        created_by=users["administrator"],
        root=root,
        root_key=root.pk,
        root_title=root.title,
        **jobs.queued(KbImportBatch.Phase.CHECK),
    )
    with DEMO_ZIP.open("rb") as handle:
        batch.file.save("import.zip", File(handle, name=DEMO_ZIP.name), save=False)
    batch.save()
    services.batch_check(batch=batch, progress=jobs.Progress())
    KbImportBatch.objects.filter(pk=batch.pk).update(**jobs.queued(KbImportBatch.Phase.WRITE))
    batch.refresh_from_db()
    services.batch_write(batch=batch, progress=jobs.Progress())
    batch.refresh_from_db()
    return {"kb_import": batch.articles_created}
