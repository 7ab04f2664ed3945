"""The one-time bootstrap of a deployed stack (初始化), run by whoever deployed it::

    python -m chalicelib.handlers.bootstrap --stack sunlit-prod --region cn-north-1 \\
        --system-admin wang.sys --security-admin li.sec --audit-admin zhao.audit

It creates the first system administrator together with the first security and audit
administrators (three different people, 三员分立: only a security administrator can grant an
administrator duty, so the first one must come from here) directly in the stack's identity table with the
caller's AWS credentials, prints each initial password once, and refuses to run a second time.
Each must change the password at the first sign-in and enrol a second factor. The local stage
needs none of this: it has ``SUNLIT_ADMIN_TOKEN``.
"""
from __future__ import annotations

import argparse
import sys

from .deployed import add_stack_options, use_stack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.handlers.bootstrap",
                                     description="Create the first administrators of a deployed Sunlit stack (once).")
    add_stack_options(parser)
    parser.add_argument("--system-admin", required=True, help="username of the system administrator (系统管理员)")
    parser.add_argument("--security-admin", required=True, help="username of the security administrator (安全管理员)")
    parser.add_argument("--audit-admin", required=True, help="username of the audit administrator (安全审计员)")
    args = parser.parse_args(argv)
    use_stack(args)
    from chalicelib.kernel.errors import SunlitError

    from .. import wiring
    from ..identity.services.bootstrap import bootstrap_admins

    wiring.reset()
    try:
        created = bootstrap_admins(wiring.stores(), wiring.identity_config(), system_admin=args.system_admin,
                                   security_admin=args.security_admin, audit_admin=args.audit_admin)
    except SunlitError as exc:
        print(f"bootstrap refused: {exc.message}", file=sys.stderr)
        return 1
    for username, password in created.items():
        print(f"INITIAL PASSWORD {username}: {password}")
    print("Each administrator signs in (POST /auth/login or the console), changes this password and enrols "
          "a second factor. Keep the passwords only until then.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
