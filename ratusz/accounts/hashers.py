"""The password hasher: Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).

Django's default, PBKDF2-SHA256 with 1,000,000 iterations, took ~0.4 s of a core per hash on
the 2-core machine of the benchmarks (0.76 s there under load), so a sign-in could not answer
in 300 ms even alone; Argon2id at these parameters takes ~40 ms and resists GPU cracking better
through its memory cost. Django's own Argon2 defaults (100 MiB, 8 lanes) would hold 400 MB for
four concurrent sign-ins of one web pod. Hashes made before (PBKDF2) still verify, and are
re-hashed with this one at the account's next successful sign-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    # Same algorithm name as Django's: hashes stay readable by Django's hasher and back.
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
