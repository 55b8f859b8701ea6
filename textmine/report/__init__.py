"""Report output: tables built once from a project (tables.py), the codebook (codebook.py), and
writers that render the same tables to files (writers.py)."""
