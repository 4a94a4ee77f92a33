"""Password hashing (argon2id) and the password policy.

Hashes use argon2-cffi's defaults (argon2id, RFC 9106 low-memory profile), and are re-hashed on
login when the parameters change. The policy favours length over character classes (NIST SP
800-63B): at least 12 characters, not all the same character, not the username.
"""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ncen.errors import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 256
_hasher = PasswordHasher()


def check_policy(password: str, *, username: str = "", field: str = "password") -> None:
    """Raise `ValidationError` on ``field`` if ``password`` breaks the policy."""
    problem = None
    if len(password) < MIN_LENGTH:
        problem = f"must be at least {MIN_LENGTH} characters long"
    elif len(password) > MAX_LENGTH:
        problem = f"must be at most {MAX_LENGTH} characters long"
    elif len(set(password)) < 4:
        problem = "is too repetitive"
    elif username and username.casefold() in password.casefold():
        problem = "must not contain the username"
    if problem:
        raise ValidationError({field: problem})


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (with its own random salt)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True if ``password`` matches; never raises for a wrong or malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True if the hash was made with weaker parameters than the current ones."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def generate_password(length: int = 20) -> str:
    """A random one-time password that satisfies the policy (letters and digits, no look-alikes)."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "Il1O0o")
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if len(set(candidate)) >= 4:
            return candidate
