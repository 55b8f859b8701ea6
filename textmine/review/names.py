"""Names for themes: each theme's key phrase, words that stand together in its answers, and a description in the
report's style, the theme's other key concepts in brackets ("Motiverende samtaler (konflikthåndtering, skriftlighed,
tillid)").

Phrases are lemma n-grams of content words that stand next to each other in the answers (phrase_counts); a theme's
phrases are ranked by class TF-IDF against the other themes, counting the answers of the theme that hold the phrase
(a word also where an answer writes it in a compound: with_compounds).
A phrase of two or three words names the theme when it is nearly as distinctive as its best single word; it is
shown as its answers write it most often ("motiverende samtaler", not the lemmas "motivere samtale"). Only the
masked texts are read, and a phrase the masking would change is never a name.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from ..discovery.keywords import class_idf, theme_counts
from ..project.curation import run_steps, unnamed
from ..text.lemmas import JOINING, DanishLemmatizer

PHRASE_SHARE = 0.6        # a phrase of several words names a theme when it scores this share of the best word,
WITH_WORD_SHARE = 0.25    # ... or this share when it holds the best word ("motiverende samtaler" for "samtale")
CONCEPTS = 3              # key concepts in a description's brackets
MAX_NAME = 60             # characters of a suggested name at most
FILLERS = frozenset({"ml", "ift", "fx", "bl", "evt", "mv", "osv", "etc", "hos", "én", "gang", "se", "stå", "ske",
                     "uanset", "give", "tage", "bruge", "gøre", "komme", "få", "finde", "ovenfor", "fem", "nå",
                     "helt", "hele", "gerne", "mulig", "enkelt", "overhoved"})
                          # words the stop list lets through that name nothing (abbreviations, light verbs, adverbs)
ABBREVIATIONS = frozenset({"ai", "it", "mi", "cv", "gdpr", "ptsd", "adhd", "kpi", "sms", "vr", "ikt"})
                          # written in capitals in a name ("Digitale værktøjer (AI, …)"); the answers are read lower case


@dataclass(frozen=True)
class Suggestion:
    name: str
    description: str


def suggest_names(snap, only_default: bool = True) -> dict[int, str]:
    """theme_id -> a suggested Danish name, for the themes not yet named by the analyst (`curation.unnamed`; all
    themes with only_default=False). A theme that holds a suggested name keeps it (what the analyst accepts is
    what the list shows); a theme still called "Klynge N" gets its key phrase (suggest_themes)."""
    themes = snap.state.themes
    kept = {t: th.name for t, th in themes.items() if only_default and th.suggested}
    if only_default and all(th.suggested for th in themes.values() if unnamed(th)):
        return kept                                  # nothing to compute (a fresh discovery's themes)
    found = suggest_themes(snap, only_default)
    return {**{t: s.name for t, s in found.items()}, **kept}


def suggest_themes(snap, only_default: bool = True, state=None) -> dict[int, Suggestion]:
    """theme_id -> Suggestion (name and description) for the themes not yet named (all with only_default=False),
    from the snapshot's masked answers, against all its themes; `state`: the themes and placements to name
    (default: the snapshot's own)."""
    state = state or snap.state
    ids = sorted(t for t, th in state.themes.items() if not only_default or unnamed(th))
    if not ids:
        return {}
    primary = state.primary
    clusters = [primary.get(a) for a in range(len(snap.texts.shown))]
    found = name_clusters(snap.texts.shown, [-1 if t is None else t for t in clusters],
                          DanishLemmatizer(snap.data.stopwords), getattr(snap, "masker", None))
    return {t: found[t] for t in ids if t in found}


def name_clusters(texts, clusters, lemmatizer: DanishLemmatizer, mask=None) -> dict[int, Suggestion]:
    """Cluster (or theme) id -> its Suggestion, against the other clusters; `clusters`: each answer's id (below 0:
    in none: unplaced, *Ikke et svar*). What a discovery and a follow-up wave's new clusters are named with."""
    ids = sorted({int(c) for c in clusters if c is not None and c >= 0})
    position = {c: i for i, c in enumerate(ids)}
    labels = [position.get(int(c), -1) if c is not None else -1 for c in clusters]
    found = name_groups(texts, labels, len(ids), lemmatizer, mask)
    return {ids[g]: s for g, s in found.items()}


def names_after(snap, steps) -> list:
    """The step that gives the themes merged by `steps` (the tree's cut) a suggested name from all their answers,
    where the analyst has not named them: [("suggest", {"names": {id: [name, description]}})], or []."""
    state = run_steps(snap.state, steps)
    merged = {int(params["theme_ids"][0]) for action, params in steps if action == "merge"}
    found = suggest_themes(snap, state=state) if merged else {}
    names = {t: [s.name, s.description] for t, s in found.items() if t in merged}
    return [("suggest", {"names": names})] if names else []


def name_groups(texts, labels, k: int, lemmatizer: DanishLemmatizer, mask=None) -> dict[int, Suggestion]:
    """Label 0..k-1 -> its Suggestion, for every label with answers that have a content word. `texts`: the
    answers as shown (masked); `labels`: each answer's label (-1: in none)."""
    mask = mask or (lambda text: text)
    written: dict[str, Counter] = {}
    counts, phrases = with_compounds(*phrase_counts(texts, lemmatizer, min_df=1, written=written), lemmatizer.known)
    labels = np.asarray(labels, dtype=int)
    df = theme_counts(counts, labels, k)                    # answers of each theme that hold each phrase
    score = df * class_idf(df.sum(axis=0), df.sum(axis=1).mean())
    sizes = np.bincount(labels[labels >= 0], minlength=k)
    shown = {p: _capitals(written[p].most_common(1)[0][0] if " " in p else p) for p in phrases}  # a word: its lemma
    out, taken = {}, set()
    for g in sorted(range(k), key=lambda g: (-sizes[g], g)):       # the larger theme keeps a name both would get
        least = min(2, int(sizes[g]))                       # a theme's phrase stands in two of its answers
        order = [j for j in np.lexsort((phrases.astype(str), -score[g])) if score[g, j] > 0
                 and mask(shown[phrases[j]]) == shown[phrases[j]] and mask(phrases[j]) == phrases[j]
                 and _ends_well(phrases[j], shown[phrases[j]])]
        order = [j for j in order if df[g, j] >= least] + [j for j in order if df[g, j] < least]
        if order:                                   # a theme whose answers share no phrase: its best words
            out[g] = _suggestion([(phrases[j], shown[phrases[j]], float(score[g, j]), df[g, j] >= least)
                                  for j in order], taken)
            taken.add(out[g].name.lower())
    return out


def with_compounds(counts, phrases, known=lambda word: True, min_df: int = 2):
    """(answers × phrases 0/1 matrix, the phrases) where an answer holds a word also when it holds a compound of it
    (`parts`), the phrases kept that `min_df` answers write themselves: a word counts the answers that speak of it,
    whatever compound they write it in, so the general word many answers share ("sport", "virksomhed") is found
    beside its rarer compounds ("sportsgren", "virksomhedsservice"), also those written only once."""
    from scipy import sparse

    index = {p: j for j, p in enumerate(phrases) if " " not in p}
    rows, cols = list(range(len(phrases))), list(range(len(phrases)))
    for compound, j in index.items():
        for part in parts(compound, known):
            if part in index:
                rows.append(j)
                cols.append(index[part])
    family = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(phrases), len(phrases)))
    held = ((counts @ family) > 0).astype(float)
    keep = np.flatnonzero(np.asarray((counts > 0).sum(axis=0)).ravel() >= min(min_df, max(counts.shape[0], 1)))
    return held[:, keep], phrases[keep]


def parts(word: str, known=lambda word: True) -> set[str]:
    """The words of 5 letters or more a compound is made of, where the rest of it is a word too (`known`): its last
    part ("folkeskole": skole) or its first ("sportsgren": sport, a joining s or e between). Never "ring" of
    "regering" or "lede" of "billede": a part is 5 letters or more."""
    found = set()
    for i in range(3, len(word) - 4):                    # the first part 3 letters or more, the last 5 or more
        first, last = word[:i], word[i:]
        if known(first) or (first[-1] in "se" and known(first[:-1])):
            found.add(last)
    for i in range(5, len(word) - 3):                    # the first part 5 letters or more, the last 4 or more
        first, last = word[:i], word[i:]
        if known(last):
            found.add(first)
        elif last[0] in "se" and len(last) > 4 and known(last[1:]):
            found.add(first)
    return found - {word}


def _suggestion(ranked: list[tuple[str, str, float, bool]], taken=frozenset()) -> Suggestion:
    """The name and description from a theme's phrases, best first: (lemmas, as written, score, in two of its
    answers or more). The name is a phrase that several answers share, when one scores near the best word; never
    a name in `taken` (another theme's, lower case) while the theme has another phrase or word: then its best
    shared phrase, else its next word."""
    free = [r for r in ranked if r[1].lower() not in taken] or ranked
    best = free[0][2] if free[0] is ranked[0] else 0.0
    phrases = [r for r in free if " " in r[0] and r[3]]
    lead = next((r for r in phrases if free[0][0] in r[0].split() and r[2] >= WITH_WORD_SHARE * best),
                next((r for r in phrases if r[2] >= PHRASE_SHARE * best), free[0]))
    used = _words(lead[0])
    concepts = []
    for lemmas, text, *_ in ranked:
        words = _words(lemmas)
        if len(concepts) == CONCEPTS:
            break
        if not words & used and not any(_same_word(w, u) for w in words for u in used):
            concepts.append(text)
            used |= words
    name = _capital(lead[1])[:MAX_NAME]
    return Suggestion(name, f"{name} ({', '.join(concepts)})" if concepts else name)


def _same_word(a: str, b: str) -> bool:
    """Do two lemmas of 5 letters or more begin alike ("kultur", "kulturel") or end alike, one the other's last part
    ("bevilling", "anlægsbevilling")? Then a description names one of them only."""
    if min(len(a), len(b)) < 5:
        return False
    return a[:5] == b[:5] or a.endswith(b) or b.endswith(a)


def _words(lemmas: str) -> set[str]:
    """A phrase's content words and the parts of its hyphenated ones ("ai-værktøj": ai, værktøj)."""
    words = set(lemmas.split()) - JOINING
    return words | {part for w in words for part in w.split("-")}


def _ends_well(lemmas: str, written: str) -> bool:
    """Does a phrase end as a name can: not on a genitive ("løse virksomhedernes") or a verb in the present tense
    ("arbejdsmarkedet ændrer")? A single word always does."""
    last_lemma, last = lemmas.split()[-1], written.split()[-1]
    genitive = last.endswith("s") and not last_lemma.endswith("s") and " " in lemmas
    present = last_lemma.endswith("e") and last == last_lemma + "r" and " " in lemmas
    return not (genitive or present)


def _capitals(text: str) -> str:
    """The abbreviations of a phrase in capitals ("brug af ai" -> "brug af AI")."""
    return " ".join(w.upper() if w in ABBREVIATIONS else w for w in text.split(" "))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def phrase_counts(texts, lemmatizer, min_df: int = 2, written: dict | None = None):
    """(answers × phrases 0/1 matrix, the phrases): lemma unigrams, bigrams and trigrams of content words that stand
    next to each other in the answer (or two joined by "og"/"eller"), kept when they occur in at least `min_df`
    answers. `written`: a dict that gets each phrase's written forms (Counter of the words as the answers wrote
    them)."""
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for i, text in enumerate(texts):
        for gram, as_written in _grams(lemmatizer.written_spans(str(text))).items():
            rows.append(i)
            cols.append(vocabulary.setdefault(gram, len(vocabulary)))
            if written is not None:
                written.setdefault(gram, Counter())[as_written] += 1
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(vocabulary)))
    df = np.asarray((matrix > 0).sum(axis=0)).ravel()
    keep = np.flatnonzero(df >= min(min_df, max(len(texts), 1)))
    return matrix[:, keep], np.array(list(vocabulary), dtype=object)[keep]


def _grams(spans: list[tuple[str | None, str]]) -> dict[str, str]:
    """An answer's phrases (lemmas joined by spaces) -> how the answer writes it."""
    lemmas = [lemma for lemma, _ in spans]
    grams = {}
    for size in (1, 2, 3):
        for j in range(len(spans) - size + 1):
            run = lemmas[j:j + size]
            if None in run or run[0] in JOINING or run[-1] in JOINING or FILLERS & set(run):
                continue
            content = [w for w in run if w not in JOINING]
            if len(set(content)) == len(content) and len(content) >= min(size, 2):
                grams[" ".join(run)] = " ".join(word for _, word in spans[j:j + size])
    return grams
