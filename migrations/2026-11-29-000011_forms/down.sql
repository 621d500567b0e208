DROP TABLE form_submissions;
DROP TABLE form_versions;
ALTER TABLE services DROP COLUMN form_version;
