"""Ports of the identity context; ``chalicelib/adapters/keys.py`` implements them with KMS and
Secrets Manager (moto locally)."""
from __future__ import annotations

from typing import Protocol


class KeyVault(Protocol):
    """Encryption at rest for secrets kept in the identity table (department HMAC secrets, TOTP
    seeds, the audit's address-hashing key). ``context`` is bound to the ciphertext (KMS
    encryption context): a blob copied to another record does not decrypt."""

    def encrypt(self, plaintext: bytes, context: dict[str, str]) -> dict[str, str]: ...

    def decrypt(self, envelope: dict[str, str], context: dict[str, str]) -> bytes: ...


class SigningKeys(Protocol):
    """The key that signs staff access tokens, read at run time and rotatable without a deploy."""

    def current(self) -> tuple[str, str]:
        """``(kid, secret)`` to sign new tokens with."""
        ...

    def secret(self, kid: str | None) -> str | None:
        """The secret of a key that may still validate tokens (current or previous), else None."""
        ...

    def rotate(self) -> str:
        """Make a new current key (the old one stays valid for tokens it signed); its kid."""
        ...


class Archive(Protocol):
    """Write-once storage outside the database (the audit archive: S3 with Object Lock)."""

    def read(self, key: str) -> bytes | None: ...

    def write(self, key: str, body: bytes, content_type: str = ...) -> None: ...
