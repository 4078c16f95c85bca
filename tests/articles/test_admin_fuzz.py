"""Garbage in the admin's query strings gives the normal list, a 400 or a
403/404 — never a 500. Every registered list is tried with every parameter
its filters expect (read from the filters themselves, so a new filter is
fuzzed without editing this file) and the admin's own parameters."""

import pytest
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth.models import User
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory
from django.utils import timezone

from kb_portal.admin import bad_date_part
from search.models import SearchQuery
from tests.articles.admin_site import (
    admin_request,
    registered,
    sample_object,
    small_admin_data,  # noqa: F401 - a fixture
    url,
)
from tests.factories import make_article, make_section

GARBAGE = [
    "abc",
    "999999",
    "-1",
    "",
    "'",
    '"><script>alert(1)</script>',
    "Я" * 3000,
    "Ёжик 漢字 🙂",
    "1,2",
    "\x00",
    "1\x00",
    "99999999999999999999",
    "2026-13-45",
    "9999",
    "1.5",
]
PAGE_GARBAGE = ["abc", "99999999999999999999", "\x00"]
# The changelist's own parameters, and one it does not know.
ADMIN_PARAMETERS = ["q", "o", "p", "e", "all", "_to_field", "_popup", "_facets", "nonsense"]
# Parameters read by list pages that are not ordinary changelists.
CUSTOM_PARAMETERS = {SearchQuery: ["week"]}


def list_parameters(model, model_admin, user):
    """Every query parameter the model's list understands."""
    changelist = model_admin.get_changelist_instance(admin_request(user, url(model, "changelist")))
    names = set(ADMIN_PARAMETERS) | set(CUSTOM_PARAMETERS.get(model, []))
    for spec in changelist.filter_specs:
        names.update(spec.expected_parameters())
    if changelist.date_hierarchy:
        names.update(f"{changelist.date_hierarchy}__{part}" for part in ("year", "month", "day"))
    return sorted(names)


def _crashes(client, path, params):
    response = client.get(path, params)
    return response.status_code >= 500


def _list_crash(model_admin, user, path, params):
    """What the list page does with ``params``, without drawing the page: the
    filters, the query and its rows, the filter choices, the headers and the
    date links. A refusal the admin turns into a redirect or a 400 is not a crash."""
    request = RequestFactory().get(path, params)
    request.user = user
    request._messages = CookieStorage(request)
    if bad_date_part(request):
        return None  # the admin site sends these back to the plain list
    if any("\x00" in value for value in params.values()):
        return None  # refused with a 400 before any view (kb_portal.middleware)
    try:
        changelist = model_admin.get_changelist_instance(request)
        changelist.formset = None  # the view sets it, for lists edited in place
        for spec in changelist.filter_specs:
            list(spec.choices(changelist))
        list(changelist.result_list)
        list(admin_list.result_headers(changelist))
        admin_list.date_hierarchy(changelist)
        admin_list.search_form(changelist)
    except (IncorrectLookupParameters, SuspiciousOperation):
        return None
    except Exception as error:
        return f"{type(error).__name__}: {error}"[:200]
    return None


def _people_and_lists():
    """Every list, with each person of ADMIN_ROLES who may open it."""
    for username in ["redaktor", "administrator"]:
        user = User.objects.get(username=username)
        for model, model_admin in registered():
            if model_admin.has_view_or_change_permission(admin_request(user)):
                yield user, model, model_admin


def test_no_list_parameter_crashes_an_admin_list(small_admin_data):  # noqa: F811
    crashed = []
    fuzzed = 0
    for user, model, model_admin in _people_and_lists():
        path = url(model, "changelist")
        for name in list_parameters(model, model_admin, user):
            for value in GARBAGE:
                fuzzed += 1
                crash = _list_crash(model_admin, user, path, {name: value})
                if crash:
                    crashed.append(f"{user} {path}?{name}={value[:20]!r}: {crash}")
    assert fuzzed > 2000  # the discovery found the filters
    assert crashed == []


def test_no_garbage_list_request_answers_500(small_admin_data, client_for):  # noqa: F811
    # The real pages, each list once, with the values most likely to break a
    # filter (the direct check above tries every value without drawing pages).
    crashed = []
    seen = set()
    for user, model, model_admin in _people_and_lists():
        if model in seen:
            continue
        seen.add(model)
        client = client_for(user)
        client.raise_request_exception = False
        path = url(model, "changelist")
        for name in list_parameters(model, model_admin, user):
            values = ["abc"] if name in ADMIN_PARAMETERS else PAGE_GARBAGE
            for value in values:
                if _crashes(client, path, {name: value}):
                    crashed.append(f"{user} {path}?{name}={value[:20]!r}")
        # After the admin's error redirect (?e=1) a bad value shows Django's
        # error page instead.
        if _crashes(client, path, dict.fromkeys(["e", "nonsense"], "1")):
            crashed.append(f"{user} {path}?e=1&nonsense=1")
    assert len(seen) == len(registered())
    assert crashed == []


def test_no_garbage_object_address_crashes(small_admin_data, client_for):  # noqa: F811
    crashed = []
    for user, model, model_admin in _people_and_lists():
        client = client_for(user)
        client.raise_request_exception = False
        obj = sample_object(model_admin, user)
        for object_id in ["abc", "999999", "-1", "99999999999999999999", "1.5", "%00"]:
            for view in ["change", "history", "delete"]:
                path = url(model, view, object_id)
                if client.get(path).status_code >= 500:
                    crashed.append(path)
        for value in ["abc", "\x00", "e=1&nonsense=1", "Я" * 3000]:
            path = url(model, "change", obj.pk)
            if _crashes(client, path, {"_changelist_filters": value, "_to_field": value}):
                crashed.append(f"{path}?_changelist_filters={value[:20]!r}")
        if hasattr(model, "history"):
            for value in ["abc", "999999", "\x00"]:
                if _crashes(client, url(model, "history", obj.pk), {"p": value}):
                    crashed.append(f"{url(model, 'history', obj.pk)}?p={value!r}")
                path = f"{url(model, 'history', obj.pk)}{value}/"
                if client.get(path).status_code >= 500:
                    crashed.append(path)
    assert crashed == []


def test_no_garbage_crashes_the_autocomplete(small_admin_data, client):  # noqa: F811
    client.force_login(User.objects.get(username="redaktor"))
    client.raise_request_exception = False
    good = {"app_label": "articles", "model_name": "article", "field_name": "section"}
    crashed = []
    for name in ["app_label", "model_name", "field_name", "term", "page"]:
        for value in GARBAGE:
            params = {**good, name: value}
            if _crashes(client, "/admin/autocomplete/", params):
                crashed.append(f"{name}={value[:20]!r}")
    assert crashed == []


@pytest.mark.parametrize("value", ["abc", "999999", "", "-1", "1.5", "99999999999999999999"])
def test_bad_section_filter_gives_the_normal_list(editor_client, value):
    make_article(), make_article()
    response = editor_client.get("/admin/articles/article/", {"section__id__inhierarchy": value})
    if response.status_code == 302:
        assert response["Location"] == "/admin/articles/article/?e=1"
        response = editor_client.get(response["Location"])
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2


def test_section_filter_still_filters_by_subtree(editor_client):
    root = make_section()
    inside = [make_article(root), make_article(make_section(parent=root))]
    make_article()
    response = editor_client.get("/admin/articles/article/", {"section__id__inhierarchy": root.pk})
    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == set(inside)


@pytest.mark.parametrize("year", ["9999", "99999999999999999999", "0", "abc"])
def test_impossible_date_link_gives_the_plain_list(editor_client, year):
    make_article()
    response = editor_client.get("/admin/articles/article/", {"updated_at__year": year})
    assert response.status_code == 302
    assert response["Location"] == "/admin/articles/article/?e=1"
    assert len(editor_client.get(response["Location"]).context["cl"].result_list) == 1


def test_real_date_link_still_filters(editor_client):
    article = make_article()
    year = timezone.localtime(article.updated_at).year
    response = editor_client.get("/admin/articles/article/", {"updated_at__year": year})
    assert list(response.context["cl"].result_list) == [article]
    response = editor_client.get("/admin/articles/article/", {"updated_at__year": year - 1})
    assert list(response.context["cl"].result_list) == []


def test_nul_in_a_filter_is_a_400(editor_client):
    response = editor_client.get("/admin/articles/article/", {"kind__exact": "\x00"})
    assert response.status_code == 400


def test_a_wrong_filter_after_the_correction_says_so_in_russian(editor_client):
    response = editor_client.get("/admin/articles/article/", {"e": "1", "nonsense": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Неверный адрес списка" in page
    assert "базы данных" not in page
