"""Disarmament, demobilisation and reintegration (DDR) case management.

Participants (ex-combatants, associated adults; children are referred to child protection,
never enrolled as combatants) go through registration, disarmament (weapons and ammunition
with type and serial), demobilisation (site, dates, allowance), reinsertion and
reintegration (programme, status) and follow-up visits. Only DDR officers and mission
administrators see participants' records, every view logged with
core.audit.log_sensitive_access; analysts see aggregates (funnel, weapons per combatant).

Personal data (name, birth date, phone, visit notes) is encrypted at rest with the keys of
core.crypto (BLUEHELMET_FIELD_KEYS, or a key generated in BLUEHELMET_HOME). Key rotation:

    BLUEHELMET_FIELD_KEYS=<new key>,<old key> bluehelmet reencrypt_fields
    # then BLUEHELMET_FIELD_KEYS=<new key> from now on

`reencrypt_fields` rewrites every encrypted column under the first key and recomputes the
duplicate-lookup hashes, in one transaction.
"""
