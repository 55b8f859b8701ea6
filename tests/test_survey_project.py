"""A survey the demo does not resemble, end to end in the core: proposed, described by the analyst, saved
beside the survey, discovered (fake embedder), recorded in the project, and every panel of the page
computed from the project's own description (asserted against values computed by hand here)."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from textmine.app.desk import Desk
from textmine.app.pipeline import discover_question
from textmine.config import DESCRIPTION, DiscoverySettings, LikertSettings, load_config
from textmine.project.store import Project
from textmine.project.themes import respondents
from textmine.survey import context as sv
from textmine.survey.reading import read_survey
from textmine.survey.setup import (
    BACKGROUND,
    ID,
    LIKERT,
    OTHER,
    QUESTION,
    SetupError,
    assign_role,
    description,
    propose,
    save_description,
    setup_table,
    with_roles,
)

from .conftest import FakeEmbedder
from .test_survey_setup import AGREE, TEXTS

KOMMUNER = ["Aarhus", "Viborg", "Skive"]


def kommune_survey(n: int = 72) -> pd.DataFrame:
    """Other id and question names than the demo's, text-label Likert items with "Ved ikke", a kommune column."""
    rng = np.random.default_rng(7)
    return pd.DataFrame({
        "id": [f"K{i:03d}" for i in range(n)],
        "kommune": [KOMMUNER[i % 3] for i in range(n)],
        "text": [f"{TEXTS[i % 4]} og lidt om dag {i}" for i in range(n)],
        "tilfreds_job": [AGREE[rng.integers(0, 5)] for _ in range(n)],
        "tilfreds_leder": [["Ved ikke", *AGREE][rng.integers(0, 6)] for _ in range(n)],
        "alder": [str(20 + i) for i in range(n)],
    })


@pytest.fixture
def described(tmp_path):
    """The survey in a projects folder's uploads, its description saved beside it, and a discovered project."""
    survey = kommune_survey()
    path = tmp_path / "projects" / "uploads" / "kommune.csv"
    path.parent.mkdir(parents=True)
    survey.to_csv(path, index=False)
    shown = setup_table(propose(survey), {})
    shown.loc[shown["Kolonne"] == "text", "Navn"] = "Hvad kan gøres bedre?"
    shown.loc[shown["Kolonne"] == "tilfreds_job", "Navn"] = "Jeg er tilfreds med mit job"
    roles = dict(zip(shown["Kolonne"], shown["Rolle"]))
    text = description(with_roles(propose(survey), survey, roles), path, dict(zip(shown["Kolonne"], shown["Navn"])))
    config = load_config(save_description(text, path))
    found = discover_question(survey, "text", config, DiscoverySettings(n_clusters=4, model=FakeEmbedder()),
                              source=path.name)
    project = found.save_project(tmp_path / "projects" / "kommune_text.sqlite", str(path), None, config=config)
    return survey, path, text, project


def test_the_proposal_for_a_survey_unlike_the_demo():
    roles = {r.column: r.role for r in propose(kommune_survey()).roles}
    assert roles == {"id": ID, "kommune": BACKGROUND, "text": QUESTION, "tilfreds_job": LIKERT,
                     "tilfreds_leder": LIKERT, "alder": OTHER}


def test_the_project_records_its_description_and_reopens_with_it(described):
    survey, path, text, project = described
    assert (path.with_suffix(".toml")).read_text(encoding="utf-8") == text          # beside the survey
    assert Project(project.path).meta(DESCRIPTION) == text                           # and in the project
    desk = Desk(load_config())                                                       # the app runs on the demo
    snap = desk.snapshot(str(project.path))
    config = desk.config_of(snap)
    assert config.id_column == "id" and config.questions == {"text": "Hvad kan gøres bedre?"}
    assert config.background == ("kommune",) and config.survey_file == path
    assert desk.survey(snap)["id"].tolist() == survey["id"].tolist()
    assert sv.group_choices(config) == [("Kommune", "kommune")]                     # no report groups here
    assert ("Jeg er tilfreds med mit job", "tilfreds_job") in sv.item_choices(config)
    assert "baseline" not in repr(config)


def test_who_says_it_and_the_likert_context_match_a_hand_count(described):
    survey, path, text, project = described
    desk = Desk(load_config())
    snap = desk.snapshot(str(project.path))
    theme = max(snap.state.themes, key=lambda t: len(snap.state.members(t)))
    in_theme, answered = respondents(snap, theme)
    found = sv.context(in_theme, answered, desk.survey(snap), desk.config_of(snap), sv.REPORT_GROUPS)
    assert not found.group_note and not found.likert_note
    has = survey["id"].isin(set(map(str, in_theme)))
    rows = found.by_group.set_index("group")
    for kommune in KOMMUNER:
        mask = survey["kommune"] == kommune
        assert rows.loc[kommune, "n"] == mask.sum() and rows.loc[kommune, "count"] == (has & mask).sum()
        assert rows.loc[kommune, "share"] == pytest.approx(100 * (has & mask).sum() / mask.sum())
    codes = survey[["tilfreds_job", "tilfreds_leder"]].apply(lambda c: c.map({t: i + 1 for i, t in enumerate(AGREE)}))
    high = codes.mean(axis=1) >= 4                                               # "Ved ikke" left out of the mean
    likert = found.likert.set_index("field").loc["tilfreds"]
    assert likert["share_theme"] == pytest.approx(100 * (high & has).sum() / has.sum())
    assert likert["share_others"] == pytest.approx(100 * (high & ~has).sum() / (~has).sum())


def test_the_numbers_tab_shares_by_kommune_match_a_hand_count(described):
    survey, path, text, project = described
    desk = Desk(load_config())
    snap = desk.snapshot(str(project.path))
    items = sv.numbers(desk.survey(snap), desk.config_of(snap)).set_index(["item", "group"])
    for kommune in KOMMUNER:
        mine = survey[(survey["kommune"] == kommune) & (survey["tilfreds_leder"] != "Ved ikke")]
        assert items.loc[("tilfreds_leder", kommune), "n"] == len(mine)
        assert items.loc[("tilfreds_leder", kommune), "share"] == pytest.approx(
            100 * mine["tilfreds_leder"].isin(["Enig", "Helt enig"]).mean())
    assert items.loc[("tilfreds_job", sv.ALL), "n"] == len(survey)
    assert sv.numbers_intro(desk.config_of(snap)) == \
        "Andel, der svarer 4–5 (»enig« eller »helt enig«), blandt dem, der har svaret."


def test_an_older_project_without_a_description_uses_the_apps(described, tmp_path):
    survey, path, text, project = described
    old = Project.create(tmp_path / "old.sqlite", "text", pd.DataFrame(
        {"respondent_id": ["K000", "K001"], "answer": ["a b c", "d e f"], "cluster": [0, 0]}), str(path))
    app_config = load_config()
    assert Desk(app_config).config_of(Desk(app_config).snapshot(str(old.path))) is app_config


def test_a_survey_without_groups_or_likert_says_why_the_panels_are_empty(tmp_path):
    survey = pd.DataFrame({"nr": [f"x{i}" for i in range(30)], "svar": [f"{TEXTS[i % 4]} igen {i}" for i in range(30)]})
    path = tmp_path / "s.csv"
    survey.to_csv(path, index=False)
    config = load_config(save_description(description(propose(survey), path, {}), path))
    found = sv.context(["x1"], ["x1", "x2"], survey, config, sv.REPORT_GROUPS)
    assert found.group_note == sv.NO_GROUPS and found.likert_note == sv.NO_LIKERT and found.by_group is None
    assert sv.numbers(survey, config) is None and sv.numbers_intro(config) == sv.NO_ITEMS
    assert "konfigurationsfil" not in (sv.NO_GROUPS + sv.NO_LIKERT + sv.NO_ITEMS).lower()


@pytest.mark.parametrize("roles,message", [
    ({"id": OTHER}, "rollen »id«"), ({"text": OTHER}, "mindst ét åbent spørgsmål"),
    ({"kommune": ID}, "én id-kolonne"), ({"alder": ID, "id": OTHER}, "ikke alle udfyldt og forskellige"),
    ({"text": LIKERT}, "ikke svar på en skala"), ({"id": "hovedperson"}, "Ukendt rolle")])
def test_a_description_that_cannot_hold_is_refused_and_nothing_is_written(tmp_path, roles, message):
    survey = kommune_survey()
    survey.loc[1, "alder"] = survey.loc[0, "alder"]                  # repeats: cannot be the id
    path = tmp_path / "kommune.csv"
    base = {r.column: r.role for r in propose(survey).roles}
    with pytest.raises(SetupError, match=message):
        description(with_roles(propose(survey), survey, {**base, **roles}), path, {})
    assert not path.with_suffix(".toml").exists()


def test_assign_role_changes_only_the_chosen_columns():
    shown = setup_table(propose(kommune_survey()), {})
    changed = assign_role(shown, ["alder"], BACKGROUND)
    assert changed.set_index("Kolonne").loc["alder", "Rolle"] == BACKGROUND
    assert (changed.drop(index=changed.index[changed["Kolonne"] == "alder"])["Rolle"] ==
            shown.drop(index=shown.index[shown["Kolonne"] == "alder"])["Rolle"]).all()
    assert shown.set_index("Kolonne").loc["alder", "Rolle"] == OTHER                  # the input is not modified
    with pytest.raises(SetupError):
        assign_role(shown, [], BACKGROUND)


# -- the setup screen's steps (textmine.app.upload, called as plain functions) ---------------------------

def test_an_upload_without_text_answers_or_of_the_wrong_kind_is_refused_and_nothing_is_stored(tmp_path):
    from textmine.app.upload import propose_upload
    from textmine.errors import TextmineError

    numbers_only = tmp_path / "tal.csv"
    pd.DataFrame({"id": [f"x{i}" for i in range(40)], "score": [str(i % 5 + 1) for i in range(40)],
                  "kommune": [KOMMUNER[i % 3] for i in range(40)]}).to_csv(numbers_only, index=False)
    wrong = tmp_path / "noter.txt"
    wrong.write_text("ikke en survey", encoding="utf-8")
    for upload, message in ((numbers_only, "ingen kolonne med tekstsvar"), (wrong, "ingen rækker med data")):
        with pytest.raises(TextmineError, match=message):
            propose_upload(str(upload), tmp_path / "projects")
    assert not (tmp_path / "projects" / "uploads").exists() or not any((tmp_path / "projects" / "uploads").iterdir())


def test_saving_the_setup_writes_the_description_or_nothing(tmp_path):
    from textmine.app.upload import propose_upload
    from textmine.survey.setup import save_setup

    source = tmp_path / "kommune.csv"
    kommune_survey().to_csv(source, index=False)
    stored, table, proposal = propose_upload(str(source), tmp_path / "projects")
    shown = setup_table(proposal, {})
    with pytest.raises(SetupError, match="åbent spørgsmål"):
        save_setup(stored, assign_role(shown, ["text"], OTHER), table)
    assert not stored.with_suffix(".toml").exists()                                  # nothing half-written
    shown.loc[shown["Kolonne"] == "kommune", "Navn"] = "Kommunen"
    config = save_setup(stored, shown, table)
    assert config.path == stored.with_suffix(".toml") and config.labels == {"kommune": "Kommunen"}
    assert sv.group_choices(config) == [("Kommunen", "kommune")] and list(config.questions) == ["text"]


def test_uploading_the_same_survey_again_keeps_the_names_typed_before(tmp_path):
    """Issue 23: a re-upload of the same file proposed the headers again, forgetting what the analyst typed."""
    from textmine.app.upload import propose_upload
    from textmine.survey.setup import column_labels, earlier_names, save_setup

    source = tmp_path / "kommune.csv"
    kommune_survey().to_csv(source, index=False)
    stored, table, proposal = propose_upload(str(source), tmp_path / "projects")
    assert earlier_names(stored) == {}
    shown = setup_table(proposal, column_labels(table))
    shown.loc[shown["Kolonne"] == "kommune", "Navn"] = "Kommunen"
    shown.loc[shown["Kolonne"] == "text", "Navn"] = "Hvad er jobcentrets kerneopgave?"
    save_setup(stored, shown, table)
    again, table, proposal = propose_upload(str(source), tmp_path / "projects")
    assert again == stored                                         # the same file: the same stored copy
    names = earlier_names(again)
    assert names == {"kommune": "Kommunen", "text": "Hvad er jobcentrets kerneopgave?"}
    shown = setup_table(proposal, {**column_labels(table), **names}).set_index("Kolonne")["Navn"]
    assert shown["kommune"] == "Kommunen" and shown["text"] == "Hvad er jobcentrets kerneopgave?"
    again.with_suffix(".toml").write_text("[questions\n", encoding="utf-8")      # damaged: proposed afresh
    assert earlier_names(again) == {}


def test_spss_labels_are_the_default_names(tmp_path):
    import pyreadstat

    from textmine.survey.reading import read_survey
    from textmine.survey.setup import column_labels

    frame = pd.DataFrame({"resp": [float(i) for i in range(30)], "q1": [float(1 + i % 5) for i in range(30)],
                          "q2": [f"{TEXTS[i % 4]} {i}" for i in range(30)]})
    pyreadstat.write_sav(frame, tmp_path / "s.sav", column_labels={"q1": "Jeg trives på arbejdet"})
    assert column_labels(read_survey(tmp_path / "s.sav")) == {"resp": "resp", "q1": "Jeg trives på arbejdet", "q2": "q2"}


def test_the_exports_group_and_likert_sheets_use_the_projects_own_survey(described):
    from textmine.report.tables import build

    survey, path, text, project = described
    desk = Desk(load_config())
    snap = desk.snapshot(str(project.path))
    tables = build(Project(project.path).read(), survey=desk.survey(snap), config=desk.config_of(snap))
    assert not tables.notes
    assert set(tables.by_group["Gruppering"]) == {"Kommune"} and set(tables.by_group["Gruppe"]) == set(KOMMUNER)
    first = tables.by_group.iloc[0]
    members = set(Project(project.path).read().answers["respondent_id"])           # every respondent answered
    in_group = survey[(survey["kommune"] == first["Gruppe"]) & survey["id"].isin(members)]
    assert first["Respondenter i gruppen"] == len(in_group)
    assert list(tables.likert.columns) == ["Vidensfelt", "Spørgsmål", "Kolonne", sv.ALL, *KOMMUNER]      # the file's order
    mine = survey[survey["tilfreds_leder"] != "Ved ikke"]
    row = tables.likert.set_index("Kolonne").loc["tilfreds_leder"]
    assert row[sv.ALL] == pytest.approx(100 * mine["tilfreds_leder"].isin(["Enig", "Helt enig"]).mean(), abs=0.05)
    about = " ".join(tables.about.iloc[:, 1])
    assert "Kommune er en gruppe" in about and "»enig« eller »helt enig«" in about and "Medarbejdere" not in about


def test_the_follow_up_wave_is_placed_with_the_projects_description_and_records_it(described, tmp_path):
    from textmine.waves.applying import apply_to_project

    survey, path, text, project = described
    desk = Desk(load_config())
    config = desk.config_of(desk.snapshot(str(project.path)))
    settings = DiscoverySettings(n_clusters=4, model=FakeEmbedder())
    found = discover_question(survey, "text", config, settings, source=path.name)
    found.save_model(tmp_path / "model", settings)
    project.set_meta("model_dir", str(tmp_path / "model"))
    later = kommune_survey(30).assign(id=[f"N{i:03d}" for i in range(30)])
    later_path = path.with_name("kommune_2.csv")
    later.to_csv(later_path, index=False)
    wave = apply_to_project(project, later_path, later, tmp_path / "wave.sqlite", config, embedder=FakeEmbedder())
    assert wave.meta(DESCRIPTION) == text and len(wave.answers()) == 30
    snap = desk.snapshot(str(wave.path))
    assert desk.config_of(snap).id_column == "id" and desk.survey(snap)["id"].tolist() == later["id"].tolist()


def test_the_command_line_discovery_records_the_description_too(tmp_path):
    from textmine.app.pipeline import run_discover

    survey = kommune_survey(40)
    path = tmp_path / "kommune.csv"
    survey.to_csv(path, index=False)
    config = load_config(save_description(description(propose(survey), path, {}), path))
    run_discover(path, "text", tmp_path / "out", config, DiscoverySettings(n_clusters=3, model=FakeEmbedder()))
    project = Project(tmp_path / "out" / "project.sqlite")
    assert project.meta(DESCRIPTION) == path.with_suffix(".toml").read_text(encoding="utf-8")
    assert Desk(load_config()).config_of(Desk(load_config()).snapshot(str(project.path))).id_column == "id"


def test_a_recorded_description_whose_stop_word_file_is_gone_is_used_without_those_stop_words(tmp_path):
    from textmine.config import DESCRIPTION_PATH, config_of_project

    app_config = load_config()
    meta = {DESCRIPTION: '[survey]\nid_column = "id"\n[text]\ndomain_stopwords = "væk.txt"\n',
            DESCRIPTION_PATH: str(tmp_path / "flyttet" / "survey.toml")}
    used = config_of_project(meta, app_config)                  # its own, not the app's (another survey's names)
    assert used is not app_config and used.id_column == "id" and used.text.domain_stopwords == ()
    assert config_of_project({**meta, DESCRIPTION: '[survey]\nid_column = "id"\n'}, app_config).id_column == "id"
    assert config_of_project({}, app_config) is app_config                      # an older project: the app's


def own_survey(n: int = 40) -> pd.DataFrame:
    """An own survey as an analyst uploads it: items named Spm01, Spm02 (no shared prefix, so no knowledge
    field), two background variables."""
    rng = np.random.default_rng(3)
    return pd.DataFrame({
        "id": [f"R{i}" for i in range(n)],
        "kommune": [KOMMUNER[i % 3] for i in range(n)],
        "erfaring": [["Over 10 år", "Under 1 år", "1-2 år"][i % 3] for i in range(n)],
        "text": [f"{TEXTS[i % 4]} og lidt om dag {i}" for i in range(n)],
        "Spm01": [str(rng.integers(1, 6)) for _ in range(n)],
        "Spm02": [str(rng.integers(1, 6)) for _ in range(n)],
    })


def test_the_numbers_tab_chooses_its_grouping_and_names_items_without_a_field(tmp_path):
    from textmine.app.survey_panels import item_share_table

    survey = own_survey()
    path = tmp_path / "own.csv"
    survey.to_csv(path, index=False)
    proposal = propose(survey)
    assert proposal.fields == {"Spm01": ["Spm01"], "Spm02": ["Spm02"]}
    names = {"Spm01": "Jeg trives på arbejdet"}
    config = load_config(save_description(description(proposal, path, names), path))
    assert sv.group_by_of(config, None) == "kommune"                                # the default as before
    assert list(dict.fromkeys(sv.numbers(survey, config)["group"])) == [sv.ALL, *KOMMUNER]
    items = sv.numbers(survey, config, "erfaring")
    assert list(dict.fromkeys(items["group"])) == [sv.ALL, "Under 1 år", "1-2 år", "Over 10 år"]
    row = items.set_index(["item", "group"]).loc[("Spm02", "1-2 år")]
    mine = pd.to_numeric(survey.loc[survey["erfaring"] == "1-2 år", "Spm02"])
    assert row["n"] == len(mine) and row["share"] == pytest.approx(100 * (mine >= 4).mean())
    table = item_share_table(items, sv.item_names(config), config)
    assert list(table.columns[:1]) == ["Spørgsmål"] and "Vidensfelt" not in table.columns
    assert table["Spørgsmål"].tolist() == ["Jeg trives på arbejdet", "Spm02"]
    from textmine.report.tables import _likert_sheet
    from textmine.survey.shares import wide_item_shares

    sheet = _likert_sheet(wide_item_shares(items), config)                  # the workbook's Likert sheet alike
    assert sheet["Vidensfelt"].tolist() == ["", ""] and sheet["Kolonne"].tolist() == ["Spm01", "Spm02"]


def test_a_knowledge_field_is_still_shown_beside_its_items():
    from textmine.app.survey_panels import item_share_table

    config = load_config()
    items = sv.numbers(read_survey(config.survey_file, config.sheet), config)
    table = item_share_table(items, sv.item_names(config), config)
    assert table.columns[0] == "Vidensfelt" and table["Vidensfelt"].iloc[0] == "Arbejdsmarked & Uddannelse"
    assert sv.is_field(config, "IT & Digital") and not sv.is_field(
        replace(config, likert=LikertSettings(fields={"Tilfredshed": ("tilfredshed",)})), "Tilfredshed")


def test_the_numbers_handler_uses_the_chosen_grouping(tmp_path):
    from textmine.app.desk import Session
    from textmine.app.survey_panels import numbers_of

    desk = Desk(load_config())
    _, default = numbers_of(desk, Session(None), "au_matche")
    _, by_seniority = numbers_of(desk, Session(None), "au_matche", "anciennitet")
    assert "<th>Ledere</th>" in default and "<th>Under 1 år</th>" not in default
    assert "<th>Alle respondenter</th><th>Under 1 år</th><th>1-2 år</th>" in by_seniority


# -- a question's header is any text: the project file is named safely and opens ---------------------

QUESTION_HEADER = "Hvad bad du din digitale assistent om sidst? (skriv/forklar: \"gerne\" 😀)"


def _survey_with_header(tmp_path):
    survey = kommune_survey(40).rename(columns={"text": QUESTION_HEADER})
    path = tmp_path / "projects" / "uploads" / "kommune.csv"
    path.parent.mkdir(parents=True)
    survey.to_csv(path, index=False)
    return path, load_config(save_description(description(propose(survey), path, {}), path))


def test_a_question_header_with_a_question_mark_makes_a_project_that_opens(tmp_path, bundled_model_is_fake):
    from textmine.app.discovery_run import discover

    path, config = _survey_with_header(tmp_path)
    assert list(config.questions) == [QUESTION_HEADER]
    folder = tmp_path / "projects"
    session, _ = discover(Desk(load_config()), str(path), "id", QUESTION_HEADER, 1.0, "", folder,
                          lambda step, fraction: None, config)
    project = Project(session.project)
    assert project.path.parent == folder and project.question() == QUESTION_HEADER
    assert len(project.answers()) == 40 and Desk(load_config()).snapshot(session.project).state.themes
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))) == \
        sorted([project.path.name, project.path.with_suffix(".model").name, "uploads"])   # no stray file


def test_the_command_line_discovers_a_question_with_any_header(tmp_path, bundled_model_is_fake, capsys):
    from textmine.cli import main

    path, config = _survey_with_header(tmp_path)
    out = tmp_path / "ud?#1"
    assert main(["discover", str(path), "--question", QUESTION_HEADER, "--out", str(out), "--clusters", "3",
                 "--config", str(config.path)]) == 0
    assert Project(out / "project.sqlite").question() == QUESTION_HEADER
    assert main(["export", str(out / "project.sqlite"), "--out", str(tmp_path / "rapport"), "--formats", "json,csv",
                 "--config", str(config.path)]) == 0
    names = sorted(p.name for p in (tmp_path / "rapport").iterdir())
    stem = "Hvad_bad_du_din_digitale_assistent_om_sidst_skriv_forklar_ge"               # cut at 60 bytes
    assert names == [f"{stem}_kodebog.json", f"{stem}_svar.csv"]


def test_a_failed_save_leaves_no_project_file(tmp_path, monkeypatch):
    path, config = _survey_with_header(tmp_path)
    found = discover_question(pd.read_csv(path, dtype=str), QUESTION_HEADER, config, DiscoverySettings(model=FakeEmbedder()),
                              source=path.name)

    def fails(project):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("textmine.app.pipeline.start_from_tree", fails)
    target = tmp_path / "projects" / "p.sqlite"
    with pytest.raises(OSError):
        found.save_project(target, str(path), config=config)
    assert sorted(p.name for p in target.parent.iterdir()) == ["uploads"]


# -- an Excel file with the data on another sheet than the first ----------------------------------

def _two_sheets(path):
    with pd.ExcelWriter(path) as book:
        pd.DataFrame({"Om undersøgelsen": ["Udsendt i marts 2026", "Svarprocent 61"]}).to_excel(
            book, sheet_name="Forside", index=False)
        pd.DataFrame({"id": [f"x{i}" for i in range(40)], "score": [str(i % 5 + 1) for i in range(40)]}).to_excel(
            book, sheet_name="Tal", index=False)
        kommune_survey(40).to_excel(book, sheet_name="Data", index=False)
    return path


def test_the_sheet_proposed_is_the_first_with_text_answers(tmp_path):
    from textmine.survey.reading import sheet_names
    from textmine.survey.setup import answer_sheet

    source = _two_sheets(tmp_path / "kommune.xlsx")
    assert sheet_names(source) == ["Forside", "Tal", "Data"]
    assert answer_sheet(source, sheet_names(source)) == "Data"
    assert answer_sheet(source, ["Forside", "Tal"]) is None                    # no sheet with text answers
    csv = tmp_path / "kommune.csv"
    kommune_survey(40).to_csv(csv, index=False)
    assert sheet_names(csv) == [] and answer_sheet(csv, []) is None            # one table, no sheets


def test_an_upload_with_the_answers_on_its_third_sheet_is_described_and_discovered_from_it(tmp_path,
                                                                                          bundled_model_is_fake):
    from textmine.app.discovery_run import discover
    from textmine.app.upload import propose_upload, upload_sheets
    from textmine.errors import TextmineError
    from textmine.survey.setup import save_setup

    source, folder = _two_sheets(tmp_path / "kommune.xlsx"), tmp_path / "projects"
    sheets, chosen = upload_sheets(str(source))
    assert sheets == ["Forside", "Tal", "Data"] and chosen == "Data"
    with pytest.raises(TextmineError, match="Arket »Tal« i kommune.xlsx har ingen kolonne med tekstsvar"):
        propose_upload(str(source), folder, "Tal")
    stored, table, proposal = propose_upload(str(source), folder, chosen)
    assert proposal.of(QUESTION) == ["text"] and len(table) == 40
    config = save_setup(stored, setup_table(proposal, {}), table, chosen)
    assert config.sheet == "Data" and 'sheet = "Data"' in config.text_source
    desk = Desk(load_config())
    session, _ = discover(desk, str(stored), "id", "text", 1.0, "", folder, lambda step, fraction: None, config)
    project = Project(session.project)
    assert sorted(project.answers()["respondent_id"]) == sorted(kommune_survey(40)["id"])
    snap = desk.snapshot(session.project)
    assert desk.config_of(snap).sheet == "Data" and list(desk.survey(snap)["id"]) == list(kommune_survey(40)["id"])
