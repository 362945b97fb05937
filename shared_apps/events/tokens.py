"""Secret link tokens: the link carries the token, the database only its hash."""

import hashlib
import secrets


def new_token() -> str:
    """Return a fresh URL-safe secret for a personal link."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Return the hex SHA-256 of ``token``, the form in which it is stored."""
    return hashlib.sha256(token.encode()).hexdigest()
