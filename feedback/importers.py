"""What the columns of an import mean and how one row is checked.

A row checker turns the cells of one row into the values to write, or into
the list of Russian reasons why the row cannot be written. It never touches
the database: offices and services are loaded once into dictionaries, which
keeps a million rows fast.
"""

import datetime as dt
import difflib
import hashlib
import re
import zoneinfo
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.masking import comment_mask
from feedback.models import (
    SCORE_FIELDS,
    Channel,
    ClientGroup,
    ClientType,
    FeedbackResponse,
    ImportBatch,
    OperationalIndicator,
    ProblemSolved,
    Service,
    Source,
)
from feedback.tables import FormulaWithoutValue, cell_text
from feedback.topics import comment_terms
from kb_portal.spreadsheets import FORMULA_STARTS
from people.models import Office

MAX_COMMENT = 10_000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple = ()
    required: bool = False
    example: str = ""


SCORE_HEADERS = {
    "csat": (gettext_lazy("Удовлетворённость (CSAT)"), ("удовлетворенность", "оценка")),
    "politeness": (gettext_lazy("Вежливость"), ()),
    "competence": (gettext_lazy("Компетентность"), ()),
    "waiting": (gettext_lazy("Время ожидания"), ("оценка ожидания",)),
    "comfort": (gettext_lazy("Комфорт"), ("комфорт и удобство",)),
    "information": (gettext_lazy("Информирование"), ("информированность",)),
    "relevance": (gettext_lazy("Адресность"), ()),
    "ces": (gettext_lazy("Лёгкость (CES)"), ("легкость", "усилия")),
}

FEEDBACK_COLUMNS = (
    Column(
        "external_id",
        gettext_lazy("Номер в источнике"),
        ("id", "номер", "номер анкеты", "идентификатор", "external id"),
        example="A-2026-000123",
    ),
    Column("source", gettext_lazy("Источник"), (), True, "анкета"),
    Column(
        "submitted_at",
        gettext_lazy("Дата ответа"),
        ("дата", "дата и время", "дата заполнения", "date", "submitted at"),
        True,
        "15.03.2026 10:30",
    ),
    Column(
        "office",
        gettext_lazy("Подразделение"),
        ("цзн", "офис", "центр занятости", "код подразделения", "office"),
        True,
        "ЦЗН Ленинского района г. Самары",
    ),
    Column("client_type", gettext_lazy("Тип клиента"), ("тип", "client type"), True, "гражданин"),
    Column(
        "client_group",
        gettext_lazy("Группа клиентов"),
        ("группа", "категория", "категория клиента", "client group"),
        True,
        "соискатель",
    ),
    Column("service", gettext_lazy("Услуга"), (), False, "Содействие в поиске подходящей работы"),
    Column("channel", gettext_lazy("Канал"), ("канал обращения",), True, "очно"),
    *(
        Column(name, header, (*aliases, name), False, "5")
        for name, (header, aliases) in SCORE_HEADERS.items()
    ),
    Column(
        "nps",
        gettext_lazy("Готовность рекомендовать (NPS)"),
        ("готовность рекомендовать", "nps"),
        example="9",
    ),
    Column("problem_solved", gettext_lazy("Вопрос решён"), ("решен",), example="да"),
    Column(
        "wait_minutes",
        gettext_lazy("Ожидание, минут"),
        ("время ожидания мин", "ожидание мин"),
        example="10",
    ),
    Column("visits_count", gettext_lazy("Число визитов"), ("визитов",), example="1"),
    Column("on_time", gettext_lazy("Услуга в срок"), ("в срок",), example="да"),
    Column("complaint", gettext_lazy("Жалоба"), (), example="нет"),
    Column("complaint_justified", gettext_lazy("Жалоба обоснована"), (), example=""),
    Column(
        "comment",
        gettext_lazy("Комментарий"),
        ("комментарий клиента", "отзыв", "текст отзыва"),
        example="Всё объяснили, спасибо",
    ),
)

INDICATOR_COLUMNS = (
    Column(
        "office",
        gettext_lazy("Подразделение"),
        ("цзн", "офис", "код подразделения"),
        True,
        "ЦЗН Ленинского района г. Самары",
    ),
    Column("month", gettext_lazy("Месяц"), ("период", "дата"), True, "03.2026"),
    Column("code", gettext_lazy("Показатель"), ("код показателя", "indicator"), True, "contacts"),
    Column("value", gettext_lazy("Значение"), (), True, "1250"),
)


def columns_for(kind):
    return FEEDBACK_COLUMNS if kind == ImportBatch.Kind.FEEDBACK else INDICATOR_COLUMNS


def _key(text):
    """Text reduced to what matters when matching: «ЕЦП «Работа России»» ≈ «ецп работа россии»."""
    text = str(text).lower().replace("ё", "е")
    return re.sub(r"[\W_]+", " ", text).strip()


def mapping_guess(kind, headers):
    """Column key -> index of the file's column with that header or an alias."""
    mapping = {}
    by_header = {}
    for index, header in enumerate(headers):
        by_header.setdefault(_key(header), index)
    for column in columns_for(kind):
        for name in (column.header, column.key, *column.aliases):
            index = by_header.get(_key(name))
            if index is not None and index not in mapping.values():
                mapping[column.key] = index
                break
    return mapping


def _choices(choices, aliases=()):
    lookup = {}
    for value, label in choices.choices:
        lookup[_key(label)] = value
        lookup[_key(value)] = value
    for alias, value in aliases:
        lookup[_key(alias)] = value
    return lookup


SOURCES = _choices(
    Source,
    [
        ("ецп", Source.ECP),
        ("работа россии", Source.ECP),
        ("пос", Source.POS),
        ("госуслуги", Source.POS),
        ("ваш контроль", Source.VASH_CONTROL),
        ("qr", Source.QR),
        ("опрос", Source.SURVEY),
        ("бумажная анкета", Source.SURVEY),
    ],
)
CLIENT_TYPES = _choices(
    ClientType,
    [
        ("граждане", ClientType.CITIZEN),
        ("физическое лицо", ClientType.CITIZEN),
        ("работодатели", ClientType.EMPLOYER),
        ("юридическое лицо", ClientType.EMPLOYER),
    ],
)
CLIENT_GROUPS = _choices(
    ClientGroup,
    [
        ("молодежь", ClientGroup.YOUTH),
        ("студент", ClientGroup.YOUTH),
        ("инвалид", ClientGroup.DISABLED),
        ("люди с инвалидностью", ClientGroup.DISABLED),
        ("предпенсионер", ClientGroup.PRE_RETIREMENT),
        ("участник сво", ClientGroup.SVO),
        ("сво", ClientGroup.SVO),
        ("другое", ClientGroup.OTHER),
        ("прочее", ClientGroup.OTHER),
    ],
)
CHANNELS = _choices(
    Channel,
    [("лично", Channel.IN_PERSON), ("выезд", Channel.OUTREACH), ("госуслуги", Channel.EPGU)],
)
SOLVED = _choices(ProblemSolved, [("1", ProblemSolved.YES), ("0", ProblemSolved.NO)])
BOOLEANS = {
    _key(text) or text: value
    for texts, value in (
        (("да", "д", "1", "true", "yes", "y", "+", "истина"), True),
        (("нет", "н", "0", "false", "no", "n", "-", "ложь"), False),
    )
    for text in texts
}
INDICATOR_CODES = _choices(OperationalIndicator.Code)
SMALL_NUMBERS = {str(number): number for number in range(101)}

_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_MONTH = re.compile(r"^(?:(\d{1,2})[./-](\d{4})|(\d{4})-(\d{1,2})(?:-\d{1,2})?)$")
MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("январь", "января", "янв"),
            ("февраль", "февраля", "фев"),
            ("март", "марта", "мар"),
            ("апрель", "апреля", "апр"),
            ("май", "мая"),
            ("июнь", "июня", "июн"),
            ("июль", "июля", "июл"),
            ("август", "августа", "авг"),
            ("сентябрь", "сентября", "сен"),
            ("октябрь", "октября", "окт"),
            ("ноябрь", "ноября", "ноя"),
            ("декабрь", "декабря", "дек"),
        ),
        start=1,
    )
    for name in names
}


def _text(value):
    """A cell as stripped text; undoes the apostrophe our exports put before
    «=», «+», «-», «@» so that a corrected file re-imports the original text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text[:1] == "'" and text[1:2].startswith(FORMULA_STARTS) and len(text) > 1:
        text = text[1:]
    return text


def _quoted(value):
    return f"«{str(value)[:60]}»"


def _accepted(lookup_choices):
    return ", ".join(str(label) for label in lookup_choices.labels)


class RowChecker:
    """Shared by both kinds: the mapping, the portal time zone and offices.

    ``formulas`` says the cells may be FormulaWithoutValue (an XLSX book):
    such a row is rejected saying so, never read as «no answer».
    """

    def __init__(self, mapping, *, formulas=False):
        self.mapping = {key: int(index) for key, index in mapping.items() if index is not None}
        self.headers = {column.key: str(column.header) for column in self.columns}
        self.formulas = formulas
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.offices = {}
        self.office_codes = {}
        titles = {}
        for pk, code, title in Office.objects.values_list("pk", "code", "title"):
            self.offices[_key(code)] = pk
            self.offices[_key(title)] = pk
            self.office_codes[pk] = code
            titles[_key(title)] = title
        self._office_titles = titles
        self._suggestions = {}
        self._memo = {}
        self.incomplete = any(
            column.required and column.key not in self.mapping for column in self.columns
        )

    def check(self, cells):
        """(values, None) for a good row, (None, reasons) for a bad one.

        ``values`` is a dict of the fields to write, with ``month`` and
        ``office_id`` (and, for feedback, ``dedup_key``).
        """
        if self.formulas:
            reasons = self._uncomputed(cells)
            if reasons:
                return None, reasons
        return self._check(cells)

    def _check(self, cells):
        return self._check_full(cells)

    def _uncomputed(self, cells):
        """The reasons of a row with formulas that have no value (empty if none):
        one for each such cell, then what else is wrong with the row."""
        width = len(cells)
        columns = [
            key
            for key, index in self.mapping.items()
            if index < width and cells[index].__class__ is FormulaWithoutValue
        ]
        if not columns:
            return []
        reasons = [
            _(
                "%(column)s: в ячейке формула %(formula)s без вычисленного значения — такой "
                "файл сохранила программа, а не Excel. Откройте файл в Excel, сохраните его и "
                "загрузите снова."
            )
            % {"column": self.headers[key], "formula": _quoted(cells[self.mapping[key]])}
            for key in columns
        ]
        blanked = list(cells)
        for key in columns:
            blanked[self.mapping[key]] = ""
        _values, others = self._check_full(blanked)
        # The formula cells are already explained; «не указано» about them would mislead.
        prefixes = tuple(f"{self.headers[key]}:" for key in columns)
        return reasons + [reason for reason in others or () if not reason.startswith(prefixes)]

    def cells(self, cells):
        """Column key -> the cell of this row under it (missing cells are blank)."""
        values = {}
        for key, index in self.mapping.items():
            values[key] = cells[index] if index < len(cells) else ""
        return values

    def office(self, value, reasons, header):
        text = _text(value)
        if not text:
            reasons.append(_("%(column)s: не указано.") % {"column": header})
            return None
        memo = self._memo.setdefault("office", {})
        if text not in memo:
            memo[text] = self.offices.get(_key(text))
        pk = memo[text]
        if pk is None:
            reasons.append(self._unknown_office(text, header))
        return pk

    def _unknown_office(self, text, header):
        if text not in self._suggestions:
            close = difflib.get_close_matches(_key(text), self._office_titles, n=1, cutoff=0.6)
            if close:
                message = _(
                    "%(column)s: неизвестное подразделение %(value)s. Возможно, имелось в "
                    "виду «%(suggestion)s»."
                ) % {
                    "column": header,
                    "value": _quoted(text),
                    "suggestion": self._office_titles[close[0]],
                }
            else:
                message = _(
                    "%(column)s: неизвестное подразделение %(value)s. Укажите название или код "
                    "подразделения, как в справочнике портала."
                ) % {"column": header, "value": _quoted(text)}
            self._suggestions[text] = message
        return self._suggestions[text]

    def choice(self, value, lookup, choices, reasons, header, *, required=True):
        text = _text(value)
        if not text:
            if required:
                reasons.append(_("%(column)s: не указано.") % {"column": header})
            return ""
        # The same few values repeat on every row: normalise each text once.
        memo = self._memo.setdefault(id(lookup), {})
        if text not in memo:
            memo[text] = lookup.get(_key(text))
        found = memo[text]
        if found is None:
            reasons.append(
                _("%(column)s: неизвестное значение %(value)s. Допустимые значения: %(accepted)s.")
                % {"column": header, "value": _quoted(text), "accepted": _accepted(choices)}
            )
            return ""
        return found


def dedup_key_for(values, *, office_code, service_code):
    """sha256 of source and external id; without an id, of the row's values
    (the comment as stored, i.e. masked), so the same answer in an
    overlapping export is recognised."""
    if values["external_id"]:
        basis = f"{values['source']}|{values['external_id']}"
    else:
        parts = [
            values["source"],
            values["submitted_at"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            office_code,
            values["client_type"],
            values["client_group"],
            service_code,
            values["channel"],
            *(values[field] for field in (*SCORE_FIELDS, "nps")),
            values["problem_solved"],
            values["wait_minutes"],
            values["visits_count"],
            values["on_time"],
            values["complaint"],
            values["complaint_justified"],
            values["comment"],
        ]
        basis = "|".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(basis.encode()).hexdigest()


# Distinct comments whose masking and terms one import remembers (a few MB).
COMMENT_CACHE = 20_000


class FeedbackChecker(RowChecker):
    """Checks one row of client feedback."""

    columns = FEEDBACK_COLUMNS

    def __init__(self, mapping, **kwargs):
        super().__init__(mapping, **kwargs)
        self.services = {}
        self.service_codes = {}
        titles = []
        for pk, code, title in Service.objects.values_list("pk", "code", "title"):
            self.services[_key(code)] = pk
            self.services[_key(title)] = pk
            self.service_codes[pk] = code
            titles.append(title)
        self.service_titles = ", ".join(titles) or _("(справочник услуг пуст)")
        self.latest = timezone.now() + dt.timedelta(days=1)
        self._plan = None
        self._defaults = {
            "external_id": "",
            "service_id": None,
            **dict.fromkeys((*SCORE_FIELDS, "nps"), None),
            "problem_solved": "",
            "wait_minutes": None,
            "visits_count": None,
            "on_time": None,
            "complaint": False,
            "complaint_justified": None,
            "comment": "",
            "comment_terms": "",
        }
        self._comments = {}

    def _check(self, cells):
        values = self._check_fast(cells)
        if values is not None:
            return values, None
        return self._check_full(cells)

    def _fast_plan(self):
        """(key, index, converter, memo) for the columns whose few distinct
        values repeat row after row: each distinct cell is converted once."""
        header = self.headers
        converters = {
            "source": lambda v, r: self.choice(v, SOURCES, Source, r, header["source"]),
            "office_id": lambda v, r: self.office(v, r, header["office"]),
            "client_type": lambda v, r: self.choice(
                v, CLIENT_TYPES, ClientType, r, header["client_type"]
            ),
            "client_group": lambda v, r: self.choice(
                v, CLIENT_GROUPS, ClientGroup, r, header["client_group"], required=False
            ),
            "service_id": lambda v, r: self._service(v, r, header["service"]),
            "channel": lambda v, r: self.choice(v, CHANNELS, Channel, r, header["channel"]),
            "nps": lambda v, r: self._number(v, r, header["nps"], 0, 10),
            "problem_solved": lambda v, r: self.choice(
                v, SOLVED, ProblemSolved, r, header["problem_solved"], required=False
            ),
            "wait_minutes": lambda v, r: self._number(v, r, header["wait_minutes"], 0, 100_000),
            "visits_count": lambda v, r: self._number(v, r, header["visits_count"], 0, 1000),
            "on_time": lambda v, r: self._boolean(v, r, header["on_time"]),
            "complaint": lambda v, r: self._boolean(v, r, header["complaint"]),
            "complaint_justified": lambda v, r: self._boolean(v, r, header["complaint_justified"]),
        }
        for field in SCORE_FIELDS:
            converters[field] = lambda v, r, h=header[field]: self._number(v, r, h, 1, 5)
        plan = []
        for key, convert in converters.items():
            index = self.mapping.get(key.removesuffix("_id"))
            if index is not None:
                plan.append((key, index, convert, {}))
        return plan

    def _check_fast(self, cells):
        """The values of a good row, or None to let `_check_full` say what is wrong."""
        if self._plan is None:
            self._plan = self._fast_plan()
        if self.incomplete:
            return None  # a required column is not mapped: the full check says so
        width = len(cells)
        values = dict(self._defaults)
        for key, index, convert, memo in self._plan:
            raw = cells[index] if index < width else ""
            try:
                values[key] = memo[raw]
            except KeyError:
                reasons = []
                value = convert(raw, reasons)
                if reasons:
                    return None
                if len(memo) < 10_000:
                    memo[raw] = value
                values[key] = value
            except TypeError:  # an unhashable cell: let the full check deal with it
                return None
        if not values["client_group"]:
            if values["client_type"] != ClientType.EMPLOYER:
                return None
            values["client_group"] = ClientGroup.OTHER
        values["complaint"] = bool(values["complaint"])
        mapping = self.mapping
        index = mapping["submitted_at"]
        raw = cells[index] if index < width else ""
        if raw.__class__ is str and (match := _DOTTED.match(raw)):
            day, month, year, hour, minute, second = match.groups()
            try:
                moment = dt.datetime(
                    int(year),
                    int(month),
                    int(day),
                    int(hour or 0),
                    int(minute or 0),
                    int(second or 0),
                    tzinfo=self.zone,
                )
            except ValueError:
                return None
            if moment > self.latest or moment.year < 2000:
                return None
            values["submitted_at"] = moment
            values["month"] = dt.date(moment.year, moment.month, 1)
        else:
            reasons = []
            moment = self._moment(raw, reasons, self.headers["submitted_at"])
            if reasons:
                return None
            local = moment.astimezone(self.zone)
            values["submitted_at"] = moment
            values["month"] = dt.date(local.year, local.month, 1)
        index = mapping.get("external_id")
        if index is not None:
            external_id = _text(cells[index] if index < width else "")
            if len(external_id) > 100:
                return None
            values["external_id"] = external_id
        index = mapping.get("comment")
        if index is not None:
            raw = cells[index] if index < width else ""
            if raw:
                comment = " ".join(_text(raw).split())
                if len(comment) > MAX_COMMENT:
                    return None
                values["comment"], values["comment_terms"] = self.comment_prepare(comment)
        values["dedup_key"] = self.dedup_key(values)
        return values

    def _check_full(self, cells):
        """Every check of a row, collecting every reason."""
        raw = self.cells(cells)
        header = self.headers
        reasons = []
        values = {}
        values["source"] = self.choice(
            raw.get("source"), SOURCES, Source, reasons, header["source"]
        )
        external_id = _text(raw.get("external_id"))
        if len(external_id) > 100:
            reasons.append(_("%(column)s: длиннее 100 знаков.") % {"column": header["external_id"]})
        values["external_id"] = external_id
        submitted = self._moment(raw.get("submitted_at"), reasons, header["submitted_at"])
        values["submitted_at"] = submitted
        if submitted is not None:
            local = submitted.astimezone(self.zone)
            values["month"] = dt.date(local.year, local.month, 1)
        values["office_id"] = self.office(raw.get("office"), reasons, header["office"])
        client_type = self.choice(
            raw.get("client_type"), CLIENT_TYPES, ClientType, reasons, header["client_type"]
        )
        values["client_type"] = client_type
        group = self.choice(
            raw.get("client_group"),
            CLIENT_GROUPS,
            ClientGroup,
            reasons,
            header["client_group"],
            # Employers have no group of their own: blank means «иное».
            required=client_type != ClientType.EMPLOYER,
        )
        values["client_group"] = group or ClientGroup.OTHER
        values["service_id"] = self._service(raw.get("service"), reasons, header["service"])
        values["channel"] = self.choice(
            raw.get("channel"), CHANNELS, Channel, reasons, header["channel"]
        )
        for field in SCORE_FIELDS:
            values[field] = self._number(raw.get(field), reasons, header[field], 1, 5)
        values["nps"] = self._number(raw.get("nps"), reasons, header["nps"], 0, 10)
        values["problem_solved"] = self.choice(
            raw.get("problem_solved"),
            SOLVED,
            ProblemSolved,
            reasons,
            header["problem_solved"],
            required=False,
        )
        values["wait_minutes"] = self._number(
            raw.get("wait_minutes"), reasons, header["wait_minutes"], 0, 100_000
        )
        values["visits_count"] = self._number(
            raw.get("visits_count"), reasons, header["visits_count"], 0, 1000
        )
        values["on_time"] = self._boolean(raw.get("on_time"), reasons, header["on_time"])
        values["complaint"] = bool(
            self._boolean(raw.get("complaint"), reasons, header["complaint"])
        )
        values["complaint_justified"] = self._boolean(
            raw.get("complaint_justified"), reasons, header["complaint_justified"]
        )
        comment = " ".join(_text(raw.get("comment")).split())
        if len(comment) > MAX_COMMENT:
            reasons.append(
                _("%(column)s: длиннее %(limit)s знаков.")
                % {"column": header["comment"], "limit": MAX_COMMENT}
            )
        values["comment"], values["comment_terms"] = self.comment_prepare(comment)
        if reasons:
            return None, reasons
        values["dedup_key"] = self.dedup_key(values)
        return values, None

    def comment_prepare(self, comment):
        """(masked comment, its terms) of a comment with its spaces collapsed.

        Many comments repeat word for word («Спасибо», «Долго ждала в
        очереди»), so the answers of the first COMMENT_CACHE distinct ones
        are kept for the rest of the import: masking and analysis are pure
        functions of the text, the stored rows are the same either way."""
        if not comment:
            return comment, ""
        prepared = self._comments.get(comment)
        if prepared is None:
            masked = comment_mask(comment)
            prepared = (masked, comment_terms(masked))
            if len(self._comments) < COMMENT_CACHE:
                self._comments[comment] = prepared
        return prepared

    def dedup_key(self, values):
        return dedup_key_for(
            values,
            office_code=self.office_codes[values["office_id"]],
            service_code=self.service_codes.get(values["service_id"], ""),
        )

    def _moment(self, value, reasons, header):
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, dt.date):
            moment = dt.datetime(value.year, value.month, value.day)
        else:
            text = _text(value)
            if not text:
                reasons.append(_("%(column)s: не указана.") % {"column": header})
                return None
            moment = _parse_moment(text)
            if moment is None:
                reasons.append(
                    _(
                        "%(column)s: %(value)s — не дата. Ожидается ДД.ММ.ГГГГ или ДД.ММ.ГГГГ "
                        "ЧЧ:ММ, например 15.03.2026 10:30."
                    )
                    % {"column": header, "value": _quoted(text)}
                )
                return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        if moment > self.latest or moment.year < 2000:
            # A date cell as a person sees it, formatted here, not for every good row.
            typed = cell_text(value) if isinstance(value, dt.date) else text
            reasons.append(
                _("%(column)s: %(value)s — дата в будущем или раньше 2000 года.")
                % {"column": header, "value": _quoted(typed)}
            )
            return None
        return moment

    def _number(self, value, reasons, header, low, high):
        if value.__class__ is str and value in SMALL_NUMBERS:
            number = SMALL_NUMBERS[value]  # the common case, without parsing
            if low <= number <= high:
                return number
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, int):
            number = text = value
        else:
            # Quoted back as the person typed it: «4,5», not «4.5».
            text = _text(value)
            if not text:
                return None  # a blank is «no answer», never 0
            try:
                number = float(text.replace(",", "."))
            except ValueError:
                number = None
            if number is None or not number.is_integer():
                reasons.append(
                    _("%(column)s: %(value)s — не целое число от %(low)s до %(high)s.")
                    % {"column": header, "value": _quoted(text), "low": low, "high": high}
                )
                return None
            number = int(number)
        if not low <= number <= high:
            reasons.append(
                _("%(column)s: %(value)s — вне диапазона %(low)s–%(high)s.")
                % {"column": header, "value": text, "low": low, "high": high}
            )
            return None
        return number

    def _boolean(self, value, reasons, header):
        if isinstance(value, bool):
            return value
        text = _text(value)
        if not text:
            return None
        found = BOOLEANS.get(text.lower())
        if found is None:
            found = BOOLEANS.get(_key(text) or text)
        if found is None:
            reasons.append(
                _("%(column)s: %(value)s — ожидается «да» или «нет».")
                % {"column": header, "value": _quoted(text)}
            )
        return found

    def _service(self, value, reasons, header):
        text = _text(value)
        if not text:
            return None
        memo = self._memo.setdefault("service", {})
        if text not in memo:
            memo[text] = self.services.get(_key(text))
        pk = memo[text]
        if pk is None:
            reasons.append(
                _("%(column)s: неизвестная услуга %(value)s. Допустимые значения: %(accepted)s.")
                % {"column": header, "value": _quoted(text), "accepted": self.service_titles}
            )
        return pk


class IndicatorChecker(RowChecker):
    """Checks one row of operational indicators."""

    columns = INDICATOR_COLUMNS

    def _check_full(self, cells):
        raw = self.cells(cells)
        header = self.headers
        reasons = []
        office_id = self.office(raw.get("office"), reasons, header["office"])
        month = self._month(raw.get("month"), reasons, header["month"])
        code = self.choice(
            raw.get("code"), INDICATOR_CODES, OperationalIndicator.Code, reasons, header["code"]
        )
        value = self._value(raw.get("value"), reasons, header["value"])
        if (
            value is not None
            and code == OperationalIndicator.Code.ON_TIME_SHARE
            and value > Decimal(100)
        ):
            reasons.append(
                _("%(column)s: доля в процентах не может быть больше 100.")
                % {"column": header["value"]}
            )
        if reasons:
            return None, reasons
        return {"office_id": office_id, "month": month, "code": code, "value": value}, None

    def _month(self, value, reasons, header):
        if isinstance(value, dt.date):
            return dt.date(value.year, value.month, 1)
        text = _text(value)
        if not text:
            reasons.append(_("%(column)s: не указан.") % {"column": header})
            return None
        month = _parse_month(text)
        if month is None:
            reasons.append(
                _("%(column)s: %(value)s — не месяц. Ожидается ММ.ГГГГ, например 03.2026.")
                % {"column": header, "value": _quoted(text)}
            )
        return month

    def _value(self, value, reasons, header):
        if isinstance(value, int | float) and not isinstance(value, bool):
            typed = text = str(value)
        else:
            typed = _text(value)  # quoted back as typed: «1 250,5», not «1250.5»
            text = typed.replace("\xa0", "").replace(" ", "").replace(",", ".")
        if not text:
            reasons.append(_("%(column)s: не указано.") % {"column": header})
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            reasons.append(
                _("%(column)s: %(value)s — не число.") % {"column": header, "value": _quoted(typed)}
            )
            return None
        if number < 0 or number >= Decimal(10) ** 12:
            reasons.append(
                _("%(column)s: %(value)s — вне допустимых пределов (от 0 до триллиона).")
                % {"column": header, "value": _quoted(typed)}
            )
            return None
        return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _parse_moment(text):
    match = _DOTTED.match(text)
    try:
        if match:
            day, month, year, hour, minute, second = match.groups()
            return dt.datetime(
                int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
            )
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _parse_month(text):
    match = _MONTH.match(text)
    try:
        if match:
            month, year, iso_year, iso_month = match.groups()
            if year:
                return dt.date(int(year), int(month), 1)
            return dt.date(int(iso_year), int(iso_month), 1)
        moment = _parse_moment(text)
        if moment is not None:
            return dt.date(moment.year, moment.month, 1)
        words = _key(text).split()
        if len(words) == 2 and words[0] in MONTH_NAMES and words[1].isdigit():
            return dt.date(int(words[1]), MONTH_NAMES[words[0]], 1)
    except ValueError:
        return None
    return None


def checker_for(kind, mapping, *, formulas=False):
    checker = FeedbackChecker if kind == ImportBatch.Kind.FEEDBACK else IndicatorChecker
    return checker(mapping, formulas=formulas)


# Columns written for each response, in the order of the rows the writer gets.
RESPONSE_FIELDS = (
    "batch_id",
    "source",
    "external_id",
    "dedup_key",
    "submitted_at",
    "month",
    "office_id",
    "client_type",
    "client_group",
    "service_id",
    "channel",
    *SCORE_FIELDS,
    "nps",
    "problem_solved",
    "wait_minutes",
    "visits_count",
    "on_time",
    "complaint",
    "complaint_justified",
    "comment",
    "comment_terms",
)
RESPONSE_COLUMNS = tuple(FeedbackResponse._meta.get_field(name).column for name in RESPONSE_FIELDS)
