"""政府信息公开 (government information disclosure): 主动公开 directories, 依申请公开 requests
and their clock, the annual report."""
