DROP TABLE webhook_deliveries;
DROP TABLE gateway_calls;
ALTER TABLE services DROP COLUMN webhook_secret_ciphertext;
