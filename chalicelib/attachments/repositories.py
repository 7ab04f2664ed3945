"""Attachment records and their keys (work table).

``ATT#{attachment_id} / ATT``   one upload and its state; ``gsi1`` ``ATTOWNER#{kind}#{owner_id}`` (once
                                attached) by attachment time, so an owner's files list in one query.
"""
from __future__ import annotations

from chalicelib.kernel.ports import ConditionFailedError, Item, Stores

from .domain import Upload, valid_id

TABLE = "work"


class Uploads:
    def __init__(self, stores: Stores):
        self.table = stores.table(TABLE)

    def get(self, attachment_id: str) -> tuple[Upload, Item] | None:
        if not valid_id(attachment_id):
            return None
        item = self.table.get(f"ATT#{attachment_id}", "ATT")
        return (Upload(item.body), item) if item else None

    def add(self, upload: Upload) -> None:
        self.table.put(Item(pk=f"ATT#{upload.id}", sk="ATT", body=upload.body), if_absent=True)

    def save(self, upload: Upload, read: Item) -> bool:
        """Store a changed upload at the version read; False when it changed meanwhile."""
        owner = upload.body.get("owner") or {}
        item = Item(pk=read.pk, sk=read.sk, body=upload.body, version=read.version,
                    gsi1pk=f"ATTOWNER#{owner['kind']}#{owner['id']}" if owner else None,
                    gsi1sk=upload.body.get("attached_at") if owner else None)
        try:
            self.table.put(item, expected_version=read.version)
        except ConditionFailedError:
            return False
        return True

    def of_owner(self, kind: str, owner_id: str) -> list[Upload]:
        return [Upload(i.body) for i in self.table.query_all(f"ATTOWNER#{kind}#{owner_id}", index="gsi1")]
