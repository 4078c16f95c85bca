import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from notifications.feeds import feed_token_value, feed_tokens_of
from notifications.models import FeedToken
from notifications.selectors import email_preferences, kind_areas, kind_short_label, kinds_for
from notifications.subscriptions import subscriptions_of
from people import roles, selectors, services
from people.folding import query_words
from people.forms import DirectoryForm, ProfileContactsForm
from people.models import Office, Profile
from people.photos import MIME_TYPES

PAGE_SIZE = 20
# A photo is an image the browser shows by itself: nothing in it may run.
PHOTO_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@require_GET
def profile(request):
    """«Мой профиль»: what the portal knows about the person, their roles, and
    which notifications also come by e-mail (changed on their own page)."""
    user = request.user
    staff_profile = (
        Profile.objects.select_related("office", "position")
        .prefetch_related(selectors.EXPERTISE_PREFETCH)
        .filter(user=user)
        .first()
    )
    names = roles.role_names(user)
    chosen = email_preferences(user=user)
    kinds = kinds_for(user=user)
    feeds = _feed_urls(request)
    by_email = [
        (title, [kind_short_label(kind) for kind in area_kinds])
        for title, area_kinds in kind_areas(kinds=[kind for kind in kinds if chosen[kind]])
    ]
    return render(
        request,
        "people/profile.html",
        {
            "staff_profile": staff_profile,
            "roles": [role for role in roles.ALL_ROLES if role in names] or [roles.STAFF],
            "by_email": by_email,
            "kinds_total": len(kinds),
            "by_email_total": sum(len(labels) for _title, labels in by_email),
            "feed_url": feeds.get(FeedToken.Purpose.ATOM),
            "calendar_url": feeds.get(FeedToken.Purpose.CALENDAR),
            "subscriptions": subscriptions_of(user=user),
        },
    )


# Where each private feed lives (the secret part of the address is the token).
_FEED_ROUTES = {
    FeedToken.Purpose.ATOM: "updates:feed",
    FeedToken.Purpose.CALENDAR: "events:feed",
}


def _feed_urls(request):
    """The addresses of the person's private feeds (the Atom feed, the
    calendar), by purpose; a feed not made yet is missing. One query."""
    urls = {}
    for purpose, token in feed_tokens_of(user=request.user).items():
        path = reverse(_FEED_ROUTES[purpose], kwargs={"token": feed_token_value(token)})
        if settings.PORTAL_URL:
            urls[purpose] = settings.PORTAL_URL.rstrip("/") + path
        else:
            urls[purpose] = request.build_absolute_uri(path)
    return urls


@require_http_methods(["GET", "POST"])
def profile_edit(request):
    """The person's own phone, subjects and photo; only ever their own (the
    address names nobody). A bad value anywhere saves nothing."""
    staff_profile = (
        Profile.objects.select_related("office", "position")
        .prefetch_related(selectors.EXPERTISE_PREFETCH)
        .filter(user=request.user)
        .first()
    )
    if request.method == "POST":
        form = ProfileContactsForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            services.profile_contacts_update(
                user=request.user,
                phone=data["phone"],
                expertise=data["expertise"],
                photo=data["photo"],
                remove_photo=data["remove_photo"],
            )
            messages.success(request, _("Телефон, темы и фотография сохранены."))
            return redirect("profile")
    else:
        initial = {}
        if staff_profile is not None:
            initial = {
                "phone": staff_profile.phone,
                "expertise": ", ".join(item.name for item in staff_profile.expertise.all()),
            }
        form = ProfileContactsForm(initial=initial)
    return render(
        request, "people/profile_edit.html", {"form": form, "staff_profile": staff_profile}
    )


@require_GET
def directory(request):
    """«Сотрудники»: search by name, position, office (with the offices under
    it) and subject («к кому обратиться по…»)."""
    offices = selectors.offices_active()
    positions = selectors.positions_all()
    form = DirectoryForm(request.GET, offices=offices, positions=positions)
    filters = form.filters()
    office = next((o for o in offices if o.code == filters["office"]), None)
    expertise = None
    if filters["expertise"]:
        expertise = selectors.expertise_find(filters["expertise"])
        if expertise is None:
            form.add_error(None, _("Такой темы пока никто не указал — показаны все темы."))
    words = query_words(filters["q"])
    searching = bool(words or office or filters["position"] or expertise)
    people = selectors.directory_people(
        words=words,
        office=office,
        position=filters["position"],
        expertise=expertise,
        offices=offices,
        positions=positions,
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "searching": searching,
        "office": office,
        "expertise": expertise,
        "popular": selectors.expertise_popular(),
    }
    return render(request, "people/directory.html", context)


@require_GET
def office_list(request):
    """The offices as a tree, each with how many people work there."""
    offices = selectors.offices_active()
    roots = selectors.office_tree(offices, selectors.staff_counts())
    return render(request, "people/office_list.html", {"roots": roots})


@require_GET
def office_detail(request, code):
    """An office: address, phone, head, its people (paged), the offices under it."""
    office = get_object_or_404(Office, code=code, is_active=True)
    heads = selectors.office_heads(office)
    page = Paginator(selectors.office_staff(office), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    # The heads' subjects in the same query as the page's.
    prefetch_related_objects(heads + page.object_list, selectors.EXPERTISE_PREFETCH)
    context = {
        "office": office,
        "ancestors": list(office.get_ancestors().filter(is_active=True)),
        "children": selectors.office_children(office),
        "heads": heads,
        "page": page,
    }
    return render(request, "people/office_detail.html", context)


@require_GET
def photo(request, pk):
    """A person's photo, to signed-in people only (never from a public path)."""
    profile = get_object_or_404(
        Profile.objects.filter(user__is_active=True).exclude(photo="").only("photo"), pk=pk
    )
    name = profile.photo.name
    mime = MIME_TYPES.get(name.rsplit(".", 1)[-1])
    if mime is None:
        raise Http404
    etag = '"' + hashlib.sha256(name.encode()).hexdigest()[:32] + '"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    try:
        handle = profile.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=mime)
    response["Content-Disposition"] = "inline"
    response["ETag"] = etag
    response["Content-Security-Policy"] = PHOTO_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    # The address changes with every new photo (people.models.Profile.photo_url).
    response["Cache-Control"] = "private, max-age=86400"
    return response
