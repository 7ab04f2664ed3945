"""Local-only development stack (never deployed)."""
