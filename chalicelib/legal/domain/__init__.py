"""Pure legal rules: legality checks, normative-document filing, reconsideration limits."""
