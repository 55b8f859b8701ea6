"""Names for themes: each theme's key phrase, words that stand together in its answers, and a description in the
report's style, the theme's other key concepts in brackets ("Motiverende samtaler (konflikthåndtering, skriftlighed,
tillid)").

Phrases are lemma n-grams of content words that stand next to each other in the answers (phrase_counts); a theme's
phrases are ranked by class TF-IDF against the other themes, counting the answers of the theme that hold the phrase
(a word also where an answer writes it in a compound: with_compounds).
The name (_lead): a phrase of two or three words when it is nearly as distinctive as the best single word, or holds
it; never a word the answers write mostly in compounds ("politik" of "handicappolitik"); of two words nearly as good,
the one more answers write themselves ("valg", not "sikre"); a verb and its object ("presse folk") not while another
word is nearly as good; a single word few answers hold gets a second word nearly as good ("Reform og kontrol"). A
phrase is shown as its answers write it most often ("motiverende samtaler", not the lemmas "motivere samtale").
The concepts (_concepts): each chosen for the answers it adds to the name's and the concepts' before it, shown as
the compound most of its answers write ("transportsystem"), never two parts of one compound ("transport", "system").
Only the masked texts are read, and a phrase the masking would change is never a name.
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
NEAR = 0.9                # a word that scores this share of the best word is nearly as good
OWN_SHARE = 0.5           # a word its answers write in compounds more than this share of the time is a part
CANDIDATES = 40           # a theme's best phrases its name and concepts are chosen from
ADDS = 0.25               # a concept's score counts this share whole, the rest for the answers it adds
WEAK, SECOND = 0.2, 0.8   # a single word held by less than this share of a theme's answers is a weak name; a
                          # concept scoring this share of it joins it ("Reform og kontrol")
CONCEPTS = 3              # key concepts in a description's brackets
MAX_NAME = 60             # characters of a suggested name at most
FILLERS = frozenset({"ml", "ift", "fx", "bl", "evt", "mv", "osv", "etc", "hos", "én", "gang", "se", "stå", "ske",
                     "uanset", "give", "tage", "bruge", "gøre", "komme", "få", "finde", "ovenfor", "fem", "nå",
                     "helt", "hele", "gerne", "mulig", "enkelt", "overhoved", "udd", "arb", "pga", "mht", "vha",
                     "bla", "ca", "dk"})
                          # words the stop list lets through that name nothing (abbreviations, light verbs, adverbs)
ABBREVIATIONS = frozenset({"ai", "it", "mi", "cv", "gdpr", "ptsd", "adhd", "kpi", "sms", "vr", "ikt"})
                          # written in capitals in a name ("Digitale værktøjer (AI, …)"); the answers are read lower case


@dataclass(frozen=True)
class Suggestion:
    name: str
    description: str


@dataclass(frozen=True)
class Phrase:
    """One of a theme's phrases: its lemmas, as its answers write it, its class TF-IDF in the theme, the theme's
    answers that hold it (also in a compound), how many write it itself, and whether two of them hold it or more."""
    lemmas: str
    shown: str
    score: float
    answers: frozenset
    own: int
    shared: bool
    plain: float = 0.0        # its score by the answers that write it themselves
    verb: bool = False        # a verb and what follows it ("presse folk", "hjælpe virksomhederne")

    @property
    def whole(self) -> bool:
        """Do its answers write it themselves more often than only in compounds (a phrase always)?"""
        return " " in self.lemmas or self.own > OWN_SHARE * len(self.answers)


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
    """Label 0..k-1 -> its Suggestion, for every label with answers that have a content word and a name no larger
    label has. `texts`: the answers as shown (masked); `labels`: each answer's label (-1: in none)."""
    mask = mask or (lambda text: text)
    written: dict[str, Counter] = {}
    held, own, phrases, wholes = with_compounds(*phrase_counts(texts, lemmatizer, min_df=1, written=written),
                                                lemmatizer.known)
    labels = np.asarray(labels, dtype=int)
    df, own_df = theme_counts(held, labels, k), theme_counts(own, labels, k)   # answers of each theme that hold
    score = df * class_idf(df.sum(axis=0), df.sum(axis=1).mean())               # each phrase (or write it)
    plain = own_df * class_idf(own_df.sum(axis=0), own_df.sum(axis=1).mean())     # by the answers that write it
    sizes = np.bincount(labels[labels >= 0], minlength=k)
    column = {p: j for j, p in enumerate(phrases)}
    shown = {p: _capitals(written[p].most_common(1)[0][0] if " " in p else p) for p in phrases}  # a word: its lemma
    out, taken = {}, set()
    for g in sorted(range(k), key=lambda g: (-sizes[g], g)):       # the larger theme keeps a name both would get
        least = min(2, int(sizes[g]))                       # a theme's phrase stands in two of its answers
        order = [j for j in np.lexsort((phrases.astype(str), -score[g])) if score[g, j] > 0
                 and mask(shown[phrases[j]]) == shown[phrases[j]] and mask(phrases[j]) == phrases[j]
                 and _ends_well(phrases[j], shown[phrases[j]])]
        order = ([j for j in order if df[g, j] >= least] + [j for j in order if df[g, j] < least])[:CANDIDATES]
        if order:                                   # a theme whose answers share no phrase: its best words
            rows = held[np.flatnonzero(labels == g)].tocsc()
            ranked = [Phrase(phrases[j], shown[phrases[j]], float(score[g, j]), frozenset(rows[:, j].indices),
                             int(own_df[g, j]), bool(df[g, j] >= least), float(plain[g, j]),
                             _verb(phrases[j], shown[phrases[j]], lemmatizer)) for j in order]
            joined = {c: ps for c, ps in wholes.items() if own_df[g, column[c]] > 0}
            found = _suggestion(ranked, taken, joined, int(sizes[g]))
            if found.name.lower() not in taken:         # no two themes of one name ("Bus" and "Bus": the page
                out[g] = found                          # could not tell them apart); without one, no suggestion
                taken.add(found.name.lower())
    return out


def with_compounds(counts, phrases, known=lambda word: True, min_df: int = 2):
    """(held, own, phrases, wholes): `held` the answers × phrases 0/1 matrix where an answer holds a word also when
    it holds a compound of it (`parts`), `own` where it writes the phrase itself, of the phrases kept that `min_df`
    answers write themselves; `wholes` each kept compound -> its parts that are kept phrases. A word counts the
    answers that speak of it, whatever compound they write it in, so the general word many answers share ("sport",
    "virksomhed") is found beside its rarer compounds ("sportsgren", "virksomhedsservice"), also those written only
    once."""
    from scipy import sparse

    keep = np.flatnonzero(np.asarray((counts > 0).sum(axis=0)).ravel() >= min(min_df, max(counts.shape[0], 1)))
    index = {p: j for j, p in enumerate(phrases) if " " not in p}
    rows, cols = list(range(len(phrases))), list(range(len(phrases)))
    found = {}
    for compound, j in index.items():
        for part in parts(compound, known) & index.keys():
            rows.append(j)
            cols.append(index[part])
            found.setdefault(compound, set()).add(part)
    family = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(phrases), len(phrases)))
    held = ((counts @ family) > 0).astype(float)
    kept = set(phrases[keep])
    wholes = {c: frozenset(ps & kept) for c, ps in found.items() if c in kept and ps & kept}
    return held[:, keep], (counts[:, keep] > 0).astype(float), phrases[keep], wholes


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


def _suggestion(ranked: list[Phrase], taken=frozenset(), joined=None, size: int = 0) -> Suggestion:
    """The name and description from a theme's phrases, best first; `taken`: other themes' names (lower case);
    `joined`: each compound the theme's answers write -> its parts; `size`: the theme's answers. A single word
    that few of them hold gets the first concept beside it when that scores nearly as well ("Reform og kontrol")."""
    lead = _lead(ranked, taken)
    concepts = _concepts(ranked, lead, joined or {}, CONCEPTS + 1)
    name = _capital(lead.shown)
    second = concepts[0] if concepts else lead
    if (" " not in lead.lemmas + second.lemmas and len(lead.answers) < WEAK * size and second is not lead
            and second.score >= SECOND * lead.score and second.own == len(second.answers)
            and second.shown.lower() not in taken):          # a word the answers write in compounds, another
        name, concepts = f"{name} og {second.shown}", concepts[1:]       # theme's name: no second word
    name, shown = name[:MAX_NAME], [c.shown for c in concepts[:CONCEPTS]]
    return Suggestion(name, f"{name} ({', '.join(shown)})" if shown else name)


def _lead(ranked: list[Phrase], taken) -> Phrase:
    """The phrase that names a theme: a phrase several answers share, when one scores near the best word or holds
    it, the word chosen beside it ("månens overflade" for "overflade" beside "sol") or the best word of all,
    though its answers write that mostly in compounds ("farligt affald"), else a word; never a
    word its answers write mostly in compounds (`Phrase.whole`: "politik" of "handicappolitik") while there is
    another; of the words nearly as good as the best, the one that scores most by the answers that write it
    themselves (`Phrase.plain`: "valg" over "sikre" of "sikkerhed"); never a name in `taken` while the theme has
    another phrase or word: then its best shared phrase, else its next word. A verb and its object ("presse folk")
    hold the best word as a name only while no other word is nearly as good ("fællesskab")."""
    named = [r for r in ranked if r.whole] or ranked
    free = ([r for r in named if r.shown.lower() not in taken] or [r for r in ranked if r.shown.lower() not in taken]
            or named)
    best = free[0].score if free[0] is named[0] else 0.0
    near = [r for r in free if " " not in r.lemmas and r.shared and r.score >= NEAR * free[0].score]
    top = max(near, key=lambda r: r.plain, default=free[0])
    phrases = [r for r in free if " " in r.lemmas and r.shared and not (r.verb and len(near) > 1)]
    words = {top.lemmas, free[0].lemmas}              # the best word, or the word nearly as good chosen
    return next((r for r in phrases if (words & set(r.lemmas.split()) and r.score >= WITH_WORD_SHARE * best)
                 or (ranked[0].lemmas in r.lemmas.split() and r.score >= WITH_WORD_SHARE * ranked[0].score)),
                next((r for r in phrases if r.score >= PHRASE_SHARE * best), top))


def _concepts(ranked: list[Phrase], lead: Phrase, joined: dict, n: int = CONCEPTS) -> list[Phrase]:
    """The description's key concepts, each for the answers it adds: the phrase that scores most over the theme's
    answers not yet held by the name and the concepts before it (greedy coverage weighed by distinctiveness);
    shown as the compound the answers write more often than the word itself ("transportsystem", not "transport"
    and "system"); never a word of the name or a concept's again, never a part of a compound beside another."""
    used, covered, concepts = _words(lead.lemmas), set(lead.answers), []
    pool = [r for r in ranked if r is not lead]
    while len(concepts) < n:
        pool = [r for r in pool if _apart(r, used, joined)]
        if not pool:
            break
        among = [r for r in pool if r.shared] or pool         # a phrase two answers share first
        gains = [r.score * (ADDS + (1 - ADDS) * len(r.answers - covered) / len(r.answers)) for r in among]
        chosen = among[int(np.argmax(gains))]
        chosen = _as_written(chosen, pool, used, joined)
        concepts.append(chosen)
        used, covered = used | _words(chosen.lemmas), covered | chosen.answers
    return concepts


def _as_written(chosen: Phrase, pool: list[Phrase], used: set, joined: dict) -> Phrase:
    """The compound of a word that its answers write themselves more often than the word, in half of the word's
    answers or more ("boligområde" for "område"), else the word ("sport" beside "sportsgren", "sportsbegivenhed")."""
    wholes = [r for r in pool if chosen.lemmas in joined.get(r.lemmas, ()) and _apart(r, used, joined)]
    best = max(wholes, key=lambda r: r.own, default=chosen)
    return best if best.own > chosen.own and best.own >= OWN_SHARE * len(chosen.answers) else chosen


def _apart(phrase: Phrase, used: set[str], joined: dict) -> bool:
    """May a phrase stand beside the words `used`: none the same word (`_same_word`), and a word its answers write
    mostly in compounds never beside another part of one of them ("system" beside "transport" where the answers
    write "transportsystem", "anlæg" beside "bevilling")?"""
    words = _words(phrase.lemmas)
    if words & used or any(_same_word(w, u) for w in words for u in used):
        return False
    if phrase.whole:
        return True
    return not any(w in ps and used & ps for w in words for ps in joined.values())


def _verb(lemmas: str, written: str, lemmatizer: DanishLemmatizer) -> bool:
    """Does a phrase begin with an infinitive: its first word written as its lemma, a verb the lemma table knows
    by its participle ("presse": "pressende"; not the noun "lokale")?"""
    first = lemmas.split(" ")[0]
    return (" " in lemmas and first.endswith("e") and written.split(" ")[0] == first
            and lemmatizer.known(first + "nde") and lemmatizer.lemma(first + "nde") == first)


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
