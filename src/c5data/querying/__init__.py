"""Query: DuckDB connections on a built release or on data/ in memory, and SQL results rendered for people and tools."""
