"""Legal-office use cases: filings, reconsideration and litigation, catalog governance."""
