"""textmine: turn the free-text answers of a survey into curated themes."""

__version__ = "0.1.0"
