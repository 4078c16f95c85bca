from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article
from contributions import selectors, services
from contributions.forms import HelpfulnessForm, ReviewForm
from kb_portal.fragments import fragment
from people.roles import is_editor
from proposals.selectors import pending_for_owner
from questions import selectors as questions_selectors


@fragment
def helpfulness_question_html():
    """The unanswered «Материал был полезен?» under every article: the same
    for everyone, so rendered once (the form's csrf_token stays outside)."""
    return render_to_string(
        "contributions/includes/helpfulness_fields.html", {"form": HelpfulnessForm()}
    )


def article_page_context(request, article, *, reader):
    """The two blocks under an article: its helpfulness question and, for
    its owner and editors, «Проверено, актуально». No query: the person's
    answer is in ``reader`` (``selectors.article_reader_state``)."""
    published = article.is_published
    answer = selectors.reader_helpfulness(article=article, state=reader) if published else None
    can_review = published and selectors.can_review(request.user, article)
    return {
        "helpfulness": answer,
        "helpfulness_question": helpfulness_question_html() if answer is None else "",
        "review_form": ReviewForm() if can_review else None,
    }


def _published_article(pk):
    return get_object_or_404(Article.objects.published().select_related("section"), pk=pk)


def _back_to(article, anchor):
    return redirect(f"{article.get_absolute_url()}#{anchor}")


def _safe_next(request):
    """A ``next`` path on this site only: never another host, never ``//``."""
    target = request.POST.get("next", "")
    relative = target.startswith("/") and not target.startswith(("//", "/\\"))
    if relative and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return None


@require_http_methods(["GET", "POST"])
def helpfulness(request, pk):
    """The answer form on its own page: to change an answer, and to show errors."""
    article = _published_article(pk)
    answer = selectors.helpfulness_of(article=article, user=request.user)
    if request.method == "POST":
        form = HelpfulnessForm(request.POST)
        if form.is_valid():
            services.helpfulness_record(article=article, user=request.user, **form.cleaned_data)
            messages.success(request, _("Спасибо, ваш ответ сохранён."))
            return _back_to(article, "helpfulness")
    elif answer is not None:
        initial = {"helpful": "yes" if answer.helpful else "no", "reason": answer.reason}
        form = HelpfulnessForm(initial={**initial, "text": answer.text})
    else:
        form = HelpfulnessForm()
    return render(
        request,
        "contributions/helpfulness_form.html",
        {"article": article, "form": form, "answer": answer},
    )


@require_POST
def review(request, pk):
    article = _published_article(pk)
    if not selectors.can_review(request.user, article):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "contributions/review_form.html",
            {"article": article, "form": form},
            status=400,
        )
    services.article_review(article=article, by=request.user, note=form.cleaned_data["note"])
    messages.success(request, _("Отмечено: материал проверен и актуален."))
    target = _safe_next(request)
    return redirect(target) if target else _back_to(article, "review")


def owner_desk(request):
    """«Мои материалы»: what the owner of articles should check."""
    desk = selectors.owner_desk(user=request.user)
    owns = desk is not None
    return render(
        request,
        "contributions/owner_desk.html",
        {
            "desk": desk,
            "review_form": ReviewForm(),
            "show_admin_links": is_editor(request.user),
            "desk_questions": questions_selectors.desk_open_questions(user=request.user)
            if owns
            else None,
            "desk_reports": questions_selectors.desk_error_reports(user=request.user)
            if owns
            else None,
            # Owning nothing, nobody proposes on one's articles: no query then.
            "desk_proposals": pending_for_owner(user=request.user) if owns else [],
        },
    )


def kb_health(request):
    """«Здоровье базы знаний»: the figures editors keep the base in shape by."""
    if not is_editor(request.user):
        raise PermissionDenied
    return render(
        request,
        "contributions/kb_health.html",
        {**selectors.kb_health(), "unanswered": questions_selectors.unanswered_questions()},
    )
