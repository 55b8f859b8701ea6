"""The follow-up wave measured (part of `make eval`; `python -m benchmarks.eval --waves-only`): a baseline discovered,
curated exactly as the gold coding says, saved, loaded and applied to new answers (waves.applying). The demo's real
follow-up, then held-out sets: a random half of a labelled set without some themes as the baseline, the other half
(with them) as the new wave."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.eval import WAVES, demo_sets, external_sets
from textmine.config import DiscoverySettings, load_config
from textmine.survey.reading import read_survey

HELD_OUT = {"andre_kompetencer": {"C9", "C11"}, "agendas (CAP)": {"13", "1", "6"}, "SIB-200 dansk": {"politics"}}


def _table(ids, texts) -> pd.DataFrame:
    return pd.DataFrame({"respondent_id": ids, "svar": texts})


def _halves(texts, gold, hold, seed=0):
    """Baseline: a random half without the held-out themes; follow-up: the other half (with them)."""
    first = set(np.random.default_rng(seed).permutation(len(texts))[: len(texts) // 2].tolist())
    base = [i for i in range(len(texts)) if i in first and gold[i][0] not in hold]
    follow = [i for i in range(len(texts)) if i not in first]
    ids = [f"X{i:05d}" for i in range(len(texts))]
    pick = lambda rows: (_table([ids[i] for i in rows], [texts[i] for i in rows]),
                         {ids[i]: gold[i] for i in rows})
    return (*pick(base), *pick(follow))


def wave_sets(config_path=None):
    """(name, question column, baseline table, its gold, follow-up table, its gold, the new themes).
    The demo: the real follow-up wave. Then the same check on other answers written in other words: a
    random half of a labelled set without some themes as the baseline, the other half as the new wave."""
    config = load_config(config_path)
    tables, golds = [], []
    for _, survey, gold_file in WAVES:
        tables.append(read_survey(config.survey_file.parent / survey, config.sheet))
        gold = pd.read_csv(config.survey_file.parent / gold_file, dtype=str)
        golds.append(gold)
    question = "kerneopgave"

    def labels(gold):
        part = gold[gold["question"] == question]
        return {r: lab.split("|") for r, lab in zip(part["respondent_id"], part["labels"])}
    yield "demo follow-up: kerneopgave", question, tables[0], labels(golds[0]), tables[1], labels(golds[1]), {"N1", "N2"}
    for name, texts, gold, _, _ in demo_sets(config_path):
        if name == "demo:andre_kompetencer":
            yield ("held-out: andre_kompetencer", "svar",
                   *_halves(texts, gold, HELD_OUT["andre_kompetencer"]), HELD_OUT["andre_kompetencer"])
    for name, texts, gold, _, _ in external_sets():
        yield f"held-out: {name}", "svar", *_halves(texts, gold, HELD_OUT[name]), HELD_OUT[name]


def evaluate_wave(base, base_gold, follow, follow_gold, question, new_labels, config,
                  settings: DiscoverySettings, wave_settings, cache_dir=None) -> dict:
    """Discover the baseline, curate it as the gold coding says, save and reload the model, apply it."""
    import tempfile

    from benchmarks.gold import gold_codebook
    from textmine.app.pipeline import discover_question
    from textmine.discovery.evaluate import wave_scores
    from textmine.discovery.topics import load_model
    from textmine.waves.applying import apply_wave
    from textmine.waves.placing import index_from_codebook

    found = discover_question(base, question, config, settings, id_column="respondent_id", cache_dir=cache_dir)
    real = found.answers[found.answers["is_answer"]]
    with tempfile.TemporaryDirectory() as folder:
        found.save_model(Path(folder) / "model", settings)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = load_model(Path(folder) / "model")
    primary = [base_gold[r][0] for r in real["respondent_id"]]
    codebook = gold_codebook(question, real["respondent_id"].tolist(), real["cluster"].astype(int).tolist(), primary)
    wave = apply_wave(model, index_from_codebook(model, codebook), follow, question, config, wave_settings,
                      id_column="respondent_id", cache_dir=cache_dir).real()
    return {"baseline_answers": len(real),
            **wave_scores(wave["theme"].tolist(), [follow_gold[r] for r in wave["respondent_id"]], new_labels)}


WAVE_COLUMNS = ["set", "baseline_answers", "old_answers", "new_answers", "old_placed_right", "new_flagged",
                "old_flagged_new"]


def evaluate_waves(settings: DiscoverySettings, wave_settings=None, cache_dir=None, include_external=True) -> pd.DataFrame:
    from textmine.waves.placing import WaveSettings

    config = load_config()
    rows = []
    for name, question, base, base_gold, follow, follow_gold, new in wave_sets():
        if not include_external and name.startswith("held-out"):
            continue
        scores = evaluate_wave(base, base_gold, follow, follow_gold, question, new, config, settings,
                               wave_settings or WaveSettings(), cache_dir)
        rows.append({"set": name, **scores})
        print(f"  {name:36s} placed right={scores['old_placed_right']:.3f} new flagged={scores['new_flagged']:.3f} "
              f"old flagged new={scores['old_flagged_new']:.3f}", flush=True)
    return pd.DataFrame(rows)[WAVE_COLUMNS]
