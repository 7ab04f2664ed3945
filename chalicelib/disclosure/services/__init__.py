"""政府信息公开 use cases: requests, the directory, the annual report."""
