"""`python referrals/verify.py PACKAGE`: the package verifier (audit/proofs.py, the copy every package carries
as verify.py) run from a checkout, without Django. Only the standard library and `cryptography` (plus
`pyzipper` for a ZIP not yet extracted)."""

import os
import sys

if __name__ == "__main__":
    # Run as a script, this folder comes first on sys.path, and its selectors.py would shadow the standard
    # library's: put the checkout's root there instead.
    _here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _here]
    sys.path.insert(0, os.path.dirname(_here))
    from audit.proofs import main

    raise SystemExit(main())
