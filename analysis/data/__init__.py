"""Data shipped with the analysis engine: lexicons and the default theme taxonomy."""
