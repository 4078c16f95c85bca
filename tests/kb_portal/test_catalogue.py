"""The Russian catalogue has every plural in all four forms: a count whose
forms are missing falls back to the msgid_plural («2 версий»)."""

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"
FORM = re.compile(r'^msgstr\[(\d)\] "(.*)"\n((?:".*"\n)*)', re.MULTILINE)


def _plural_entries(text):
    for block in text.split("\n\n"):
        if "msgid_plural" in block and not block.lstrip().startswith("#~"):
            yield block


def _forms(block):
    forms = {}
    for match in FORM.finditer(block + "\n"):
        continuation = "".join(re.findall(r'"(.*)"', match.group(3)))
        forms[int(match.group(1))] = match.group(2) + continuation
    return forms


def test_every_plural_has_its_four_russian_forms():
    entries = list(_plural_entries(PO.read_text(encoding="utf-8")))
    assert len(entries) > 20
    filled = {block: sorted(k for k, v in _forms(block).items() if v) for block in entries}
    missing = [block for block, forms in filled.items() if forms != [0, 1, 2, 3]]
    assert not missing, "plural forms missing:\n\n" + "\n\n".join(missing)


def test_the_check_sees_an_empty_form():
    block = 'msgid "%(n)s день"\nmsgid_plural "%(n)s дней"\nmsgstr[0] "a"\nmsgstr[1] ""\n'
    assert _forms(block) == {0: "a", 1: ""}
    wrapped = 'msgid_plural "x"\nmsgstr[0] ""\n"Последний "\n"комментарий"\n'
    assert _forms(wrapped) == {0: "Последний комментарий"}
