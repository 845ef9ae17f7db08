"""Per-case access rules in one place (Wagtail-style permission policy).

A user may act on a case when BOTH hold:
  - a per-case grant: a django-guardian object permission on the case, given directly to
    the user (an assignment) or to one of their groups (bulk access, e.g. the `legal` group
    for cases shared with all legal staff). Group grants never open a *sensitive* case:
    only its named assignees (direct grants) may see it.
  - a role (accounts/roles.py) carrying the same permission, so that removing a role ends
    the access on the very next request.
Reads go through cases.selectors.cases_for, which expresses exactly this in one query.

The package does three jobs, one module each:
  - rules.py   what a role's grant may carry, the reasons for a grant, the questions about access;
  - grants.py  the writes: keyword-only, durable services that audit every grant added or removed
               (one event per case changed, so each case's history shows who was given access and why);
  - report.py  who holds access to a case and why (the access page), read-only.
Callers import from `cases.access`.
"""

from cases.access.grants import (
    case_assign,
    case_grant,
    case_grant_self,
    case_revoke,
    case_set_sensitive,
    case_share_with_legal,
    case_unassign,
    case_unshare_with_legal,
    on_case_created,
)
from cases.access.report import AccessRow, case_access_report, cases_by_reference_for_management
from cases.access.rules import (
    REASON_ASSIGNED,
    REASON_CREATOR,
    REASON_GRANTED,
    REASON_REFERRAL,
    REASON_SELF_GRANT,
    REASON_SHARED_LEGAL,
    AccessError,
    case_perms_for,
    grantable_perms,
    has_case_perm,
    permission_rows,
)

__all__ = [
    "REASON_ASSIGNED", "REASON_CREATOR", "REASON_GRANTED", "REASON_REFERRAL", "REASON_SELF_GRANT", "REASON_SHARED_LEGAL",
    "AccessError", "AccessRow", "case_access_report", "case_assign", "case_grant", "case_grant_self", "case_perms_for",
    "case_revoke", "case_set_sensitive", "case_share_with_legal", "case_unassign", "case_unshare_with_legal",
    "cases_by_reference_for_management", "grantable_perms", "has_case_perm", "on_case_created", "permission_rows",
]
