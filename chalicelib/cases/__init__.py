"""Cases and data exchange (案件与数据交换): signed ingest, the event log, the case projection."""
