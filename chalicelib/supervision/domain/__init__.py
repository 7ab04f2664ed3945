"""Pure supervision rules: R1–R14, performance grades."""
