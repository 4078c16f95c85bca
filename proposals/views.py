from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from articles.serving import attachment_response
from proposals import selectors, services
from proposals.forms import DecisionForm, NewMaterialForm, ProposalForm, RejectForm
from proposals.models import Proposal, ProposalAttachment

PAGE_SIZE = 50


def _refused(request, error):
    for message in error.messages:
        messages.error(request, message)


@require_http_methods(["GET", "POST"])
def propose_edit(request, pk):
    """«Предложить правку»: the article's text in the editor, to change."""
    article = selectors.article_for_proposal(user=request.user, pk=pk)
    if not article.is_published:
        messages.error(request, _("Предложить правку можно только к опубликованному материалу."))
        return redirect(article)
    if request.method == "POST":
        form = ProposalForm(request.POST)
        if form.is_valid():
            try:
                proposal = services.proposal_submit(
                    author=request.user, article=article, **form.cleaned_data
                )
            except services.ProposalRefused as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Спасибо! Предложение отправлено редакторам."))
                return redirect(proposal)
    else:
        initial = {"title": article.title, "summary": article.summary, "body": article.body}
        form = ProposalForm(initial=initial)
    return render(
        request,
        "proposals/proposal_form.html",
        {"form": form, "article": article, "current_section_id": article.section_id},
    )


@require_http_methods(["GET", "POST"])
def propose_new(request, pk):
    """«Предложить материал» in a section."""
    section = selectors.section_for_proposal(request=request, pk=pk)
    if request.method == "POST":
        form = NewMaterialForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            uploads = data.pop("files")
            try:
                proposal = services.proposal_submit(
                    author=request.user, section=section, uploads=uploads, **data
                )
            except services.ProposalRefused as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Спасибо! Предложение отправлено редакторам."))
                return redirect(proposal)
    else:
        form = NewMaterialForm()
    return render(
        request,
        "proposals/proposal_form.html",
        {"form": form, "section": section, "current_section_id": section.pk},
    )


def my_proposals(request):
    """«Мои предложения»: what I proposed and what became of it."""
    return render(
        request,
        "proposals/my_proposals.html",
        {"proposals": selectors.my_proposals(user=request.user)},
    )


def queue(request):
    """«Предложения»: the editors' queue, by status."""
    if not selectors.can_decide(request.user):
        raise PermissionDenied
    status = request.GET.get("status", Proposal.Status.PENDING)
    if status not in Proposal.Status.values and status != "all":
        status = Proposal.Status.PENDING
    proposals, counts = selectors.queue(status="" if status == "all" else status)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = [(value, label, counts.get(value, 0)) for value, label in Proposal.Status.choices]
    return render(
        request,
        "proposals/queue.html",
        {"page": page, "status": status, "statuses": statuses, "total": sum(counts.values())},
    )


def _detail(request, proposal, *, status=200, **forms):
    may_decide = selectors.can_decide(request.user) and proposal.status == Proposal.Status.PENDING
    if may_decide:
        forms.setdefault("return_form", DecisionForm(prefix="return"))
        forms.setdefault("reject_form", RejectForm(prefix="reject"))
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "attachments": list(proposal.attachments.all()),
            "is_author": proposal.author_id == request.user.pk,
            "may_decide": may_decide,
            **forms,
            **selectors.review_data(proposal, user=request.user),
        },
        status=status,
    )


def detail(request, pk):
    """A proposal: for its author the status and what to do next; for
    editors the review, with the word diff against the current version."""
    return _detail(request, selectors.proposal_for(user=request.user, pk=pk))


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """The author reworks a returned proposal and sends it again."""
    proposal = selectors.proposal_for(user=request.user, pk=pk)
    if proposal.author_id != request.user.pk:
        raise Http404
    if proposal.status != Proposal.Status.RETURNED:
        messages.error(
            request, _("Изменить можно только предложение, которое вернули на доработку.")
        )
        return redirect(proposal)
    form_class = ProposalForm if proposal.is_edit else NewMaterialForm
    initial = {
        "title": proposal.title,
        "summary": proposal.summary,
        "body": proposal.body,
        "rationale": proposal.rationale,
        "kind": proposal.kind,
    }
    form = form_class(request.POST or None, initial=initial)
    if not proposal.is_edit:
        # A reworked material keeps its kind and files; the text is what changes.
        del form.fields["files"]
        form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("title", "summary", "body", "rationale")}
        try:
            services.proposal_resubmit(proposal=proposal, by=request.user, **data)
        except services.ProposalRefused as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Предложение отправлено снова."))
            return redirect(proposal)
    return render(request, "proposals/proposal_form.html", {"form": form, "proposal": proposal})


@require_POST
def withdraw(request, pk):
    proposal = selectors.proposal_for(user=request.user, pk=pk)
    if proposal.author_id != request.user.pk:
        raise Http404
    try:
        services.proposal_withdraw(proposal=proposal, by=request.user)
    except services.ProposalRefused as error:
        _refused(request, error)
    else:
        messages.success(request, _("Предложение отозвано."))
    return redirect("proposals:my")


def _decider(request, pk):
    proposal = selectors.proposal_for(user=request.user, pk=pk)
    if not selectors.can_decide(request.user):
        raise PermissionDenied
    return proposal


@require_POST
def accept(request, pk):
    proposal = _decider(request, pk)
    try:
        proposal = services.proposal_accept(proposal=proposal, by=request.user)
    except services.ProposalRefused as error:
        _refused(request, error)
        return redirect(proposal)
    messages.success(request, _("Предложение принято и опубликовано."))
    return redirect(proposal.created_article or proposal.article)


def _decide_with_comment(request, pk, *, form_class, prefix, service, done):
    proposal = _decider(request, pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            service(proposal, request.user, form.cleaned_data["comment"])
        except services.ProposalRefused as error:
            _refused(request, error)
        else:
            messages.success(request, done)
        return redirect(proposal)
    return _detail(request, proposal, status=400, **{f"{prefix}_form": form})


@require_POST
def return_to_author(request, pk):
    return _decide_with_comment(
        request,
        pk,
        form_class=DecisionForm,
        prefix="return",
        service=lambda p, by, c: services.proposal_return(proposal=p, by=by, comment=c),
        done=_("Предложение возвращено автору на доработку."),
    )


@require_POST
def reject(request, pk):
    return _decide_with_comment(
        request,
        pk,
        form_class=RejectForm,
        prefix="reject",
        service=lambda p, by, c: services.proposal_reject(proposal=p, by=by, reason=c),
        done=_("Предложение отклонено."),
    )


def attachment_download(request, pk):
    """A proposal's file, for those who may see the proposal."""
    attachment = get_object_or_404(
        ProposalAttachment.objects.select_related("proposal"),
        pk=pk,
        proposal__in=selectors.visible_proposals(request.user),
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return attachment_response(request, attachment, handle)
