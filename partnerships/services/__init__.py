"""Every write to partnership data, by subdomain: the directory (``partnerships``), member data
(``members``), member files and the API's bulk upsert (``member_import``) and the record of each
upload (``member_uploads``). Pages, the API and tasks call the same functions, which check the
access rules, validate the whole row and record who changed what in the audit trail."""
