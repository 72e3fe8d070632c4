"""Validation: checks derived from the Table Schemas, cross-table rules, all run by pandera; every finding located."""
