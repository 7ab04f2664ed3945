"""Identity use cases: sessions (tokens → principal), sign-in, users, departments and their
keys, OIDC, bootstrap, audit. They take their collaborators (stores, key vault, signing keys,
``IdentityConfig`` from ``config.py``) as arguments; ``chalicelib/wiring.py`` builds them."""
