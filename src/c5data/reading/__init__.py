"""Reading: a package's descriptor and Table Schemas, each CSV scanned once with its physical lines, typed fields and tables."""
