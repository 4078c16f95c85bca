"""The journey map on a route's page: stages as columns, the emotion curve,
pain points marked, stacked on a phone, A4 landscape on paper."""

import re
from pathlib import Path

from django.conf import settings

from expert.svg import point_x, point_y
from tests.expert.factories import make_journey, make_route

FEELINGS = ((1, -1), (-2, 0), (2,))


def _map(html):
    return html.split('<section class="journey"', 1)[1].split("</section>\n", 1)[0]


def test_stages_are_columns_in_order_with_their_steps_numbered(staff_client, db):
    route = make_journey(feelings=FEELINGS)
    html = _map(staff_client.get(route.get_absolute_url()).content.decode())
    stages = re.findall(r'journey-stage__no">Этап (\d+)</span> ([^<]+)</h3>', html)
    assert stages == [("1", "Этап 1"), ("2", "Этап 2"), ("3", "Этап 3")]
    steps = re.findall(r'id="step-(\d+)"', html)
    assert steps == ["1", "2", "3", "4", "5"]
    assert "Этапов: 3, шагов: 5, из них с болями клиента: 0." in html


def test_the_curve_points_match_the_feelings(staff_client, db):
    route = make_journey(feelings=FEELINGS)
    html = _map(staff_client.get(route.get_absolute_url()).content.decode())
    flat = [feeling for stage in FEELINGS for feeling in stage]
    points = re.findall(
        r'<circle class="journey-curve__point[^"]*" cx="(\d+)" cy="(\d+)" r="6" '
        r'data-step="(\d+)" data-feeling="(-?\d)"',
        html,
    )
    assert [int(feeling) for *_xy, _step, feeling in points] == flat
    for i, (x, y, step, feeling) in enumerate(points):
        assert int(step) == i + 1
        assert (int(x), int(y)) == (round(point_x(i)), point_y(int(feeling)))
    # The line goes through the same points, in the same order.
    line = re.search(r'<polyline class="journey-curve__line" points="([^"]+)"', html).group(1)
    assert line.split() == [f"{x},{y}" for x, y, *_rest in points]
    # +2 at the top, −2 at the bottom.
    assert point_y(2) < point_y(0) < point_y(-2)
    # In words too, for those who do not see the picture.
    assert "Шаг 3: −2" in html and "Шаг 5: +2" in html


def test_pain_points_are_marked_on_the_curve_and_the_cards(staff_client, db):
    route = make_journey(feelings=FEELINGS, pains={3: "Очередь у входа\nНет пандуса"})
    html = _map(staff_client.get(route.get_absolute_url()).content.decode())
    assert re.findall(r'class="journey-curve__pain" data-step="(\d+)"', html) == ["3"]
    card = html.split('id="step-3"', 1)[1].split("</li>\n", 1)[0]
    pains = html.split('id="step-3"', 1)[1].split("</ul>", 1)[0]
    assert "journey-step--pain" in html.split('id="step-3"', 1)[0].rsplit("<li", 1)[1]
    assert "<li>Очередь у входа</li><li>Нет пандуса</li>" in pains
    assert "Боли" in card
    assert "Шаг 3: −2, есть боли" in html
    assert "из них с болями клиента: 1." in html


def test_the_printout_carries_the_address_dates_and_owner(client, editor, db):
    route = make_route(owner=editor, title="Путь студента")
    make_journey(route, feelings=((1,),))
    client.force_login(editor)
    html = _map(client.get(route.get_absolute_url()).content.decode())
    printout = html.split('class="journey__print"', 1)[1].split("</p>", 1)[0]
    assert f"Адрес страницы: http://testserver{route.get_absolute_url()}" in printout
    assert "Обновлено" in printout and "Распечатано" in printout
    assert "ответственный: Елена Орлова" in printout


def _stylesheet():
    return (Path(settings.BASE_DIR) / "static/css/expert-journey.css").read_text()


def test_the_map_prints_on_a4_landscape():
    css = _stylesheet()
    printing = css.split("@media print", 1)[1]
    assert re.search(r"@page\s*\{\s*size:\s*A4 landscape", printing)
    assert ".journey__print { display: block" in printing
    # On the screen the print lines are hidden.
    assert ".journey__print { display: none; }" in css.split("@media", 1)[0]


def test_the_stages_stack_on_a_phone():
    css = _stylesheet()
    phone = css.split("@media (max-width: 48rem) {", 1)[1].split("\n}\n", 1)[0]
    assert ".journey__stages { grid-auto-flow: row;" in phone
    # Wider, the stages are columns.
    assert "grid-auto-flow: column;" in css.split("@media", 1)[0]


def test_the_page_links_the_maps_stylesheet(staff_client, db):
    route = make_journey(feelings=((0,),))
    html = staff_client.get(route.get_absolute_url()).content.decode()
    assert 'href="/static/css/expert-journey.css"' in html


def test_a_route_without_a_map_shows_nothing_to_staff_and_a_hint_to_editors(
    client_for, staff, editor
):
    route = make_route()
    html = client_for(staff).get(route.get_absolute_url()).content.decode()
    assert 'class="journey"' not in html and "карты пути" not in html
    html = client_for(editor).get(route.get_absolute_url()).content.decode()
    assert "У этого маршрута ещё нет карты пути" in html
    assert f"/admin/expert/journeystage/add/?article={route.pk}" in html


def test_editors_get_the_link_to_edit_the_map(client_for, staff, editor):
    route = make_journey(feelings=((0,),))
    link = f"/admin/expert/journeystage/?article={route.pk}"
    assert link in client_for(editor).get(route.get_absolute_url()).content.decode()
    assert link not in client_for(staff).get(route.get_absolute_url()).content.decode()
