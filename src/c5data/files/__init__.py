"""File-system helpers shared by every stage: atomic writes, staged folders, containment and hashing."""
