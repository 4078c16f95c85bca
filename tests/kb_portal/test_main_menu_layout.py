"""The main menu as a real Chromium lays it out (static/css/kb.css, ``.main-nav``).

At 1280 px a staff member's menu is one line; a role with more links wraps
its own links onto a second line (the administrator has all of them), never
a third, without a label broken inside itself. On a phone (375 px) every
menu is one row that scrolls sideways, its links still big enough to touch
and their focus ring inside the row, which would clip one drawn outside.

Runs wherever Chromium is installed; skipped only where it is not, and never in
CI (CI=true), which installs it: there a missing browser fails the test. The
page is the menu's real HTML (``kb_portal.navigation.main_menu_html``) in the
real header with the real style sheet, opened from a file: no server, no
network. Widths depend on the fonts: the margin for one line is a few per cent
with the widest common sans-serif (DejaVu Sans).
"""

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from kb_portal.navigation import MENU_FLAGS, main_menu_html

CHROMIUM = next(
    filter(None, map(shutil.which, ["chromium", "chromium-browser", "google-chrome"])), None
)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Chromium is not installed"
)

STAFF = ()  # «Сотрудник»: no role flag
ADMINISTRATOR = MENU_FLAGS  # every link there is

MEASURE = """<script>
const nav = document.querySelector(".main-nav");
const boxes = [...nav.querySelectorAll("a")].map((a) => a.getBoundingClientRect());
const second = nav.querySelectorAll("a")[1];
second.focus();
const ring = getComputedStyle(second);
const lineHeight = parseFloat(getComputedStyle(nav.querySelector("a")).lineHeight);
parent.postMessage(JSON.stringify({
  width: window.innerWidth,
  links: boxes.length,
  rows: new Set(boxes.map((box) => Math.round(box.top))).size,
  scrolls: nav.scrollWidth > nav.clientWidth,
  minHeight: Math.min(...boxes.map((box) => box.height)),
  tallest: Math.max(...boxes.map((box) => box.height)),
  lineHeight,
  fontSize: getComputedStyle(nav.querySelector("a")).fontSize,
  focusVisible: second.matches(":focus-visible"),
  ring: [parseFloat(ring.outlineWidth), parseFloat(ring.outlineOffset)],
}), "*");
</script>"""

# The menu's page sits in a frame as wide as the screen to emulate (a
# headless window is at least 500 px wide); the frame's own width is what
# its media queries see. It sends its measurements up to the outer page.
OUTER = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>рамка</title>
<style>body {{ margin: 0; }} iframe {{ border: 0; display: block; }}</style></head><body>
<iframe src="menu.html" width="{width}" height="600" title="меню"></iframe><pre id="out"></pre>
<script>addEventListener("message", (event) => {{
  document.getElementById("out").textContent = event.data; }});</script></body></html>"""


def _layout(flags, width):
    """How Chromium lays out the menu of ``flags`` in a window ``width`` px wide."""
    assert CHROMIUM, "Chromium is needed for this test: apt-get install -y chromium"
    css = (Path(settings.BASE_DIR) / "static" / "css" / "kb.css").as_uri()
    page = (
        '<!doctype html><html lang="ru"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>меню</title><link rel="stylesheet" href="{css}"></head><body>'
        f'<header class="site-header">{main_menu_html("home", "", tuple(flags))}</header>'
        f"{MEASURE}</body></html>"
    )
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "menu.html").write_text(page, encoding="utf-8")
        file = Path(folder) / "outer.html"
        file.write_text(OUTER.format(width=width), encoding="utf-8")
        result = subprocess.run(  # noqa: S603 - a fixed browser with our own arguments
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--hide-scrollbars",
                f"--user-data-dir={folder}/profile",
                "--window-size=1600,900",
                "--virtual-time-budget=5000",
                "--allow-file-access-from-files",
                "--dump-dom",
                file.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    found = re.search(r'<pre id="out">(.*?)</pre>', result.stdout, re.S)
    assert found and found[1], (result.stdout[-500:], result.stderr[-500:])
    layout = json.loads(html.unescape(found[1]))
    assert layout["width"] == width
    assert layout["fontSize"] == "16px"  # the menu keeps the body's size
    return layout


def test_a_staff_menu_is_one_line_at_1280_px():
    layout = _layout(STAFF, 1280)
    assert layout["links"] == 7
    assert layout["rows"] == 1


def test_the_administrators_menu_wraps_onto_two_lines_at_1280_px():
    layout = _layout(ADMINISTRATOR, 1280)
    assert layout["links"] == 14
    assert layout["rows"] == 2
    assert layout["tallest"] < 2 * layout["lineHeight"]  # no label broken in two


@pytest.mark.parametrize("flags", [STAFF, ADMINISTRATOR], ids=["staff", "administrator"])
def test_on_a_phone_the_menu_is_one_row_that_scrolls(flags):
    layout = _layout(flags, 375)
    assert (layout["rows"], layout["scrolls"]) == (1, True)
    assert layout["minHeight"] >= 44  # a touch target
    # The focus ring is drawn inside the link: the scrolling row clips
    # anything outside it, above and below.
    width, offset = layout["ring"]
    assert layout["focusVisible"] and width >= 2
    assert offset <= -width


def test_on_a_desktop_the_focus_ring_is_around_the_link():
    layout = _layout(STAFF, 1280)
    width, offset = layout["ring"]
    assert layout["focusVisible"] and width >= 2
    assert offset >= 0
