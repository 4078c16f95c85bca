"""The CX index (Индекс клиентоцентричности) and the indicators beside it.

Pure arithmetic on counts: no queries here. The input is a dict of summed
`feedback.MonthlySlice` counters (``responses``, ``<score>_n``,
``<score>_fav`` …) per client type; the same counters come from the slices
or, for breakdowns the slices do not keep (services), from raw responses.

The formula is DESIGN.md's «CX index», with these decisions:

* every group score is a share in % of favourable answers (4–5);
* F pools the answers: (politeness 4–5 + competence 4–5) / (politeness
  answers + competence answers). A respondent who answered both counts twice;
  a respondent who answered one counts once — that is what «share of 4–5 on
  politeness and competence» says, and it keeps F a single binomial share;
* U is the mean of the shares «problem solved = yes» and «CSAT 4–5», K the
  mean of the shares 4–5 on comfort, waiting and information; a component
  with no answers is left out of the mean rather than counted as 0;
* the group index of one side (citizens or employers) is the weighted mean
  of the available F, U, E, A, K (``settings.CX_GROUP_WEIGHTS``);
* CX = (w_c × citizens + w_e × employers) / (w_c + w_e); a side with no
  answers drops out and the other stands alone (``Cx.only_side`` says which);
* stars from the index rounded to one decimal, as shown: <60 ★, 60–70 ★★,
  70–80 ★★★, 80–90 ★★★★, ≥90 ★★★★★.

Confidence intervals (95 %, z = 1.96):

* a share k/n: Wilson score interval;
* the index: normal approximation with the delta method, taking the
  component shares as independent binomial proportions with the
  Agresti–Coull variance var(p) = p̃(1−p̃)/ñ, where ñ = n + z² and
  p̃ = (k + z²/2)/ñ (plain p(1−p)/n would give 0 % and 100 % no width);
  a mean of m components has var = Σ var(c)/m²; a weighted mean of groups
  var = Σ (w/W)² var(G); CX var = (w_c/W)² var(C) + (w_e/W)² var(E);
  the interval is value ± 1.96·√var, clipped to 0–100. One person's answers
  to several questions are positively correlated, so this interval is, if
  anything, a little narrow; it is a guide, not a test;
* NPS = %promoters − %detractors, var = (p₊ + p₋ − (p₊ − p₋)²)/n (in shares).
"""

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.conf import settings
from django.utils.translation import gettext_lazy as _

Z95 = 1.959963984540054

# The counters of a MonthlySlice that sum across slices.
COUNT_FIELDS = (
    "responses",
    "csat_n",
    "csat_fav",
    "csat_sum",
    "politeness_n",
    "politeness_fav",
    "competence_n",
    "competence_fav",
    "waiting_n",
    "waiting_fav",
    "comfort_n",
    "comfort_fav",
    "information_n",
    "information_fav",
    "relevance_n",
    "relevance_fav",
    "ces_n",
    "ces_fav",
    "ces_sum",
    "nps_n",
    "nps_promoters",
    "nps_detractors",
    "solved_n",
    "solved_yes",
    "on_time_n",
    "on_time_yes",
    "wait_n",
    "wait_sum",
    "complaints",
    "complaints_justified",
)

CITIZEN = "citizen"
EMPLOYER = "employer"

GROUP_CODES = ("F", "U", "E", "A", "K")
GROUP_TITLES = {
    "F": _("Дружелюбие и партнёрство"),
    "U": _("Полезность"),
    "E": _("Минимизация усилий"),
    "A": _("Адресность"),
    "K": _("Комфорт и удобство"),
}
# One word each, where a table has room for no more.
GROUP_SHORT = {
    "F": _("дружелюбие"),
    "U": _("полезность"),
    "E": _("усилия"),
    "A": _("адресность"),
    "K": _("комфорт"),
}
GROUP_RULES = {
    "F": _("доля оценок 4–5 за вежливость и компетентность (все ответы на оба вопроса вместе)"),
    "U": _("среднее из доли «вопрос решён — да» и доли оценок CSAT 4–5"),
    "E": _("доля оценок 4–5 за лёгкость получения услуги (CES)"),
    "A": _("доля оценок 4–5 за адресность (соответствие услуги запросу)"),
    "K": _("среднее из долей оценок 4–5 за комфорт, время ожидания и информирование"),
}
STAR_BOUNDS = (60, 70, 80, 90)


def empty_counts():
    return dict.fromkeys(COUNT_FIELDS, 0)


def add_counts(into, row):
    """Add the counters of ``row`` (a dict or a slice) to ``into``; return it."""
    getter = row.get if isinstance(row, dict) else row.__dict__.get
    for name in COUNT_FIELDS:
        into[name] += getter(name) or 0
    return into


def sum_counts(rows):
    return add_counts_all(empty_counts(), rows)


def add_counts_all(into, rows):
    for row in rows:
        add_counts(into, row)
    return into


@lru_cache(maxsize=4096)
def wilson(k, n, z=Z95):
    """The Wilson score interval of k successes in n trials, in % (low, high)."""
    if n <= 0:
        return None, None
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half) * 100, min(1.0, centre + half) * 100


@dataclass(frozen=True)
class Share:
    """k favourable of n answers, in %, with its Wilson interval."""

    k: int
    n: int

    @property
    def value(self):
        return self.k / self.n * 100 if self.n else None

    @property
    def variance(self):
        """Variance of the share in %², None without answers.

        From the Agresti–Coull adjusted share p̃ = (k + z²/2)/(n + z²) over
        ñ = n + z², so that 0 % or 100 % does not get a zero-width interval.
        """
        if not self.n:
            return None
        n_adj = self.n + Z95 * Z95
        p_adj = (self.k + Z95 * Z95 / 2) / n_adj
        return p_adj * (1 - p_adj) / n_adj * 10_000

    @property
    def low(self):
        return wilson(self.k, self.n)[0]

    @property
    def high(self):
        return wilson(self.k, self.n)[1]


def _mean_of_shares(shares):
    """(value, variance) of the mean of the shares that have answers."""
    given = [share for share in shares if share.n]
    if not given:
        return None, None
    m = len(given)
    value = sum(share.value for share in given) / m
    variance = sum(share.variance for share in given) / (m * m)
    return value, variance


# Labels of the shares a group score is made of. Reports are cached, and
# lazy translations are slow to unpickle, so the scores keep plain keys.
COMPONENT_LABELS = {
    "politeness": _("вежливость"),
    "competence": _("компетентность"),
    "solved": _("вопрос решён"),
    "csat": _("CSAT 4–5"),
    "ces": _("CES 4–5"),
    "relevance": _("адресность"),
    "comfort": _("комфорт"),
    "waiting": _("время ожидания"),
    "information": _("информирование"),
}


@dataclass
class GroupScore:
    code: str
    value: float | None
    variance: float | None
    components: list  # of (key of COMPONENT_LABELS, Share or MixedShare)

    @property
    def title(self):
        return GROUP_TITLES[self.code]

    @property
    def parts(self):
        """(label, Share) of each share the score is made of."""
        return [(COMPONENT_LABELS[key], share) for key, share in self.components]

    @property
    def low(self):
        return _ci(self.value, self.variance)[0]

    @property
    def high(self):
        return _ci(self.value, self.variance)[1]


def _ci(value, variance):
    if value is None or variance is None:
        return None, None
    half = Z95 * math.sqrt(variance)
    return max(0.0, value - half), min(100.0, value + half)


def group_scores(counts):
    """The five group scores of one side's counts, as {code: GroupScore}."""
    c = counts
    politeness = Share(c["politeness_fav"], c["politeness_n"])
    competence = Share(c["competence_fav"], c["competence_n"])
    pooled_f = Share(politeness.k + competence.k, politeness.n + competence.n)
    solved = Share(c["solved_yes"], c["solved_n"])
    csat = Share(c["csat_fav"], c["csat_n"])
    ces = Share(c["ces_fav"], c["ces_n"])
    relevance = Share(c["relevance_fav"], c["relevance_n"])
    comfort = Share(c["comfort_fav"], c["comfort_n"])
    waiting = Share(c["waiting_fav"], c["waiting_n"])
    information = Share(c["information_fav"], c["information_n"])
    groups = {
        "F": GroupScore(
            "F",
            pooled_f.value,
            pooled_f.variance,
            [("politeness", politeness), ("competence", competence)],
        ),
        "U": GroupScore(
            "U",
            *_mean_of_shares([solved, csat]),
            [("solved", solved), ("csat", csat)],
        ),
        "E": GroupScore("E", ces.value, ces.variance, [("ces", ces)]),
        "A": GroupScore("A", relevance.value, relevance.variance, [("relevance", relevance)]),
        "K": GroupScore(
            "K",
            *_mean_of_shares([comfort, waiting, information]),
            [
                ("comfort", comfort),
                ("waiting", waiting),
                ("information", information),
            ],
        ),
    }
    return groups


class IndexFigures:
    """What an index shows beside its value: interval, stars, whether it is
    based on enough answers. Needs ``value``, ``variance`` and ``responses``."""

    @property
    def low(self):
        return _ci(self.value, self.variance)[0]

    @property
    def high(self):
        return _ci(self.value, self.variance)[1]

    @property
    def stars(self):
        return stars(self.value)

    @property
    def enough(self):
        return self.responses >= settings.CX_MIN_RESPONSES


@dataclass
class SideIndex(IndexFigures):
    """The index of one side (citizens or employers)."""

    client_type: str
    value: float | None
    variance: float | None
    groups: dict
    responses: int


def side_index(client_type, counts, weights=None):
    weights = weights or settings.CX_GROUP_WEIGHTS
    groups = group_scores(counts)
    available = [g for g in groups.values() if g.value is not None and weights.get(g.code, 0)]
    if not available:
        return SideIndex(client_type, None, None, groups, counts["responses"])
    total = sum(weights[g.code] for g in available)
    value = sum(weights[g.code] * g.value for g in available) / total
    variance = sum((weights[g.code] / total) ** 2 * g.variance for g in available)
    return SideIndex(client_type, value, variance, groups, counts["responses"])


def stars(value):
    """1–5 stars for an index in %, from the value rounded as shown (one decimal)."""
    if value is None:
        return None
    shown = round(value, 1)
    return 1 + sum(shown >= bound for bound in STAR_BOUNDS)


@dataclass
class Cx(IndexFigures):
    """The CX index of a slice and the indicators shown beside it."""

    value: float | None
    variance: float | None
    citizens: SideIndex
    employers: SideIndex
    totals: dict
    only_side: str | None = None  # CITIZEN or EMPLOYER when the other has no data

    @cached_property
    def groups(self):
        """The five group scores over both sides' answers pooled (for their parts)."""
        return group_scores(self.totals)

    @property
    def responses(self):
        return self.totals["responses"]

    # Indicators over all responses of the slice, both sides together.
    @property
    def csat(self):
        return Share(self.totals["csat_fav"], self.totals["csat_n"])

    @property
    def ces(self):
        return Share(self.totals["ces_fav"], self.totals["ces_n"])

    @property
    def ces_mean(self):
        n = self.totals["ces_n"]
        return self.totals["ces_sum"] / n if n else None

    @property
    def csat_mean(self):
        n = self.totals["csat_n"]
        return self.totals["csat_sum"] / n if n else None

    @property
    def nps(self):
        return nps(self.totals)

    @property
    def on_time(self):
        return Share(self.totals["on_time_yes"], self.totals["on_time_n"])

    @property
    def solved(self):
        return Share(self.totals["solved_yes"], self.totals["solved_n"])

    @property
    def wait_mean(self):
        n = self.totals["wait_n"]
        # float(): PostgreSQL sums a bigint column into a numeric (Decimal)
        return float(self.totals["wait_sum"]) / n if n else None

    @property
    def complaints_per_1000(self):
        n = self.totals["responses"]
        return self.totals["complaints"] / n * 1000 if n else None

    @property
    def justified_per_1000(self):
        n = self.totals["responses"]
        return self.totals["complaints_justified"] / n * 1000 if n else None


@dataclass(frozen=True)
class Nps:
    value: float | None
    low: float | None
    high: float | None
    n: int
    promoters: float | None
    detractors: float | None


def nps(counts):
    """NPS = % of 9–10 minus % of 0–6, with a normal-approximation interval."""
    n = counts["nps_n"]
    if not n:
        return Nps(None, None, None, 0, None, None)
    plus = counts["nps_promoters"] / n
    minus = counts["nps_detractors"] / n
    value = plus - minus
    half = Z95 * math.sqrt(max(0.0, plus + minus - value * value) / n)
    return Nps(
        value * 100,
        max(-1.0, value - half) * 100,
        min(1.0, value + half) * 100,
        n,
        plus * 100,
        minus * 100,
    )


def cx_index(by_type, *, weights=None, side_weights=None):
    """The CX index of a slice from its counts per client type.

    ``by_type`` maps "citizen"/"employer" to summed counts (missing = none).
    """
    citizens_counts = by_type.get(CITIZEN) or empty_counts()
    employers_counts = by_type.get(EMPLOYER) or empty_counts()
    citizens = side_index(CITIZEN, citizens_counts, weights)
    employers = side_index(EMPLOYER, employers_counts, weights)
    if side_weights is None:
        side_weights = (settings.CX_CITIZEN_WEIGHT, settings.CX_EMPLOYER_WEIGHT)
    sides = [
        (w, side)
        for w, side in zip(side_weights, (citizens, employers), strict=True)
        if side.value is not None and w > 0
    ]
    totals = add_counts(add_counts(empty_counts(), citizens_counts), employers_counts)
    if not sides:
        return Cx(None, None, citizens, employers, totals)
    total = sum(w for w, _side in sides)
    value = sum(w * side.value for w, side in sides) / total
    variance = sum((w / total) ** 2 * side.variance for w, side in sides)
    only = sides[0][1].client_type if len(sides) == 1 else None
    return Cx(value, variance, citizens, employers, totals, only)


@dataclass(frozen=True)
class MixedShare:
    """A share combined the way the index combines the sides: the
    side-weighted mean of the citizens' and the employers' shares (a side
    without answers drops out). ``n`` counts the answers of both sides."""

    value: float | None
    n: int


def _mixed(weights, shares):
    given = [(w, share) for w, share in zip(weights, shares, strict=True) if w > 0 and share.n]
    n = sum(share.n for share in shares)
    if not given:
        return MixedShare(None, n)
    total = sum(w for w, _share in given)
    return MixedShare(sum(w * share.value for w, share in given) / total, n)


def weighted_groups(cx):
    """The F…K scores to chart for a slice: each the side-weighted mean of the
    two sides' group scores, the same way the index combines the sides.

    Their parts are combined the same way, so that a group of one part
    (E: CES) shows the very number of that part, and the page adds up.
    """
    weights = (settings.CX_CITIZEN_WEIGHT, settings.CX_EMPLOYER_WEIGHT)
    sides = (cx.citizens, cx.employers)
    result = {}
    for code in GROUP_CODES:
        side_groups = [side.groups[code] for side in sides]
        components = [
            (key, _mixed(weights, [dict(g.components)[key] for g in side_groups]))
            for key, _share in side_groups[0].components
        ]
        parts = [
            (w, g)
            for w, g in zip(weights, side_groups, strict=True)
            if w > 0 and g.value is not None
        ]
        if not parts:
            result[code] = GroupScore(code, None, None, components)
            continue
        total = sum(w for w, _g in parts)
        value = sum(w * g.value for w, g in parts) / total
        variance = sum((w / total) ** 2 * g.variance for w, g in parts)
        result[code] = GroupScore(code, value, variance, components)
    return result


def ranked_groups(groups):
    """The group scores of ``groups`` ({code: GroupScore}) that have a value,
    weakest first, as (value, code, GroupScore): the dashboard's «слабее
    всего» is the first, «сильнее всего» the last."""
    return sorted(
        ((g.value, code, g) for code, g in groups.items() if g.value is not None),
        key=lambda item: item[:2],
    )


def _plain_share(k, n):
    return k / n * 100 if n else None


def _plain_mean(*values):
    given = [v for v in values if v is not None]
    return sum(given) / len(given) if given else None


def _side_value(c, weights):
    """The same number as ``side_index(...).value``, without intervals: for heat maps."""
    groups = {
        "F": _plain_share(
            c["politeness_fav"] + c["competence_fav"], c["politeness_n"] + c["competence_n"]
        ),
        "U": _plain_mean(
            _plain_share(c["solved_yes"], c["solved_n"]), _plain_share(c["csat_fav"], c["csat_n"])
        ),
        "E": _plain_share(c["ces_fav"], c["ces_n"]),
        "A": _plain_share(c["relevance_fav"], c["relevance_n"]),
        "K": _plain_mean(
            _plain_share(c["comfort_fav"], c["comfort_n"]),
            _plain_share(c["waiting_fav"], c["waiting_n"]),
            _plain_share(c["information_fav"], c["information_n"]),
        ),
    }
    available = [(weights.get(code, 0), v) for code, v in groups.items() if v is not None]
    total = sum(w for w, _v in available)
    if not total:
        return None
    return sum(w * v for w, v in available) / total


@dataclass(frozen=True)
class Cell:
    """One heat map cell: the index only, no intervals."""

    value: float | None
    responses: int

    @property
    def enough(self):
        return self.responses >= settings.CX_MIN_RESPONSES


def cx_cell(by_type):
    """The CX index of a slice (as ``cx_index(...).value``) and its number of responses."""
    weights = settings.CX_GROUP_WEIGHTS
    sides = []
    responses = 0
    for client_type, w in (
        (CITIZEN, settings.CX_CITIZEN_WEIGHT),
        (EMPLOYER, settings.CX_EMPLOYER_WEIGHT),
    ):
        counts = by_type.get(client_type)
        if not counts:
            continue
        responses += counts["responses"]
        value = _side_value(counts, weights)
        if value is not None and w > 0:
            sides.append((w, value))
    if not sides:
        return Cell(None, responses)
    total = sum(w for w, _v in sides)
    return Cell(sum(w * v for w, v in sides) / total, responses)
