"""Pure stages: functions from a value to a value, no Kafka, no clock, no environment."""
