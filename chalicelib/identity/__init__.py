"""Identity and access (身份与权限): staff users, sign-in, sessions, the second factor, the
separated administrator duties (三员分立), department system keys, request signing and the
hash-chained audit trail (操作留痕).

``domain`` is pure (roles, password policy, TOTP, session rules, signatures); ``services`` are the
use cases on ports (``ports.py``: the key vault and the token signing keys); ``repositories``
owns the identity table's key scheme. AWS lives in ``chalicelib/adapters/keys.py``.
"""
