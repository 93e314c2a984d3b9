"""Password hashing (Argon2id) and the password policy. No Flask import."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 128
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(
        line.strip().lower()
        for line in _COMMON_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )


def password_problems(password: str, email: str = "") -> list[str]:
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) <= 2:
        problems.append("This password is too common; pick something less guessable.")
    local = email.split("@", 1)[0].lower()
    # Three characters are enough to be recognisable ("ra2@x.test"); shorter ones are
    # caught when the whole address is in the password.
    if (local and len(local) >= 3 and local in lowered) or (email and email.lower() in lowered):
        problems.append("Don't build the password from your email address.")
    return problems


def make_hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(
        time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID
    )


def verify(hasher: PasswordHasher, stored_hash: str, password: str) -> bool:
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
