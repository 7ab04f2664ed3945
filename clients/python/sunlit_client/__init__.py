"""Sunlit (阳光政务) client: the request signer, typed exchange events, batched posting, paging,
the ``sunlit`` command line, and Excel/Word documents.

``sunlit_client.signing`` needs only the standard library and is the signer the platform itself
verifies with (``make package`` vendors it into the Lambda package). Everything else is imported on
use, so importing the signer costs nothing.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["ApiError", "ExchangeClient", "StaffClient", "__version__"]

if TYPE_CHECKING:
    from .client import ApiError, ExchangeClient, StaffClient


def __getattr__(name: str) -> Any:
    if name in ("ApiError", "ExchangeClient", "StaffClient"):
        from . import client

        return getattr(client, name)
    raise AttributeError(name)
