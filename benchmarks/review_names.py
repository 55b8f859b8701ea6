"""How good are the suggested theme names? (issue 25, item 1; printed by `make eval`)

On a labelled set: each discovered cluster gets its suggested name and description (review.names.name_clusters,
from the answers masked as the app masks them); it counts as a hit when the name (or the name or the description)
shares a content word with the heading of the cluster's majority gold theme, compared as Danish lemmas
(DanishLemmatizer, stop words left out), by a shared beginning of at least 5 letters ("samtaleteknik" and
"samtale", "politisk" and "politik") or as a compound and its part ("fleksjob" and "job", "makroøkonomi" and
"økonomisk": `related`). Also measured after the majority merge (one theme per gold theme found). The
headings: the demo report's own (data/report_targets.json), the CAP major topics and SIB-200's categories in
Danish (their names in ../shared/external/PROVENANCE.md, translated); a gold theme without a heading (the demo's
"other" K0, new themes N1/N2, CAP's uncodable 0) is left out.
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


CAP_HEADINGS = {
    "1": "Makroøkonomi", "2": "Borgerrettigheder", "3": "Sundhed", "4": "Landbrug", "5": "Arbejdsmarked og beskæftigelse",
    "6": "Uddannelse", "7": "Miljø", "8": "Energi", "9": "Indvandring", "10": "Transport", "12": "Lov og kriminalitet",
    "13": "Social velfærd", "14": "Boliger og byudvikling", "15": "Erhverv og bankvæsen",
    "17": "Teknologi og kommunikation", "19": "Internationale forhold", "20": "Offentlig forvaltning",
    "21": "Offentlige arealer og vandforvaltning", "23": "Kultur",
}
SIB_HEADINGS = {"science/technology": "Videnskab og teknologi", "travel": "Rejser", "politics": "Politik",
                "sports": "Sport", "health": "Sundhed", "entertainment": "Underholdning", "geography": "Geografi"}


def headings_of(set_name: str) -> dict:
    """The gold themes' headings of a labelled set (by its name in the eval)."""
    if set_name.startswith("agendas"):
        return CAP_HEADINGS
    if set_name.startswith("SIB"):
        return SIB_HEADINGS
    return HEADINGS


def _words(text: str, lemmatizer) -> set[str]:
    words = set(lemmatizer(text.replace("/", " ").replace("-", " ")))
    return {w for w in words if len(w) >= 3}


def shares_a_word(name: str, heading: str, lemmatizer) -> bool:
    a, b = _words(name, lemmatizer), _words(heading, lemmatizer)
    return bool(a & b) or any(related(x, y) or related(y, x) for x in a for y in b)


def related(x: str, y: str) -> bool:
    """Are two lemmas one word's forms or a compound and its part? A shared beginning of 5 letters ("politisk",
    "politik"); `y` a compound that begins with the whole of `x` ("sport" in "sportsgren", "job" in "jobcenter") or
    ends with it or a beginning of it of 5 letters or more ("fleksjob", "økonomisk" in "makroøkonomi")."""
    if len(x) >= 5 and len(y) >= 5 and x[:5] == y[:5]:
        return True
    if len(y) < len(x) + 3:                      # a compound's other part has three letters at least
        return False
    return y.startswith(x) or any(y.endswith(x[:n]) for n in range(min(len(x), 5), len(x) + 1))


def _suggestions(texts, clusters, stop) -> dict:
    """cluster -> its Suggestion, from the answers masked as the app masks them (the default masking)."""
    from textmine.review.names import name_clusters
    from textmine.text.lemmas import DanishLemmatizer
    from textmine.text.privacy import Masker

    mask = Masker()
    return name_clusters([mask(str(t)) for t in texts], [int(c) for c in clusters], DanishLemmatizer(stop), mask)


def name_scores(entry: dict, examples: int = 10) -> dict:
    """The shares of hits of a set's clusters (name; name or description) and of its majority-merged themes, and
    `examples` clusters' suggestions (largest first) beside their gold heading."""
    from textmine.text.lemmas import DanishLemmatizer

    texts, gold, clusters = entry["texts"], entry["gold"], np.asarray(entry["clusters"])
    headings, lemmatizer = headings_of(entry["name"]), DanishLemmatizer()
    primary = [g[0] for g in gold]
    majority = {c: Counter(p for k, p in zip(clusters, primary) if k == c).most_common(1)[0][0]
                for c in set(clusters.tolist()) - {-1}}
    judged = {c: m for c, m in majority.items() if m in headings}
    found = _suggestions(texts, clusters, entry.get("stop", ()))

    def hits(suggested: dict, of: dict, description: bool) -> list[bool]:
        return [shares_a_word(suggested[c].description if description else suggested[c].name, headings[m], lemmatizer)
                if c in suggested else False for c, m in of.items()]
    themes = sorted(set(judged.values()))
    merged = _suggestions(texts, [themes.index(majority[c]) if majority.get(c) in themes else -1 for c in clusters],
                          entry.get("stop", ()))
    sizes = Counter(clusters.tolist())
    shown = sorted(judged, key=lambda c: (-sizes[c], c))[:examples]
    return {"set": entry["name"], "clusters": len(judged),
            "name_hit": _mean(hits(found, judged, False)), "name_or_description_hit": _mean(hits(found, judged, True)),
            "themes": len(themes), "theme_hit": _mean(hits(merged, dict(enumerate(themes)), True)),
            "examples": [(judged[c], headings[judged[c]], found[c].description if c in found else "") for c in shown]}


def _mean(values: list) -> float:
    return float(np.mean(values)) if values else float("nan")


def naming_table(found: list, examples: int = 5) -> pd.DataFrame:
    """`make eval`'s naming measure on every labelled set, printed with `examples` suggestions per set."""
    scores = [name_scores(entry, examples) for entry in found]
    table = pd.DataFrame([{k: v for k, v in s.items() if k != "examples"} for s in scores])
    print("\nSuggested theme names: share of clusters whose name (or name or description) shares a content word "
          "with their majority gold theme's heading; theme_hit: the same after merging each cluster into it")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    for s in scores:
        print(f"  {s['set']}:")
        for code, heading, said in s["examples"]:
            print(f"    {code:>4s} {heading[:44]:44s} -> {said}")
    return table


def main(argv=None) -> int:
    import argparse
    from pathlib import Path

    from benchmarks.review_eval import load_cache

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True, help="folder of saved discoveries (*.pkl)")
    parser.add_argument("--examples", type=int, default=5, help="suggestions printed per set")
    args = parser.parse_args(argv)
    pd.set_option("display.width", 200)
    naming_table(load_cache(args.cache), args.examples)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
