"""Case use cases: ingest into the hash-chained log, projection into case views."""
