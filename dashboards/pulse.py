"""The CX «pulse» on the home page: the region's index for every logged-in user.

Only aggregate figures: no per-office ranking, no per-person data and no
client comments, which stay on the managers' dashboard.
"""

from django.utils.translation import gettext as _

from dashboards import selectors
from dashboards.forms import month_label
from dashboards.svg import fmt, sparkline


def home_pulse():
    """The region's last complete month, its change and a 12-month sparkline (one query)."""
    data = selectors.pulse()
    if data is None:
        return None
    values = [cx.value for _month, cx in data["trend"]]
    data["month_label"] = month_label(data["month"])
    data["first_label"] = month_label(data["trend"][0][0])
    data["previous_label"] = month_label(data["trend"][-2][0]) if len(data["trend"]) > 1 else ""
    data["sparkline"] = sparkline(
        values,
        title=_("Индекс клиентоцентричности региона за 12 месяцев"),
        desc="; ".join(f"{month_label(month)}: {fmt(cx.value)}" for month, cx in data["trend"]),
    )
    return data
