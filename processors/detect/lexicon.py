"""The key lexicon: which keys hold PHI of which type, and which never do."""

from __future__ import annotations

from collections.abc import Mapping

from processors.entities import EntityType

E = EntityType

_PHI_KEY_WORDS: Mapping[EntityType, str] = {
    E.PERSON: (
        "first_name f_name given_name given last_name l_name surname family_name "
        "family middle_name full_name patient_name pt_name patient member_name "
        "subscriber_name guarantor_name insured_name policy_holder_name "
        "mothers_maiden_name maiden_name next_of_kin kin emergency_contact "
        "emergency_contact_name caregiver caregiver_name guardian guardian_name "
        "spouse spouse_name contact_name patient_full_name patient_first_name "
        "patient_last_name legal_name preferred_name nick_name physician "
        "physician_name attending_physician referring_physician provider_name "
        "doctor doctor_name nurse nurse_name signed_by recipient_name "
        "parent_name mother_name father_name"
    ),
    E.SSN: (
        "ssn social_security_number social_security social_security_no "
        "ss_number patient_ssn ssn_last4 tax_id tin itin"
    ),
    E.MRN: (
        "mrn medical_record_number medical_record_no medical_record patient_id "
        "patient_number patient_no pt_id chart_number chart_no ehr_id empi "
        "patient_mrn mr_number person_id"
    ),
    E.DATE: (
        "dob date_of_birth birth_date birthday birth_dt dod date_of_death "
        "death_date deceased_date deceased_date_time admit_date admission_date "
        "admitted_at admit_date_time admission_date_time discharge_date "
        "discharged_at discharge_date_time service_date date_of_service dos "
        "visit_date appointment_date appointment_date_time appt_date "
        "encounter_date surgery_date procedure_date patient_dob birth_date_time"
    ),
    E.PHONE: (
        "phone phone_number telephone tel mobile mobile_phone cell cell_phone "
        "home_phone work_phone contact_phone phone_no mobile_number msisdn "
        "patient_phone primary_phone emergency_phone"
    ),
    E.FAX: "fax fax_number fax_no",
    E.EMAIL: "email email_address e_mail mail contact_email patient_email user_email",
    E.ADDRESS: (
        "address street_address street address_line1 address_line2 addr "
        "home_address mailing_address patient_address residence city town "
        "county street_line"
    ),
    E.ZIP: "zip zip_code postal_code post_code zip5 zip4",
    E.IP_ADDRESS: (
        "ip ip_address client_ip remote_addr remote_ip source_ip src_ip "
        "x_forwarded_for x_real_ip client_address peer_ip user_ip"
    ),
    E.MEMBER_ID: (
        "member_id member_number member_no subscriber_id subscriber_number "
        "insurance_id insurance_number policy_number policy_no policy_id "
        "group_number health_plan_id beneficiary_id medicaid_id medicaid_number "
        "plan_member_id"
    ),
    E.MBI: "mbi medicare_id medicare_number medicare_beneficiary_identifier hicn",
    E.ACCOUNT: (
        "account_number account_no acct_num acct_no bank_account "
        "bank_account_number iban billing_account routing_number visit_number "
        "encounter_number account_id billing_account_number"
    ),
    E.CREDIT_CARD: "credit_card credit_card_number card_number cc_number cc_num pan",
    E.LICENSE: (
        "drivers_license driver_license dl dl_number license_number license_no "
        "license npi dea dea_number certificate_number"
    ),
    E.VIN: "vin vehicle_id",
    E.PLATE: "plate license_plate plate_no plate_number",
    E.URL: (
        "profile_url personal_url homepage home_page website personal_website "
        "social_url linkedin facebook twitter"
    ),
    E.DEVICE_ID: (
        "device_id imei serial_number serial_no device_serial udi mac_address "
        "mac hardware_id"
    ),
}
"""Keys whose whole value is PHI, written with their word breaks so the
spellings ``first_name``, ``firstName`` and ``first-name`` all match."""

PHI_KEY_SPELLINGS: tuple[str, ...] = tuple(
    key for words in _PHI_KEY_WORDS.values() for key in words.split()
)

PHI_KEYS: Mapping[str, EntityType] = {
    key.replace("_", ""): entity_type
    for entity_type, words in _PHI_KEY_WORDS.items()
    for key in words.split()
}
"""Keys whose whole value is PHI of one entity type."""

NEVER_KEYS = frozenset(
    [
        "traceid",
        "spanid",
        "parentid",
        "parentspanid",
        "requestid",
        "correlationid",
        "traceparent",
        "tracestate",
        "xrequestid",
        "xb3traceid",
        "xb3spanid",
        "ddtraceid",
        "ddspanid",
        "uuid",
        "guid",
        "messageid",
        "eventid",
        "timestamp",
        "time",
        "ts",
        "datetime",
        "eventtime",
        "logtime",
        "level",
        "severity",
        "loglevel",
        "levelname",
        "logger",
        "loggername",
        "thread",
        "threadname",
        "threadid",
        "host",
        "hostname",
        "pod",
        "podname",
        "podid",
        "namespace",
        "container",
        "containername",
        "containerid",
        "service",
        "servicename",
        "app",
        "application",
        "env",
        "environment",
        "version",
        "build",
        "buildnumber",
        "commit",
        "sha",
        "gitsha",
        "hash",
        "checksum",
        "digest",
        "etag",
        "durationms",
        "duration",
        "latency",
        "latencyms",
        "elapsed",
        "elapsedms",
        "tookms",
        "status",
        "statuscode",
        "httpstatus",
        "method",
        "httpmethod",
        "port",
        "partition",
        "offset",
        "topic",
        "region",
        "zone",
        "cluster",
        "node",
        "nodename",
        "image",
        "imagetag",
        "stream",
        "file",
        "filename",
        "line",
        "lineno",
        "function",
        "funcname",
        "module",
        "class",
        "classname",
        "component",
        "icd10",
        "icd",
        "icdcode",
        "diagnosiscode",
        "cpt",
        "cptcode",
        "ndc",
        "loinc",
        "errorcode",
        "code",
        "kind",
        "type",
    ]
)
"""Keys whose values are never PHI: detection skips them entirely."""
