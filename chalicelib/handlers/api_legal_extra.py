"""Routes: api_legal_extra (filled in by its feature)."""
from __future__ import annotations

from chalice import Blueprint

bp = Blueprint(__name__)
