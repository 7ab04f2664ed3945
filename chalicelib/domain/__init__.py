"""Pure domain rules: no AWS SDK, ORM, web framework or environment reads here."""
