"""Pages of questions, answers and error reports. Each change is a POST with
CSRF handled by ``questions.services``; a refused one shows its Russian
reason and saves nothing. Forms work without JavaScript: those under an
article post here and come back to it, errors get a page of their own."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.models import Article
from kb_portal.fragments import fragment
from people.roles import is_editor
from questions import selectors, services
from questions.forms import AnswerForm, ErrorReportForm, QuestionForm, ReportCloseForm
from questions.models import ANSWER_MAX, Answer, ErrorReport, Question
from questions.permissions import can_close_report, can_moderate, can_see_report


@fragment
def question_fields_html():
    """The «Задать вопрос» field under every article (rendered once)."""
    return render_to_string(
        "questions/includes/ask_fields.html",
        {"question_form": QuestionForm(auto_id="id_question_%s")},
    )


@fragment
def report_fields_html():
    """The «Сообщить о неточности» fields under every article (rendered once)."""
    return render_to_string(
        "questions/includes/report_box_fields.html",
        {"report_form": ErrorReportForm(auto_id="id_report_%s")},
    )


def article_page_context(request, article, *, asked=True):
    """The questions block and the two forms under an article: one query for
    the questions and one for their answers, none at all when the caller
    already knows nobody asked (``asked`` False)."""
    published = article.is_published
    return {
        "questions": selectors.article_questions(article) if asked else [],
        "question_fields": question_fields_html() if published else "",
        "report_fields": report_fields_html() if published else "",
        "questions_can_moderate": can_moderate(request.user, article),
        "questions_is_editor": is_editor(request.user),
        "answer_max": ANSWER_MAX,
    }


def _published_article(pk):
    return get_object_or_404(Article.objects.published().select_related("section"), pk=pk)


def _visible_question(request, pk):
    """A question (deleted ones too) on an article the person may see, or 404."""
    return get_object_or_404(
        Question.objects.select_related("article__section"),
        pk=pk,
        article__in=Article.objects.visible_to(request.user),
    )


def _visible_answer(request, pk):
    return get_object_or_404(
        Answer.objects.select_related("question__article__section"),
        pk=pk,
        question__article__in=Article.objects.visible_to(request.user),
    )


def _safe_next(request):
    """A ``next`` path on this site only: never another host, never ``//``."""
    target = request.POST.get("next", "")
    relative = target.startswith("/") and not target.startswith(("//", "/\\"))
    if relative and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return None


def _back(request, fallback):
    return redirect(_safe_next(request) or fallback)


def _error_text(error):
    return " ".join(error.messages)


@require_http_methods(["GET", "POST"])
def ask(request, pk):
    """«Задать вопрос»: the form under the article posts here; errors show here."""
    article = _published_article(pk)
    form = QuestionForm(request.POST) if request.method == "POST" else QuestionForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.question_ask(
                article=article, author=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Вопрос отправлен. Ответственный за материал получит уведомление.")
            )
            return redirect(f"{article.get_absolute_url()}#questions")
    return render(request, "questions/ask.html", {"article": article, "form": form})


@require_http_methods(["GET", "POST"])
def answer(request, pk):
    """A question with its answers and the answer form on a page of its own."""
    question = selectors.question_for_answer_page(pk, user=request.user)
    if question is None:
        raise Http404
    form = AnswerForm(request.POST) if request.method == "POST" else AnswerForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_post(
                question=question, author=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ответ опубликован. Автор вопроса получит уведомление."))
            return redirect(question.get_absolute_url())
    return render(
        request,
        "questions/answer.html",
        {
            "question": question,
            "article": question.article,
            "form": form,
            "questions_can_moderate": can_moderate(request.user, question.article),
            "questions_is_editor": is_editor(request.user),
        },
    )


def _act(request, action, obj, success, fallback):
    """Run a service on ``obj``; its refusal becomes a message, not an error page
    (a permission refusal stays a 403)."""
    try:
        action(obj, request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, success)
    return _back(request, fallback)


@require_POST
def resolve(request, pk):
    question = _visible_question(request, pk)
    return _act(
        request,
        lambda q, by: services.question_resolve(question=q, by=by),
        question,
        _("Вопрос отмечен решённым."),
        question.get_absolute_url(),
    )


@require_POST
def reopen(request, pk):
    question = _visible_question(request, pk)
    return _act(
        request,
        lambda q, by: services.question_reopen(question=q, by=by),
        question,
        _("Вопрос снова открыт."),
        question.get_absolute_url(),
    )


@require_POST
def question_delete(request, pk):
    question = _visible_question(request, pk)
    return _act(
        request,
        lambda q, by: services.question_delete(question=q, by=by),
        question,
        _("Вопрос удалён. Он остался в истории."),
        f"{question.article.get_absolute_url()}#questions",
    )


@require_POST
def answer_best(request, pk):
    answer = _visible_answer(request, pk)
    return _act(
        request,
        lambda a, by: services.answer_mark_best(answer=a, by=by),
        answer,
        _("Ответ отмечен как лучший."),
        answer.question.get_absolute_url(),
    )


@require_POST
def answer_delete(request, pk):
    answer = _visible_answer(request, pk)
    return _act(
        request,
        lambda a, by: services.answer_delete(answer=a, by=by),
        answer,
        _("Ответ удалён. Он остался в истории."),
        answer.question.get_absolute_url(),
    )


@require_POST
def make_faq(request, pk):
    """«Сделать FAQ»: the editor goes on to the new draft in the admin."""
    question = _visible_question(request, pk)
    if not is_editor(request.user):
        raise PermissionDenied(_("Сделать FAQ может редактор."))
    try:
        article = services.question_to_faq(question=question, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(question.get_absolute_url())
    messages.success(
        request,
        _("Черновик «вопрос-ответ» создан. Проверьте текст и опубликуйте материал."),
    )
    return redirect(reverse("admin:articles_article_change", args=[article.pk]))


@require_http_methods(["GET", "POST"])
def report_submit(request, pk):
    """«Сообщить о неточности»: the form under the article posts here."""
    article = _published_article(pk)
    form = ErrorReportForm(request.POST) if request.method == "POST" else ErrorReportForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.error_report_submit(article=article, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Спасибо! Сообщение отправлено ответственному за материал. Что с ним "
                    "сделали, видно в «Мои вопросы и сообщения»."
                ),
            )
            return redirect(f"{article.get_absolute_url()}#report")
    return render(request, "questions/report_form.html", {"article": article, "form": form})


@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    """One error report: its author sees its status; the owner and editors close it."""
    report = get_object_or_404(
        ErrorReport.objects.select_related(
            "article__section", "author", "author__profile", "closed_by"
        ),
        pk=pk,
        article__deleted_at__isnull=True,
    )
    if not can_see_report(request.user, report):
        raise Http404  # nobody else learns that it exists
    may_close = can_close_report(request.user, report)
    form = None
    if may_close and report.is_open:
        form = ReportCloseForm(request.POST) if request.method == "POST" else ReportCloseForm()
    if request.method == "POST":
        if not may_close:
            raise PermissionDenied(
                _("Закрыть сообщение может ответственный за материал или редактор.")
            )
        if form is None:
            messages.error(
                request,
                _("Сообщение уже закрыто: %(status)s.") % {"status": report.get_status_display()},
            )
            return redirect(report)
        if form.is_valid():
            try:
                services.error_report_close(report=report, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Сообщение закрыто, сообщивший получит уведомление."))
                return _back(request, report.get_absolute_url())
    return render(
        request,
        "questions/report_detail.html",
        {"report": report, "article": report.article, "form": form},
    )


@require_GET
def my_list(request):
    """«Мои вопросы и сообщения»: what I asked and reported, and what came of it."""
    return render(
        request,
        "questions/my_list.html",
        {
            "questions": selectors.my_questions(user=request.user),
            "reports": selectors.my_error_reports(user=request.user),
            "limit": selectors.MY_LIMIT,
        },
    )
