"""Answers that do not answer: about the questionnaire or the question itself ("Spørgsmålet er for bredt",
"Svært at svare kort på i et spørgeskema", "Ved ikke hvad der menes") or empty of content ("-", "ved ikke",
"Ingen kommentarer", "Nej tak", "Se ovenfor"). They end up inside real themes; the analyst puts them in
"Ikke et svar", and the theme tree keeps them out of its cut (project/tree.py).

Rule-based Danish patterns, written for precision (a hit is shown to the analyst ticked, so a false hit costs
a real answer):
- *empty*: nothing but punctuation, or the whole answer is a content-free phrase (optionally after "nej"):
  "ved ikke", "ingen (yderligere) kommentarer", "intet at tilføje", "har ingen", "ikke noget", "se ovenfor",
  "se tidligere svar", "samme svar som sidste år", "nej, ikke udover det nævnte". An answer that goes on
  ("Nej til mere dokumentation", "Mange unge ved ikke hvad de vil") is not empty.
- *about the survey*: it names this survey or question ("spørgeskemaet", "undersøgelsen", "den her
  undersøgelse", "spørgsmålet", "det spørgsmål"; not "spørgsmål om ledighed", "spørgsmålet om ...",
  "undersøgelsen af arbejdsevnen") and says something about it (too broad, too long, hard to answer,
  answered before, the results); or it says the question is not understood or hard to answer
  ("Ved ikke hvad der menes", "Svært at svare på", "Svært at sige før vi kender rammerne").
The survey description's placeholders (config.TextSettings.placeholders: "-", "ved ikke", ...) never reach a
project (survey.reading.is_non_answer); this finds what they miss, and answers put in a project another way.
Deflections and complaints about something else ("det bestemmer politikerne jo", "fasit driller") are
left to the analyst: they are about the work, not the questionnaire.
"""

from __future__ import annotations

import re

SURVEY = "survey"            # about the questionnaire or the question itself
EMPTY = "empty"              # says nothing

_WORDS = re.compile(r"[0-9a-zæøåäöüé]+")

_NOTHING = re.compile(r"""^(?:nej\ )?(?:
      (?:nej|nope|nix|ja|ok|okay|x+|n\ ?a|nn|pass|andet|intet|ingen|nul|0+)(?:\ tak)?
    | (?:ingen|intet|ikke\ noget|ikke\ mere|har\ ingen|har\ ikke\ noget|har\ ikke\ mere)
      (?:\ (?:yderligere|yderligt|mere|andet|særligt|specielt|konkret))?
      (?:\ (?:kommentar(?:er)?|bemærkning(?:er)?|tilføjelse(?:r)?|input|forslag|svar|idéer|ideer|
             at\ (?:tilføje|bemærke|sige|skrive|komme\ med)))?
    | ingen\ (?:anelse|idé|ide)
    | (?:jeg\ )?(?:ved\ (?:det\ )?ikke|ved\ jeg\ ikke|det\ ved\ jeg\ ikke|aner\ (?:det\ )?ikke|ved\ ej)
    | (?:ikke\ )?(?:relevant|irrelevant|umiddelbart)
    | ikke\ (?:udover|ud\ over)\ (?:det\ (?:nævnte|allerede\ nævnte|skrevne)|ovenstående|ovenfor)
    | (?:se|som|jf)\ (?:ovenfor|ovenstående|ovenstående\ svar|svar\ ovenfor|forrige|forrige\ svar|
             tidligere|tidligere\ svar|tidl\ svar|mit\ tidligere\ svar|mit\ forrige\ svar|før)
    | som\ (?:nævnt|skrevet|svaret)\ (?:ovenfor|før|tidligere)
    | (?:jeg\ )?har\ (?:skrevet|svaret|nævnt)\ det(?:\ hele)?\ (?:ovenfor|før|tidligere)
    | samme\ (?:svar\ )?som\ (?:ovenfor|før|tidligere|sidst|sidste\ år|sidste\ gang)
)$""", re.VERBOSE)

_THIS_SURVEY = re.compile(r"""\b(?:
      spørgeskema\w*|survey\w*|skemaet
    | (?:denne|den\ her|jeres|anden|en\ anden|ny|en\ ny|hele)\ (?:spørgeskema\w*|undersøgelse)
    | undersøgelsen(?!\ af\b|\ hos\b|\ på\b|\ ved\b)
    | spørgsmålet(?!\ om\b|\ til\b|\ fra\b|\ af\b)|spørgsmålene(?!\ om\b|\ til\b|\ fra\b|\ af\b)
    | (?:dette|det\ her|de\ her|disse)\ spørgsmål | ^(?:det|de)\ spørgsmål
)""", re.VERBOSE)

_ABOUT_IT = re.compile(r"""\b(?:
      for\ (?:bred|bredt|brede|lang|langt|lange|abstrakt|abstrakte|generel|generelt|generelle|uklar|uklart|
             uklare|upræcis|upræcist|svær|svært|svære|kompliceret|mange)
    | svært|svær|svare|svaret|svarene|besvare\w*|udfylde\w*|resultat\w*|forstå\w*|mening\w*|initiativ\w*|
      tidsspild|spild|sidst|før|menes|relevan\w*|dum|dumt|ledende
)""", re.VERBOSE)

_NOT_UNDERSTOOD = re.compile(r"""^(?:
      (?:jeg\ )?(?:ved\ ikke|forstår\ ikke|er\ ikke\ sikker\ på)\ hvad\ (?:der\ )?(?:menes|i\ mener|der\ spørges\ om)
    | (?:jeg\ )?forstår\ ikke\ (?:spørgsmålet|hvad\ der\ spørges\ om)
    | hvad\ menes\ der(?:\ med)?
    | (?:det\ er\ )?(?:lidt\ |meget\ |rigtig\ )?svært\ at\ (?:svare|sige)(?:\ (?:på|før|når|nu|kort|præcist|
        entydigt|uden|i|lige)\b.*)?
    | (?:jeg\ )?kan\ ikke\ svare(?:\ på\ det)?
    | (?:jeg\ )?har\ svaret\ på\ det\b.*
)$""", re.VERBOSE)

_REFUSED = re.compile(r"\bjeg (?:vil|kan) ikke (?:svare|besvare)(?: på)?(?: det| spørgsmålet)?"
                      r"(?: nu| lige nu| endnu)?$")


def _words(text: str) -> str:
    return " ".join(_WORDS.findall(str(text).lower()))


def _not_understood(text: str) -> bool:
    """The whole answer says the question is not understood or hard to answer; a comma or "men" means more
    follows ("Svært at sige, måske mere samarbejde" is an answer)."""
    raw = " ".join(str(text).lower().split()).strip(" .!?…-–—:;)(")
    return bool(_NOT_UNDERSTOOD.match(raw)) and not re.search(r"[,;:]|\bmen\b", raw)


def meta_kind(text) -> str | None:
    """SURVEY when the answer is about the questionnaire or the question itself, EMPTY when it says nothing,
    else None (a real answer, or one the patterns cannot tell)."""
    words = _words(text)
    if not words or _NOTHING.match(words):
        return EMPTY
    if _not_understood(text) or _REFUSED.search(words) or (_THIS_SURVEY.search(words) and _ABOUT_IT.search(words)):
        return SURVEY
    return None


def meta_answers(texts) -> dict:
    """{answer id: SURVEY or EMPTY} of the answers in `texts` (answer id -> text, e.g. a Series of the masked
    texts) that do not answer the question; the others are left out."""
    found = {}
    for answer, text in texts.items():
        kind = meta_kind(text)
        if kind:
            found[answer] = kind
    return found
