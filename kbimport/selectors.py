"""What the import pages show, from the batch row alone."""

import datetime as dt
from dataclasses import dataclass

from articles.models import Article

# Rows of each list the batch page shows; the counts above them are whole.
SHOWN = 300


@dataclass
class ReportList:
    rows: list
    total: int

    @property
    def more(self):
        return self.total - len(self.rows)


def _date(value):
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _name(path):
    return path.rsplit("/", 1)[-1]


def report_view(batch):
    """The batch's report made readable: the sections in tree order, the
    files with their kind's label and date, what is unchanged and skipped."""
    report = batch.report or {}
    kinds = dict(Article.Kind.choices)
    files = report.get("files", [])
    rows = [
        {
            **row,
            "name": _name(row["path"]),
            "kind_label": kinds.get(row.get("kind"), row.get("kind")),
            "date": _date(row.get("date")),
        }
        for row in files[:SHOWN]
    ]
    sections = [{**row, "name": _name(row["path"])} for row in report.get("sections", [])]
    unchanged = report.get("unchanged", [])
    skipped = report.get("skipped", [])
    return {
        "sections": ReportList(sections[:SHOWN], len(sections)),
        "files": ReportList(rows, len(files)),
        "unchanged": ReportList(unchanged[:SHOWN], len(unchanged)),
        "skipped": ReportList(skipped[:SHOWN], len(skipped)),
    }
