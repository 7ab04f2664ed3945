"""Attachments (附件): uploads straight to a private bucket with presigned POSTs, checksums recorded
in the owner's hash-chained record, short-lived presigned downloads for the owning department's staff."""
