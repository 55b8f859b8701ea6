"""The review queue (issue #13): the reviewed mark as part of the State (audited, undoable, migrated), the
out-of-fold placement model, the queue, the coding-quality estimate, name suggestions and the CLI contract."""

import json
import sqlite3

import numpy as np
import pandas as pd
import pytest

from textmine.app.review_page import rows_of
from textmine.cli import main
from textmine.project import curation as cur
from textmine.project.curation import NOT_AN_ANSWER, CurationError
from textmine.project.store import SCHEMA_VERSION, Project
from textmine.project.themes import snapshot
from textmine.review.model import ReviewSettings, out_of_fold, placement
from textmine.review.names import suggest_names
from textmine.review.quality import coding_quality, quality_from
from textmine.review.queue import QUEUE_COLUMNS, queue
from textmine.review.reviewer import Reviewer

from .conftest import FakeEmbedder, run_sql

TOPICS = {
    0: ["rekruttering af medarbejdere til virksomheder", "hjælpe virksomheder med rekruttering",
        "virksomheder mangler arbejdskraft og rekruttering"],
    1: ["samtaler med borgeren om job", "gode samtaler og dialog med borgeren", "dialog med borgeren om uddannelse"],
    2: ["udbetaling af ydelser til borgere", "korrekt udbetaling af ydelser", "sagsbehandling og udbetaling af ydelser"],
}


def _answers(copies: int = 4) -> pd.DataFrame:
    rows = []
    for c, texts in TOPICS.items():
        for k in range(copies):
            for t in texts:
                rows.append((c, f"{t} {['nu', 'her', 'altid', 'typisk', 'ofte', 'tit'][k % 6]}"))
    return pd.DataFrame({"respondent_id": [f"R{i:04d}" for i in range(len(rows))], "answer": [t for _, t in rows],
                         "cluster": [c for c, _ in rows]})


def make(path, copies: int = 4) -> Project:
    answers = _answers(copies)
    vectors = FakeEmbedder(32).embed(answers["answer"].tolist())
    return Project.create(path, "kerneopgave", answers, vectors=vectors)


# -- the reviewed mark is part of the State -----------------------------------------------------

def test_confirm_marks_answers_reviewed_and_leaves_them_where_they_are(tmp_path):
    p = make(tmp_path / "p.sqlite")
    before = p.state()
    p.apply("confirm", answers=[0, 1])
    after = p.state()
    assert after.reviewed == {0, 1} and dict(after.primary) == dict(before.primary) and after != before


def test_confirm_is_audited_and_undone_and_redone(tmp_path):
    p = make(tmp_path / "p.sqlite")
    p.apply("confirm", answers=[3])
    audit = p.audit()
    assert audit["action"].tolist() == ["confirm"]
    assert json.loads(audit.loc[0, "before"])["reviewed"] == {"3": 0}
    assert json.loads(audit.loc[0, "after"])["reviewed"] == {"3": 1}
    assert p.next_undo() == "bekræftede 1 svar"
    p.undo()
    assert p.state().reviewed == frozenset()
    p.redo()
    assert p.state().reviewed == {3}


def test_move_marks_the_moved_answers_reviewed_and_undo_takes_it_back(tmp_path):
    p = make(tmp_path / "p.sqlite")
    p.apply("move", answers=[0], theme_id=2)
    assert p.state().reviewed == {0} and p.state().primary[0] == 2
    p.undo()
    assert p.state().reviewed == frozenset() and p.state().primary[0] == 0


def test_a_moved_answer_is_marked_corrected_in_the_file_and_undo_redo_keep_the_mark(tmp_path):
    p = make(tmp_path / "p.sqlite")
    p.apply("confirm", answers=[1])
    p.apply("move", answers=[0, 1, 12], theme_id=1)              # answer 12 is already in theme 1
    state = p.state()
    assert state.reviewed == {0, 1, 12} and state.corrected == {0, 1}
    marks = dict(sqlite3.connect(tmp_path / "p.sqlite").execute("SELECT answer_id, reviewed FROM placement"))
    assert (marks[0], marks[1], marks[12], marks[2]) == (2, 2, 1, 0)
    p.undo()
    assert p.state().reviewed == {1} and p.state().corrected == frozenset()
    p.redo()
    assert p.state().corrected == {0, 1}
    assert cur.delete(state, 1).corrected == frozenset()         # unplaced: neither reviewed nor corrected


def test_an_unplaced_answer_is_not_reviewed_and_cannot_be_confirmed(tmp_path):
    state = cur.confirm(cur.from_clusters({0: 0, 1: 0, 2: 1}), [0, 2])
    assert cur.delete(state, 0).reviewed == {2}                 # answer 0 became unplaced
    assert cur.move(state, [2], None).reviewed == {0}
    with pytest.raises(CurationError, match="ikke placeret"):
        cur.confirm(cur.from_clusters({0: -1, 1: 0}), [0])
    assert cur.move(state, [1], NOT_AN_ANSWER).reviewed == {0, 1, 2}


def _as_schema_3(path):
    """Turn a new project file into one written by a textmine of schema 3 (no reviewed column)."""
    run_sql(path, """
        CREATE TABLE old (answer_id INTEGER PRIMARY KEY REFERENCES answers, theme_id INTEGER, second_theme_id INTEGER);
        INSERT INTO old SELECT answer_id, theme_id, second_theme_id FROM placement;
        DROP TABLE placement; ALTER TABLE old RENAME TO placement;
        CREATE INDEX placement_theme ON placement (theme_id);
        UPDATE meta SET value = '3' WHERE key = 'schema_version';""")


def test_a_schema_3_file_is_migrated_and_its_old_actions_still_undo(tmp_path):
    path = tmp_path / "p.sqlite"
    p = make(path)
    p.apply("merge", theme_ids=[0, 1])                 # logged before review marks existed
    _as_schema_3(path)
    con = sqlite3.connect(path)
    old_after = json.loads(con.execute("SELECT after FROM audit").fetchone()[0])
    con.close()
    assert "reviewed" not in old_after
    migrated = Project(path)
    assert migrated.meta("schema_version") == str(SCHEMA_VERSION) == "6"
    assert (tmp_path / "p.sqlite.v3.bak").is_file() and migrated.state().reviewed == frozenset()
    migrated.apply("confirm", answers=[0])
    migrated.undo()
    migrated.undo()                                    # the merge of schema 3
    assert set(migrated.state().themes) == {0, 1, 2} and migrated.state().reviewed == frozenset()


# -- the placement model: out of fold ------------------------------------------------------------

def _blobs(n=90, k=3, seed=0):
    rng = np.random.default_rng(seed)
    truth = np.arange(n) % k
    X = np.eye(k)[truth] * 2 + rng.normal(size=(n, k)) * 0.8
    return X, truth


@pytest.mark.parametrize("model", ["logistic", "ridge"])
def test_an_answers_probability_does_not_depend_on_its_own_label(model):
    X, truth = _blobs()
    labels = truth.astype(float)
    classes = np.arange(3, dtype=float)
    settings = ReviewSettings(model=model)
    _, before = out_of_fold(X, labels, np.ones(len(labels)), settings, classes)
    for i in (0, 17, 55):
        flipped = labels.copy()
        flipped[i] = (labels[i] + 1) % 3
        _, after = out_of_fold(X, flipped, np.ones(len(labels)), settings, classes)
        assert np.allclose(after[i], before[i])        # scored by models that never saw answer i
        assert not np.allclose(after, before)          # ... but the others' models did change


@pytest.mark.parametrize("model", ["logistic", "ridge"])
def test_the_model_finds_a_planted_mistake(model):
    X, truth = _blobs()
    labels = truth.astype(float)
    labels[5] = (truth[5] + 1) % 3
    _, proba = out_of_fold(X, labels, np.ones(len(labels)), ReviewSettings(model=model), np.arange(3, dtype=float))
    p_current = proba[np.arange(len(labels)), labels.astype(int)]
    assert 5 in np.argsort(p_current)[:5] and proba[5].argmax() == truth[5]


# -- the queue, the estimate, names ---------------------------------------------------------------

def test_queue_lists_unreviewed_answers_least_certain_first(tmp_path):
    p = make(tmp_path / "p.sqlite")
    p.apply("move", answers=[0, 1], theme_id=2)        # two mistakes, made by hand: reviewed, so not listed
    p.apply("confirm", answers=[5])
    p.apply("mark_final", theme_id=1)
    snap = snapshot(p)
    table = queue(snap, placement(snap))
    assert list(table.columns) == QUEUE_COLUMNS
    assert not set(table["answer_id"]) & {0, 1, 5}
    assert not set(table["theme_id"]) & {1} and 1 not in set(table["suggested_theme_id"])
    assert table["p_current"].is_monotonic_increasing
    assert set(table["kind"]) <= {"place", "move", "check", "second", "not_an_answer"}
    assert len(queue(snap, placement(snap), top=3)) == 3


def test_queue_puts_a_wrong_answer_first_and_suggests_its_theme(tmp_path):
    answers = _answers(6)
    answers.loc[0, "cluster"] = 1                      # discovery put a recruitment answer with the dialogues
    vectors = FakeEmbedder(32).embed(answers["answer"].tolist())
    snap = snapshot(Project.create(tmp_path / "p.sqlite", "kerneopgave", answers, vectors=vectors))
    table = queue(snap, placement(snap))
    assert table.loc[0, "answer_id"] == 0 and table.loc[0, "suggested_theme_id"] == 0
    assert table.loc[0, "kind"] == "move" and table.loc[0, "confidence"] > 0.5


def test_the_estimate_counts_reviewed_answers_right_and_unplaced_wrong():
    q = quality_from(np.array([0.0, 0.5, 0.5, 1.0]), np.array([True, False, False, False]))
    assert q.estimate == pytest.approx((1 + 0.5 + 0.5 + 1) / 4) and q.low < q.estimate < q.high
    assert quality_from(np.ones(5), np.ones(5, bool)).low == 1.0


def test_the_interval_covers_the_true_share_of_a_calibrated_coding():
    rng = np.random.default_rng(1)
    covered = 0
    for _ in range(300):
        p = rng.beta(5, 1.5, size=300)
        reviewed = rng.random(300) < 0.2
        right = np.where(reviewed, True, rng.random(300) < p)
        q = quality_from(p, reviewed)
        covered += q.low <= right.mean() <= q.high
    assert covered / 300 >= 0.95


def test_reviewing_answers_the_model_was_sure_of_narrows_the_interval():
    """Each reviewed answer is a right label: the doubt about the model's calibration shrinks as the analyst
    reviews, even when the answers reviewed change no probability (the model already gave them 1)."""
    p = np.r_[np.ones(60), np.full(40, 0.7)]
    widths = []
    for done in (0, 10, 30, 60):
        q = quality_from(p, np.arange(100) < done)
        assert q.estimate == pytest.approx(0.88) and q.reviewed == done
        widths.append(q.high - q.low)
    assert all(later < earlier for earlier, later in zip(widths, widths[1:])), widths


def test_the_estimate_is_the_mean_of_the_calibrated_probabilities(tmp_path):
    """coding_quality uses the model's calibration (its temperature): a hotter model is less sure, and the
    estimate is each answer's calibrated probability for its theme, averaged."""
    from dataclasses import replace

    snap = snapshot(make(tmp_path / "p.sqlite"))
    model = placement(snap)
    estimates = {}
    for t in (2.0, 3.0):
        hot = replace(model, temperature=t)
        calibrated = np.mean([hot.p(a, theme, calibrate=True) for a, theme in snap.state.primary.items()])
        raw = np.mean([hot.p(a, theme) for a, theme in snap.state.primary.items()])
        estimates[t] = coding_quality(snap, hot).estimate
        assert estimates[t] == pytest.approx(calibrated) and calibrated < raw - 0.05
    assert estimates[3.0] < estimates[2.0]


def test_coding_quality_on_a_project(tmp_path):
    p = make(tmp_path / "p.sqlite")
    snap = snapshot(p)
    q = coding_quality(snap, placement(snap))
    assert 0.5 < q.estimate <= 1 and q.reviewed == 0 and q.answers == len(snap.state.primary)
    assert "gennemset" in q.text()


def test_the_check_estimates_from_the_answers_read_in_its_random_order(tmp_path):
    from textmine.review.quality import check_order, check_progress, check_quality, check_queue

    p = make(tmp_path / "p.sqlite", copies=8)                    # 72 answers
    snap = snapshot(p)
    n = len(snap.state.primary)
    order = [int(a) for a in check_order(n, snap.meta["file_id"])]
    assert sorted(order) == list(range(n)) and order != list(range(n))
    assert [int(a) for a in check_order(n, snap.meta["file_id"])] == order          # the same draw every time
    assert check_quality(snap, minimum=10) is None and check_progress(snap) == 0
    assert check_queue(snap, placement(snap), 5)["answer_id"].tolist() == order[:5]
    p.apply("confirm", answers=order[:7] + order[10:12])          # read 7 of the check, and two more of it later
    for a in order[7:10]:                                          # three of the first ten were wrong: moved
        p.apply("move", answers=[a], theme_id=(snap.state.primary[a] + 1) % 3)
    p.apply("move", answers=[order[40]], theme_id=(snap.state.primary[order[40]] + 1) % 3)  # a fix outside it
    snap = snapshot(p)
    assert check_progress(snap) == 12
    assert check_queue(snap, placement(snap), 2)["answer_id"].tolist() == order[12:14]
    q = check_quality(snap, minimum=12)
    assert q.checked == 12 and q.reviewed == 13
    assert q.estimate == pytest.approx(1 - (3 / 12 * n - 4) / n)   # 18 wrong at first, 4 corrected since
    assert q.low < q.estimate < q.high <= 1
    # Agresti-Coull for 3 of 12 (5/16 ± 1.96·√(5/16·11/16/16·(1 − 12/72))), through the same arithmetic
    assert (q.low, q.high) == pytest.approx((1 - (0.5198 * n - 4) / n, 1 - (0.1052 * n - 4) / n), abs=0.001)
    assert "ud fra en stikprøve på 12 svar" in q.headline()
    assert check_quality(snap, minimum=13) is None


def test_the_check_line_says_that_a_skipped_answer_holds_the_later_ones_back(tmp_path):
    """The line said "1 svar af stikprøven er læst" after the first and third were handled, and jumped to 3 once the
    second was: the count follows the check's order, and the page did not say so."""
    from textmine.app.review_page import ReviewView, sample_line
    from textmine.review.quality import check_order

    p = make(tmp_path / "p.sqlite")
    order = [int(a) for a in check_order(len(p.state().primary), snapshot(p).meta["file_id"])]
    p.apply("confirm", answers=[order[0]])
    view = ReviewView(round=1, mode="sample")
    assert "1 svar af stikprøven er læst;" in sample_line(snapshot(p), view)
    p.apply("confirm", answers=[order[2]])
    assert "1 svar af stikprøven er læst (de tælles i stikprøvens rækkefølge" in sample_line(snapshot(p), view)
    p.apply("confirm", answers=[order[1]])
    assert "3 svar af stikprøven er læst;" in sample_line(snapshot(p), view)


def test_marking_themes_final_reads_no_answer_of_the_check(tmp_path):
    """Issue 23.2: a final mark once counted every answer of the theme as read, so marking all themes final gave
    "Anslået 100 % ... ud fra en stikprøve på <n> svar" and "Stikprøven er læst til ende"."""
    from textmine.app.review_page import ReviewView, sample_line
    from textmine.review.quality import check_order, check_progress, check_quality, check_queue

    p = make(tmp_path / "p.sqlite", copies=8)                    # 72 answers
    snap = snapshot(p)
    n = len(snap.state.primary)
    order = [int(a) for a in check_order(n, snap.meta["file_id"])]
    p.apply("confirm", answers=order[:21])
    p.apply("move", answers=[order[21]], theme_id=(snap.state.primary[order[21]] + 1) % 3)
    before = snapshot(p)
    q = check_quality(before)
    assert check_progress(before) == 22 and q.checked == 22
    for t in sorted(before.state.themes):
        p.apply("mark_final", theme_id=t)
    after = snapshot(p)
    assert check_progress(after) == 22
    assert check_quality(after) == q
    assert check_queue(after, placement(after), 2)["answer_id"].tolist() == order[22:24]
    assert "læst til ende" not in sample_line(after, ReviewView(mode="sample"))


def test_the_check_counts_answers_still_unplaced_as_wrong(tmp_path):
    """Twenty answers of the check read and all right; six answers elsewhere left unplaced are in no theme,
    so at most 66 of the 72 answers are in a right theme, whatever the sample says."""
    from textmine.review.quality import check_order, check_quality

    p = make(tmp_path / "p.sqlite", copies=8)                    # 72 answers
    snap = snapshot(p)
    n = len(snap.state.primary)
    order = [int(a) for a in check_order(n, snap.meta["file_id"])]
    p.apply("move", answers=order[40:46], theme_id=None)
    p.apply("confirm", answers=order[:20])
    q = check_quality(snapshot(p), minimum=20)
    assert q.checked == 20 and q.estimate == pytest.approx(1 - 6 / n)
    assert q.high == pytest.approx(1 - 6 / n) and q.low < q.estimate


def test_names_are_suggested_for_themes_still_called_klynge(tmp_path):
    p = make(tmp_path / "p.sqlite")
    p.apply("rename", theme_id=2, name="Ydelser")
    names = suggest_names(snapshot(p))
    assert set(names) == {0, 1}
    assert "rekruttering" in names[0].lower() and "samtaler" in names[1].lower()
    assert names[0][0].isupper()


def test_a_suggested_name_is_a_phrase_of_its_answers_with_its_key_concepts_in_brackets(tmp_path):
    """The name is words that stand together in several of the theme's answers, as they write them; the description
    adds the theme's other key concepts in brackets, none of them a word of the name again."""
    from textmine.review.names import suggest_themes

    found = suggest_themes(snapshot(make(tmp_path / "p.sqlite")))
    assert found[1].name == "Samtaler og dialog"                     # "gode samtaler og dialog med borgeren"
    assert all(" " in s.name for s in found.values())                 # each theme has a phrase of its own
    assert found[1].description.startswith("Samtaler og dialog (") and found[1].description.endswith(")")
    concepts = found[1].description[len("Samtaler og dialog ("):-1].split(", ")
    assert "borger" in concepts and not {"samtale", "samtaler", "dialog"} & set(concepts)


def test_name_phrases_are_words_that_stand_together_in_the_answers():
    """A phrase never joins two words that a removed word or a comma stood between; "og" stays inside it."""
    from textmine.review.names import phrase_counts
    from textmine.text.lemmas import DanishLemmatizer

    texts = ["hjælp til job og uddannelse", "job og uddannelse til de unge", "job, uddannelse",
             "mere tid i jobcentret", "tid til jobcentret"]
    _, phrases = phrase_counts(texts, DanishLemmatizer(), min_df=2)
    phrases = set(phrases)
    assert "job og uddannelse" in phrases and {"job", "uddannelse"} <= phrases
    assert "job uddannelse" not in phrases                  # "job, uddannelse" and "job og uddannelse" alike
    assert "tid jobcenter" not in phrases and "tid jobcentret" not in phrases   # "i", "til" stood between


@pytest.mark.parametrize("model", ["logistic", "ridge"])
def test_the_reviewer_trains_once_per_version_and_keeps_the_latest(tmp_path, model):
    p = make(tmp_path / "p.sqlite")
    reviewer = Reviewer(ReviewSettings(model=model))
    first = reviewer.model(snapshot(p))
    assert reviewer.model(snapshot(p)) is first
    p.apply("confirm", answers=[0])
    newer = snapshot(p)
    assert reviewer.latest(newer) is first             # shown while the new one trains
    assert reviewer.model(newer).version == newer.version and reviewer.latest(newer).version == newer.version



def test_the_reviewer_keeps_the_newest_files_and_forgets_a_dropped_files_fold_models(tmp_path):
    first, second = make(tmp_path / "a.sqlite"), make(tmp_path / "b.sqlite")
    reviewer = Reviewer(ReviewSettings(model="logistic"), keep=1)
    old = reviewer.model(snapshot(first))
    assert reviewer._folds[Reviewer.file_of(snapshot(first))]          # the fold models to start the next fit from
    reviewer.model(snapshot(second))                                   # one file kept: the first one's features go
    assert Reviewer.file_of(snapshot(first)) not in reviewer._folds
    assert reviewer.latest(snapshot(first)) is old                     # its models stay until 2 × keep are newer
    reviewer.model(snapshot(first))
    first.apply("confirm", answers=[0])
    reviewer.model(snapshot(first))
    assert reviewer.latest(snapshot(second)) is None                   # the oldest of the 2 models kept was dropped

# -- the command line: columns, order, exit codes, audit rows -------------------------------------

def _csv(capsys) -> pd.DataFrame:
    from io import StringIO

    return pd.read_csv(StringIO(capsys.readouterr().out), dtype=str, keep_default_na=False)


def test_cli_themes_and_assignments(tmp_path, capsys):
    p = make(tmp_path / "p.sqlite")
    assert main(["themes", str(p.path)]) == 0
    themes = _csv(capsys)
    assert list(themes.columns) == ["theme_id", "name", "size", "keywords"]
    assert themes["size"].astype(int).is_monotonic_decreasing and themes["size"].astype(int).sum() == 36
    assert main(["assignments", str(p.path)]) == 0
    rows = _csv(capsys)
    assert list(rows.columns) == ["respondent_id", "question", "theme_id", "theme", "second_theme_id"]
    assert rows.loc[0].tolist() == ["R0000", "kerneopgave", "0", "Klynge 1", ""]
    assert p.audit().empty


def test_cli_merge_move_confirm_are_audited_actions(tmp_path, capsys):
    p = make(tmp_path / "p.sqlite")
    assert main(["merge", str(p.path), "--themes", "2,1", "--name", "Borgere"]) == 0
    assert capsys.readouterr().out.strip() == "2"
    assert p.state().themes[2].name == "Borgere" and 1 not in p.state().themes
    assert main(["move", str(p.path), "--respondents", "R0000,R0001", "--to", "-1"]) == 0
    assert main(["confirm", str(p.path), "--respondents", "R0002"]) == 0
    state = p.state()
    assert state.primary[0] == state.primary[1] == NOT_AN_ANSWER and state.reviewed == {0, 1, 2}
    audit = p.audit()
    assert audit["action"].tolist() == ["merge", "move", "confirm"]
    assert json.loads(audit.loc[1, "params"]) == {"answers": [0, 1], "theme_id": -1}
    assert json.loads(audit.loc[2, "after"])["reviewed"] == {"2": 1}


def test_cli_review_lists_unreviewed_answers_first_to_read_on_top(tmp_path, capsys):
    p = make(tmp_path / "p.sqlite")
    main(["confirm", str(p.path), "--respondents", "R0003"])
    capsys.readouterr()
    assert main(["review", str(p.path), "--top", "5"]) == 0
    rows = _csv(capsys)
    assert list(rows.columns) == ["respondent_id", "theme_id", "suggested_theme_id", "confidence", "kind"]
    assert len(rows) == 5 and "R0003" not in set(rows["respondent_id"])
    snap = snapshot(p)
    expected = queue(snap, placement(snap), 5)
    assert rows["respondent_id"].tolist() == expected["respondent_id"].tolist()
    shown = rows_of(snap, placement(snap), expected)              # the confidence *Gennemse* shows, not the model's
    assert np.allclose(rows["confidence"].astype(float), [r.confidence for r in shown], atol=1e-4)
    assert p.audit()["action"].tolist() == ["confirm"]          # reading the queue changes nothing


def test_cli_review_sample_lists_the_check_in_its_order(tmp_path, capsys):
    from textmine.review.quality import check_order

    p = make(tmp_path / "p.sqlite")
    order = [int(a) for a in check_order(len(p.state().primary), p.meta("file_id"))]
    ids = p.read().answers["respondent_id"]
    main(["confirm", str(p.path), "--respondents", ids[order[1]]])
    capsys.readouterr()
    assert main(["review", str(p.path), "--sample", "--top", "3"]) == 0
    rows = _csv(capsys)
    assert list(rows.columns) == ["respondent_id", "theme_id", "suggested_theme_id", "confidence", "kind"]
    assert rows["respondent_id"].tolist() == [ids[a] for a in (order[0], order[2], order[3])]


def test_the_ceiling_is_what_the_features_can_tell_apart():
    from benchmarks.review_eval import ceiling

    rng = np.random.default_rng(0)
    n = 80
    gold = [["A"] if i % 2 else ["B"] for i in range(n)]
    texts = ["svar om noget"] * n                                  # the lemmas say nothing
    told = rng.normal(size=(n, 8)) * 0.1
    told[:, 0] += np.array([3.0 if g == ["A"] else -3.0 for g in gold])
    clear = ceiling({"name": "clear", "gold": gold, "texts": texts, "features": told})
    blind = ceiling({"name": "blind", "gold": gold, "texts": texts, "features": rng.normal(size=(n, 8))})
    assert clear["the app's model"] == 1.0 and clear["logistic regression"] == 1.0
    assert blind["the app's model"] < 0.75


def test_hidden_counts_the_wrong_answers_the_features_cannot_see():
    from benchmarks.review_eval import hidden

    rng = np.random.default_rng(1)
    n = 120
    gold = [["A"] if i % 2 else ["B"] for i in range(n)]
    clusters = np.array([0 if (i % 2 and i % 10 != 1) or (not i % 2 and i % 10 == 0) else 1 for i in range(n)])
    texts = ["svar om noget"] * n
    by_gold = rng.normal(size=(n, 8)) * 0.1
    by_gold[:, 0] += np.array([3.0 if g == ["A"] else -3.0 for g in gold])
    by_cluster = rng.normal(size=(n, 8)) * 0.1
    by_cluster[:, 0] += np.where(clusters == 0, 3.0, -3.0)
    seen = hidden({"name": "seen", "gold": gold, "texts": texts, "clusters": clusters, "features": by_gold})
    unseen = hidden({"name": "unseen", "gold": gold, "texts": texts, "clusters": clusters, "features": by_cluster})
    assert seen["wrong"] == unseen["wrong"] == 24 and seen["right@0%"] == 0.8
    assert seen["auc"] > 0.95 and seen["hidden"] == 0.0
    assert unseen["hidden"] > 0.3 and unseen["auc"] < 0.7           # no better than a random order
    assert unseen["estimate@0%"] > seen["estimate@0%"]       # errors the model cannot see are counted as right
    assert seen["best@20%"] == 1.0 and unseen["best@30%"] == 1.0


def test_a_check_of_every_answer_knows_the_share_and_a_small_one_only_roughly():
    from benchmarks.review_eval import check_sample

    rng = np.random.default_rng(2)
    n = 100
    gold = [["A"] if i % 2 else ["B"] for i in range(n)]
    clusters = np.array([0 if (i % 2 and i % 10 != 1) or (not i % 2 and i % 10 == 0) else 1 for i in range(n)])
    features = rng.normal(size=(n, 8)) * 0.1
    features[:, 0] += np.where(clusters == 0, 3.0, -3.0)          # the model sees the clusters, not the errors
    entry = {"name": "x", "gold": gold, "texts": ["svar om noget"] * n, "clusters": clusters, "features": features}
    everything, few = check_sample(entry, n, draws=20), check_sample(entry, 10, draws=200)
    assert everything["plain_p90"] == 0.0 and everything["assisted_p90"] < 1e-12
    assert everything["plain_within_0.05"] == 1.0
    assert few["plain_p90"] > 0.05 and few["plain_within_0.05"] < 1.0
    assert everything["model_only_gap"] > 0.1                      # 20 % wrong, the model expects far fewer
