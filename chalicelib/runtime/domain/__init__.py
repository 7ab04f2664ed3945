"""Pure process rules: the fixed procedures, deadlines ladders and action checks."""
