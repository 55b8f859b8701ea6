"""Likert shares, groups, weights, intervals and tests: the report's numbers and hand-made tables."""

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from textmine.cli import main
from textmine.config import LikertSettings, SurveyConfig, load_config
from textmine.survey import shares
from textmine.survey.reading import read_survey

from .conftest import DATA

GROUP_KEYS = {"medarbejdere": shares.EMPLOYEES, "ledere": shares.LEADERS,
              "taet_paa": shares.NEAR, "langt_fra": shares.FAR}


@pytest.fixture(scope="module")
def demo():
    config = load_config()
    return config, read_survey(config.survey_file, config.sheet)


def test_every_item_share_matches_the_report(demo):
    config, table = demo
    targets = json.loads((DATA / "report_targets.json").read_text(encoding="utf-8"))
    got = shares.item_shares(table, config).set_index(["item", "group"])
    assert set(got.index.get_level_values("item")) == set(targets["items"])
    not_rounded = []
    for item, target in targets["items"].items():
        for key, group in GROUP_KEYS.items():
            share = got.loc[(item, group), "share"]
            if target["exact"][key] is None:          # not asked of this group
                assert np.isnan(share) and got.loc[(item, group), "n"] == 0
                continue
            assert share == pytest.approx(target["exact"][key], abs=0.01), (item, group)
            if int(share + 0.5) != target["report"][key]:
                not_rounded.append((item, group))
    # The one published figure that is not its exact share rounded (43.53 printed as 43): the
    # targets file's own inconsistency, since the exact share above matches.
    assert not_rounded == [("lm_tilgraensende", "Ledere")]


def test_group_sizes_match_the_report(demo):
    config, table = demo
    sizes = {name: int(mask.sum()) for name, mask in shares.report_groups(table, config).items()}
    n = json.loads((DATA / "report_targets.json").read_text(encoding="utf-8"))["n"]
    assert sizes == {GROUP_KEYS[k]: v for k, v in n.items()}


def test_shares_command_writes_the_contract(tmp_path):
    assert main(["shares", str(DATA / "baseline_survey.csv"), "--out", str(tmp_path)]) == 0
    items = pd.read_csv(tmp_path / "item_shares.csv")
    assert list(items.columns) == ["item", "group", "n", "share"]
    assert len(items) == 33 * 4 and set(items["group"]) == set(GROUP_KEYS.values())
    row = items[(items["item"] == "au_viden_arbejdsmarked") & (items["group"] == "Ledere")].iloc[0]
    assert row["n"] == 85 and row["share"] == pytest.approx(61.176, abs=0.001)
    fields = pd.read_csv(tmp_path / "field_shares.csv")
    assert len(fields) == 6 * 4 and fields["share"].between(0, 100).all()


# --- hand-made tables ---------------------------------------------------------------------------

CONFIG = SurveyConfig(
    id_column="id",
    groups={"role_column": "rolle", "leader_value": "Leder", "employee_value": "Medarbejder",
            "near_columns": ["near1", "near2"], "far_columns": ["far1"], "yes_value": "Ja"},
    likert=LikertSettings(scale_min=1, scale_max=5, high_from=4, fields={"F": ("a", "b")}),
)


def small_table():
    return pd.DataFrame({
        "id":    ["1", "2", "3", "4", "5", "6"],
        "rolle": ["Medarbejder", "Medarbejder", "Medarbejder", "Medarbejder", "Leder", "Leder"],
        "near1": ["Ja", "Nej", "Ja", "Nej", "Ja", "Nej"],
        "near2": ["Nej", "Nej", "Nej", "Nej", "Nej", "Nej"],
        "far1":  ["Nej", "Ja", "Ja", "Nej", "Nej", "Ja"],
        "a":     ["5", "4", "2", "", "1", "0"],          # "" not answered; 0 is outside the scale
        "b":     ["3", "5", "4", "4", "", ""],
        "w":     ["1", "3", "1", "1", "2", "1"],
    })


def test_segment_rule():
    groups = shares.report_groups(small_table(), CONFIG)
    assert groups[shares.NEAR].tolist() == [True, False, False, False, False, False]   # only near, employee
    assert groups[shares.FAR].tolist() == [False, True, False, False, False, False]    # only far, employee
    assert groups[shares.EMPLOYEES].sum() == 4 and groups[shares.LEADERS].sum() == 2


def test_missing_and_out_of_scale_answers_are_not_counted_as_low():
    items = shares.item_shares(small_table(), CONFIG).set_index(["item", "group"])
    # item a, employees: answers 5, 4, 2 (the empty one is not counted) -> 2 of 3 high
    assert items.loc[("a", shares.EMPLOYEES), "n"] == 3
    assert items.loc[("a", shares.EMPLOYEES), "share"] == pytest.approx(200 / 3)
    # leaders: 1 and 0; 0 is outside 1-5 -> one answer, low
    assert items.loc[("a", shares.LEADERS), "n"] == 1 and items.loc[("a", shares.LEADERS), "share"] == 0


def test_weights_enter_every_share():
    weighted = replace(CONFIG, weight_column="w")
    items = shares.item_shares(small_table(), weighted).set_index(["item", "group"])
    # item a, employees: high answers have weights 1 and 3, the low one 1 -> 4 / 5
    assert items.loc[("a", shares.EMPLOYEES), "share"] == pytest.approx(80.0)
    assert items.loc[("a", shares.EMPLOYEES), "n"] == 3              # n stays a count of respondents
    assert items.loc[("a", shares.EMPLOYEES), "mean"] == pytest.approx((5 * 1 + 4 * 3 + 2 * 1) / 5)


def test_field_share_is_share_with_field_mean_high():
    fields = shares.field_shares(small_table(), CONFIG).set_index(["field", "group"])
    # employee means: (5+3)/2=4, (4+5)/2=4.5, (2+4)/2=3, 4 -> 3 of 4 at 4 or more
    assert fields.loc[("F", shares.EMPLOYEES), "share"] == pytest.approx(75.0)
    assert fields.loc[("F", shares.EMPLOYEES), "n"] == 4
    # leaders: respondent 5 has mean 1; respondent 6 answered nothing in the scale -> not counted
    assert fields.loc[("F", shares.LEADERS), "n"] == 1


def test_low_middle_high_distribution_adds_to_100():
    dist = shares.item_distribution(small_table(), CONFIG).set_index(["item", "group"])
    row = dist.loc[("b", shares.EMPLOYEES)]        # 3, 5, 4, 4
    assert (row["Lavt"], row["Mellem"], row["Højt"]) == pytest.approx((0, 25, 75))


@pytest.mark.parametrize("count,n", [(0, 10), (3, 10), (41, 85), (761, 761), (7, 300)])
def test_wilson_interval_matches_scipy(count, n):
    expected = stats.binomtest(count, n).proportion_ci(confidence_level=0.95, method="wilson")
    low, high = shares.wilson_interval(count, n)
    assert (low, high) == pytest.approx((100 * expected.low, 100 * expected.high), abs=1e-9)


def test_group_test_matches_scipy():
    test, p = shares.group_difference_test([40, 20], [100, 90])
    assert test == "chi2"
    assert p == pytest.approx(stats.chi2_contingency([[40, 60], [20, 70]], correction=False)[1])
    test, p = shares.group_difference_test([3, 0], [10, 12])        # small expected counts
    assert test == "Fisher" and p == pytest.approx(stats.fisher_exact([[3, 7], [0, 12]])[1])
    test, p = shares.group_difference_test([5, 9, 30], [50, 60, 70])  # more than two groups
    assert test == "chi2"
    assert p == pytest.approx(stats.chi2_contingency([[5, 45], [9, 51], [30, 40]], correction=False)[1])


def test_theme_by_group_and_likert_context():
    table = small_table()
    themes = pd.DataFrame({"respondent_id": ["1", "2", "5", "2"], "theme": ["T", "T", "T", "U"]})
    answered = ["1", "2", "3", "5"]
    groups = shares.report_groups(table, CONFIG)
    by_group = shares.theme_by_group(themes, answered, table, CONFIG, groups).set_index(["theme", "group"])
    # employees who answered: 1, 2, 3 -> theme T: 1, 2
    assert by_group.loc[("T", shares.EMPLOYEES), ["n", "count"]].tolist() == [3, 2]
    assert by_group.loc[("T", shares.EMPLOYEES), "share"] == pytest.approx(200 / 3)
    low, high = shares.wilson_interval(2, 3)
    assert by_group.loc[("T", shares.EMPLOYEES), ["ci_low", "ci_high"]].tolist() == pytest.approx([low, high])
    tests = shares.theme_group_tests(by_group.reset_index(), shares.REPORT_COMPARISONS)
    assert set(tests["groups"]) == {"Medarbejdere vs Ledere", "Tæt på arbejdsmarkedet vs Langt fra arbejdsmarkedet"}
    context = shares.likert_context(["1", "2"], answered, table, CONFIG).set_index("field")
    # theme: means 4 and 4.5 -> 100 %; others who answered: 3 (mean 3) and 5 (mean 1) -> 0 %
    assert context.loc["F", ["share_theme", "share_others", "difference"]].tolist() == [100, 0, 100]


# --- the groups' order: the survey's own --------------------------------------------------------

def test_groups_of_an_spss_column_follow_its_value_labels_codes(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame({"id": ["1", "2", "3", "4"], "udd": [3.0, 1.0, 3.0, 2.0]})
    path = tmp_path / "s.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={     # written out of code order on purpose
        "udd": {3.0: "Akademiker", 1.0: "Ufaglært", 2.0: "Faglært", 4.0: "Ingen af dem"}})
    groups = shares.groups_by_column(read_survey(path), "udd")
    assert list(groups) == ["Ufaglært", "Faglært", "Akademiker"]       # by code; an unused label is no group
    assert groups["Akademiker"].tolist() == [True, False, True, False]


@pytest.mark.parametrize("values,expected", [
    (["1-2 år", "Over 10 år", "3-5 år", "Under 1 år", "6-10 år", "", "3-5 år"],
     ["Under 1 år", "1-2 år", "3-5 år", "6-10 år", "Over 10 år"]),
    (["60+", "30-39 år", "Under 30 år", "40-59 år"], ["Under 30 år", "30-39 år", "40-59 år", "60+"]),
    (["I høj grad", "Ved ikke", "I lav grad", "i meget høj grad", "I nogen grad"],
     ["I lav grad", "I nogen grad", "I høj grad", "i meget høj grad", "Ved ikke"]),
    (["Syddanmark", "Nordjylland", "Syddanmark", "Bornholm", "Midtjylland"],       # no order of its own
     ["Syddanmark", "Nordjylland", "Bornholm", "Midtjylland"]),
])
def test_groups_of_a_text_column_follow_its_scale_else_the_files_order(values, expected):
    table = pd.DataFrame({"id": [str(i) for i in range(len(values))], "g": values})
    groups = shares.groups_by_column(table, "g")
    assert list(groups) == expected
    assert sum(int(m.sum()) for m in groups.values()) == sum(1 for v in values if v)


def test_theme_context_and_the_tal_groups_use_the_same_order():
    from textmine.survey.context import number_groups

    table = small_table().assign(erfaring=["Over 10 år", "Under 1 år", "1-2 år", "Over 10 år", "3-5 år", "1-2 år"])
    config = replace(CONFIG, groups={}, background=("erfaring",))
    order = ["Under 1 år", "1-2 år", "3-5 år", "Over 10 år"]
    assert list(number_groups(table, config))[1:] == order
    by_group, _, _ = shares.theme_context(["1", "2"], list(table["id"]), table, config, by="erfaring")
    assert list(by_group["group"]) == order


# --- a description that leaves out the cut points -----------------------------------------------

@pytest.mark.parametrize("minimum,maximum,high_from,low_max", [(1, 5, 4, 2), (0, 10, 7, 3), (1, 7, 5, 3),
                                                               (1, 4, 3, 2), (1, 10, 7, 4)])
def test_high_from_and_low_max_default_to_the_scales_own_cut_points(minimum, maximum, high_from, low_max):
    from textmine.survey.context import high_phrase
    from textmine.survey.setup import Scale

    codes = [str(v) for v in range(minimum, maximum + 1)]
    table = pd.DataFrame({"id": [str(i) for i in range(len(codes))], "a": codes})
    likert = LikertSettings(scale_min=minimum, scale_max=maximum, fields={"F": ("a",)})
    config = SurveyConfig(id_column="id", likert=likert)
    everyone = {"Alle": pd.Series(True, index=table.index)}
    row = shares.item_shares(table, config, everyone).iloc[0]
    assert row["share"] == pytest.approx(100 * (maximum - high_from + 1) / len(codes))      # only the top counts
    dist = shares.item_distribution(table, config, everyone).iloc[0]
    assert dist["Lavt"] == pytest.approx(100 * (low_max - minimum + 1) / len(codes))
    assert shares.scale(config)[2:] == (low_max, high_from) == Scale(minimum, maximum).cuts   # as the setup proposes
    assert high_phrase(config).startswith(f"{high_from}–{maximum} ")
