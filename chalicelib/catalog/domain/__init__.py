"""Pure catalog rules: item declarations, versions in force, search, publication."""
