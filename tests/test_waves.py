"""Follow-up wave: placing new answers in curated themes, flagging the new, comparing the waves."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from benchmarks.gold import gold_codebook
from textmine.project.store import Project
from textmine.waves.comparing import compare, difference_interval, project_comparison
from textmine.waves.placing import ThemeIndex, WaveSettings, novelty, place

from .conftest import DATA, ROOT
from .excel_format import shown


def _unit(rows):
    rows = np.asarray(rows, dtype=float)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _blobs(centres, n, rng, spread=0.15):
    return _unit(np.vstack([c + spread * rng.standard_normal((n, len(c))) for c in centres]))


# -- placing and flagging (vectors made by hand) --------------------------------------------------

@pytest.fixture
def index():
    rng = np.random.default_rng(0)
    centres = np.eye(8)[:3]
    vectors = _blobs(centres, 30, rng)
    labels = np.repeat([0, 1, 2], 30)
    return ThemeIndex(["A", "B", "C"], vectors, labels, {"A": 30, "B": 30, "C": 30}, 90)


def test_answers_near_a_theme_get_it_and_are_not_new(index):
    rng = np.random.default_rng(1)
    follow = _blobs(np.eye(8)[:3], 10, rng, spread=0.1)        # a little more typical than the baseline
    best, score, new = place(index, follow, WaveSettings())
    assert best.tolist() == [0] * 10 + [1] * 10 + [2] * 10
    assert np.median(score) > 0.5                      # they fit at least as well as the baseline's own answers
    assert new.mean() <= 0.1
    assert not place(index, follow, WaveSettings(threshold=2.0))[2].any()


def test_a_topic_absent_from_the_baseline_is_flagged_new(index):
    rng = np.random.default_rng(2)
    old = _blobs(np.eye(8)[:3], 5, rng, spread=0.1)
    fresh = _blobs(np.eye(8)[5:6], 12, rng)           # a direction no baseline answer has
    best, score, new = place(index, np.vstack([old, fresh]), WaveSettings())
    assert new[15:].all() and not new[:15].any()


def test_the_novelty_rule_finds_a_dense_new_group_the_threshold_misses(index):
    rng = np.random.default_rng(3)
    # a tight new group at the edge of theme A: one such answer alone passes for an answer of A
    fresh = _blobs([_unit([[1, 0, 0, 0.7, 0, 0, 0, 0]])[0]], 15, rng, spread=0.05)
    old = _blobs(np.eye(8)[:1], 15, rng, spread=0.1)
    features = np.vstack([old, fresh])
    excess = novelty(index.vectors, features, 10)
    assert excess[15:].mean() > excess[:15].mean() + 0.3
    _, _, new = place(index, features, WaveSettings())
    one_at_a_time = [place(index, np.vstack([old, answer[None, :]]), WaveSettings())[2][-1] for answer in fresh]
    assert new[15:].sum() >= sum(one_at_a_time) + 10 and not new[:15].any()


def test_fit_is_the_share_of_baseline_answers_the_model_scores_lower(index):
    typical = _unit(np.eye(8)[:1] * 3 + np.eye(8)[1:2] * 0.1)   # deep in A
    unlike = _unit([[0, 0, 0, 0, 0, 0, 1, 0.2]])               # in no theme's direction
    fit = place(index, np.vstack([typical, unlike]), WaveSettings())[1]
    assert fit[0] > 0.5 and fit[1] == 0


def test_reviewed_baseline_answers_weigh_more_in_placing(index):
    """Between A and B sit answers the curation split: 8 left in A, 6 moved to B and reviewed. A new answer
    there goes where the analyst's decisions point, not where the larger number of answers lies."""
    rng = np.random.default_rng(5)
    middle = _blobs(_unit([[1, 1, 0, 0, 0, 0, 0, 0]]), 14, rng, spread=0.05)
    vectors = np.vstack([index.vectors, middle])
    labels = np.r_[index.labels, [0] * 8, [1] * 6]
    reviewed = np.r_[np.zeros(len(index.labels) + 8, bool), np.ones(6, bool)]
    fresh = _blobs(_unit([[1, 1, 0, 0, 0, 0, 0, 0]]), 5, rng, spread=0.05)
    unreviewed = ThemeIndex(index.names, vectors, labels, index.counts, index.n_answers)
    curated = ThemeIndex(index.names, vectors, labels, index.counts, index.n_answers, reviewed=reviewed)
    by_model = WaveSettings(duplicate=1.01)             # no answer takes its nearest twin's theme here
    assert (place(unreviewed, fresh, by_model)[0] == 0).all()
    assert (place(curated, fresh, by_model)[0] == 1).all()


def test_novelty_is_zero_for_a_wave_like_the_baseline_and_one_for_a_wave_apart():
    """Beyond chance: a follow-up drawn like the baseline has as many follow-up neighbours as chance gives
    (about half here, novelty 0); one far from every baseline answer has only follow-up neighbours (1)."""
    rng = np.random.default_rng(4)
    baseline = _blobs(np.eye(8)[:3], 40, rng, spread=0.3)
    alike = _blobs(np.eye(8)[:3], 40, rng, spread=0.3)
    apart = _blobs(np.eye(8)[5:6], 40, rng, spread=0.1)
    assert abs(novelty(baseline, alike, 10).mean()) < 0.1
    assert novelty(baseline, apart, 10).mean() == pytest.approx(1.0)


def test_placing_in_small_chunks_gives_the_same_as_in_one(index, monkeypatch):
    """A large wave is compared with the baseline a few rows at a time (bounded memory): the chunks' edges
    must not change a neighbourhood, a nearest answer or the answer left out of its own neighbourhood."""
    from textmine.waves import placing

    rng = np.random.default_rng(6)
    features = np.vstack([_blobs(np.eye(8)[:3], 7, rng, spread=0.1), _blobs(np.eye(8)[5:6], 9, rng)])
    whole = place(index, features, WaveSettings()), novelty(index.vectors, features, 10)
    monkeypatch.setattr(placing, "SIMILARITIES", 250)          # 2 rows of 120 columns at a time
    assert placing._rows_per_chunk(len(index.vectors) + len(features)) == 2
    chunked = place(index, features, WaveSettings()), novelty(index.vectors, features, 10)
    for a, b in zip([*whole[0], whole[1]], [*chunked[0], chunked[1]]):
        assert np.allclose(a, b)


def test_an_exact_repeat_of_a_hand_placed_answer_takes_its_theme(index):
    moved = index.vectors[0]                          # sits among A's answers ...
    labels = index.labels.copy()
    labels[0] = 2                                     # ... but the analyst placed it in C
    curated = ThemeIndex(index.names, index.vectors, labels, index.counts, index.n_answers)
    best, score, new = place(curated, moved[None, :], WaveSettings())
    assert best[0] == 2 and score[0] == pytest.approx(1.0) and not new[0]


# -- comparing waves (numbers by hand) ------------------------------------------------------------

def test_newcombe_interval_matches_the_published_example():
    # Newcombe (1998), example (a): 56/70 vs 48/80, difference 0.2, hybrid score interval 0.0524 to 0.3339
    low, high = difference_interval(48, 80, 56, 70)
    assert low == pytest.approx(5.24, abs=0.01) and high == pytest.approx(33.39, abs=0.01)


def test_compare_counts_shares_and_marks_new_themes():
    baseline = {"n": 200, "themes": [{"name": "A", "count": 50}, {"name": "B", "count": 20}]}
    table = compare(baseline, {"A": 10, "Ny 1: ai": 30}, 100).set_index("theme")
    assert table.loc["A", "share_baseline"] == pytest.approx(25.0) and table.loc["A", "share_followup"] == pytest.approx(10.0)
    assert table.loc["A", "difference"] == pytest.approx(-15.0)
    assert table.loc["A", "ci_high"] < 0 and table.loc["A", "p_value"] < 0.01     # a real drop
    assert table.loc["B", "count_followup"] == 0 and not table.loc["B", "new"]
    assert table.loc["Ny 1: ai", "new"] and table.loc["Ny 1: ai", "count_baseline"] == 0
    assert list(table.index) == ["A", "B", "Ny 1: ai"]


def test_follow_up_project_comparison_follows_curation(tmp_path):
    answers = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(6)], "answer": list("abcdef"),
                            "cluster": [0, 0, 1, 2, 2, 2]})
    clusters = pd.DataFrame({"cluster": [0, 1, 2], "keywords": "", "examples": [[], [], []]})
    baseline = {"n": 10, "themes": [{"name": "A", "count": 4, "theme_id": 0}, {"name": "B", "count": 6, "theme_id": 1}]}
    project = Project.create(tmp_path / "f.sqlite", "q", answers, names={0: "A", 1: "B", 2: "Ny 1"},
                             meta={"baseline": json.dumps(baseline)})
    project.apply("rename", theme_id=0, name="A (nyt navn)", description="")
    project.apply("move", answers=[3], theme_id=1)
    table = project_comparison(project).set_index("theme")
    assert table.loc["A", "name_now"] == "A (nyt navn)" and table.loc["A", "count_followup"] == 2   # renamed, still A
    assert table.loc["B", "count_followup"] == 2 and table.loc["Ny 1", "count_followup"] == 2
    assert table.loc["Ny 1", "new"] and not table.loc["A", "new"]
    assert project_comparison(Project.create(tmp_path / "g.sqlite", "q", answers)) is None
    project.apply("move", answers=[5], theme_id=-1)        # "Ikke et svar": out of the follow-up's base too
    table = project_comparison(project).set_index("theme")
    assert (table["n_followup"] == 5).all() and table.loc["Ny 1", "share_followup"] == pytest.approx(100 / 5)


# -- end to end: real model, curated through the core API, applied in a new process -------------------

@pytest.mark.slow
def test_curated_baseline_applied_to_a_follow_up_in_a_new_process(tmp_path):
    from textmine.cli import main
    from textmine.project.codebook import from_project
    from textmine.survey.reading import read_survey

    survey = read_survey(DATA / "baseline_survey.csv")
    gold = pd.read_csv(DATA / "baseline_survey_gold_labels.csv", dtype=str)
    primary = gold[gold["question"] == "kerneopgave"].set_index("respondent_id")["labels"].str.split("|").str[0]
    small = survey[survey["respondent_id"].isin(primary[primary.isin(["K2", "K3", "K4"])].index)]
    small.to_csv(tmp_path / "baseline.csv", index=False)
    assert main(["discover", str(tmp_path / "baseline.csv"), "--question", "kerneopgave",
                 "--out", str(tmp_path / "base")]) == 0

    # curate through the core API as an analyst would: merge each topic's clusters, name it, move one answer
    project = Project(tmp_path / "base" / "project.sqlite")
    answers = project.answers()
    book = gold_codebook("kerneopgave", answers["respondent_id"].tolist(), answers["cluster"].tolist(),
                         answers["respondent_id"].map(primary).tolist())
    names = {"K2": "Match mellem borger og virksomhed", "K3": "Virksomhedernes behov", "K4": "Komplekse udfordringer"}
    for theme in book.themes:
        if len(theme.clusters) > 1:
            project.apply("merge", theme_ids=list(theme.clusters))
        project.apply("rename", theme_id=theme.clusters[0], name=names[theme.name], description="")
    state = project.state()
    theme_of = {c: tid for tid, t in state.themes.items() for c in t.clusters}
    ids = {r: a for a, r in zip(answers["answer_id"], answers["respondent_id"])}
    for theme in book.themes:
        moved = [ids[r] for r in theme.answers]
        if moved:
            project.apply("move", answers=moved, theme_id=theme_of[theme.clusters[0]])
    codebook = from_project(project)
    (tmp_path / "codebook.json").write_text(codebook.to_json(), encoding="utf-8")
    curated = project.answers()
    name_of = {tid: t.name for tid, t in project.state().themes.items()}

    # the follow-up: 15 baseline answers repeated word for word, and the AI answers of the demo follow-up
    repeats = curated.sample(15, random_state=0)
    follow_survey = read_survey(DATA / "followup" / "followup_survey.csv")
    follow_gold = pd.read_csv(DATA / "followup" / "followup_survey_gold_labels.csv", dtype=str)
    ai_ids = follow_gold.loc[follow_gold["labels"].str.split("|").str[0] == "N1", "respondent_id"]
    ai = follow_survey.loc[follow_survey["respondent_id"].isin(ai_ids), ["respondent_id", "kerneopgave"]]
    follow = pd.concat([pd.DataFrame({"respondent_id": [f"F{i}" for i in range(len(repeats))],
                                      "kerneopgave": repeats["text"].values}), ai])
    follow.to_csv(tmp_path / "followup.csv", index=False)

    run = subprocess.run([sys.executable, "-m", "textmine.cli", "apply", str(tmp_path / "base" / "model"),
                          str(tmp_path / "followup.csv"), "--question", "kerneopgave",
                          "--codebook", str(tmp_path / "codebook.json"), "--out", str(tmp_path / "wave")],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    out = pd.read_csv(tmp_path / "wave" / "assignments.csv", dtype={"respondent_id": str}, keep_default_na=False)
    assert list(out.columns) == ["respondent_id", "question", "theme", "score"]
    got = out.set_index("respondent_id")["theme"]
    expected = [name_of[t] for t in repeats["theme_id"]]
    assert [got[f"F{i}"] for i in range(len(repeats))] == expected          # repeated wording: the curated theme
    flagged = (got[ai["respondent_id"].astype(str)] == "").mean()
    assert flagged >= 0.8, f"only {flagged:.0%} of the AI answers were marked new"
    new = pd.read_csv(tmp_path / "wave" / "new_clusters.csv")
    assert list(new.columns) == ["cluster", "size", "keywords", "examples"]
    assert new["size"].sum() == (got == "").sum() and new["keywords"].str.contains("ai").any()
    comparison = pd.read_csv(tmp_path / "wave" / "comparison.csv")
    assert set(names.values()) <= set(comparison["theme"]) and comparison.loc[comparison["new"], "count_followup"].sum() > 0
    wave = Project(tmp_path / "wave" / "project.sqlite")
    assert set(names.values()) <= {t.name for t in wave.state().themes.values()}
    assert json.loads(wave.meta("stopwords")) == json.loads(project.meta("stopwords")) != []   # same keywords rules
    assert len(wave.answers()) == len(follow)


# -- the comparison in the report files -----------------------------------------------------------

def _follow_up_project(path):
    answers = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(8)],
                            "answer": ["Match", "Matche borger", "Virksomheder", "AI", "AI-værktøjer", "Chatbot",
                                       "Frihed", "Mere frihed"],
                            "cluster": [0, 0, 1, 2, 2, 2, 3, 3]})
    clusters = pd.DataFrame({"cluster": [0, 1, 2, 3], "keywords": "", "examples": [[]] * 4})
    baseline = {"n": 20, "themes": [{"name": "Match", "count": 10, "theme_id": 0},
                                    {"name": "Virksomheder", "count": 5, "theme_id": 1}]}
    return Project.create(path, "kerneopgave", answers, meta={"baseline": json.dumps(baseline)},
                          names={0: "Match", 1: "Virksomheder", 2: "Ny 1: ai", 3: "Ny 2: frihed"})


def test_export_of_a_follow_up_has_the_comparison_sheet_chart_table_and_section(tmp_path):
    from docx import Document
    from openpyxl import load_workbook
    from pptx import Presentation

    from textmine.report.export import export_project

    project = _follow_up_project(tmp_path / "f.sqlite")
    project.apply("rename", theme_id=2, name="AI og digitale værktøjer", description="")
    export_project(project, tmp_path / "out", ["xlsx", "pptx", "docx"])
    rows = {r[0]: r for r in load_workbook(tmp_path / "out" / "f_kerneopgave_opfoelgning_temaer.xlsx")["Bølger"].iter_rows(min_row=2, values_only=True)}
    sheet = load_workbook(tmp_path / "out" / "f_kerneopgave_opfoelgning_temaer.xlsx")["Bølger"]
    match = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Match")
    cells = {c.value: cell for c, cell in zip(sheet[1], match)}                     # as Excel shows it
    assert shown(cells["Forskel (procentpoint)"].value, cells["Forskel (procentpoint)"].number_format) == "-25,0"
    assert set(rows) == {"Match", "Virksomheder", "AI og digitale værktøjer", "Ny 2: frihed"}
    assert rows["Match"][1:5] == (10, 50.0, 2, 25.0) and rows["Match"][5] == -25.0
    assert rows["AI og digitale værktøjer"][1:5] == (0, 0.0, 3, 37.5) and rows["AI og digitale værktøjer"][8] == "Ja"

    slides = list(Presentation(tmp_path / "out" / "f_kerneopgave_opfoelgning_temaer.pptx").slides)
    chart = next(s.chart for slide in slides for s in slide.shapes if s.has_chart
                 and [x.name for x in s.chart.plots[0].series] == ["Første måling", "Opfølgning"])
    categories = list(chart.plots[0].categories)
    assert categories[:2] == ["Match", "Virksomheder"] and "AI og digitale værktøjer (nyt)" in categories
    values = {s.name: list(s.values) for s in chart.plots[0].series}
    assert values["Første måling"][:2] == [50.0, 25.0] and values["Opfølgning"][:2] == [25.0, 12.5]
    table = next(s.table for slide in slides for s in slide.shapes if s.has_table)
    assert table.cell(0, 3).text == "Forskel (procentpoint)" and table.cell(1, 3).text == "-25,0"

    doc = Document(tmp_path / "out" / "f_kerneopgave_opfoelgning_temaer.docx")
    assert "Temaerne i de to målinger" in [p.text for p in doc.paragraphs]
    assert doc.tables[-1].rows[1].cells[0].text == "Match"


def test_a_project_that_is_no_follow_up_exports_no_comparison(tmp_path):
    from openpyxl import load_workbook

    from textmine.report.export import export_project

    answers = pd.DataFrame({"respondent_id": ["a", "b"], "answer": ["x", "y"], "cluster": [0, 1]})
    clusters = pd.DataFrame({"cluster": [0, 1], "keywords": "", "examples": [[], []]})
    export_project(Project.create(tmp_path / "p.sqlite", "q", answers), tmp_path / "out", ["xlsx"])
    assert "Bølger" not in load_workbook(tmp_path / "out" / "p_q_temaer.xlsx").sheetnames


def test_a_follow_ups_theme_names_are_masked_in_the_app_and_the_report(tmp_path):
    """A baseline theme named after a listed person shows masked in the wave tab and the report's comparison,
    its name as it was in the baseline as well as its name now."""
    from textmine.app.desk import Desk, Session
    from textmine.app.next_wave import wave_view
    from textmine.config import load_config
    from textmine.report.tables import build
    from textmine.text.privacy import Masker

    answers = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(6)], "answer": list("abcdef"),
                            "cluster": [0, 0, 1, 1, 2, 2]})
    baseline = {"n": 10, "themes": [{"name": "Hanne Hansen", "count": 4, "theme_id": 0},
                                    {"name": "B", "count": 6, "theme_id": 1}]}
    project = Project.create(tmp_path / "f.sqlite", "q", answers, names={0: "Hanne Hansen", 1: "B", 2: "Ny 1"},
                             meta={"baseline": json.dumps(baseline)})
    project.apply("rename", theme_id=2, name="Spurgt af Hanne Hansen", description="")
    project.apply("merge", theme_ids=[1, 0], name="B")           # the baseline's »Hanne Hansen« has no theme now
    listed = Masker(("Hanne Hansen",))
    _, figure, table = wave_view(Desk(load_config(), listed), Session(project=str(project.path)))
    report = build(project.read(), masker=listed).waves.to_string()
    for where, text in {"chart": str(figure.data), "table": table, "report": report}.items():
        assert "Hanne" not in text and "[navn]" in text, where
