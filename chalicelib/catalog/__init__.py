"""Power catalog (行政权力库): items, versions, search, publication to the hall."""
