"""How good are the suggested theme names? (issue #13, part 4; printed by `make eval`)

On a labelled set: each discovered cluster is a theme called "Klynge N"; its suggested name
(review.suggest_names) counts as a hit when it shares a word with the heading of the cluster's majority
gold theme, compared as Danish lemmas (DanishLemmatizer, stop words left out) or by a shared beginning of
at least 5 letters (Danish compounds: "samtaleteknik" and "samtale"). Also measured after the majority merge
(one theme per gold theme found), with the theme renamed "Klynge N" so a name is suggested.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

HEADINGS = {
    "K1": "Hjælpe borgere i job, uddannelse eller selvforsørgelse (varige og holdbare løsninger)",
    "K2": "Skabe det rette match mellem borger og virksomhed",
    "K3": "Understøtte virksomhedernes behov for arbejdskraft og rekruttering",
    "K4": "Afklare og støtte borgere med komplekse udfordringer",
    "K5": "Arbejde relations- og borgercentreret",
    "K6": "Fremme meningsfuld og bæredygtig beskæftigelse",
    "C1": "Relations- og borgerinddragelse", "C2": "Kommunikation & samtaleteknik",
    "C3": "Emotionelle/mentale kompetencer", "C4": "Helhedsorienteret & tværfagligt arbejde",
    "C5": "Arbejdsgiver-/virksomhedsrettede kompetencer", "C6": "Arbejdsmarkedskendskab & forretningsforståelse",
    "C7": "Faglig myndighed & dømmekraft", "C8": "Afklaring af arbejdsevne & sundhedsfaglig viden",
    "C9": "Kulturel & sproglig kompetence", "C10": "Læringsparathed & agilitet",
    "C11": "Digitale/AI-kompetencer & systemforståelse", "C12": "Organisatoriske rammer der efterspørges",
}


def _words(text: str, lemmatizer) -> set[str]:
    words = set(lemmatizer(text.replace("/", " ").replace("-", " ")))
    return {w for w in words if len(w) >= 3}


def shares_a_word(name: str, heading: str, lemmatizer) -> bool:
    a, b = _words(name, lemmatizer), _words(heading, lemmatizer)
    return bool(a & b) or any(len(x) >= 5 and len(y) >= 5 and x[:5] == y[:5] for x in a for y in b)


def _snapshot(texts, labels, stop):
    """A Snapshot-like object of one theme per label (-1: unplaced), every theme called "Klynge N"."""
    from types import SimpleNamespace

    from textmine.discovery.keywords import lemma_counts
    from textmine.project.curation import from_clusters
    from textmine.text.lemmas import DanishLemmatizer

    state = from_clusters({i: int(c) for i, c in enumerate(labels)})
    shown = pd.Series(texts)
    counts, words = lemma_counts(shown, DanishLemmatizer(stop))
    data = SimpleNamespace(stopwords=list(stop))
    return SimpleNamespace(state=state, texts=SimpleNamespace(shown=shown, counts=counts, words=words), data=data)


def name_scores(entry: dict) -> dict:
    from textmine.review.names import suggest_names
    from textmine.text.lemmas import DanishLemmatizer

    texts, gold, clusters = entry["texts"], entry["gold"], np.asarray(entry["clusters"])
    primary = [g[0] for g in gold]
    lemmatizer = DanishLemmatizer()
    majority = {c: Counter(p for k, p in zip(clusters, primary) if k == c).most_common(1)[0][0]
                for c in set(clusters) - {-1}}
    rows = {}
    names = suggest_names(_snapshot(texts, clusters, entry.get("stop", ())))
    hits = [shares_a_word(names.get(c, ""), HEADINGS.get(m, ""), lemmatizer) for c, m in majority.items() if m in HEADINGS]
    rows["clusters"] = (float(np.mean(hits)) if hits else float("nan"), len(hits))
    themes = sorted({m for m in majority.values() if m in HEADINGS})
    index = {m: i for i, m in enumerate(themes)}
    merged = [index.get(majority.get(c), -1) for c in clusters]
    names = suggest_names(_snapshot(texts, merged, entry.get("stop", ())))
    hits = [shares_a_word(names.get(i, ""), HEADINGS[m], lemmatizer) for m, i in index.items()]
    rows["merged themes"] = (float(np.mean(hits)) if hits else float("nan"), len(hits))
    examples = {m: names.get(i, "") for m, i in index.items()}
    return {"set": entry["name"], "cluster_hit": rows["clusters"][0], "clusters": rows["clusters"][1],
            "theme_hit": rows["merged themes"][0], "themes": rows["merged themes"][1], "examples": examples}


def main(argv=None) -> int:
    import argparse
    from pathlib import Path

    from benchmarks.review_eval import load_cache

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True)
    args = parser.parse_args(argv)
    for entry in load_cache(args.cache):
        if entry["name"].startswith("demo:"):
            s = name_scores(entry)
            print(f"{s['set']}: clusters {s['cluster_hit']:.2f} of {s['clusters']}, merged themes {s['theme_hit']:.2f} "
                  f"of {s['themes']}")
            for m, name in s["examples"].items():
                print(f"   {m} {HEADINGS[m][:45]:45s} -> {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
