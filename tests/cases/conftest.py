import pytest

from tests.cases.factories import make_head
from tests.feedback.factories import make_office


@pytest.fixture(autouse=True)
def _imports_run_inline(settings):
    settings.FEEDBACK_IMPORT_RUNNER = "sync"


@pytest.fixture
def region(db):
    """A region root, a department under it and two job centres in the department,
    plus a job centre of another department."""
    root = make_office("Управляющий центр", code="uc")
    north = make_office("Северный отдел", code="north", parent=root)
    office = make_office("ЦЗН Ленинского района", code="czn-leninskij", parent=north)
    sibling = make_office("ЦЗН Самарского района", code="czn-samarskij", parent=north)
    south = make_office("Южный отдел", code="south", parent=root)
    other = make_office("ЦЗН Кировского района", code="czn-kirovskij", parent=south)
    return {
        "root": root,
        "north": north,
        "office": office,
        "sibling": sibling,
        "south": south,
        "other": other,
    }


@pytest.fixture
def head(region):
    """The Руководитель of ЦЗН Ленинского района."""
    return make_head(region["office"], username="head")


@pytest.fixture
def north_head(region):
    return make_head(region["north"], username="north-head")


@pytest.fixture
def other_head(region):
    """A Руководитель of another office (ЦЗН Кировского района)."""
    return make_head(region["other"], username="other-head")
