"""Operation platform (运行平台): natively run cases on Step Functions, worklist, staff actions."""
