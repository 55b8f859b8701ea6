"""The quality measures on a tiny example computed by hand."""

import pandas as pd
import pytest

from textmine.discovery.evaluate import cluster_scores, evaluate


def test_hand_computed_example():
    # cluster 0: A, A, B -> majority A; cluster 1: B, C|B -> majority B; one outlier (gold A);
    # one answer left out as a non-answer whose gold is K0 (right) and one whose gold is A (wrong).
    clusters = [0, 0, 0, 1, 1, -1, None, None]
    gold = [["A"], ["A"], ["B"], ["B"], ["C", "B"], ["A"], ["K0"], ["A"]]
    s = cluster_scores(clusters, gold)
    # right: A, A (cluster 0), B, C|B (cluster 1 = B, any gold theme counts), K0 left out = 5 of 8
    assert s["merge_accuracy"] == pytest.approx(5 / 8)
    assert s["clusters"] == 2
    assert s["outlier_share"] == pytest.approx(1 / 6)
    # real themes A, B, C (K0 is not a theme); A and B are majorities
    assert s["gold_themes"] == 3 and s["themes_found"] == pytest.approx(2 / 3)


def test_perfect_clustering_scores_one():
    s = cluster_scores([0, 0, 1, 1, 2], [["x"], ["x"], ["y"], ["y"], ["z"]])
    assert s["merge_accuracy"] == s["themes_found"] == s["nmi"] == s["ari"] == pytest.approx(1.0)


def test_evaluate_joins_on_respondent_and_question():
    assignments = pd.DataFrame({"respondent_id": ["R1", "R2", "R3"], "question": "q", "cluster": [0, 0, 1]})
    gold = pd.DataFrame({"respondent_id": ["R3", "R2", "R1"], "question": "q", "labels": ["K2", "K1", "K1|K2"]})
    row = evaluate(assignments, gold).iloc[0]
    assert row["question"] == "q" and row["merge_accuracy"] == pytest.approx(1.0)


def test_wave_scores_hand_computed():
    from textmine.discovery.evaluate import wave_scores

    # old-theme answers: K1 right, K2 placed K1 (wrong), K3|K1 placed K1 (right: any gold theme), K4 flagged new
    # new-theme answers (N1 primary): flagged, placed in K1 (missed)
    themes = ["K1", "K1", "K1", "", "", "K1"]
    gold = [["K1"], ["K2"], ["K3", "K1"], ["K4"], ["N1"], ["N1", "K1"]]
    s = wave_scores(themes, gold, {"N1"})
    assert (s["old_answers"], s["new_answers"]) == (4, 2)
    assert s["old_placed_right"] == pytest.approx(2 / 4)
    assert s["new_flagged"] == pytest.approx(1 / 2)
    assert s["old_flagged_new"] == pytest.approx(1 / 4)


def test_gold_codebook_merges_by_majority_and_moves_the_rest():
    from benchmarks.gold import gold_codebook

    book = gold_codebook("q", list("abcdef"), [0, 0, 1, 1, 1, -1], ["K1", "K1", "K2", "K1", "K2", "K2"])
    themes = {t.name: t for t in book.themes}
    assert themes["K1"].clusters == (0,) and themes["K1"].answers == ("a", "b", "d")   # d sits in K2's cluster
    assert themes["K2"].clusters == (1,) and themes["K2"].answers == ("c", "e", "f")   # f was an outlier


def test_the_naming_measure_counts_inflected_forms_and_compound_parts_as_the_headings_word():
    """A name says the heading's word when it writes another form of it or a compound with it as a part; a word
    that only begins or ends with the same few letters is no hit."""
    from benchmarks.review_names import shares_a_word
    from textmine.text.lemmas import DanishLemmatizer

    lemmas = DanishLemmatizer()
    for name, heading in [("Politiske partier", "Politik"), ("Sportsbegivenheder", "Sport"),
                          ("Budgetopfølgning (økonomisk)", "Makroøkonomi"),
                          ("Statsforvaltningen", "Offentlig forvaltning"),
                          ("Fleksjob", "Hjælpe borgere i job"), ("Jobcentret", "Hjælpe borgere i job")]:
        assert shares_a_word(name, heading, lemmas), (name, heading)
    for name, heading in [("Turister", "Rejser"), ("Skole", "Uddannelse"), ("Jord", "Geografi")]:
        assert not shares_a_word(name, heading, lemmas), (name, heading)
