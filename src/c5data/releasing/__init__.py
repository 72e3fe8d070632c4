"""Release: what changed between two versions, the next version and changelog, publishing and verifying a download."""
