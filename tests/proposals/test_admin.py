"""The admin lists proposals read-only and accepts through the service."""

from proposals.models import Proposal
from tests.factories import make_article
from tests.proposals.helpers import propose_edit


def test_list_links_to_the_site_review(editor_client, staff):
    proposal = propose_edit(make_article(), staff)
    page = editor_client.get("/admin/proposals/proposal/").content.decode()
    assert f'href="/proposals/{proposal.pk}/"' in page
    change = editor_client.get(f"/admin/proposals/proposal/{proposal.pk}/change/")
    assert change.status_code == 200
    assert editor_client.get("/admin/proposals/proposal/add/").status_code == 403
    history = editor_client.get(f"/admin/proposals/proposal/{proposal.pk}/history/")
    assert history.status_code == 200
    record = proposal.history.first()
    old = editor_client.get(f"/admin/proposals/proposal/{proposal.pk}/history/{record.pk}/")
    assert old.status_code == 200
    assert (
        editor_client.post(
            f"/admin/proposals/proposal/{proposal.pk}/history/{record.pk}/", {}
        ).status_code
        == 403
    )


def test_accept_action_uses_the_service_and_reports_refusals(editor_client, staff, editor):
    article = make_article(body="<p>Старое.</p>")
    good = propose_edit(article, staff, body="<p>Новое.</p>")
    stale = propose_edit(article, staff, body="<p>Другое.</p>")
    response = editor_client.post(
        "/admin/proposals/proposal/",
        {"action": "accept", "_selected_action": [good.pk, stale.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Принято предложений: 1." in page
    assert "Материал изменился" in page
    good.refresh_from_db()
    stale.refresh_from_db()
    assert good.status == Proposal.Status.ACCEPTED and good.decided_by == editor
    assert stale.status == Proposal.Status.PENDING
    article.refresh_from_db()
    assert article.body == "<p>Новое.</p>"
