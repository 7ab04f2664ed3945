"""Supervision use cases: run the rules, keep signals, complaints, evaluation, spot checks."""
