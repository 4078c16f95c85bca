"""Writes of cases: opening them from an import, undoing that on a rollback,
working on one, escalating the overdue ones.

Rules decided here:
- Cases open inside the import's transaction, with one INSERT … SELECT over
  the batch's rows (and one more for their history), so the import's speed
  barely changes and a failed import leaves no case behind.
- A response has at most one case (a unique key); re-importing a file adds no
  response and so no case.
- A rollback deletes the batch's cases nobody has touched; a case someone
  worked on is kept, loses its response and says «ответ удалён при откате
  импорта».
- A change names the version of the case it was made on: of two people
  changing a case at once exactly one wins, the other is told in Russian.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    Value,
    When,
)
from django.db.models import Case as CaseExpression
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cases.models import Case, CaseRule
from feedback.models import FeedbackResponse
from notifications.models import Kind
from notifications.services import notification_send
from people import roles
from people.models import Office


class CaseError(Exception):
    """A change of a case that cannot be made; the message is for the person."""


class CaseConflict(CaseError):
    """Someone else changed the case since the form was opened."""


# What may follow each status; staying in the same status is always allowed.
TRANSITIONS = {
    Case.Status.NEW: {Case.Status.IN_PROGRESS, Case.Status.RESOLVED, Case.Status.NOT_CONFIRMED},
    Case.Status.IN_PROGRESS: {Case.Status.RESOLVED, Case.Status.NOT_CONFIRMED},
    # Reopening a closed case puts it back to work.
    Case.Status.RESOLVED: {Case.Status.IN_PROGRESS},
    Case.Status.NOT_CONFIRMED: {Case.Status.IN_PROGRESS},
}


# --- The deadline ------------------------------------------------------------------------


def sla_working_days():
    """CASE_SLA_WORKING_DAYS, refused loudly when it is not a positive number."""
    days = settings.CASE_SLA_WORKING_DAYS
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise ImproperlyConfigured(
            f"CASE_SLA_WORKING_DAYS={days!r}: the deadline of a case must be at least "
            "1 working day."
        )
    return days


def working_days_add(start, days):
    """The date ``days`` working days (Monday to Friday) after ``start``."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def case_due_date(*, opened_on):
    return working_days_add(opened_on, sla_working_days())


# --- Rules -------------------------------------------------------------------------------


def rules_active():
    return list(CaseRule.objects.filter(is_active=True).order_by("order", "pk"))


def rules_filter(rules):
    """(filter of the responses any of ``rules`` matches or None for all, rule-id expression)."""
    whens, default, match = [], None, None
    for rule in rules:
        if rule.is_catch_all:
            default, match = rule.pk, None
            break
        condition = rule.condition()
        whens.append(When(condition, then=Value(rule.pk)))
        match = condition if match is None else match | condition
    else:
        if not whens:
            return None, None
    expression = CaseExpression(*whens, default=Value(default), output_field=IntegerField())
    return (match if match is not None else "all"), expression


def rule_matching_count(*, rule):
    """How many imported responses ``rule`` matches, and how many there are."""
    total = FeedbackResponse.objects.count()
    condition = rule.condition()
    matching = (
        total if not condition.children else FeedbackResponse.objects.filter(condition).count()
    )
    return matching, total


# --- Opening cases from an import --------------------------------------------------------


def _insert_select(model, columns, queryset, *, on_conflict=None):
    """INSERT INTO model's table (columns) SELECT the values of ``queryset``
    (whose annotations are the columns, in order). Names come from models."""
    quote = connection.ops.quote_name
    sql, params = queryset.query.sql_with_params()
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(column) for column in columns)}) {sql}"
    )
    if on_conflict:
        statement += f" ON CONFLICT ({quote(on_conflict)}) DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _history_write(cases, *, history_type, user=None, reason=None):
    """One history row per case of the queryset ``cases``, written set-based."""
    history = Case.history.model
    now = timezone.now()
    values = {}
    for field in history._meta.concrete_fields:
        if field.name == "history_id":
            continue
        if field.name == "history_date":
            values[field.attname] = Value(now, output_field=DateTimeField())
        elif field.name == "history_type":
            values[field.attname] = Value(history_type, output_field=CharField())
        elif field.name == "history_change_reason":
            values[field.attname] = Value(reason, output_field=CharField())
        elif field.name == "history_user":
            values[field.attname] = Value(user.pk if user else None, output_field=IntegerField())
        else:
            values[field.attname] = F(field.attname)
    aliases = {f"h_{name}": expression for name, expression in values.items()}
    queryset = cases.order_by().annotate(**aliases).values(*aliases)
    return _insert_select(history, list(values), queryset)


def cases_open_for_batch(*, batch):
    """Open a case for every response of ``batch`` an active rule matches;
    tell the offices' heads. Runs in the import's transaction. Returns the
    number of cases opened."""
    match, rule_id = rules_filter(rules_active())
    if match is None:
        return 0
    now = timezone.now()
    due = case_due_date(opened_on=timezone.localdate(now))
    responses = FeedbackResponse.objects.filter(batch_id=batch.pk)
    if match != "all":
        responses = responses.filter(match)
    values = {
        "c_response_id": F("pk"),
        "c_office_id": F("office_id"),
        "c_rule_id": rule_id,
        "c_status": Value(Case.Status.NEW, output_field=CharField()),
        "c_created_at": Value(now, output_field=DateTimeField()),
        "c_due_date": Value(due, output_field=DateField()),
        "c_action_taken": Value("", output_field=CharField()),
        "c_contacted_back": Value(False, output_field=BooleanField()),
        "c_response_removed": Value(False, output_field=BooleanField()),
        "c_version": Value(1, output_field=IntegerField()),
    }
    queryset = responses.order_by().annotate(**values).values(*values)
    columns = [name.removeprefix("c_") for name in values]
    if connection.vendor == "postgresql":
        per_office = _open_with_history(columns, queryset, now=now, user=batch.created_by)
    else:
        if not _insert_select(Case, columns, queryset, on_conflict="response_id"):
            return 0
        new_cases = Case.objects.filter(response__batch_id=batch.pk, created_at=now)
        _history_write(new_cases, history_type="+", user=batch.created_by)
        per_office = dict(
            new_cases.order_by()
            .values_list("office_id")
            .annotate(count=Count("pk"))
            .values_list("office_id", "count")
        )
    if not per_office:
        return 0
    _notify_new(per_office)
    return sum(per_office.values())


def _open_with_history(columns, queryset, *, now, user):
    """PostgreSQL: insert the cases of ``queryset``, their «+» history rows
    and count them per office in one statement, from the rows the INSERT
    returns (no second look for the new cases). {office id: cases opened}."""
    quote = connection.ops.quote_name
    history = Case.history.model
    select, params = queryset.query.sql_with_params()
    names, expressions, extra = [], [], []
    for field in history._meta.concrete_fields:
        if field.name == "history_id":
            continue
        names.append(quote(field.column))
        if field.name == "history_date":
            expressions.append("%s")
            extra.append(now)
        elif field.name == "history_type":
            expressions.append("%s")
            extra.append("+")
        elif field.name == "history_change_reason":
            expressions.append("NULL")
        elif field.name == "history_user":
            expressions.append("%s")
            extra.append(user.pk if user else None)
        else:
            expressions.append(f"new.{quote(field.column)}")
    statement = (
        f"WITH new AS (INSERT INTO {quote(Case._meta.db_table)} "  # noqa: S608 - names from models
        f"({', '.join(quote(column) for column in columns)}) {select} "
        f"ON CONFLICT ({quote('response_id')}) DO NOTHING RETURNING *), "
        f"logged AS (INSERT INTO {quote(history._meta.db_table)} ({', '.join(names)}) "
        f"SELECT {', '.join(expressions)} FROM new) "
        f"SELECT {quote('office_id')}, COUNT(*) FROM new GROUP BY {quote('office_id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, (*params, *extra))
        return dict(cursor.fetchall())


def _notify_new(per_office):
    heads = office_heads(office_ids=list(per_office))
    offices = Office.objects.in_bulk(list(per_office))
    for office_id, count in per_office.items():
        recipients = heads.get(office_id)
        if not recipients:
            continue
        notification_send(
            recipients=recipients,
            kind=Kind.CASE_NEW,
            text=_("Новые обращения к разбору в «%(office)s»: %(count)s.")
            % {"office": offices[office_id].title, "count": count},
            url=list_url(office=office_id, status=Case.Status.NEW),
            target=offices[office_id],
        )


def list_url(**query):
    return reverse("cases:list") + "?" + urlencode(query)


def office_heads(*, office_ids):
    """{office id: [ids of the active Руководители attached to it]}."""
    heads = defaultdict(list)
    rows = (
        get_user_model()
        .objects.filter(
            is_active=True, groups__name=roles.MANAGER, profile__office_id__in=office_ids
        )
        .values_list("profile__office_id", "pk")
        .distinct()
    )
    for office_id, user_id in rows:
        heads[office_id].append(user_id)
    return heads


# --- Rollback ----------------------------------------------------------------------------


def cases_on_rollback(*, batch, user=None):
    """Before ``batch``'s responses are deleted: delete the cases nobody worked
    on (with their history); keep the others, without their response, marked
    «ответ удалён при откате импорта». Returns (deleted, kept)."""
    cases = Case.objects.filter(response__batch_id=batch.pk)
    untouched = cases.filter(
        status=Case.Status.NEW, assignee__isnull=True, action_taken="", contacted_back=False
    )
    reason = _("откат импорта")
    _history_write(untouched, history_type="-", user=user, reason=reason)
    deleted = untouched._raw_delete(untouched.db)
    kept = list(cases.values_list("pk", flat=True))
    if kept:
        Case.objects.filter(pk__in=kept).update(
            response=None, response_removed=True, version=F("version") + 1
        )
        _history_write(Case.objects.filter(pk__in=kept), history_type="~", user=user, reason=reason)
    return deleted, len(kept)


# --- Working on a case -------------------------------------------------------------------


def case_update(*, case, user, version, status, assignee, action_taken, contacted_back):
    """Change a case as of ``version``; raise CaseError (CaseConflict when
    someone else changed it meanwhile) and change nothing on bad input."""
    action_taken = (action_taken or "").strip()
    with transaction.atomic():
        current = Case.objects.select_for_update().get(pk=case.pk)
        if current.version != version:
            raise CaseConflict(
                _(
                    "Это обращение уже изменили, пока вы его редактировали. Ваши изменения "
                    "не сохранены: посмотрите, что стало, и внесите их ещё раз."
                )
            )
        if status != current.status and status not in TRANSITIONS[current.status]:
            raise CaseError(
                _("Из состояния «%(old)s» нельзя перейти в «%(new)s».")
                % {"old": current.get_status_display(), "new": Case.Status(status).label}
            )
        if status in Case.CLOSED and not action_taken:
            raise CaseError(_("Чтобы закрыть обращение, опишите, что сделано."))
        if status in Case.CLOSED and current.status not in Case.CLOSED:
            current.closed_at = timezone.now()
        elif status not in Case.CLOSED:
            current.closed_at = None
        current.status = status
        current.assignee = assignee
        current.action_taken = action_taken
        current.contacted_back = contacted_back
        current.version += 1
        current._history_user = user
        current.save()
    return current


# --- Escalation --------------------------------------------------------------------------


def cases_escalate_overdue(*, today=None):
    """Tell the heads of the parent office about the open cases past their
    deadline not yet escalated, and mark them escalated; safe to re-run.
    Returns the number of cases escalated."""
    today = today or timezone.localdate()
    with transaction.atomic():
        overdue = list(
            Case.objects.select_for_update()
            .filter(status__in=Case.OPEN, due_date__lt=today, escalated_at__isnull=True)
            .values_list("pk", "office_id")
        )
        if not overdue:
            return 0
        by_office = defaultdict(list)
        for pk, office_id in overdue:
            by_office[office_id].append(pk)
        offices = {o.pk: o for o in Office.objects.all()}
        targets = {office_id: _escalation_chain(offices, office_id) for office_id in by_office}
        heads = office_heads(office_ids=list({o for chain in targets.values() for o in chain}))
        for office_id, pks in by_office.items():
            recipients = next((heads[o] for o in targets[office_id] if heads.get(o)), [])
            if recipients:
                notification_send(
                    recipients=recipients,
                    kind=Kind.CASE_OVERDUE,
                    text=_("Просрочены обращения к разбору в «%(office)s»: %(count)s.")
                    % {"office": offices[office_id].title, "count": len(pks)},
                    url=list_url(office=office_id, overdue=1),
                    target=offices[office_id],
                )
        pks = [pk for pk, _office in overdue]
        Case.objects.filter(pk__in=pks).update(escalated_at=timezone.now())
        _history_write(
            Case.objects.filter(pk__in=pks), history_type="~", reason=_("передано выше: просрочено")
        )
    return len(overdue)


def _escalation_chain(offices, office_id):
    """The office's ancestors, nearest first; the root escalates to itself."""
    chain, office = [], offices[office_id]
    while office.parent_id is not None:
        office = offices[office.parent_id]
        chain.append(office.pk)
    return chain or [office_id]
