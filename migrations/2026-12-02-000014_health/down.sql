DROP TABLE health_rounds;
DROP TABLE service_health_checks;
DROP TABLE service_health;
DROP FUNCTION inti_health_changed();
