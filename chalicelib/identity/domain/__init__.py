"""Pure identity rules: roles and duties, passwords, TOTP, sessions, signatures (no AWS, no env)."""
