"""Legal oversight (政府法制监督平台): checks L1–L12, officers, bases, normative documents, reconsideration."""
