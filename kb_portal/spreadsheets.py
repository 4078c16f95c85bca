"""Cells of exported CSV/XLSX files that no spreadsheet runs as formulas.

A value from a person or an import (a comment, an office title, a rejected
row) that starts with one of these characters would be read by Excel or
LibreOffice as a formula (`=HYPERLINK(...)`); a leading apostrophe makes it
plain text.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """``value`` unchanged, unless it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
