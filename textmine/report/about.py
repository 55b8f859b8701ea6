"""The workbook's "Om tallene" sheet: what each number is, and what its share is based on."""

from __future__ import annotations

import pandas as pd

from ..fmt import number, quoted
from ..project.curation import NOT_AN_ANSWER_NAME, UNPLACED_NAME
from .words import METHOD, SHARE

HOW = ("Skønnet: de svar, analytikeren har gennemset (bekræftet eller flyttet), tæller som rigtige; for hvert af de "
       "øvrige bruges sandsynligheden for, at svaret ligger i det rigtige tema, fra en model lært af kodningen "
       "(beregnet uden svaret selv). Intervallet er et 95 %-interval.")
HOW_CHECK = ("Skønnet bygger på en tilfældig stikprøve af svarene, som analytikeren har læst: andelen, der måtte "
             "flyttes, skønner, hvor mange svar der lå forkert fra starten, og hvert svar, der er flyttet siden, er "
             "ét forkert svar mindre. Intervallet er stikprøvens 95 %-interval.")


def about_table(tables) -> pd.DataFrame:
    n, r = number(tables.n_answers), number(tables.n_respondents)
    rows = [
        ("Spørgsmålet", f"{quoted(tables.question_text)} ({tables.question}). {METHOD}"),
        ("Svar", f"Antal svar med temaet som første tema. Hvert af de {n} svar står i netop én række på arket "
                 f"'Temaer', også '{UNPLACED_NAME}' og '{NOT_AN_ANSWER_NAME}'."),
        ("Respondenter", "Svar (respondenter) med temaet som første eller andet tema (én optælling i hele textmine; "
                         "en respondent har ét svar på spørgsmålet)."),
        (SHARE, f"Respondenter delt med de {r} svar, der siger noget: alle svar undtagen '{NOT_AN_ANSWER_NAME}' "
                f"('{UNPLACED_NAME}' tæller med). Et svar kan have to temaer, så temaerne summerer til mere end 100 %. "
                "Det er samme tal som i appen, i diagrammerne, på citatsiderne og i Word."),
        ("Temaer × grupper", "Andel (%): respondenter i gruppen med temaet delt med gruppens svar, der siger noget "
                             "(vægtet, når undersøgelsen har en vægt). 95 %-interval: Wilson. Test: chi-i-anden, eller "
                             "Fishers eksakte test når et forventet antal er under 5; samme p-værdi for begge grupper "
                             "i en gruppering."),
        ("Grupperne", _groups_text(tables)),
        ("Likert-andele", f"Andelen, der svarer {_high_text(tables)}, blandt dem i gruppen, der har svaret på "
                          "spørgsmålet."),
        ("Bølger", "Andel af svarene, der siger noget, i hver måling, som nævner temaet (samme grundlag i begge "
                   "målinger: '" + NOT_AN_ANSWER_NAME + "' tæller ikke med); forskel i procentpoint med "
                   "95 %-interval (Newcombe) og p-værdi."),
        ("Talformat", "Tal er gemt som tal (man kan regne med dem) og vises med decimalkomma og tusindtalspunktum "
                      "på en computer med danske landestandarder."),
    ]
    absent = {"Temaer × grupper": tables.by_group, "Grupperne": tables.by_group, "Likert-andele": tables.likert,
              "Bølger": tables.waves}
    if tables.quality:
        how = HOW_CHECK if tables.quality_checked else HOW
        rows.insert(1, ("Anslået kodningskvalitet", f"{tables.quality} {how}"))
    rows = [row for row in rows if row[0] not in absent or absent[row[0]] is not None]
    return pd.DataFrame(rows, columns=["Tal", "Hvad det er, og hvad andelen er beregnet af"])


def _groups_text(tables) -> str:
    groupings = list(dict.fromkeys(tables.by_group["Gruppering"])) if tables.by_group is not None else []
    if "Medarbejdere og ledere" in groupings:
        return ("Medarbejdere og ledere efter rollen; blandt medarbejderne er 'Tæt på arbejdsmarkedet' dem, der kun "
                "arbejder med målgrupper tæt på, og 'Langt fra arbejdsmarkedet' dem, der kun arbejder med målgrupper "
                "langt fra.")
    return (f"Hver værdi af {', '.join(groupings) or 'baggrundsvariablerne'} er en gruppe; respondenter uden en værdi "
            "tæller ikke med i grupperne.")


def _high_text(tables) -> str:
    return tables.high or "4 eller 5"
