"""Writes of the dashboards app: the monthly CX report to the heads of offices."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from cases.services import office_heads
from dashboards import monthly, selectors
from dashboards.forms import this_month
from dashboards.models import CxReportSent
from feedback.models import MonthlySlice
from notifications.models import Kind
from notifications.services import notification_send


class ReportMonthNotComplete(ValueError):
    """The month asked for has not ended: its report would compare a part with a whole."""


@dataclass
class ReportRun:
    month: object = None  # its 1st day; None when there is no feedback at all
    heads: int = 0  # managers with an office
    sent: int = 0  # told this run
    already: int = 0  # told by an earlier run
    dry_run: bool = False
    no_data: bool = False  # no responses that month anywhere: nothing sent, nothing recorded


def cx_reports_send(*, month=None, dry_run=False, today=None):
    """Send every Руководитель with an office (``Profile.office``) the CX
    report of that office for ``month`` (its 1st day; by default the last
    complete month, as the dashboard defines it), once: a notification of
    kind CX_REPORT, by e-mail too when their setting for it says so.

    Each person's report is recorded (``CxReportSent``, unique per person and
    month) in the same transaction as their notification, so a re-run — or a
    run at the same time — sends nobody the same month twice, and a failure
    half-way leaves the others to the next run. A month without a single
    response in the region (not imported yet) sends nothing and records
    nothing, so a run after the import still sends it. A manager without an
    office gets nothing: there is no office to report on.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _send(month=month, dry_run=dry_run, today=today)


def _send(*, month, dry_run, today):
    current_month = this_month()
    stamp, latest = selectors.data_stamp()
    run = ReportRun(dry_run=dry_run)
    if month is None:
        if latest is None:
            run.no_data = True
            return run
        month = monthly.report_month(latest=latest, current_month=current_month).start
    elif month >= current_month:
        raise ReportMonthNotComplete(month)
    run.month = month
    if not MonthlySlice.objects.filter(month=month).exists():
        run.no_data = True
        return run
    offices = selectors.offices_all()
    by_id = {office.pk: office for office in offices}
    heads = office_heads(office_ids=list(by_id))
    run.heads = sum(len(people) for people in heads.values())
    told = set(CxReportSent.objects.filter(month=month).values_list("user_id", flat=True))
    waiting = defaultdict(list)
    for office_id, people in heads.items():
        for user_id in people:
            if user_id in told:
                run.already += 1
            else:
                waiting[office_id].append(user_id)
    for office_id in sorted(waiting, key=lambda pk: (by_id[pk].tree_id, by_id[pk].lft)):
        office = by_id[office_id]
        if dry_run:
            run.sent += len(waiting[office_id])
            continue
        report = monthly.cx_month_report(
            office=office,
            offices=offices,
            month=month,
            stamp=stamp,
            latest=latest,
            current_month=current_month,
            today=today,
        )
        subject, text, email_text, email_html = monthly.letter_render(report)
        for user_id in waiting[office_id]:
            if _tell(
                user_id=user_id,
                office=office,
                month=month,
                url=report.url,
                subject=subject,
                text=text,
                email_text=email_text,
                email_html=email_html,
            ):
                run.sent += 1
            else:
                run.already += 1
    return run


@transaction.atomic
def _tell(*, user_id, office, month, url, subject, text, email_text, email_html):
    """Record and send one person's report; False when another run did already."""
    try:
        with transaction.atomic():
            CxReportSent.objects.create(user_id=user_id, month=month, office=office)
    except IntegrityError:
        return False
    notification_send(
        recipients=[user_id],
        kind=Kind.CX_REPORT,
        text=text,
        url=url,
        subject=subject,
        email_text=email_text,
        email_html=email_html,
    )
    return True
