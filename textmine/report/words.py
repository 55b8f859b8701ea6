"""The report's fixed words: the method sentence and the names of the tables' columns and rows."""

METHOD = ("Kondenseringen er sket ved klyngeanalyse af fritekstsvarene (textmine) kombineret med manuel "
          "gennemgang, med henblik på at identificere gennemgående temaer, begreber og formuleringer.")
SHARE = "Andel af svarene, der siger noget (%)"   # project.data.theme_share; the base in words: fmt.share_base
QUOTE_LENGTH = 240                  # characters of an answer shown as a quote (cut at a word, with "…")
TOTAL_NAME = "I alt"
CHOSEN = "Citater valgt"            # the themes' column saying whether their quotes were pinned by the analyst
