"""Names in an imported tree: titles cleaned from file and folder names, the
kind of material guessed from the file's type, Latin slugs, and the order
people meant by numbering their folders."""

import re
from pathlib import PurePath

from django.utils.text import capfirst, slugify

from articles.models import Article
from articles.uploads import ALLOWED

TITLE_MAX = Article._meta.get_field("title").max_length
SLUG_MAX = Article._meta.get_field("slug").max_length

# Extensions taken off a name, however many times a file was renamed.
_EXTENSIONS = {*ALLOWED, "doc", "xls", "ppt", "rtf", "zip", "rar", "7z", "htm", "html"}

_KINDS = {
    "pptx": Article.Kind.PRESENTATION,
    "odp": Article.Kind.PRESENTATION,
    "mp4": Article.Kind.VIDEO,
    "mp3": Article.Kind.PODCAST,
    # Photos in a folder of a corporate disk are reports of events far more
    # often than anything else.
    "png": Article.Kind.REPORT,
    "jpg": Article.Kind.REPORT,
    "jpeg": Article.Kind.REPORT,
}

# Leading numbering that orders files and folders: «01_», «1.2 », «1.2.3. »,
# «1) », «1. », «01 - ». A bare «5 » stays: «5 шагов к успеху» is a title.
_NUMBERING = [
    re.compile(r"^\d{1,3}_+"),
    re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+"),
    re.compile(r"^\d{1,2}[.)]\s+"),
    re.compile(r"^0\d{1,2}\s*[-–—.]?\s+"),
    re.compile(r"^\d{1,3}\s*[-–—]\s+"),
]
# What Windows and browsers add to copies: «Документ - копия (2)»,
# «Документ копия», «Документ (1)», «Копия (2) Документ» (Windows XP),
# «Copy of Документ». A leading «Копия » is taken off only before a
# capital letter or a digit: «Копия паспорта» is what the document is.
_COPY_TAIL = re.compile(
    r"(?:\s*[-–—]\s*|\s+|^)\(?(?:копия|copy)\)?(?:\s*\(\d{1,3}\))?$", re.IGNORECASE
)
_COUNTER_TAIL = re.compile(r"\s*[\(\[]\d{1,3}[\)\]]$")
_COPY_HEAD = re.compile(
    r"^(?:копия\s*\(\d{1,3}\)\s+|copy\s+of\s+|copy\s*\(\d{1,3}\)\s+of\s+|копия\s+(?=(?-i:[А-ЯЁA-Z0-9«\"])))",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")
_ANGLES = str.maketrans({"<": "‹", ">": "›"})
_EDGES = " \t-–—_.,;"


def extension_of(name):
    return PurePath(name).suffix.lower().lstrip(".")


def _strip_extensions(name):
    stem = name
    while True:
        path = PurePath(stem)
        if path.suffix and path.suffix.lower().lstrip(".") in _EXTENSIONS and path.stem:
            stem = path.stem
        else:
            return stem


def _numbering_off(text):
    for _attempt in range(3):
        before = text
        for pattern in _NUMBERING:
            text = pattern.sub("", text, count=1)
        if text == before:
            break
    return _SPACES.sub(" ", text.replace("_", " ")).strip(_EDGES)


def _copy_marks_off(text):
    for _attempt in range(3):
        before = text
        text = _COPY_HEAD.sub("", text).strip(_EDGES)
        text = _COPY_TAIL.sub("", text).strip(_EDGES)
        text = _COUNTER_TAIL.sub("", text).strip(_EDGES)
        if text == before:
            break
    return text


def clean_title(name, *, is_file=True):
    """A title for an article (``is_file``) or a section from a name on disk."""
    original = name.strip()
    text = _copy_marks_off(_numbering_off(_strip_extensions(original) if is_file else original))
    if not text:
        # Nothing but numbering or «копия»: the name as it was, without its extension.
        stem = _strip_extensions(original)
        text = _SPACES.sub(" ", stem.replace("_", " ")).strip() or stem.strip() or original
    # Titles are plain text, and markup is stripped from them on save: a name
    # like «<img …>» would be lost whole. Windows allows neither in a file name.
    text = capfirst(text.translate(_ANGLES))
    if len(text) > TITLE_MAX:
        text = text[: TITLE_MAX - 1].rstrip() + "…"
    return text


def looks_like_copy(name):
    """Whether the name is that of a copy («… - копия», «… (1)», «Copy of …»):
    of two files with the same content, the other one is imported."""
    text = _numbering_off(_strip_extensions(name.strip()))
    return _copy_marks_off(text) != text


def kind_for(name):
    """The kind of article a file of this type most likely is."""
    return _KINDS.get(extension_of(name), Article.Kind.DOCUMENT)


_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya",
    }
)  # fmt: skip


def slug_base(title, *, fallback, limit=SLUG_MAX - 6):
    """A Latin slug for ``title`` the way the demo's slugs are written
    («Кодекс клиентоцентричности» → «kodeks-klientocentrichnosti»), short
    enough for a «-NN» suffix."""
    slug = slugify(title.lower().translate(_TRANSLIT))
    if len(slug) > limit:
        slug = slug[:limit]
        if "-" in slug[limit // 2 :]:
            slug = slug.rsplit("-", 1)[0]
    return slug.strip("-") or fallback


def slugs_unique(bases, *, taken):
    """One free slug per base (in order): ``base``, ``base-2``, … never one
    of ``taken`` (a set, extended with what is handed out)."""
    result = []
    for base in bases:
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        result.append(slug)
    return result


_DIGITS = re.compile(r"(\d+)")


def natural_key(name):
    """Sort «2 …» before «10 …», as the person who numbered them meant."""
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in _DIGITS.split(name)
        if part
    ]
