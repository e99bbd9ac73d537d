"""Two-factor sign-in: a TOTP app code (RFC 6238, ``pyotp``) after the password, and ten
single-use recovery codes.

Anyone can turn it on under *Mijn profiel*; moderators, researchers and admins must have it
before they see any page (``gate``). The parts:

* ``models``: the secret with the last time step used (a code works once), hashed recovery codes;
* ``services``: enrol, confirm, check a code, recovery codes, turn off — flush, never commit;
* ``gate``: the half-signed-in state kept in the session (password right, code still to come)
  and the check before every request that a signed-in session has passed each step that applies;
* ``views`` and ``forms``: the pages, a blueprint nested in ``accounts``.
"""
