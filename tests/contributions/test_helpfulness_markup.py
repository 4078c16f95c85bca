"""The helpfulness question under an article is written out by hand (it is on
every article page); it must stay the markup the form itself renders."""

import re

from django.template.loader import render_to_string

from contributions.forms import HelpfulnessForm
from contributions.models import TEXT_MAX_LENGTH, Helpfulness


def _normal(html):
    html = re.sub(r"\{#.*?#\}", "", html, flags=re.S)
    return re.sub(r">\s+<", "><", " ".join(html.split()))


def test_written_out_question_is_the_forms_own_markup():
    by_hand = render_to_string(
        "contributions/includes/helpfulness_blank.html",
        {
            "helpfulness_reasons": Helpfulness.Reason.choices,
            "helpfulness_text_max": TEXT_MAX_LENGTH,
        },
    )
    rendered = render_to_string(
        "contributions/includes/helpfulness_fields.html", {"form": HelpfulnessForm()}
    )
    assert 'value="outdated"' in by_hand
    assert _normal(by_hand) == _normal(rendered)
