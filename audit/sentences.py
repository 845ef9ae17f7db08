"""The audit log in sentences, in the reader's language: "caseworker1 opened case DAL-2026-0009".

Each action has a short name (for the filter) and a sentence. The sentence names the actor, the object and
the case; each becomes a link only when the reader may follow it (a case they may open, a person they
manage), and nothing names what they may not see. The codes stay in the exports (audit/views.py).
"""

from django.utils.translation import gettext_lazy as _

from audit import actions as A

# action -> (name, sentence). In a sentence: %(actor)s, %(target)s (the object), %(case)s, %(user)s (a person
# named in the event's data).
SENTENCES = {
    A.SIGN_IN: (_("Signed in"), _("%(actor)s signed in")),
    A.SIGN_OUT: (_("Signed out"), _("%(actor)s signed out")),
    A.SIGN_IN_FAILED: (_("Failed sign-in"), _("A sign-in as %(actor)s failed")),
    A.SIGN_IN_PASSWORD_ACCEPTED: (_("Password accepted"), _("%(actor)s gave the right password (the second step follows)")),
    A.SECOND_FACTOR_VERIFIED: (_("Second step passed"), _("%(actor)s passed the second step of signing in")),
    A.SECOND_FACTOR_FAILED: (_("Second step failed"), _("%(actor)s gave a wrong second-step code")),
    A.AUDIT_LOG_VIEWED: (_("Audit log read"), _("%(actor)s read the audit log")),
    A.AUDIT_LOG_EXPORTED: (_("Audit log exported"), _("%(actor)s exported the audit log")),
    A.AUDIT_HISTORY_VIEWED: (_("Access history read"), _("%(actor)s read the access history of %(case)s")),
    A.CASE_CREATED: (_("Case opened (new)"), _("%(actor)s opened a new case, %(case)s")),
    A.CASE_UPDATED: (_("Case changed"), _("%(actor)s changed case %(case)s")),
    A.CASE_VIEWED: (_("Case read"), _("%(actor)s opened case %(case)s")),
    A.CASE_LIST_VIEWED: (_("Case list read"), _("%(actor)s looked at the case list")),
    A.PERSON_VIEWED: (_("Person read"), _("%(actor)s read the person of %(case)s")),
    A.CONTACT_ADDED: (_("Contact added"), _("%(actor)s added a contact to %(case)s")),
    A.CONTACT_UPDATED: (_("Contact changed"), _("%(actor)s changed a contact of %(case)s")),
    A.EVENT_ADDED: (_("Event added"), _("%(actor)s added %(target)s to %(case)s")),
    A.EVENT_UPDATED: (_("Event changed"), _("%(actor)s changed %(target)s of %(case)s")),
    A.SOURCE_ADDED: (_("Source added"), _("%(actor)s added a source to %(case)s")),
    A.SOURCE_UPDATED: (_("Source changed"), _("%(actor)s changed a source of %(case)s")),
    A.CONSENT_RECORDED: (_("Consent recorded"), _("%(actor)s recorded consent for %(case)s")),
    A.LOCATION_CREATED: (_("Place added"), _("%(actor)s added a place to the list of places")),
    A.PERPETRATOR_CREATED: (_("Perpetrator added"), _("%(actor)s added a perpetrator to the list")),
    A.DEMO_SEEDED: (_("Demo data loaded"), _("%(actor)s loaded the demo data")),
    A.API_REQUEST: (_("API request"), _("%(actor)s used the API")),
    A.API_TOKEN_ISSUED: (_("API token issued"), _("%(actor)s issued an API token to %(user)s")),
    A.API_TOKEN_REVOKED: (_("API token revoked"), _("%(actor)s revoked an API token of %(user)s")),
    A.API_TOKEN_REJECTED: (_("API token refused"), _("An API token was refused")),
    A.ASSESSMENT_ITEM_SAVED: (_("Assessment item saved"), _("%(actor)s saved an item of the assessment of %(case)s")),
    A.ASSESSMENT_LINK_ADDED: (_("Assessment support added"), _("%(actor)s linked support to the assessment of %(case)s")),
    A.ASSESSMENT_LINK_REMOVED: (_("Assessment support removed"), _("%(actor)s removed support from the assessment of %(case)s")),
    A.ASSESSMENT_CONCLUSION_SAVED: (_("Assessment concluded"), _("%(actor)s saved the assessment's conclusion for %(case)s")),
    A.REVIEW_REQUESTED: (_("Legal review asked"), _("%(actor)s asked legal staff to review %(case)s")),
    A.REFERRAL_CREATED: (_("Referral created"), _("%(actor)s prepared a referral of %(case)s")),
    A.REFERRAL_UPDATED: (_("Referral changed"), _("%(actor)s changed a referral of %(case)s")),
    A.REFERRAL_BUILD_REQUESTED: (_("Referral build asked"), _("%(actor)s asked for a referral package of %(case)s to be built")),
    A.REFERRAL_BUILT: (_("Referral built"), _("The referral package of %(case)s was built")),
    A.REFERRAL_BUILD_FAILED: (_("Referral build failed"), _("Building the referral package of %(case)s failed")),
    A.REFERRAL_PASSPHRASE_SHOWN: (_("Referral passphrase shown"), _("%(actor)s was shown the passphrase of a referral of %(case)s")),
    A.REFERRAL_DOWNLOADED: (_("Referral downloaded"), _("%(actor)s downloaded the referral package of %(case)s")),
    A.REFERRAL_SENT: (_("Referral sent"), _("%(actor)s marked a referral of %(case)s as sent")),
    A.REFERRAL_ACKNOWLEDGED: (_("Referral acknowledged"), _("%(actor)s marked a referral of %(case)s as acknowledged")),
    A.REFERRAL_CLOSED: (_("Referral closed"), _("%(actor)s closed a referral of %(case)s")),
    A.ACCESS_GRANT_ADDED: (_("Access given"), _("%(actor)s gave %(user)s access to %(case)s")),
    A.ACCESS_GRANT_REMOVED: (_("Access taken"), _("%(actor)s took access to %(case)s from %(user)s")),
    A.ACCESS_SENSITIVITY_CHANGED: (_("Sensitivity changed"), _("%(actor)s changed whether %(case)s is sensitive")),
    A.ACCOUNT_CREATED: (_("Account created"), _("%(actor)s created the account of %(target)s")),
    A.ACCOUNT_ROLE_CHANGED: (_("Roles changed"), _("%(actor)s changed the roles of %(target)s")),
    A.ACCOUNT_DEACTIVATED: (_("Account deactivated"), _("%(actor)s deactivated %(target)s")),
    A.ACCOUNT_REACTIVATED: (_("Account reactivated"), _("%(actor)s reactivated %(target)s")),
    A.ACCOUNT_SIGNED_OUT_EVERYWHERE: (_("Signed out everywhere"), _("%(actor)s signed %(target)s out on every device")),
    A.ACCOUNT_LOCKED_OUT: (_("Account locked"), _("%(target)s was locked out after failed sign-ins")),
    A.ACCOUNT_2FA_ENROLLED: (_("Second factor added"), _("%(actor)s added a second factor")),
    A.ACCOUNT_2FA_REMOVED: (_("Second factor removed"), _("%(actor)s removed a second factor")),
    A.ACCOUNT_2FA_BACKUP_CODES: (_("Backup codes made"), _("%(actor)s made new backup codes")),
    A.ACCOUNT_PASSWORD_SET: (_("Password set"), _("%(actor)s set a new password")),
    A.ACCOUNT_PASSWORD_CHANGED: (_("Password changed"), _("%(actor)s changed their password")),
    A.ACCOUNT_2FA_ENROLMENT_LINK_ISSUED: (_("Enrolment link issued"), _("%(actor)s issued a second-factor enrolment link for %(target)s")),
    A.ACCOUNT_2FA_ENROLMENT_LINK_USED: (_("Enrolment link used"), _("%(actor)s used a second-factor enrolment link")),
    A.ACCOUNT_2FA_ENROLMENT_LINK_REFUSED: (_("Enrolment link refused"), _("A second-factor enrolment link was refused")),
    A.ACCOUNT_REAUTHENTICATED: (_("Password confirmed"), _("%(actor)s confirmed their password")),
    A.EVIDENCE_FILE_RECEIVED: (_("File received"), _("%(actor)s added %(target)s to %(case)s")),
    A.EVIDENCE_FILE_HASHED: (_("File hashed"), _("The hash of %(target)s of %(case)s was recorded")),
    A.EVIDENCE_FILE_PROCESSED: (_("File processed"), _("%(target)s of %(case)s was checked and prepared")),
    A.EVIDENCE_FILE_PROCESSING_FAILED: (_("File processing failed"), _("Preparing %(target)s of %(case)s failed")),
    A.EVIDENCE_FILE_VIEWED: (_("File read"), _("%(actor)s opened %(target)s of %(case)s")),
    A.EVIDENCE_FILE_DOWNLOADED: (_("File downloaded"), _("%(actor)s downloaded %(target)s of %(case)s")),
    A.EVIDENCE_FILE_REFERRED: (_("File put in a referral"), _("%(target)s of %(case)s went into a referral package")),
    A.EVIDENCE_CUSTODY_EXPORTED: (_("Custody exported"), _("%(actor)s exported the chain of custody of %(target)s of %(case)s")),
    A.EVIDENCE_COPY_MADE: (_("Working copy made"), _("A working copy of %(target)s of %(case)s was made")),
    A.EVIDENCE_FILE_DESTROYED: (_("File destroyed"), _("%(actor)s destroyed %(target)s of %(case)s")),
    A.EVIDENCE_KEY_REWRAPPED: (_("File key re-wrapped"), _("The key of %(target)s of %(case)s was re-wrapped")),
    A.EVIDENCE_INTEGRITY_VERIFIED: (_("Integrity checked"), _("The integrity of %(target)s of %(case)s was checked: it matches")),
    A.EVIDENCE_INTEGRITY_FAILED: (_("Integrity failure"), _("The integrity check of %(target)s of %(case)s FAILED")),
    A.LIST_CREATED: (_("Published list added"), _("%(actor)s added a published list")),
    A.LIST_UPLOADED: (_("Published list uploaded"), _("%(actor)s uploaded a file of a published list")),
    A.LIST_IMPORT_STARTED: (_("List import started"), _("%(actor)s started importing a published list")),
    A.LIST_IMPORTED: (_("List imported"), _("A published list was imported")),
    A.LIST_MATCHED: (_("List matched"), _("A published list was matched against the cases")),
    A.LIST_MATCH_REQUESTED: (_("List matching asked"), _("%(actor)s asked for a published list to be matched")),
    A.MATCH_CONFIRMED: (_("Match confirmed"), _("%(actor)s confirmed a match with %(case)s")),
    A.MATCH_REJECTED: (_("Match rejected"), _("%(actor)s rejected a match with %(case)s")),
    A.DUPLICATE_DISMISSED: (_("Not a duplicate"), _("%(actor)s marked %(case)s and another case as different people")),
    A.CASE_MERGED: (_("Cases merged"), _("%(actor)s merged another case into %(case)s")),
    A.STATS_EXPORTED: (_("Counts downloaded"), _("%(actor)s downloaded counts")),
    A.RESEARCH_EXPORTED: (_("Research export"), _("%(actor)s downloaded the de-identified research export")),
    A.POPULATION_ESTIMATED: (_("Population estimated"), _("%(actor)s estimated the size of a population from lists")),
    A.COALITION_EXPORTED: (_("Coalition export"), _("%(actor)s exported records for the coalition")),
    A.COALITION_LOOKED_UP: (_("Coalition look-up"), _("%(actor)s looked records up against the coalition")),
}
UNKNOWN = _("%(actor)s did something this version of Dalil has no words for")


def action_choices() -> list[tuple[str, str]]:
    """For the filter: every action by its name, in the reader's language, sorted."""
    return sorted(((code, str(name)) for code, (name, _sentence) in SENTENCES.items()), key=lambda pair: pair[1].lower())


def sentence_for(action: str):
    entry = SENTENCES.get(action)
    return entry[1] if entry else UNKNOWN
