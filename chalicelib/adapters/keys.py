"""Keys and secrets on AWS: KMS envelope encryption (the identity ``KeyVault``) and the token
signing key in Secrets Manager (``SigningKeys``). Nothing here runs at import time; ``cryptography``
is imported on first use.

Envelope encryption: each secret gets a fresh 256-bit data key from ``kms:GenerateDataKey``
(with the record's encryption context), is sealed with AES-256-GCM (the context is the associated
data too), and only the KMS-encrypted data key is stored beside the ciphertext. Reading it needs
``kms:Decrypt`` on the key with the same context.

Signing key: the secret's ``AWSCURRENT`` version signs; its ``VersionId`` is the token's ``kid``.
Tokens of the ``AWSPREVIOUS`` version still validate until they expire, so rotating (a
``PutSecretValue``, from the API, the console or a rotation schedule) needs no deploy. Versions
are cached for five minutes; a token naming an unknown version makes one re-read (at most every
five seconds), so every instance learns a rotation at the first token that needs it.
"""
from __future__ import annotations

import base64
import json
import secrets
import threading
import time

from .aws import client

SIGNING_CACHE_SECONDS = 300.0
REFRESH_AT_MOST_EVERY = 5.0


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _aad(context: dict[str, str]) -> bytes:
    return json.dumps(context, sort_keys=True, separators=(",", ":")).encode("utf-8")


class KmsKeyVault:
    def __init__(self, key_id: str):
        if not key_id:
            raise RuntimeError("SUNLIT_KMS_KEY_ID is not set: the identity secrets cannot be encrypted")
        self.key_id = key_id

    def encrypt(self, plaintext: bytes, context: dict[str, str]) -> dict[str, str]:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        got = client("kms").generate_data_key(KeyId=self.key_id, KeySpec="AES_256", EncryptionContext=context)
        nonce = secrets.token_bytes(12)
        sealed = AESGCM(got["Plaintext"]).encrypt(nonce, plaintext, _aad(context))
        return {"v": "1", "alg": "AES-256-GCM", "key": _b64(got["CiphertextBlob"]), "nonce": _b64(nonce),
                "ct": _b64(sealed)}

    def decrypt(self, envelope: dict[str, str], context: dict[str, str]) -> bytes:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        data_key = client("kms").decrypt(CiphertextBlob=base64.b64decode(envelope["key"]),
                                         EncryptionContext=context)["Plaintext"]
        return bytes(AESGCM(data_key).decrypt(base64.b64decode(envelope["nonce"]), base64.b64decode(envelope["ct"]),
                                              _aad(context)))


class SecretsManagerSigningKeys:
    def __init__(self, secret_id: str):
        self.secret_id = secret_id
        self._lock = threading.Lock()
        self._current: tuple[str, str] | None = None
        self._known: dict[str, str] = {}
        self._loaded = 0.0
        self._last_try = 0.0

    def _load(self) -> None:
        sm = client("secretsmanager")
        current = sm.get_secret_value(SecretId=self.secret_id, VersionStage="AWSCURRENT")
        known = {str(current["VersionId"]): str(current["SecretString"])}
        try:
            previous = sm.get_secret_value(SecretId=self.secret_id, VersionStage="AWSPREVIOUS")
            known[str(previous["VersionId"])] = str(previous["SecretString"])
        except sm.exceptions.ResourceNotFoundException:
            pass  # never rotated
        self._current = (str(current["VersionId"]), str(current["SecretString"]))
        self._known = known
        self._loaded = self._last_try = time.monotonic()

    def current(self) -> tuple[str, str]:
        with self._lock:
            if self._current is None or time.monotonic() - self._loaded > SIGNING_CACHE_SECONDS:
                self._load()
            assert self._current is not None
            return self._current

    def secret(self, kid: str | None) -> str | None:
        if not kid:
            return None
        with self._lock:
            if self._current is None or time.monotonic() - self._loaded > SIGNING_CACHE_SECONDS:
                self._load()
            elif kid not in self._known and time.monotonic() - self._last_try > REFRESH_AT_MOST_EVERY:
                self._last_try = time.monotonic()
                self._load()  # rotated since we last looked?
            return self._known.get(kid)

    def rotate(self) -> str:
        sm = client("secretsmanager")
        got = sm.put_secret_value(SecretId=self.secret_id, SecretString=secrets.token_urlsafe(48))
        with self._lock:
            self._load()
        return str(got["VersionId"])


class StaticSigningKeys:
    """A fixed key (``SUNLIT_TOKEN_SECRET``), for a process run without infra: not rotatable."""

    def __init__(self, secret: str):
        self._secret = secret or secrets.token_urlsafe(32)

    def current(self) -> tuple[str, str]:
        return "static", self._secret

    def secret(self, kid: str | None) -> str | None:
        return self._secret if kid in ("static", None) else None

    def rotate(self) -> str:
        raise RuntimeError("the static signing key cannot rotate: set SUNLIT_TOKEN_SECRET_ARN")
