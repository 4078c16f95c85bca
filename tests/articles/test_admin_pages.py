"""Every admin page opens for every role that can open the admin: the list,
the add form, a real object's change form, its history and its delete
confirmation. A page answers 200 when the role may see it and 403 when it may
not, never 500 (a section's page once failed for view-only administrators)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from simple_history.admin import SimpleHistoryAdmin

from search.models import SearchQuery
from tests.articles.admin_site import (
    ADMIN_PEOPLE,
    admin_data,  # noqa: F401 - a fixture
    admin_request,
    registered,
    sample_object,
    url,
)

# Pages closed by design even to people who may view the model.
CLOSED = {(SearchQuery, "change")}


def _expected(model, model_admin, view, user, obj):
    if (model, view) in CLOSED:
        return 403
    request = admin_request(user)
    allowed = {
        "changelist": model_admin.has_view_or_change_permission(request),
        "add": model_admin.has_add_permission(request),
        "change": model_admin.has_view_or_change_permission(request, obj),
        "history": model_admin.has_view_or_change_permission(request, obj),
        "delete": model_admin.has_delete_permission(request, obj),
    }[view]
    return 200 if allowed else 403


def _pages(model, model_admin, obj):
    yield "changelist", url(model, "changelist")
    yield "add", url(model, "add")
    yield "change", url(model, "change", obj.pk)
    yield "history", url(model, "history", obj.pk)
    yield "delete", url(model, "delete", obj.pk)


@pytest.mark.parametrize("username", ADMIN_PEOPLE)
def test_every_admin_page_opens_for_every_admin_role(admin_data, client, username):  # noqa: F811
    user = User.objects.get(username=username)
    client.force_login(user)
    client.raise_request_exception = False  # a crash is a 500 in the list, not the end
    wrong = []
    apps = {app["app_label"] for app in admin.site.get_app_list(admin_request(user))}
    for app_label in sorted({model._meta.app_label for model, _ in registered()}):
        expected = 200 if app_label in apps else 404
        status = client.get(f"/admin/{app_label}/").status_code
        if status != expected:
            wrong.append(f"/admin/{app_label}/: {status}, expected {expected}")
    assert client.get("/admin/").status_code == 200
    for model, model_admin in registered():
        obj = sample_object(model_admin, user)
        assert obj is not None, f"no {model._meta.label} to open: add one to admin_data"
        for view, path in _pages(model, model_admin, obj):
            expected = _expected(model, model_admin, view, user, obj)
            status = client.get(path).status_code
            if status != expected:
                wrong.append(f"{path}: {status}, expected {expected}")
        if isinstance(model_admin, SimpleHistoryAdmin):
            record = obj.history.order_by("history_id").first()
            path = f"{url(model, 'history', obj.pk)}{record.history_id}/"
            expected = _expected(model, model_admin, "history", user, obj)
            status = client.get(path).status_code
            if status != expected:
                wrong.append(f"{path}: {status}, expected {expected}")
    assert wrong == []


def test_sweep_covers_the_pages_each_role_needs(admin_data):  # noqa: F811
    # The sweep above is only as good as the permissions it reads: the editor
    # edits articles and sections, the administrator only views them.
    editor = User.objects.get(username="redaktor")
    administrator = User.objects.get(username="administrator")
    admins = dict(registered())
    from articles.models import Article, Section

    for model in (Article, Section):
        assert admins[model].has_change_permission(admin_request(editor))
        assert not admins[model].has_change_permission(admin_request(administrator))
        assert admins[model].has_view_permission(admin_request(administrator))
    assert admins[User].has_change_permission(admin_request(administrator))
    assert not admins[User].has_view_permission(admin_request(editor))
