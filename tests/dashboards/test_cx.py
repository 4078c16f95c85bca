"""The CX index arithmetic on small hand-computed examples (no database).

Counts are what monthly slices hold: ``<score>_n`` answers given,
``<score>_fav`` of them 4–5. z = 1.96 (exactly 1.959964) throughout.
"""

import random

import pytest

from dashboards import cx as cxm


def counts(**values):
    result = cxm.empty_counts()
    result.update(values)
    return result


# Citizens of the main example:
#   politeness 8 of 10 favourable, competence 2 of 5 → F pooled = 10/15 = 66.667
#     (the mean of the two shares would be (80 + 40)/2 = 60: we pool, see cx.py)
#   solved «yes» 5 of 10 = 50, CSAT 4–5 9 of 10 = 90 → U = (50 + 90)/2 = 70
#   CES 4–5 7 of 10 → E = 70
#   relevance 4–5 6 of 10 → A = 60
#   comfort 8/10 = 80, waiting 5/10 = 50, information 9/10 = 90 → K = 220/3 = 73.333
#   citizens = (66.667 + 70 + 70 + 60 + 73.333)/5 = 340/5 = 68.0
CITIZENS = counts(
    responses=10,
    politeness_n=10, politeness_fav=8,
    competence_n=5, competence_fav=2,
    solved_n=10, solved_yes=5,
    csat_n=10, csat_fav=9,
    ces_n=10, ces_fav=7,
    relevance_n=10, relevance_fav=6,
    comfort_n=10, comfort_fav=8,
    waiting_n=10, waiting_fav=5,
    information_n=10, information_fav=9,
)  # fmt: skip
# Employers: F = 9/10 = 90; U = (8/10 + 10/10)/2 = 90; E = 90; A = 90;
# K = (90 + 90 + 90)/3 = 90 → employers = 90.
EMPLOYERS = counts(
    responses=10,
    politeness_n=5, politeness_fav=5,
    competence_n=5, competence_fav=4,
    solved_n=10, solved_yes=8,
    csat_n=10, csat_fav=10,
    ces_n=10, ces_fav=9,
    relevance_n=10, relevance_fav=9,
    comfort_n=10, comfort_fav=9,
    waiting_n=10, waiting_fav=9,
    information_n=10, information_fav=9,
)  # fmt: skip


def test_each_group_score_of_the_example():
    groups = cxm.group_scores(CITIZENS)
    assert groups["F"].value == pytest.approx(200 / 3)  # pooled 10/15, not the mean 60
    assert groups["U"].value == pytest.approx(70)
    assert groups["E"].value == pytest.approx(70)
    assert groups["A"].value == pytest.approx(60)
    assert groups["K"].value == pytest.approx(220 / 3)


def test_group_index_is_the_mean_of_the_five_groups():
    assert cxm.side_index("citizen", CITIZENS).value == pytest.approx(68.0)
    assert cxm.side_index("employer", EMPLOYERS).value == pytest.approx(90.0)


def test_cx_index_is_half_citizens_half_employers():
    # 0.5 × 68 + 0.5 × 90 = 79.0 → three stars (70–80)
    index = cxm.cx_index({"citizen": CITIZENS, "employer": EMPLOYERS})
    assert index.value == pytest.approx(79.0)
    assert index.stars == 3
    assert index.only_side is None
    assert index.responses == 20


def test_group_parts_are_combined_like_the_groups():
    """With both sides, a part is 0.5 × citizens + 0.5 × employers, as its group is.

    Pooled, CES would be (7 + 9)/20 = 80 while E, a 50/50 mix, is (70 + 90)/2 = 80 —
    equal here only because both sides have 10 answers; see the next test.
    """
    groups = cxm.weighted_groups(cxm.cx_index({"citizen": CITIZENS, "employer": EMPLOYERS}))
    parts = dict(groups["E"].components)
    assert groups["E"].value == pytest.approx(80)
    assert parts["ces"].value == pytest.approx(80)
    assert parts["ces"].n == 20  # both sides' answers
    u = dict(groups["U"].components)
    assert u["solved"].value == pytest.approx((50 + 80) / 2)
    assert u["csat"].value == pytest.approx((90 + 100) / 2)
    assert groups["U"].value == pytest.approx((u["solved"].value + u["csat"].value) / 2)


def test_a_group_of_one_part_shows_the_value_of_that_part():
    # 100 citizens, 20 % find it easy; 10 employers, all of them: pooled CES
    # = 30/110 = 27.3 %, but E = 0.5 × 20 + 0.5 × 100 = 60 — the part must say 60.
    citizens = counts(responses=100, ces_n=100, ces_fav=20)
    employers = counts(responses=10, ces_n=10, ces_fav=10)
    groups = cxm.weighted_groups(cxm.cx_index({"citizen": citizens, "employer": employers}))
    for code in ("E", "A"):
        (_key, part), *others = groups[code].components
        assert not others
        assert part.value == groups[code].value or part.value is None
    assert groups["E"].value == pytest.approx(60)
    assert dict(groups["E"].components)["ces"].n == 110


def test_one_side_missing_the_other_stands_alone():
    index = cxm.cx_index({"citizen": CITIZENS})
    assert index.value == pytest.approx(68.0)
    assert index.only_side == "citizen"
    assert index.employers.value is None
    only_employers = cxm.cx_index({"employer": EMPLOYERS, "citizen": cxm.empty_counts()})
    assert only_employers.value == pytest.approx(90.0)
    assert only_employers.only_side == "employer"


def test_no_answers_at_all_gives_no_index():
    index = cxm.cx_index({})
    assert index.value is None
    assert index.stars is None
    assert index.low is None


def test_a_group_without_answers_is_left_out_not_counted_as_zero():
    # Employers without any relevance answer: A is absent, the index is the
    # mean of F, U, E, K = (90 + 90 + 90 + 90)/4 = 90 (not 72 as with A = 0).
    no_relevance = dict(EMPLOYERS, relevance_n=0, relevance_fav=0)
    side = cxm.side_index("employer", no_relevance)
    assert side.groups["A"].value is None
    assert side.value == pytest.approx(90.0)


def test_u_and_k_average_only_the_shares_that_have_answers():
    # No CSAT answers: U = share solved = 50; no waiting answers: K = (80 + 90)/2 = 85.
    groups = cxm.group_scores(dict(CITIZENS, csat_n=0, csat_fav=0, waiting_n=0, waiting_fav=0))
    assert groups["U"].value == pytest.approx(50)
    assert groups["K"].value == pytest.approx(85)


def test_group_weights_from_settings_are_used(settings):
    # F counts double: (2 × 66.667 + 70 + 70 + 60 + 73.333)/6 = 406.667/6 = 67.778
    settings.CX_GROUP_WEIGHTS = {"F": 2, "U": 1, "E": 1, "A": 1, "K": 1}
    assert cxm.side_index("citizen", CITIZENS).value == pytest.approx(406.6667 / 6, abs=1e-3)


def test_side_weights_from_settings_are_used(settings):
    # 0.75 × 68 + 0.25 × 90 = 51 + 22.5 = 73.5
    settings.CX_CITIZEN_WEIGHT = 0.75
    settings.CX_EMPLOYER_WEIGHT = 0.25
    index = cxm.cx_index({"citizen": CITIZENS, "employer": EMPLOYERS})
    assert index.value == pytest.approx(73.5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 1),
        (59.9, 1),
        (59.94, 1),  # shown as 59,9
        (59.96, 2),  # shown as 60,0: stars follow the number shown
        (60, 2),
        (69.9, 2),
        (70, 3),
        (79.9, 3),
        (80, 4),
        (89.9, 4),
        (90, 5),
        (100, 5),
        (None, None),
    ],
)
def test_stars_boundaries(value, expected):
    assert cxm.stars(value) == expected


def test_wilson_interval_of_8_of_10():
    # p = 0.8, z² = 3.8415; denominator = 1 + z²/n = 1.38415
    # centre = (0.8 + z²/20)/1.38415 = 0.99207/1.38415 = 0.71674
    # half = z·√(0.8·0.2/10 + z²/400)/1.38415 = 1.96·√0.0256037/1.38415 = 0.22658
    # → 49.02 % … 94.33 %
    share = cxm.Share(8, 10)
    assert share.value == pytest.approx(80)
    assert share.low == pytest.approx(49.02, abs=0.01)
    assert share.high == pytest.approx(94.33, abs=0.01)


def test_wilson_interval_stays_inside_0_and_100():
    assert cxm.Share(10, 10).high == pytest.approx(100)
    assert cxm.Share(10, 10).low == pytest.approx(72.25, abs=0.01)  # 10/(10 + z²) = 0.7225
    assert cxm.Share(0, 10).low == pytest.approx(0)
    assert cxm.Share(0, 0).value is None


def test_nps_and_its_interval():
    # 10 answers: 5 promoters (9–10), 2 passives, 3 detractors (0–6)
    # NPS = 50 % − 30 % = 20; var = (0.5 + 0.3 − 0.2²)/10 = 0.076; sd = 0.27568
    # half = 1.96 × 0.27568 = 0.54033 → −34.0 … 74.0
    nps = cxm.nps(counts(nps_n=10, nps_promoters=5, nps_detractors=3))
    assert nps.value == pytest.approx(20)
    assert nps.low == pytest.approx(-34.03, abs=0.01)
    assert nps.high == pytest.approx(74.03, abs=0.01)
    assert cxm.nps(counts()).value is None


def test_nps_is_beside_the_index_not_in_it():
    with_nps = dict(CITIZENS, nps_n=10, nps_promoters=0, nps_detractors=10)
    assert cxm.cx_index({"citizen": with_nps}).value == pytest.approx(68.0)
    assert cxm.cx_index({"citizen": with_nps}).nps.value == pytest.approx(-100)


def test_index_interval_by_the_delta_method():
    # One side, only CES answered: 7 of 10 → E = 70 = the side's index.
    # Agresti–Coull: ñ = 10 + z² = 13.8415; p̃ = (7 + z²/2)/ñ = 8.92073/13.8415 = 0.644492
    # var = p̃(1 − p̃)/ñ = 0.644492 · 0.355508 / 13.8415 = 0.0165533 → 165.533 %²
    # half = 1.96 · √165.533 = 1.96 · 12.8660 = 25.217 → 44.78 … 95.22
    side_only_e = counts(responses=10, ces_n=10, ces_fav=7)
    index = cxm.cx_index({"citizen": side_only_e})
    assert index.value == pytest.approx(70)
    assert index.low == pytest.approx(44.78, abs=0.02)
    assert index.high == pytest.approx(95.22, abs=0.02)
    # Two sides, the employers 9 of 10: p̃ = 10.92073/13.8415 = 0.788984,
    # var = 0.788984 · 0.211016 / 13.8415 = 0.0120282 → 120.282 %²
    # CX = 0.5·70 + 0.5·90 = 80; var = 0.25·165.533 + 0.25·120.282 = 71.454
    # half = 1.96 · 8.4531 = 16.568 → 63.43 … 96.57
    both = cxm.cx_index(
        {"citizen": side_only_e, "employer": counts(responses=10, ces_n=10, ces_fav=9)}
    )
    assert both.value == pytest.approx(80)
    assert both.low == pytest.approx(63.43, abs=0.02)
    assert both.high == pytest.approx(96.57, abs=0.02)


def test_group_interval_of_a_mean_of_shares():
    # U of solved 5/10 and CSAT 9/10: var = (var₁ + var₂)/4 with Agresti–Coull variances
    # p̃₁ = 6.92073/13.8415 = 0.5, var₁ = 0.25/13.8415 = 0.0180617
    # p̃₂ = 10.92073/13.8415 = 0.788984, var₂ = 0.0120282
    # var = 0.0300899/4 = 0.00752248 → 75.225 %², half = 1.96·8.6732 = 17.00 → 53.0 … 87.0
    group = cxm.group_scores(counts(solved_n=10, solved_yes=5, csat_n=10, csat_fav=9))["U"]
    assert group.value == pytest.approx(70)
    assert group.low == pytest.approx(53.0, abs=0.02)
    assert group.high == pytest.approx(87.0, abs=0.02)


def test_indicators_beside_the_index():
    index = cxm.cx_index(
        {
            "citizen": counts(
                responses=200, csat_n=100, csat_fav=91, ces_n=50, ces_fav=40, ces_sum=210,
                on_time_n=80, on_time_yes=60, wait_n=4, wait_sum=50, complaints=3,
                complaints_justified=1,
            )
        }
    )  # fmt: skip
    assert index.csat.value == pytest.approx(91)
    assert index.ces.value == pytest.approx(80)
    assert index.ces_mean == pytest.approx(4.2)
    assert index.on_time.value == pytest.approx(75)
    assert index.wait_mean == pytest.approx(12.5)
    assert index.complaints_per_1000 == pytest.approx(15)  # 3/200 × 1000
    assert index.justified_per_1000 == pytest.approx(5)


def test_fewer_than_the_minimum_is_not_enough(settings):
    settings.CX_MIN_RESPONSES = 30
    assert not cxm.cx_index({"citizen": dict(CITIZENS, responses=29)}).enough
    assert cxm.cx_index({"citizen": dict(CITIZENS, responses=30)}).enough


def test_heat_map_cell_agrees_with_the_full_computation():
    rng = random.Random(5)
    for _ in range(200):
        by_type = {}
        for side in ("citizen", "employer"):
            if rng.random() < 0.2:
                continue
            c = cxm.empty_counts()
            for name in ("politeness", "competence", "csat", "ces", "relevance", "comfort",
                         "waiting", "information"):  # fmt: skip
                c[f"{name}_n"] = rng.choice([0, rng.randint(1, 50)])
                c[f"{name}_fav"] = rng.randint(0, c[f"{name}_n"])
            c["solved_n"] = rng.randint(0, 50)
            c["solved_yes"] = rng.randint(0, c["solved_n"])
            c["responses"] = 50
            by_type[side] = c
        full = cxm.cx_index(by_type).value
        cell = cxm.cx_cell(by_type).value
        assert (full is None and cell is None) or cell == pytest.approx(full)
