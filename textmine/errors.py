"""textmine's own exceptions.

Every message is meant for the analyst (in Danish): it says which file, sheet or column is
wrong and what to do. The CLI turns them into exit code 2, the app into a message box.
"""


class TextmineError(Exception):
    """Base class: a problem the analyst can act on."""


class SurveyFileError(TextmineError):
    """The survey file cannot be read: wrong format, empty, missing sheet."""


class ColumnError(TextmineError):
    """A column named in the settings or on the command line is not in the survey."""


class ConfigError(TextmineError):
    """The survey description (TOML) is missing or wrong."""


class TooFewAnswersError(TextmineError):
    """A question has too few real answers to cluster; `answers` holds them, to be read instead."""

    def __init__(self, message: str, answers=()):
        super().__init__(message)
        self.answers = list(answers)


class ModelError(TextmineError):
    """An embedding model or a saved textmine model cannot be loaded."""
