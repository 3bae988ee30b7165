"""Independent values of the focus numbers of the narrative (see tests/test_claims.py)."""
from __future__ import annotations


def truth(edition) -> dict:
    """``{(measure, city or None): value}``."""
    return {}
