"""The one place referrals talks to the evidence app.

Everything referrals needs of an evidence file goes through these functions, so
that the rest of the app reads as "list the files, stream one decrypted, show its
custody" whatever the evidence app's internals.
"""

from collections.abc import Iterator


def files_for(user, *, case):
    from evidence.selectors import files_for as _files_for

    return _files_for(user, case=case)


def file_get_for(user, *, case, file_id):
    from evidence.selectors import file_get_for as _file_get_for

    return _file_get_for(user, case=case, file_id=file_id)
