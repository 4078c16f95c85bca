"""Pages of the idea bank. Every page needs a login (the project's
middleware); the working group's pages also check the role. Every change is
a POST with CSRF, handled by a service; a refused change shows its Russian
reason and saves nothing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ideas import exports, selectors, services
from ideas.forms import CommentForm, DecisionForm, IdeaForm, MeetingForm, MergeForm, StatusForm
from ideas.models import Comment, Idea, ReviewMeeting
from people.models import Office
from people.roles import can_review_ideas

PAGE_SIZE = 20


def _require_reviewer(request):
    if not can_review_ideas(request.user):
        raise PermissionDenied(_("Эта страница — для рабочей группы."))


def _back(request, fallback):
    """Where to return after a POST: the page it came from, if it is ours."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _error_text(error):
    return " ".join(error.messages)


def _number(value):
    """A positive whole number typed by a person, or None («²» is a digit to
    ``str.isdigit`` but not a number to ``int``)."""
    return int(value) if value.isascii() and value.isdecimal() and len(value) <= 18 else None


# --- Staff pages ------------------------------------------------------------------------


@require_GET
def idea_list(request):
    offices = list(
        Office.objects.filter(is_active=True)
        .only("id", "title", "level", "tree_id", "lft", "rght")
        .order_by("tree_id", "lft")
    )
    office_by_id = {str(office.pk): office for office in offices}
    filters = {
        "status": request.GET.get("status", ""),
        "office": request.GET.get("office", ""),
        "tag": request.GET.get("tag", ""),
        "sort": request.GET.get("sort", "votes"),
    }
    if filters["status"] not in Idea.Status.values:
        filters["status"] = ""
    if filters["office"] not in office_by_id:
        filters["office"] = ""
    if filters["sort"] not in selectors.SORTS:
        filters["sort"] = "votes"
    office = office_by_id.get(filters["office"])
    ideas = selectors.idea_list(
        status=filters["status"],
        office_ids=selectors.office_subtree_ids(office, offices) if office else None,
        tag=filters["tag"],
        sort=filters["sort"],
    )
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("page"))
    voted = selectors.voted_idea_ids(user=request.user, idea_ids=[i.pk for i in page])
    tags = selectors.filter_tags()
    # A tag nobody uses (a typo, an old link, a forged value): an empty list
    # that says why. The check is after the query, so a tag added in the
    # admin a moment ago still finds its ideas while the tag list is cached.
    unknown_tag = bool(
        filters["tag"]
        and not page.paginator.count
        and filters["tag"] not in {slug for slug, _name in tags}
    )
    return render(
        request,
        "ideas/idea_list.html",
        {
            "page": page,
            "voted": voted,
            "filters": filters,
            "statuses": Idea.Status.choices,
            "offices": offices,
            "tags": tags,
            "unknown_tag": unknown_tag,
            "now": timezone.now(),
        },
    )


def idea_create(request):
    form = IdeaForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_submit(author=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Идея подана. Рабочая группа рассмотрит её на ближайшем заседании.")
            )
            return redirect(idea)
    return render(request, "ideas/idea_form.html", {"form": form, "idea": None})


def idea_edit(request, pk):
    idea = get_object_or_404(Idea, pk=pk)
    if not idea.can_be_edited_by(request.user):
        raise PermissionDenied(
            _("Изменить идею может только её автор и только пока она не взята на рассмотрение.")
        )
    if request.method == "POST":
        form = IdeaForm(request.POST)
        if form.is_valid():
            try:
                services.idea_update(idea=idea, by=request.user, **form.service_kwargs())
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, str(error) if isinstance(error, PermissionDenied) else error)
            else:
                messages.success(request, _("Изменения сохранены."))
                return redirect(idea)
    else:
        form = IdeaForm(initial=IdeaForm.initial_for(idea))
    return render(request, "ideas/idea_form.html", {"form": form, "idea": idea})


@require_GET
def idea_detail(request, pk):
    idea = get_object_or_404(
        Idea.objects.select_related(
            "author",
            "office",
            "duplicate_of",
            "latest_decision",
            "implementation",
            "implementation__recorded_by",
        ).prefetch_related("tags"),
        pk=pk,
    )
    reviewer = can_review_ideas(request.user)
    implementation = selectors.implementation_of(idea)
    context = {
        "idea": idea,
        **_implementation_context(idea, implementation),
        "articles": list(
            idea.articles.published()
            .select_related("section")
            .only("id", "title", "slug", "section__slug")
        ),
        "comments": list(idea.comments.select_related("author").order_by("created_at", "id")),
        "decisions": list(
            idea.decisions.select_related("meeting", "responsible").order_by("-created_at")
        ),
        "duplicates": list(idea.duplicates.only("id", "title", "duplicate_of_id").order_by("id")),
        "has_voted": idea.votes.filter(user=request.user).exists(),
        "can_edit": idea.can_be_edited_by(request.user),
        "comment_form": CommentForm(),
        "now": timezone.now(),
    }
    if reviewer:
        context["history"] = selectors.status_history(idea)
        # Both forms have a «reason»: distinct ids keep the page's ids unique.
        context["status_form"] = StatusForm(auto_id="id_status_%s")
        context["merge_form"] = MergeForm(auto_id="id_merge_%s")
        if idea.status in services.IMPLEMENTABLE:
            context["last_meeting"] = (
                ReviewMeeting.objects.only("id", "held_on").order_by("-held_on", "-id").first()
            )
    return render(request, "ideas/idea_detail.html", context)


def _implementation_context(idea, implementation):
    """What the idea page shows of its implementation: the record, the
    articles it changed, and the office's index before and after."""
    if implementation is None:
        return {"implementation": None}
    context = {
        "implementation": implementation,
        "implementation_articles": selectors.implementation_articles(implementation),
        "implementation_cx": None,
    }
    if idea.office is not None:
        context["implementation_cx"] = selectors.implementation_cx(
            office=idea.office, implemented_on=implementation.implemented_on
        )
    return context


@require_GET
def idea_similar(request):
    """Open ideas with similar titles, for the hint under the title field."""
    text = request.GET.get("q", "")[:200]
    ideas = selectors.similar_ideas(text=text, exclude_pk=_number(request.GET.get("exclude", "")))
    return JsonResponse(
        {
            "results": [
                {
                    "id": idea.pk,
                    "title": idea.title,
                    "status": str(idea.get_status_display()),
                    "votes": idea.vote_count,
                    "url": idea.get_absolute_url(),
                }
                for idea in ideas
            ]
        }
    )


@require_POST
def idea_vote(request, pk):
    idea = get_object_or_404(Idea, pk=pk)
    try:
        services.idea_vote_cast(idea=idea, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return _back(request, idea)


@require_POST
def idea_unvote(request, pk):
    idea = get_object_or_404(Idea, pk=pk)
    try:
        services.idea_vote_withdraw(idea=idea, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return _back(request, idea)


@require_POST
def comment_create(request, pk):
    idea = get_object_or_404(Idea, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(idea=idea, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Комментарий добавлен."))
    else:
        messages.error(request, _error_text(ValidationError(form.errors["text"])))
    return redirect(f"{idea.get_absolute_url()}#comments")


@require_POST
def comment_delete(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("idea"), pk=pk)
    if not comment.can_be_deleted_by(request.user):
        raise PermissionDenied(_("Удалить комментарий может его автор или рабочая группа."))
    services.comment_delete(comment=comment, by=request.user)
    messages.success(request, _("Комментарий удалён."))
    return redirect(f"{comment.idea.get_absolute_url()}#comments")


def notifications_moved(request):
    """The idea bank's notifications live in the portal's centre now; old
    links and bookmarks still arrive there."""
    return redirect("notifications:list", permanent=True)


# --- The working group ------------------------------------------------------------------


@require_POST
def idea_status(request, pk):
    _require_reviewer(request)
    idea = get_object_or_404(Idea, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        if "reason" in form.errors:
            messages.error(request, _error_text(ValidationError(form.errors["reason"])))
        else:
            messages.error(request, _("Выберите новый статус из списка."))
        return redirect(idea)
    try:
        services.idea_status_set(
            idea=idea,
            status=form.cleaned_data["status"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("Статус изменён; автор и проголосовавшие получили уведомление.")
        )
    return redirect(idea)


@require_POST
def idea_merge(request, pk):
    _require_reviewer(request)
    idea = get_object_or_404(Idea, pk=pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _error_text(ValidationError(list(form.errors.values()))))
        return redirect(idea)
    try:
        original = services.idea_merge(
            duplicate=idea,
            original=form.cleaned_data["original"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(idea)
    messages.success(
        request,
        _("Идея объединена с идеей №%(number)s; голоса перенесены.") % {"number": original.pk},
    )
    return redirect(original)


@require_GET
def review(request):
    _require_reviewer(request)
    schedule = selectors.review_schedule()
    agenda, agenda_total = selectors.review_agenda(last_meeting=schedule["last"])
    return render(
        request,
        "ideas/review.html",
        {
            "schedule": schedule,
            "agenda": agenda,
            "agenda_total": agenda_total,
            "threshold": selectors.vote_threshold(),
            "speed": selectors.review_speed_by_month(),
            "meetings": selectors.recent_meetings(),
        },
    )


def meeting_create(request):
    _require_reviewer(request)
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(by=request.user, **form.cleaned_data)
        messages.success(request, _("Заседание записано. Теперь запишите решения по идеям."))
        return redirect(meeting)
    return render(request, "ideas/meeting_form.html", {"form": form})


def _meeting(pk):
    return get_object_or_404(ReviewMeeting.objects.select_related("created_by"), pk=pk)


@require_GET
def meeting_detail(request, pk):
    _require_reviewer(request)
    meeting = _meeting(pk)
    decisions = selectors.meeting_decisions(meeting=meeting)
    # «New» on this meeting's agenda means new since the meeting before it.
    previous = (
        ReviewMeeting.objects.filter(held_on__lt=meeting.held_on).order_by("-held_on").first()
    )
    agenda, agenda_total = selectors.review_agenda(last_meeting=previous)
    decided_ids = {decision.idea_id for decision in decisions}
    return render(
        request,
        "ideas/meeting_detail.html",
        {
            "meeting": meeting,
            "attendees": list(meeting.attendees.order_by("last_name", "first_name")),
            "decisions": decisions,
            "agenda": agenda,
            "agenda_total": agenda_total,
            "decided_ids": decided_ids,
        },
    )


def meeting_decide(request, pk, idea_pk=None):
    """One decision on one idea at this meeting (a plain form, no JS needed)."""
    _require_reviewer(request)
    meeting = _meeting(pk)
    if idea_pk is None:  # «решение по идее №…» typed in on the meeting page
        number = _number(request.GET.get("idea", "").strip())
        if number is None or not Idea.objects.filter(pk=number).exists():
            messages.error(request, _("Идеи с таким номером нет."))
            return redirect(meeting)
        return redirect("ideas:decide", pk=meeting.pk, idea_pk=number)
    idea = get_object_or_404(Idea.objects.select_related("author", "office"), pk=idea_pk)
    if request.method == "POST":
        form = DecisionForm(request.POST, idea=idea)
    else:
        # «?outcome=implemented» from the idea page opens the form on that outcome.
        form = DecisionForm(
            idea=idea,
            initial=DecisionForm.initial_for(idea, outcome=request.GET.get("outcome", "")),
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                meeting=meeting, idea=idea, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Решение по идее №%(number)s записано; автор и проголосовавшие уведомлены.")
                % {"number": idea.pk},
            )
            return redirect(meeting)
    return render(
        request, "ideas/decision_form.html", {"form": form, "meeting": meeting, "idea": idea}
    )


def _add_service_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
def meeting_print(request, pk):
    _require_reviewer(request)
    meeting = _meeting(pk)
    return render(
        request,
        "ideas/meeting_print.html",
        {
            "meeting": meeting,
            "attendees": list(meeting.attendees.order_by("last_name", "first_name")),
            "decisions": selectors.meeting_decisions(meeting=meeting),
        },
    )


@require_GET
def meeting_export(request, pk, fmt):
    _require_reviewer(request)
    meeting = _meeting(pk)
    attendees = list(meeting.attendees.order_by("last_name", "first_name"))
    decisions = selectors.meeting_decisions(meeting=meeting)
    if fmt == "xlsx":
        return exports.minutes_xlsx(meeting, attendees, decisions)
    if fmt == "csv":
        return exports.minutes_csv(meeting, attendees, decisions)
    raise Http404
