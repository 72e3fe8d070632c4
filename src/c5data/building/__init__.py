"""Build: a release folder of artifacts (CSV, descriptor, Parquet, DuckDB, codebook, zip) from a valid package."""
