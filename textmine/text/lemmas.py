"""Danish text processing: tokens, lemmas and stop words for the cluster keywords.

spaCy's blank Danish pipeline (tokenizer, stop words) and the Danish lemma lookup table of
spacy-lookups-data, which is what spaCy's lemmatizer uses in lookup mode (`table.get(word, word)`).
The table is read as a plain dict: building spaCy's hashed Table from it took 2 s of every discovery
in a new process, reading the dict takes 0.4 s. The table ignores context and misses some domain
words, so a small table of exceptions comes first, and unknown genitives ("jobcentrets") and
hyphenated compounds ("AI-værktøjerne") are lemmatised by their parts. The placeholders of masked
personal data ("[navn]", "[e-mail]", privacy.py) are no words: they never become keywords.

A text of any length is read: spaCy gets it in pieces of at most PIECE characters (its own limit is
1,000,000), cut at white space. The keyword step reads the first KEYWORD_CHARS characters of each answer
(keyword_text): an answer of a million characters weighs no more than a long essay, and takes no longer.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .privacy import MASKS

# Where the lookup table is wrong for this domain (it ignores context).
LEMMA_EXCEPTIONS = {
    "borger": "borger",     # the table says "borge" (to guarantee)
    "med": "med",           # the table says "mede"
    "jobcenter": "jobcenter",
    "jobcentret": "jobcenter",
    "jobcentre": "jobcenter",
    "jobcentrene": "jobcenter",
    "vk": "virksomhed",     # common abbreviation in the answers
    "vks": "virksomhed",
    "ai": "ai",
}

KEYWORD_CHARS = 20_000        # what the keyword step reads of one answer
PIECE = 100_000               # the most spaCy is given at once

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_MASKED = re.compile("|".join(re.escape(m) for m in MASKS))


@lru_cache(maxsize=1)
def danish_pipeline():
    """spaCy's blank Danish pipeline and the Danish lemma lookup table of spacy-lookups-data (the table
    spaCy's lookup lemmatizer reads). Read-only, so built once per process."""
    import spacy
    import spacy_lookups_data
    import srsly

    table = srsly.read_gzip_json(Path(spacy_lookups_data.__file__).parent / "data" / "da_lemma_lookup.json.gz")
    return spacy.blank("da"), table


def keyword_text(text: str) -> str:
    """The part of one answer that its keywords and lexical features are made from: its first KEYWORD_CHARS
    characters."""
    return text[:KEYWORD_CHARS]


def pieces(text: str, size: int = PIECE):
    """The text in consecutive pieces of at most `size` characters, each cut after white space when there
    is some in its second half (a word is cut only in a text without spaces)."""
    start = 0
    while len(text) - start > size:
        end = start + size
        space = max(text.rfind(" ", start + size // 2, end), text.rfind("\n", start + size // 2, end))
        end = space + 1 if space >= 0 else end
        yield text[start:end]
        start = end
    yield text[start:]


@lru_cache(maxsize=1)
def _lemmas() -> frozenset:
    """The lemmas of the lookup table (its values): words it knows though it lists no form of theirs."""
    return frozenset(danish_pipeline()[1].values())


JOINING = frozenset({"og", "eller"})      # joining words kept inside a name's phrase ("job og uddannelse")


class DanishLemmatizer:
    """Lower-cased Danish lemmas of a text, with stop words removed (callable as a tokenizer).

    Constructing it only stores settings; the spaCy pipeline is built on first use.
    """

    def __init__(self, domain_stopwords=(), min_length: int = 2):
        self.domain_stopwords = tuple(domain_stopwords)
        self.min_length = min_length

    def _setup(self) -> None:
        if hasattr(self, "table_"):
            return
        from spacy.lang.da.stop_words import STOP_WORDS  # here, not at import: spaCy pulls in torch (~2.5 s)

        self.nlp_, self.table_ = danish_pipeline()
        self.stopwords_ = frozenset(STOP_WORDS) | frozenset(w.lower() for w in self.domain_stopwords)
        self.seen_: dict[str, tuple[str, ...]] = {}    # each answer is lemmatised once, then reused
        self.words_: dict[str, tuple[str, ...]] = {}   # a spaCy token's text -> its words (a regex a token was
        self.lemma_of_: dict[str, str] = {}            # a third of lemmatising 100,000 answers), a word's lemma
        self.lemmas_ = _lemmas()

    def lemma(self, word: str) -> str:
        """The lemma of one lower-case word."""
        self._setup()
        if word in LEMMA_EXCEPTIONS:
            return LEMMA_EXCEPTIONS[word]
        if word in self.table_:
            return self.table_[word]
        if "-" in word:
            head, _, last = word.rpartition("-")
            return f"{head}-{self.lemma(last)}"
        if word.endswith("s") and len(word) > 3:
            stem = word[:-1]
            if stem in LEMMA_EXCEPTIONS or stem in self.table_:
                return self.lemma(stem)
        return word

    def known(self, word: str) -> bool:
        """Is the lower-case word a Danish word the lemma table knows (a form or a lemma)?"""
        self._setup()
        return word in self.table_ or word in self.lemmas_

    def tokens(self, text: str) -> list[str]:
        """Words of the text as spaCy tokenises them, lower-cased (digits, punctuation and the placeholders of
        masked personal data dropped)."""
        self._setup()
        words_of, out = self.words_, []
        for tok in self._tokens(text):
            words = words_of.get(tok.text)
            if words is None:
                words = words_of[tok.text] = tuple(m.group(0) for m in _WORD.finditer(tok.text))
            out.extend(words)
        return out

    def _tokens(self, text: str):
        """spaCy's tokens of the text, read in pieces (never one text over spaCy's max_length)."""
        self._setup()
        for piece in pieces(_MASKED.sub(" ", text).lower()):
            yield from self.nlp_.make_doc(piece)

    def spans(self, text: str) -> list[str | None]:
        """One entry per word of the text: its lemma for a content word, the word itself for a joining word
        ("og", "eller"), None for any other stop word. Phrases for names are read from these, so that they
        never join two words that a removed word or a punctuation mark stood between ("job og uddannelse", not
        "job uddannelse")."""
        return [lemma for lemma, _ in self.written_spans(text)]

    def written_spans(self, text: str) -> list[tuple[str | None, str]]:
        """spans with each word as written (lower case; "" for punctuation): (lemma or None, word). A name is
        shown as its answers write it ("motiverende samtaler"), found by its lemmas ("motivere samtale")."""
        out: list[tuple[str | None, str]] = []
        for tok in self._tokens(text):
            words = [m.group(0) for m in _WORD.finditer(tok.text)]
            if not words:                   # punctuation (a comma between two list items) ends a phrase too
                out.append((None, ""))
            for w in words:
                if w in JOINING:
                    out.append((w, w))
                elif w in self.stopwords_:
                    out.append((None, w))
                else:
                    m = self.lemma(w)
                    out.append((m if len(m) >= self.min_length and m not in self.stopwords_ else None, w))
        return out

    def __call__(self, text: str) -> list[str]:
        """Lemmas of the content words: what BERTopic's vectorizer counts."""
        self._setup()
        if text not in self.seen_:
            lemma_of = self.lemma_of_
            lemmas = (lemma_of.get(w) or lemma_of.setdefault(w, self.lemma(w))
                      for w in self.tokens(text) if w not in self.stopwords_)
            self.seen_[text] = tuple(m for m in lemmas if len(m) >= self.min_length and m not in self.stopwords_)
        return list(self.seen_[text])
