"""Pure rules of 政府信息公开: the answer clock, the request lifecycle, the annual report, the directory."""
